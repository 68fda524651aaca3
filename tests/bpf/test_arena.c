// SPDX-License-Identifier: GPL-2.0
/*
 * Host-kernel BPF selftests: the arena allocators, queue, running average,
 * topology lookups and cpumasks as syscall programs under the real verifier
 * (needs root and a kernel with BPF arenas; no sched_ext needed).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "framework/arena_pages.h"
#include "framework/topology.h"
#include "arena/queue.h"
#include "arena/ravg.h"
#include "tests/bpf/test_records.h"
#include "arena_test.skel.h"
#include "../unit/fake_sysfs.h"

#define CHUNK_SHIFT 8
#define CHUNKS 16
#define NR_TASKS (CHUNKS << CHUNK_SHIFT)

static struct arena_test *skel;
static int pages_fd;

static void setup(void)
{
	struct tsr_slab *s;

	skel = arena_test__open_and_load();
	cr_assert_not_null(skel,
			   "loading the arena test programs failed (%s): they need root and a "
			   "kernel with BPF arenas",
			   strerror(errno));
	pages_fd = bpf_program__fd(skel->progs.tsr_alloc_pages);
	s = &skel->arena->tsr_task_slab;
	cr_assert_eq(
		tsr_slab_setup(s, TSR_SLAB_ID_TASKS, sizeof(struct tsr_task), CHUNK_SHIFT, CHUNKS),
		0);
	cr_assert_eq(tsr_slab_grow_user(s, pages_fd, CHUNKS / 2), 0, "%s", strerror(errno));
	cr_assert_eq(tsr_heap_setup(&skel->arena->tsr_heap, 4), 0);
	for (int c = 0; c < TSR_HEAP_CLASSES; c++)
		cr_assert_eq(tsr_slab_grow_user(&skel->arena->tsr_heap.cls[c], pages_fd, 1), 0);
}

static void teardown(void)
{
	arena_test__destroy(skel);
}

static int run(struct bpf_program *prog, void *args, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = len);
	int ret = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);

	cr_assert_eq(ret, 0, "test run of %s: %s", bpf_program__name(prog), strerror(-ret));
	return opts.retval;
}

struct slab_args {
	int32_t iters, pad;
	uint64_t fails, count;
	int64_t ret, ret2;
};

TestSuite(arena_bpf, .init = setup, .fini = teardown, .timeout = 120);

Test(arena_bpf, a_million_alloc_free_pairs_balance)
{
	struct slab_args a = { .iters = 1000000 };
	struct tsr_slab *s = &skel->arena->tsr_task_slab;

	cr_assert_eq(run(skel->progs.slab_stress, &a, sizeof(a)), 0);
	cr_expect_eq(a.fails, 0);
	cr_expect_eq(s->nr_allocs, 1000000);
	cr_expect_eq(s->nr_live, 0, "live objects back to zero");
	cr_expect_eq(s->nr_fails, 0);
}

Test(arena_bpf, exhaustion_is_counted_and_everything_comes_back)
{
	struct slab_args a = { .iters = NR_TASKS };
	struct tsr_slab *s = &skel->arena->tsr_task_slab;

	cr_assert_eq(run(skel->progs.slab_fill, &a, sizeof(a)), 0);
	cr_expect_eq(a.count, NR_TASKS / 2, "every object handed out once");
	cr_expect_eq(s->nr_fails, 1);
	cr_expect_eq(a.fails, 0);
	cr_expect_eq(s->nr_live, 0);
	a = (struct slab_args){ .iters = NR_TASKS };
	cr_assert_eq(run(skel->progs.slab_fill, &a, sizeof(a)), 0);
	cr_expect_eq(a.count, NR_TASKS / 2, "the free stack is whole again");
}

Test(arena_bpf, foreign_pointers_and_double_frees_are_refused)
{
	struct slab_args a = {};
	struct tsr_slab *s = &skel->arena->tsr_task_slab;

	cr_assert_eq(run(skel->progs.slab_bad_free, &a, sizeof(a)), 0);
	cr_expect_eq(a.count, 1, "interior pointer refused");
	cr_expect_eq(a.ret, 0);
	cr_expect_eq(a.ret2, -114, "double free refused");
	cr_expect_eq(s->nr_bad_frees, 1);
	cr_expect_eq(s->nr_double_frees, 1);
	cr_expect_eq(s->nr_live, 0);
}

Test(arena_bpf, bpf_grows_the_slab_up_to_its_limit)
{
	struct slab_args a = { .iters = 1 << 30 };
	struct tsr_slab *s = &skel->arena->tsr_task_slab;
	uint64_t pages = s->nr_pages;

	cr_assert_eq(run(skel->progs.slab_grow, &a, sizeof(a)), 0);
	cr_expect_eq(a.ret, 0, "refill: %lld", (long long)a.ret);
	cr_expect_eq(a.count, (CHUNKS / 2 + 1) << CHUNK_SHIFT);
	cr_expect_gt(s->nr_pages, pages);
	for (int i = 0; i < CHUNKS; i++)
		run(skel->progs.slab_grow, &a, sizeof(a));
	cr_expect_eq(a.ret, -28, "full slab says ENOSPC");
	cr_expect_eq(s->nr_chunks, CHUNKS);
	a = (struct slab_args){ .iters = 4 };
	cr_assert_eq(run(skel->progs.slab_grow, &a, sizeof(a)), 0);
	cr_expect_eq(a.ret, 0, "enough free: nothing to do");
	/* and every slot of every chunk is usable */
	a = (struct slab_args){ .iters = NR_TASKS + 1 };
	cr_assert_eq(run(skel->progs.slab_fill, &a, sizeof(a)), 0);
	cr_expect_eq(a.count, NR_TASKS);
}

Test(arena_bpf, userspace_walks_live_records_and_sees_generations)
{
	struct tsr_slab *s = &skel->arena->tsr_task_slab;
	struct slab_args a = { .iters = 3 };
	struct tsr_task *t;
	unsigned int live = 0;

	cr_assert_eq(run(skel->progs.slab_stress, &a, sizeof(a)), 0);
	/* LIFO reuse: every pair used the same slot; the last write was pid 2 */
	t = tsr_slab_alloc(s);
	cr_assert_not_null(t, "userspace allocates from the same slab");
	cr_expect_eq(t->core.pid, 2);
	cr_expect_eq(tsr_slab_gen(t), 7, "three BPF pairs, then this allocation");
	for (unsigned int i = 0; i < s->nr_objs; i++)
		live += tsr_slot_of(tsr_slab_obj(s, i))->gen & 1;
	cr_expect_eq(live, 1);
	cr_expect_eq(tsr_slab_free(s, t), 0);
}

Test(arena_bpf, heap_classes_work_in_bpf)
{
	struct slab_args a = {};

	cr_assert_eq(run(skel->progs.heap_ops, &a, sizeof(a)), 0);
	cr_expect_eq(a.fails, 0);
	cr_expect_eq(a.count, 1, "oversize refused");
	for (int c = 0; c < TSR_HEAP_CLASSES; c++)
		cr_expect_eq(skel->arena->tsr_heap.cls[c].nr_live, 0, "class %d", c);
}

Test(arena_bpf, queues_carry_values_both_ways)
{
	struct slab_args a = {};
	struct tsr_queue *in = &skel->arena->test_q_in, *out = &skel->arena->test_q_out;
	__u64 v, sum = 0;

	cr_assert_eq(tsr_queue_init(in, skel->arena->test_cells_in, 64), 0);
	cr_assert_eq(tsr_queue_init(out, skel->arena->test_cells_out, 64), 0);
	for (__u64 i = 1; i <= 50; i++)
		cr_assert_eq(tsr_queue_push(in, i), 0);
	cr_assert_eq(run(skel->progs.queue_echo, &a, sizeof(a)), 0);
	cr_expect_eq(a.count, 50);
	cr_expect_eq(a.fails, 0);
	for (int i = 0; i < 50; i++) {
		cr_assert_eq(tsr_queue_pop(out, &v), 0);
		cr_expect_eq(v, 2 * (i + 1), "order kept");
		sum += v;
	}
	cr_expect_eq(tsr_queue_pop(out, &v), -2);
	cr_expect_eq(sum, 2550);
}

struct ravg_args {
	uint64_t half_life_ns, t[8], v[8], avg;
};

Test(arena_bpf, running_average_is_bit_identical_on_both_sides)
{
	struct ravg_args a = { .half_life_ns = 1000000000ULL,
			       .t = { 5, 100000000, 250000000, 900000000, 1700000000, 1800000000,
				      4000000000ULL, 9000000000ULL },
			       .v = { 0, 1024, 1024, 300, 5000, 5000, 0, 77 } };
	struct tsr_ravg r = { 0 };

	cr_assert_eq(run(skel->progs.ravg_run, &a, sizeof(a)), 0);
	for (int i = 0; i < 8; i++)
		tsr_ravg_update(&r, a.t[i], a.v[i], a.half_life_ns);
	cr_expect_eq(a.avg, r.avg, "bpf %llu, userspace %llu", (unsigned long long)a.avg,
		     (unsigned long long)r.avg);
	cr_expect_neq(r.avg, 0);
}

struct topo_args {
	int32_t cpu, dom, node, core, sibling;
	uint32_t in_dom_mask, dom_weight, nr_doms;
	int32_t first_in_dom, next_after;
};

Test(arena_bpf, topology_lookups_match_userspace)
{
	struct fake_machine m = {
		.sockets = 2, .cores = 2, .threads = 2, .nodes = 2, .l3_per_socket = 1
	};
	struct tsr_topo_opts o = { .cache_level = 3 };
	static struct tsr_topo topo;
	char err[256], *root = fake_sysfs_new();

	fake_machine(root, &m);
	o.sysfs_root = root;
	cr_assert_eq(tsr_topo_discover(&topo, &o, err, sizeof(err)), 0, "%s", err);
	fake_sysfs_free(root);
	memcpy(&skel->arena->tsr_topo, &topo, sizeof(topo));
	for (int cpu = 0; cpu < 8; cpu++) {
		struct topo_args a = { .cpu = cpu };

		cr_assert_eq(run(skel->progs.topo_lookup, &a, sizeof(a)), 0);
		cr_expect_eq(a.dom, topo.cpu_dom[cpu], "cpu %d", cpu);
		cr_expect_eq(a.node, cpu / 4);
		cr_expect_eq(a.core, topo.cpu_core[cpu]);
		cr_expect_eq(a.sibling, cpu ^ 1);
		cr_expect(a.in_dom_mask);
		cr_expect_eq(a.dom_weight, 4);
		cr_expect_eq(a.nr_doms, 2);
		cr_expect_eq(a.first_in_dom, cpu / 4 * 4);
		cr_expect_eq(a.next_after, cpu % 4 == 3 ? -1 : cpu + 1);
	}
}

struct mask_args {
	int32_t cpu;
	uint32_t before, after_set, after_clear, weight;
	int32_t next;
	uint32_t was_set;
};

Test(arena_bpf, cpumask_bits_at_word_boundaries)
{
	int cpus[] = { 0, 63, 64, 127, 128, 1023 };

	for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		struct mask_args a = { .cpu = cpus[i] };

		run(skel->progs.cpumask_ops, &a, sizeof(a));
		cr_expect_eq(a.before, 0, "cpu %d", cpus[i]);
		cr_expect_eq(a.after_set, 1, "cpu %d", cpus[i]);
		cr_expect_eq(a.weight, 1, "cpu %d", cpus[i]);
		cr_expect_eq(a.next, cpus[i], "cpu %d", cpus[i]);
		cr_expect_eq(a.was_set, 1, "cpu %d", cpus[i]);
		cr_expect_eq(a.after_clear, 0, "cpu %d", cpus[i]);
	}
}
