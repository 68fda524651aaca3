// SPDX-License-Identifier: GPL-2.0
/* The load-balancing algorithm on synthetic views of domains and tasks. */
#include <criterion/criterion.h>
#include <string.h>
#include "modules/lb/balance.h"

#define MAX_TASKS 2048

static struct lb_task_view tasks[MAX_TASKS];
static int by_dom[MAX_TASKS];
static struct lb_view v;
static struct lb_move moves[256];

/* @nr_doms domains spread evenly over @nr_nodes nodes, no tasks yet. */
static void make_view(int nr_doms, int nr_nodes)
{
	memset(&v, 0, sizeof(v));
	memset(tasks, 0, sizeof(tasks));
	v.nr_doms = nr_doms;
	v.nr_nodes = nr_nodes;
	v.tasks = tasks;
	v.by_dom = by_dom;
	for (int d = 0; d < nr_doms; d++)
		v.doms[d].node = d * nr_nodes / nr_doms;
}

static int add_tasks(int dom, int n, double load)
{
	int first = v.nr_tasks;

	for (int i = 0; i < n; i++) {
		struct lb_task_view *t = &tasks[v.nr_tasks++];

		t->idx = v.nr_tasks - 1;
		t->gen = 1;
		t->dom = dom;
		t->load = load;
		memset(t->dom_mask, 0xff, sizeof(t->dom_mask));
	}
	lb_view_sum_loads(&v);
	return first;
}

static struct lb_params params(uint32_t round)
{
	return (struct lb_params){ .min_imbalance = 0.10,
				   .min_gap = 50,
				   .round = round,
				   .cooldown = 2,
				   .max_moves = 256 };
}

/* Run @rounds rounds, each planned from loads recomputed from the tasks. Returns moves. */
static int simulate(int rounds, int *last_moving_round)
{
	int total = 0;

	for (int r = 1; r <= rounds; r++) {
		struct lb_params p = params(r);
		int n;

		lb_view_sum_loads(&v);
		n = lb_plan(&v, &p, moves);
		if (n && last_moving_round)
			*last_moving_round = r;
		total += n;
	}
	lb_view_sum_loads(&v);
	return total;
}

Test(balance, one_overloaded_domain_among_four_converges_in_a_few_rounds)
{
	int last = 0;

	make_view(4, 1);
	add_tasks(0, 40, 100);
	add_tasks(1, 4, 100);
	add_tasks(2, 4, 100);
	add_tasks(3, 4, 100);
	cr_assert_gt(lb_view_spread(&v), 2.0);
	simulate(10, &last);
	cr_expect_leq(last, 3, "still moving in round %d", last);
	cr_expect_leq(lb_view_spread(&v), 0.10 + 1e-9, "spread %.3f", lb_view_spread(&v));
	for (int d = 0; d < 4; d++)
		cr_expect_eq(v.doms[d].load, 1300, "dom %d load %.0f", d, v.doms[d].load);
}

Test(balance, balanced_input_moves_nothing)
{
	make_view(4, 2);
	for (int d = 0; d < 4; d++)
		add_tasks(d, 10, 100);
	cr_expect_eq(simulate(5, NULL), 0);
}

Test(balance, small_imbalances_are_left_alone)
{
	make_view(2, 1);
	add_tasks(0, 10, 100);
	add_tasks(1, 10, 100);
	add_tasks(0, 1, 40); /* 1040 vs 1000: under both the 10% and the absolute floor */
	cr_expect_eq(simulate(3, NULL), 0);
}

Test(balance, no_ping_pong_over_100_rounds)
{
	int moved_per_task[MAX_TASKS] = { 0 }, prev_dom[MAX_TASKS];
	double loads[] = { 170, 30, 90, 250, 60 };

	make_view(4, 2);
	for (int i = 0; i < 60; i++)
		add_tasks(i % 3, 1, loads[i % 5]);
	for (int i = 0; i < v.nr_tasks; i++)
		prev_dom[i] = tasks[i].dom;
	for (int r = 1; r <= 100; r++) {
		struct lb_params p = params(r);

		lb_view_sum_loads(&v);
		lb_plan(&v, &p, moves);
		for (int i = 0; i < v.nr_tasks; i++) {
			moved_per_task[i] += tasks[i].dom != prev_dom[i];
			prev_dom[i] = tasks[i].dom;
		}
	}
	for (int i = 0; i < v.nr_tasks; i++)
		cr_expect_leq(moved_per_task[i], 2, "task %d moved %d times", i, moved_per_task[i]);
	/* and the last 90 rounds are quiet */
	cr_expect_eq(simulate(90, NULL), 0);
}

Test(balance, numa_first)
{
	/* node 0 = doms 0,1 overloaded, node 1 = doms 2,3 idle */
	make_view(4, 2);
	add_tasks(0, 12, 100);
	add_tasks(1, 12, 100);
	add_tasks(2, 2, 100);
	add_tasks(3, 2, 100);
	struct lb_params p = params(1);
	int n = lb_plan(&v, &p, moves);

	cr_assert_gt(n, 0);
	cr_expect(moves[0].cross_node, "the first move crosses nodes");
	for (int i = 0; i < n; i++) {
		if (!moves[i].cross_node)
			break;
		cr_expect(moves[i].from < 2 && moves[i].to >= 2, "move %d: %d -> %d", i,
			  moves[i].from, moves[i].to);
	}
	cr_expect_leq(lb_view_spread(&v), 0.25, "spread %.3f", lb_view_spread(&v));
}

Test(balance, cpumask_rules_are_respected)
{
	make_view(2, 1);
	add_tasks(0, 20, 100);
	for (int i = 0; i < v.nr_tasks; i++) {
		memset(tasks[i].dom_mask, 0, sizeof(tasks[i].dom_mask));
		tasks[i].dom_mask[0] = 1; /* domain 0 only */
	}
	cr_expect_eq(simulate(5, NULL), 0, "no task may leave domain 0");
	tasks[7].dom_mask[0] = 3;
	simulate(5, NULL);
	for (int i = 0; i < v.nr_tasks; i++)
		cr_expect_eq(tasks[i].dom, i == 7 ? 1 : 0, "task %d in dom %d", i, tasks[i].dom);
}

Test(balance, kworkers_stay_unless_asked)
{
	struct lb_params p = params(1);

	make_view(2, 1);
	add_tasks(0, 10, 100);
	for (int i = 0; i < v.nr_tasks; i++)
		tasks[i].kworker = true;
	cr_expect_eq(lb_plan(&v, &p, moves), 0);
	p.balance_kworkers = true;
	cr_expect_gt(lb_plan(&v, &p, moves), 0);
}

Test(balance, pending_and_recently_moved_tasks_stay)
{
	struct lb_params p = params(5);

	make_view(2, 1);
	add_tasks(0, 10, 100);
	for (int i = 0; i < v.nr_tasks; i++) {
		tasks[i].pending = i < 5;
		tasks[i].last_round = i >= 5 ? 4 : 0;
	}
	cr_expect_eq(lb_plan(&v, &p, moves), 0);
	p.round = 6;
	cr_expect_gt(lb_plan(&v, &p, moves), 0, "cooldown over");
}

Test(balance, every_move_lowers_the_gap)
{
	make_view(2, 1);
	add_tasks(0, 1, 600); /* 700 vs 300: moving it would leave 100 vs 900 */
	add_tasks(0, 1, 100);
	add_tasks(1, 1, 300);
	struct lb_params p = params(1);
	int n = lb_plan(&v, &p, moves);

	cr_expect_eq(n, 1);
	cr_expect_eq(moves[0].load, 100);
}

/* Records what a filter was offered; vetoes tasks whose index is odd (or all, or none). */
static struct {
	int offered, vetoed;
	enum { VETO_ODD, VETO_ALL, VETO_NONE } rule;
	bool seen[MAX_TASKS];
} f;

static void odd_filter(void *data, const struct lb_view *view, const struct lb_move *c, int n,
		       bool *allow)
{
	cr_assert_leq(n, LB_FILTER_BATCH);
	for (int i = 0; i < n; i++) {
		cr_assert_eq(view->tasks[c[i].task].dom, c[i].from,
			     "offered a task not in its source");
		allow[i] = f.rule == VETO_NONE || (f.rule == VETO_ODD && !(c[i].task & 1));
		f.offered++;
		f.vetoed += !allow[i];
		f.seen[c[i].task] = true;
	}
}

static int plan_filtered(int rule)
{
	struct lb_params p = params(1);

	memset(&f, 0, sizeof(f));
	f.rule = rule;
	make_view(4, 2);
	add_tasks(0, 24, 100);
	add_tasks(1, 2, 100);
	add_tasks(2, 2, 100);
	add_tasks(3, 2, 100);
	p.filter = odd_filter;
	return lb_plan(&v, &p, moves);
}

Test(balance, a_filter_vetoes_exactly_the_moves_it_rejects)
{
	int n = plan_filtered(VETO_ODD), unfiltered;
	struct lb_params p = params(1);

	cr_assert_gt(n, 0, "nothing moved: every even task was vetoed too");
	for (int i = 0; i < n; i++) {
		cr_expect_eq(moves[i].task & 1, 0, "task %d moved though vetoed", moves[i].task);
		cr_expect(f.seen[moves[i].task], "task %d moved without being offered",
			  moves[i].task);
	}
	cr_expect_gt(f.vetoed, 0);
	n = plan_filtered(VETO_ALL);
	cr_expect_eq(n, 0, "moves made past a filter that vetoes all");
	cr_expect_gt(f.offered, 0);
	/* allowing everything plans what no filter plans */
	n = plan_filtered(VETO_NONE);
	make_view(4, 2);
	add_tasks(0, 24, 100);
	add_tasks(1, 2, 100);
	add_tasks(2, 2, 100);
	add_tasks(3, 2, 100);
	{
		struct lb_move plain[256];

		unfiltered = lb_plan(&v, &p, plain);
		plan_filtered(VETO_NONE);
		cr_expect_eq(n, unfiltered);
		for (int i = 0; i < n && i < unfiltered; i++)
			cr_expect(moves[i].task == plain[i].task && moves[i].to == plain[i].to,
				  "move %d differs", i);
	}
}

Test(balance, a_domain_whose_tasks_fit_its_cpus_is_never_a_source)
{
	struct lb_params p = params(1);

	/* four nice -5 hogs, one a CPU, outweigh five nice-0 ones sharing four CPUs */
	make_view(2, 2);
	add_tasks(0, 4, 300);
	add_tasks(1, 5, 100);
	cr_assert_gt(lb_plan(&v, &p, moves), 0, "without the rule a heavy hog moves");
	make_view(2, 2);
	add_tasks(0, 4, 300);
	add_tasks(1, 5, 100);
	v.doms[0].fits = true;
	cr_expect_eq(lb_plan(&v, &p, moves), 0);
}
