// SPDX-License-Identifier: GPL-2.0
/* Arena <-> balancer view (see lb_arena.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include TSR_COMPOSE_H
#include "lb_arena.h"

static int reserve(struct lb_view_store *s, int n)
{
	struct lb_task_view *tasks;
	int *by_dom;

	if (n <= s->cap)
		return 0;
	tasks = realloc(s->view.tasks, n * sizeof(*tasks));
	if (!tasks)
		return -ENOMEM;
	s->view.tasks = tasks;
	by_dom = realloc(s->view.by_dom, n * sizeof(*by_dom));
	if (!by_dom)
		return -ENOMEM;
	s->view.by_dom = by_dom;
	s->cap = n;
	return 0;
}

void lb_view_store_free(struct lb_view_store *s)
{
	free(s->view.tasks);
	free(s->view.by_dom);
	memset(s, 0, sizeof(*s));
}

static double fixed_to_load(uint64_t v)
{
	return (double)v / TSR_RAVG_ONE;
}

/*
 * A domain's tasks fit its CPUs when the time they were runnable, summed
 * (each task's load over its weight: 1 for a hog, waiting or not), is
 * under its online CPUs plus a half. A domain without CPUs never fits.
 */
static void mark_fitting_doms(struct lb_view *v, const struct lb_arena *a)
{
	double demand[TSR_MAX_DOMS] = { 0 };

	for (int i = 0; i < v->nr_tasks; i++) {
		const struct lb_task_view *tv = &v->tasks[i];

		if (tv->weight)
			demand[tv->dom] += tv->load / tv->weight;
	}
	for (int d = 0; d < v->nr_doms; d++) {
		int cpus = a->doms[d].core.nr_online;

		v->doms[d].fits = cpus > 0 && demand[d] < cpus + 0.5;
	}
}

int lb_view_from_arena(struct lb_view_store *s, const struct lb_arena *a, uint64_t now_ns,
		       uint64_t half_life_ns)
{
	struct lb_view *v = &s->view;
	int n = 0, ret = reserve(s, a->tasks->nr_objs);

	if (ret)
		return ret;
	v->nr_doms = a->topo->nr_doms;
	v->nr_nodes = a->topo->nr_nodes;
	for (int d = 0; d < v->nr_doms; d++)
		v->doms[d].node = a->topo->dom_node[d];
	tsr_slab_for_each_live(a->tasks, idx)
	{
		struct tsr_task *t = tsr_slab_obj(a->tasks, idx);
		struct lb_task_view *tv = &v->tasks[n];
		uint32_t gen = tsr_slab_gen(t);
		uint64_t dec = t->lb.decision;

		tv->idx = idx;
		tv->gen = gen;
		tv->dom = t->core.dom;
		/* projected to now: a task that stays runnable has no event to update it */
		tv->load = fixed_to_load(tsr_ravg_read(&t->lb.load, now_ns,
						       t->lb.acct_dom >= 0 ? t->lb.acct_weight : 0,
						       half_life_ns));
		memcpy(tv->dom_mask, (const void *)t->lb.dom_mask, sizeof(tv->dom_mask));
		tv->last_round = t->lb.us_last_round;
		tv->kworker = t->lb.flags & LB_TASK_KWORKER;
		tv->weight = t->lb.acct_weight;
		tv->pending = lb_decision_seq(dec) && lb_decision_seq(dec) != t->lb.applied_seq;
		/* freed or recycled while we read it, or not placed yet: leave it out */
		if (!tsr_slab_same_gen(t, gen) || tv->dom < 0 || tv->dom >= v->nr_doms)
			continue;
		if (t->lb.flags & LB_TASK_SELF)
			continue; /* the scheduler's own threads stay where they are */
		/* decided, not applied yet: its load counts where it is going */
		if (tv->pending && lb_decision_gen(dec) == gen &&
		    lb_decision_target(dec) < (uint32_t)v->nr_doms)
			tv->dom = lb_decision_target(dec);
		n++;
	}
	v->nr_tasks = n;
	/*
	 * A domain's load is its tasks' loads, summed where they are now: a
	 * task moved (by the balancer or by a steal) takes its load along at
	 * once, where the domain's own decaying average would take half-lives
	 * and the next rounds would move tasks back against the lag.
	 */
	lb_view_sum_loads(v);
	mark_fitting_doms(v, a);
	return 0;
}

int lb_write_decisions(const struct lb_arena *a, const struct lb_view *v, const struct lb_move *m,
		       int n, uint32_t round)
{
	int written = 0;

	for (int i = 0; i < n; i++) {
		const struct lb_task_view *tv = &v->tasks[m[i].task];
		struct tsr_task *t = tsr_slab_obj(a->tasks, tv->idx);
		uint32_t seq = lb_decision_seq(t->lb.decision) + 1;

		if (!tsr_slab_same_gen(t, tv->gen))
			continue;
		if (seq > 0xffff)
			seq = 1;
		t->lb.us_last_round = round;
		/* one 64-bit store: BPF never sees half a decision */
		__atomic_store_n(&t->lb.decision, lb_decision_pack(tv->gen, m[i].to, seq),
				 __ATOMIC_RELEASE);
		written++;
	}
	return written;
}
