// SPDX-License-Identifier: GPL-2.0
/*
 * Host-kernel BPF selftests: the arena allocator, topology lookups and
 * cpumasks as syscall programs under the real verifier (needs root and a
 * kernel with BPF arenas; no sched_ext needed).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "framework/arena_pages.h"
#include "framework/topology.h"
#include "tests/bpf/test_records.h"
#include "arena_test.skel.h"
#include "../unit/fake_sysfs.h"

#define NR_TASKS 4096

static struct arena_test *skel;

static void setup(void)
{
	char *mem;

	skel = arena_test__open_and_load();
	cr_assert_not_null(skel,
			   "loading the arena test programs failed (%s): they need root and "
			   "a kernel with BPF arenas",
			   strerror(errno));
	mem = tsr_arena_alloc_pages(bpf_program__fd(skel->progs.tsr_alloc_pages),
				    (tsr_slab_bytes(sizeof(struct tsr_task), NR_TASKS) + 4095) /
					    4096);
	cr_assert_not_null(mem, "arena page allocation: %s", strerror(errno));
	cr_assert_eq(
		tsr_slab_init(&skel->arena->tsr_task_slab, mem, sizeof(struct tsr_task), NR_TASKS),
		0);
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
	int64_t ret;
};

TestSuite(arena_bpf, .init = setup, .fini = teardown, .timeout = 120);

Test(arena_bpf, a_million_alloc_free_pairs_balance)
{
	struct slab_args a = { .iters = 1000000 };

	cr_assert_eq(run(skel->progs.slab_stress, &a, sizeof(a)), 0);
	cr_expect_eq(a.fails, 0);
	cr_expect_eq(skel->arena->tsr_task_slab.nr_allocs, 1000000);
	cr_expect_eq(skel->arena->tsr_task_slab.nr_live, 0, "live objects back to zero");
	cr_expect_eq(skel->arena->tsr_task_slab.nr_fails, 0);
}

Test(arena_bpf, exhaustion_is_counted_and_everything_comes_back)
{
	struct slab_args a = { .iters = NR_TASKS + 10 };

	cr_assert_eq(run(skel->progs.slab_fill, &a, sizeof(a)), 0);
	cr_expect_eq(a.count, NR_TASKS, "every object handed out once");
	cr_expect_eq(skel->arena->tsr_task_slab.nr_fails, 1);
	cr_expect_eq(a.fails, 0);
	cr_expect_eq(skel->arena->tsr_task_slab.nr_live, 0);
	/* and the free list is whole again */
	a = (struct slab_args){ .iters = NR_TASKS + 10 };
	cr_assert_eq(run(skel->progs.slab_fill, &a, sizeof(a)), 0);
	cr_expect_eq(a.count, NR_TASKS);
}

Test(arena_bpf, foreign_pointers_are_refused)
{
	struct slab_args a = {};

	cr_assert_eq(run(skel->progs.slab_bad_free, &a, sizeof(a)), 0);
	cr_expect_eq(a.ret, -EINVAL);
	cr_expect_eq(a.count, 1);
	cr_expect_eq(skel->arena->tsr_task_slab.nr_bad_frees, 2);
}

Test(arena_bpf, userspace_sees_what_bpf_wrote)
{
	struct slab_args a = { .iters = 3 };
	struct tsr_task *first = (struct tsr_task *)skel->arena->tsr_task_slab.base;

	cr_assert_eq(run(skel->progs.slab_stress, &a, sizeof(a)), 0);
	/* LIFO reuse: every pair used object 0, the last write was pid 2 */
	cr_expect_eq(first->core.pid, 2);
}

struct topo_args {
	int32_t cpu, dom, node, core, sibling;
	uint32_t in_dom_mask, dom_weight, nr_doms;
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
	}
}

struct mask_args {
	int32_t cpu;
	uint32_t before, after_set, after_clear, weight;
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
		cr_expect_eq(a.after_clear, 0, "cpu %d", cpus[i]);
	}
}
