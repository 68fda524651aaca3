// SPDX-License-Identifier: GPL-2.0
/*
 * Decision handling of the lb module under the host's verifier: userspace
 * writes decisions exactly as the balancer does (lb_write_decisions), BPF
 * applies them as scx_wd40's wake-up and enqueue paths do; and a domain's
 * load average as runnable and quiescent fold it.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include TSR_COMPOSE_H
#include "modules/lb/lb_arena.h"
#include "tests/lib/host_task.h"
#include "lb_test.skel.h"

static struct lb_test *skel;
static struct tsr_task *t;
static struct tsr_topo *topo;
static struct lb_view_store store;

struct lb_args {
	uint32_t enqueues;
	int32_t dom_after;
	uint64_t applied, dropped_gen, dropped_mask;
};

static void setup(void)
{
	skel = lb_test__open_and_load();
	cr_assert_not_null(skel, "loading lb test programs: %s (root and BPF arenas needed)",
			   strerror(errno));
	t = tsr_test_task_record(&skel->arena->tsr_task_slab, skel->progs.tsr_alloc_pages);
	cr_assert_not_null(t);
	topo = &skel->arena->tsr_topo;
	topo->nr_doms = 4;
	topo->nr_nodes = 1;
	t->core.dom = 0;
	t->lb.acct_dom = -1;
	t->lb.dom_mask[0] = 0x7; /* domains 0..2 allowed, 3 not */
}

static void teardown(void)
{
	lb_view_store_free(&store);
	lb_test__destroy(skel);
}

static struct lb_args passes(uint32_t n)
{
	struct lb_args a = { .enqueues = n };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.lb_passes), &opts), 0);
	return a;
}

/* Plan "move record 0 to @to" and write it the way the balancer does. */
static void decide(int to)
{
	struct lb_arena a = { &skel->arena->tsr_task_slab, skel->arena->tsr_doms, topo };
	struct lb_move m = { .task = 0, .from = t->core.dom, .to = to };

	cr_assert_eq(lb_view_from_arena(&store, &a, 1, 1000000000), 0);
	cr_assert_eq(store.view.nr_tasks, 1);
	cr_assert_eq(lb_write_decisions(&a, &store.view, &m, 1, 1), 1);
}

TestSuite(lb_bpf, .init = setup, .fini = teardown);

Test(lb_bpf, a_decision_is_applied_once_and_later_enqueues_keep_it)
{
	struct lb_args a;

	decide(2);
	a = passes(1);
	cr_expect_eq(a.dom_after, 2);
	cr_expect_eq(a.applied, 1);
	cr_expect_eq(t->lb.applied_seq, lb_decision_seq(t->lb.decision), "acknowledged");
	/* the defect this guards against: later enqueues re-deriving the old domain */
	a = passes(50);
	cr_expect_eq(a.dom_after, 2, "still in the decided domain after 50 more passes");
	cr_expect_eq(a.applied, 1, "applied exactly once");
}

Test(lb_bpf, a_decision_for_a_recycled_record_is_dropped)
{
	struct lb_args a;

	decide(1);
	/* the task exits and its slot is reused before BPF sees the decision */
	tsr_slab_free(&skel->arena->tsr_task_slab, t);
	cr_assert_eq(tsr_slab_alloc(&skel->arena->tsr_task_slab), (void *)t);
	a = passes(3);
	cr_expect_eq(a.dom_after, 0, "the new task keeps its own domain");
	cr_expect_eq(a.dropped_gen, 1);
	cr_expect_eq(a.applied, 0);
}

Test(lb_bpf, a_decision_the_cpumask_forbids_is_dropped)
{
	struct lb_args a;

	decide(3);
	a = passes(2);
	cr_expect_eq(a.dom_after, 0);
	cr_expect_eq(a.dropped_mask, 1);
	cr_expect_eq(a.applied, 0);
}

/* Domain 0's runnable weight changes by @delta at @now (ns). */
static void account(int64_t delta, uint64_t now)
{
	struct {
		int64_t delta;
		uint64_t now;
	} a = { delta, now };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.lb_account), &opts), 0);
}

Test(lb_bpf, the_domain_average_folds_at_most_once_a_thousandth_of_a_half_life)
{
	struct lb_dom *d = &skel->arena->tsr_doms[0].lb;
	const uint64_t half_life = 1000000000, t0 = 5 * half_life;

	account(1024, t0); /* the first change starts the average, at the sum before it (0) */
	cr_expect_eq(d->load.last_ns, t0);
	account(1024, t0 + 1000); /* 1 us later: the sum moves, the average waits */
	cr_expect_eq(d->load.last_ns, t0, "folded again after 1 us");
	cr_expect_eq(d->runnable_weight, 2048);
	account(-1024, t0 - 1000); /* another CPU's clock, read before the last fold */
	cr_expect_eq(d->load.last_ns, t0, "a fold at an earlier time would restart the average");
	cr_expect_eq(d->runnable_weight, 1024);
	account(1024, t0 + half_life); /* 1024 for a half-life: half way from 0 */
	cr_expect_eq(d->load.last_ns, t0 + half_life);
	cr_expect_eq(d->runnable_weight, 2048);
	cr_expect_eq(d->load.avg >> TSR_RAVG_FRAC, 512, "average %.2f, not 512",
		     (double)d->load.avg / TSR_RAVG_ONE);
}

struct toggle {
	uint64_t run_ns, sleep_ns, cycles;
	uint64_t avg, last_ns;
};

/* BPF's average for a task runnable @run_ns then asleep @sleep_ns, @cycles times. */
static struct toggle toggle(uint64_t run_ns, uint64_t sleep_ns, uint32_t cycles)
{
	struct toggle a = { run_ns, sleep_ns, cycles };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	t->lb.load.avg = 0;
	t->lb.load.last_ns = 0;
	t->lb.run_since = 0;
	t->lb.run_unfolded_ns = 0;
	t->lb.acct_weight = 1024;
	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.lb_toggle), &opts), 0);
	return a;
}

/* The same signal folded at every change with the integer average BPF keeps. */
static double toggle_folded(uint64_t run_ns, uint64_t sleep_ns, uint32_t cycles)
{
	struct tsr_ravg r = { 0 };
	uint64_t now = 1000000000ULL;

	for (uint32_t i = 0; i < cycles; i++) {
		tsr_ravg_update(&r, now, 0, 1000000000ULL);
		now += run_ns;
		tsr_ravg_update(&r, now, 1024, 1000000000ULL);
		now += sleep_ns;
	}
	return (double)r.avg / TSR_RAVG_ONE;
}

/* The true decaying average of that signal (half-life 1 s), in doubles. */
static double toggle_true(uint64_t run_ns, uint64_t sleep_ns, uint32_t cycles)
{
	double avg = 0, run_keep = exp2(-(double)run_ns / 1e9),
	       sleep_keep = exp2(-(double)sleep_ns / 1e9);

	for (uint32_t i = 0; i < cycles; i++) {
		avg = 1024 + (avg - 1024) * run_keep;
		avg *= sleep_keep;
	}
	return avg;
}

Test(lb_bpf, a_task_switching_faster_than_a_fold_keeps_its_true_average)
{
	static const uint64_t cycle[][2] = {
		{ 2000, 8000 }, { 5000, 5000 }, { 9000, 1000 }, { 300000, 1700000 }
	};

	for (size_t i = 0; i < sizeof(cycle) / sizeof(cycle[0]); i++) {
		uint32_t n = 3000000000ULL / (cycle[i][0] + cycle[i][1]);
		struct toggle a = toggle(cycle[i][0], cycle[i][1], n);
		double got = (double)a.avg / TSR_RAVG_ONE,
		       want = toggle_true(cycle[i][0], cycle[i][1], n);

		cr_expect(
			got > want * 0.99 && got < want * 1.01,
			"runnable %lu us of %lu: average %.1f, true %.1f (folded at every change %.1f)",
			cycle[i][0] / 1000, (cycle[i][0] + cycle[i][1]) / 1000, got, want,
			toggle_folded(cycle[i][0], cycle[i][1], n));
	}
	/* a 10 us cycle is no fold: the first one stands */
	cr_expect_eq(toggle(2000, 8000, 1).last_ns, 1000000000ULL);
}

Test(lb_bpf, a_task_runnable_for_days_between_folds_counts_as_busy)
{
	/* the second run is folded with the 10 us sleep before it: a share of 2^16 - 0 */
	struct toggle a = toggle(100ULL * 3600 * 1000000000, 10000, 2);

	cr_expect_geq(a.avg, 1023 * TSR_RAVG_ONE, "average %.2f after 200 hours runnable",
		      (double)a.avg / TSR_RAVG_ONE);
}

Test(lb_bpf, a_task_switching_slower_than_a_fold_folds_at_every_change)
{
	struct toggle a = toggle(3000000, 7000000, 300);

	cr_expect_eq(a.avg, (uint64_t)(toggle_folded(3000000, 7000000, 300) * TSR_RAVG_ONE));
	cr_expect_eq(a.last_ns, 1000000000ULL + 300 * 10000000ULL - 7000000);
}
