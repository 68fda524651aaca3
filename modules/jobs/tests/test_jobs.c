// SPDX-License-Identifier: GPL-2.0
/*
 * The jobs module's job table under the host's verifier: slots found and
 * taken by process group or cgroup id, workers counted as tasks join and leave, run time
 * charged, a long-running job announced exactly once, and a full probe
 * window leaving a task without a job (counted) instead of failing.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include TSR_COMPOSE_H
#include "tests/lib/host_task.h"
#include "modules/jobs/table.h"
#include "jobs_test.skel.h"

static struct jobs_test *skel;

struct jobs_args {
	int32_t pgid;
	uint64_t key;
	int32_t runnable;
	uint64_t ran_ns;
	uint32_t slot;
	uint64_t no_slot;
};

static void setup(void)
{
	skel = jobs_test__open();
	cr_assert_not_null(skel);
	skel->data->jobs_long_running_ns = 1000000000ULL; /* 1 s */
	cr_assert_eq(jobs_test__load(skel), 0,
		     "loading jobs test programs: %s (root and BPF arenas needed)",
		     strerror(errno));
	cr_assert_not_null(
		tsr_test_task_record(&skel->arena->tsr_task_slab, skel->progs.tsr_alloc_pages));
	cr_assert_eq(tsr_queue_init(&skel->arena->jobs_announce, skel->arena->jobs_announce_cells,
				    JOBS_ANNOUNCE_LEN),
		     0);
}

static void teardown(void)
{
	jobs_test__destroy(skel);
}

static struct jobs_args op_key(int32_t pgid, uint64_t key, uint64_t ran_ns)
{
	struct jobs_args a = { .pgid = pgid, .key = key, .ran_ns = ran_ns };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.jobs_op), &opts), 0);
	return a;
}

static struct jobs_args op(int32_t pgid, uint64_t ran_ns)
{
	return op_key(pgid, 0, ran_ns);
}

static struct jobs_slot *slot(const struct jobs_args *a)
{
	cr_assert_gt(a->slot, 0, "the task has no job");
	return &skel->arena->jobs_table[a->slot - 1];
}

TestSuite(jobs_bpf, .init = setup, .fini = teardown);

Test(jobs_bpf, joining_and_leaving_counts_workers)
{
	struct jobs_args a = op(100, 0), b;
	struct jobs_slot *s100 = slot(&a);

	cr_expect_eq(s100->pgid, 100);
	cr_expect_eq(s100->workers, 1);
	b = op(200, 0); /* setpgid: the task moves */
	cr_expect_eq(s100->workers, 0);
	cr_expect_eq(slot(&b)->pgid, 200);
	cr_expect_eq(slot(&b)->workers, 1);
	a = op(100, 0); /* back: the same slot */
	cr_expect_eq(slot(&a), s100);
	cr_expect_eq(s100->workers, 1);
	a = op(0, 0); /* exit */
	cr_expect_eq(a.slot, 0);
	cr_expect_eq(s100->workers, 0);
}

Test(jobs_bpf, by_cgroup_one_job_gathers_several_process_groups)
{
	uint64_t cg = 1ULL << 40 | 77; /* a 64-bit cgroup id */
	struct jobs_args a = op_key(100, cg, 0), b;
	struct jobs_slot *s = slot(&a);

	cr_expect_eq(s->key, cg);
	cr_expect_eq(s->pgid, 100, "the first process group seen is recorded");
	cr_expect_eq(s->workers, 1);
	b = op_key(200, cg, 0); /* another group's task in the same cgroup: the same job */
	cr_expect_eq(slot(&b), s);
	cr_expect_eq(s->pgid, 100);
	b = op_key(200, cg + 1, 0); /* moved to another cgroup */
	cr_expect_neq(slot(&b), s);
	cr_expect_eq(s->workers, 0);
	cr_expect_eq(slot(&b)->key, cg + 1);
}

static struct jobs_args op_runnable(int32_t runnable)
{
	struct jobs_args a = { .pgid = -1, .runnable = runnable };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.jobs_op), &opts), 0);
	return a;
}

Test(jobs_bpf, runnable_threads_are_counted_once_each)
{
	struct jobs_args a = op(100, 0);
	struct jobs_slot *s = slot(&a);

	cr_expect_eq(s->runnable, 0);
	op_runnable(1);
	cr_expect_eq(s->runnable, 1);
	op_runnable(1); /* counted already: not twice */
	cr_expect_eq(s->runnable, 1);
	op_runnable(-1);
	cr_expect_eq(s->runnable, 0);
	op_runnable(-1); /* not counted: nothing to take back */
	cr_expect_eq(s->runnable, 0, "went negative");
	op_runnable(1);
	a = op(200, 0); /* joined another job while counted in the first */
	op_runnable(-1);
	cr_expect_eq(s->runnable, 0, "the count went back to the job that had it");
	cr_expect_eq(slot(&a)->runnable, 0);
}

Test(jobs_bpf, long_running_jobs_are_announced_once)
{
	struct jobs_args a = op(300, 400000000);
	__u64 idx = 0;

	cr_expect_eq(slot(&a)->runtime_ns, 400000000);
	cr_expect_eq(tsr_queue_pop(&skel->arena->jobs_announce, &idx), -ENOENT, "0.4 s: not yet");
	op(-1, 700000000);
	op(-1, 700000000);
	cr_expect_eq(slot(&a)->runtime_ns, 1800000000);
	cr_expect_eq(slot(&a)->flags, JOBS_LONG_RUNNING);
	cr_assert_eq(tsr_queue_pop(&skel->arena->jobs_announce, &idx), 0, "1.1 s: announced");
	cr_expect_eq(&skel->arena->jobs_table[idx], slot(&a));
	cr_expect_eq(tsr_queue_pop(&skel->arena->jobs_announce, &idx), -ENOENT, "only once");
	cr_expect_gt(slot(&a)->seq, 2, "seq grows with updates");
}

/* pgids whose slots all start at the same probe position */
static int colliding(int n, int32_t *out)
{
	uint32_t want = (uint32_t)1000 * 2654435761u & (JOBS_MAX - 1);
	int k = 0;

	for (int32_t p = 1000; k < n && p < 100000000; p++)
		if (((uint32_t)p * 2654435761u & (JOBS_MAX - 1)) == want)
			out[k++] = p;
	return k;
}

Test(jobs_bpf, a_full_probe_window_leaves_the_task_without_a_job)
{
	int32_t p[40];
	struct jobs_args a;

	cr_assert_eq(colliding(33, p), 33);
	for (int i = 0; i < 32; i++) {
		a = op(p[i], 0);
		cr_assert_eq(slot(&a)->pgid, p[i], "pgid %d of %d", i, 32);
	}
	a = op(p[32], 0);
	cr_expect_eq(a.slot, 0, "the 33rd colliding group found a slot");
	cr_expect_eq(a.no_slot, 1);
	a = op(-1, 5000000000ULL); /* charging a task without a job is harmless */
	cr_expect_eq(a.slot, 0);
}

Test(jobs_bpf, a_job_registered_before_it_runs_takes_the_slot_bpf_finds)
{
	struct jobs_slot *tab = skel->arena->jobs_table;
	__u32 was = 7;
	__u64 idx = 0;
	int reg = jobs_register(tab, 4242, 4242, &was);
	struct jobs_args a;

	cr_assert_geq(reg, 0);
	cr_expect_eq(was, 0);
	cr_expect_eq(jobs_find(tab, 4242), reg);
	a = op(4242, 2000000000ULL);
	cr_expect_eq(slot(&a), &tab[reg], "BPF took slot %u, userspace %d", a.slot - 1, reg);
	cr_expect_eq(tab[reg].workers, 1);
	cr_expect_eq(tsr_queue_pop(&skel->arena->jobs_announce, &idx), -ENOENT,
		     "a registered job is not announced again");
	cr_expect_eq(jobs_register(tab, 4242, 4242, &was), reg);
	cr_expect_eq(was, JOBS_LONG_RUNNING);
}

Test(jobs_bpf, a_removed_job_is_never_announced)
{
	struct jobs_args a = op(500, 100000000);
	__u64 idx = 0;

	cr_assert_eq(jobs_unregister(skel->arena->jobs_table, 500), a.slot - 1);
	op(-1, 3000000000ULL);
	cr_expect_eq(slot(&a)->flags, JOBS_REMOVED);
	cr_expect_eq(tsr_queue_pop(&skel->arena->jobs_announce, &idx), -ENOENT);
	cr_expect_eq(jobs_unregister(skel->arena->jobs_table, 501), -ENOENT);
}

Test(jobs_bpf, the_threshold_changes_while_loaded)
{
	struct jobs_args a = op(600, 500000000);
	__u64 idx = 0;

	op(-1, 100000000);
	cr_expect_eq(tsr_queue_pop(&skel->arena->jobs_announce, &idx), -ENOENT, "0.6 s of 1 s");
	skel->data->jobs_long_running_ns = 550000000ULL;
	op(-1, 100000000);
	cr_expect_eq(tsr_queue_pop(&skel->arena->jobs_announce, &idx), 0, "0.7 s of 0.55 s");
	cr_expect_eq(&skel->arena->jobs_table[idx], slot(&a));
}

Test(jobs_bpf, userspace_probes_where_bpf_does_when_slots_collide)
{
	struct jobs_slot *tab = skel->arena->jobs_table;
	int32_t p[4];
	__u32 was;
	int reg;

	cr_assert_eq(colliding(4, p), 4);
	op(p[0], 0);
	op(p[1], 0);
	reg = jobs_register(tab, p[3], p[3], &was); /* third in the window */
	cr_assert_geq(reg, 0);
	cr_expect_eq(slot(&(struct jobs_args){ .slot = op(p[3], 0).slot }), &tab[reg]);
	cr_expect_neq(slot(&(struct jobs_args){ .slot = op(p[2], 0).slot }), &tab[reg]);
}
