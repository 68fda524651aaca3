// SPDX-License-Identifier: GPL-2.0
/*
 * The balancer's arena side on a synthetic arena (task records in a slab in
 * ordinary memory, as the runner sees the real one): the view it reads and
 * the decision words it writes, including records recycled in between.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include TSR_COMPOSE_H
#include "modules/lb/lb_arena.h"

static struct tsr_slab slab;
static struct tsr_dom doms[TSR_MAX_DOMS];
static struct tsr_topo topo;
static char *chunk;
static struct lb_view_store store;

static struct tsr_task *new_task(int dom, double load)
{
	struct tsr_task *t = tsr_slab_alloc(&slab);

	cr_assert_not_null(t);
	memset(t, 0, sizeof(*t));
	t->core.dom = dom;
	t->lb.load.avg = (uint64_t)(load * TSR_RAVG_ONE);
	t->lb.dom_mask[0] = 0xf;
	t->lb.acct_dom = -1;
	return t;
}

static void setup(void)
{
	memset(&slab, 0, sizeof(slab));
	memset(doms, 0, sizeof(doms));
	memset(&topo, 0, sizeof(topo));
	cr_assert_eq(tsr_slab_setup(&slab, TSR_SLAB_ID_TASKS, sizeof(struct tsr_task), 6, 4), 0);
	chunk = calloc(tsr_slab_chunk_pages(&slab), TSR_PAGE_SIZE);
	cr_assert_eq(tsr_slab_add_chunk(&slab, chunk), 0);
	topo.nr_doms = 2;
	topo.nr_nodes = 1;
}

static void teardown(void)
{
	lb_view_store_free(&store);
	free(chunk);
}

TestSuite(lb_arena, .init = setup, .fini = teardown);

Test(lb_arena, view_reads_live_records_and_domain_loads)
{
	struct lb_arena a = { &slab, doms, &topo };
	struct tsr_task *gone;

	for (int i = 0; i < 6; i++)
		new_task(0, 100);
	gone = new_task(1, 50);
	tsr_slab_free(&slab, gone);
	/* the domain's own average lags moves: the view sums its tasks' loads instead */
	doms[0].lb.load.avg = 900 * TSR_RAVG_ONE;
	doms[0].lb.load.last_ns = 1;
	cr_assert_eq(lb_view_from_arena(&store, &a, 1, 1000000000), 0);
	cr_expect_eq(store.view.nr_tasks, 6, "the freed record is not in the view");
	cr_expect_float_eq(store.view.doms[0].load, 600, 1e-6);
	cr_expect_float_eq(store.view.doms[1].load, 0, 1e-6, "the freed record's load is gone");
	cr_expect_float_eq(store.view.tasks[0].load, 100, 1e-6);
	cr_expect_eq(store.view.tasks[0].gen & 1, 1);
}

Test(lb_arena, decisions_carry_generation_target_and_a_new_seq)
{
	struct lb_arena a = { &slab, doms, &topo };
	struct lb_move m = { .task = 0, .from = 0, .to = 1 };
	struct tsr_task *t = new_task(0, 100);

	cr_assert_eq(lb_view_from_arena(&store, &a, 1, 1000000000), 0);
	cr_assert_eq(lb_write_decisions(&a, &store.view, &m, 1, 7), 1);
	cr_expect_eq(lb_decision_gen(t->lb.decision), tsr_slab_gen(t));
	cr_expect_eq(lb_decision_target(t->lb.decision), 1);
	cr_expect_eq(lb_decision_seq(t->lb.decision), 1);
	cr_expect_eq(t->lb.us_last_round, 7);
	/* not yet acknowledged by BPF: the next view marks it pending */
	cr_assert_eq(lb_view_from_arena(&store, &a, 1, 1000000000), 0);
	cr_expect(store.view.tasks[0].pending);
	t->lb.applied_seq = 1;
	cr_assert_eq(lb_view_from_arena(&store, &a, 1, 1000000000), 0);
	cr_expect_not(store.view.tasks[0].pending);
	cr_assert_eq(lb_write_decisions(&a, &store.view, &m, 1, 9), 1);
	cr_expect_eq(lb_decision_seq(t->lb.decision), 2);
}

Test(lb_arena, a_record_recycled_after_the_view_gets_no_decision)
{
	struct lb_arena a = { &slab, doms, &topo };
	struct lb_move m = { .task = 0, .from = 0, .to = 1 };
	struct tsr_task *t = new_task(0, 100), *again;

	cr_assert_eq(lb_view_from_arena(&store, &a, 1, 1000000000), 0);
	tsr_slab_free(&slab, t); /* the task exits ... */
	again = new_task(0, 100); /* ... and a new one gets the slot */
	cr_assert_eq(again, t);
	cr_expect_eq(lb_write_decisions(&a, &store.view, &m, 1, 3), 0);
	cr_expect_eq(again->lb.decision, 0, "nothing written into the new task's record");
}

Test(lb_arena, loads_are_projected_to_now)
{
	struct lb_arena a = { &slab, doms, &topo };
	struct tsr_task *hog = new_task(0, 0), *sleeper = new_task(1, 80);

	/* runnable since t=1 s with weight 100, no event since: half-way after one half-life */
	hog->lb.load.last_ns = 1000000000;
	hog->lb.acct_dom = 0;
	hog->lb.acct_weight = 100;
	sleeper->lb.load.last_ns = 1000000000;
	cr_assert_eq(lb_view_from_arena(&store, &a, 2000000000, 1000000000), 0);
	cr_expect_float_eq(store.view.tasks[0].load, 50, 0.01, "hog: %f", store.view.tasks[0].load);
	cr_expect_float_eq(store.view.tasks[1].load, 40, 0.01, "sleeper decays: %f",
			   store.view.tasks[1].load);
}

Test(lb_arena, the_schedulers_own_threads_are_not_in_the_view)
{
	struct lb_arena a = { &slab, doms, &topo };
	struct tsr_task *self = new_task(0, 120), *other = new_task(0, 100);

	self->lb.flags |= LB_TASK_SELF;
	cr_assert_eq(lb_view_from_arena(&store, &a, 1, 1000000000), 0);
	cr_expect_eq(store.view.nr_tasks, 1);
	cr_expect_eq(tsr_slab_obj(&slab, store.view.tasks[0].idx), other);
}

/* @n tasks of weight @w in domain @dom, each runnable all the time so far */
static void hogs(int dom, int n, uint32_t w)
{
	for (int i = 0; i < n; i++) {
		struct tsr_task *t = new_task(dom, w);

		t->lb.acct_weight = w;
		t->lb.load.last_ns = 1;
	}
}

Test(lb_arena, a_domain_fits_while_its_tasks_need_no_more_cpus_than_it_has)
{
	struct lb_arena a = { &slab, doms, &topo };

	topo.nr_doms = 4;
	for (int d = 0; d < 3; d++)
		doms[d].core.nr_online = 4;
	hogs(0, 4, 100); /* one hog a CPU */
	hogs(1, 5, 100); /* one waits */
	hogs(2, 1, 8876); /* nice -20: heavy, but one CPU's worth */
	hogs(3, 1, 100); /* no CPU online */
	cr_assert_eq(lb_view_from_arena(&store, &a, 1, 1000000000), 0);
	cr_expect(store.view.doms[0].fits);
	cr_expect_not(store.view.doms[1].fits);
	cr_expect(store.view.doms[2].fits);
	cr_expect_not(store.view.doms[3].fits);
}

Test(lb_arena, a_decided_move_counts_where_the_task_is_going)
{
	struct lb_arena a = { &slab, doms, &topo };
	struct tsr_task *t = new_task(0, 100);

	new_task(0, 100);
	t->lb.decision = lb_decision_pack(tsr_slab_gen(t), 1, 1);
	cr_assert_eq(lb_view_from_arena(&store, &a, 1, 1000000000), 0);
	cr_expect_float_eq(store.view.doms[0].load, 100, 1e-6);
	cr_expect_float_eq(store.view.doms[1].load, 100, 1e-6);
	t->lb.applied_seq = 1; /* applied: BPF moved it, core.dom still says 0 here */
	cr_assert_eq(lb_view_from_arena(&store, &a, 1, 1000000000), 0);
	cr_expect_float_eq(store.view.doms[0].load, 200, 1e-6);
}
