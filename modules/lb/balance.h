/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The load-balancing algorithm, on a plain view of domains and tasks (no
 * arena, no kernel): NUMA nodes first, then the domains of each node; move
 * the task whose load best closes the gap between the heaviest and the
 * lightest, only when the move lowers the imbalance, and never out of a
 * domain whose tasks fit its CPUs.
 */
#ifndef TSR_LB_BALANCE_H
#define TSR_LB_BALANCE_H

#include <stdbool.h>
#include <stdint.h>
#include "arena/topo.h"

struct lb_dom_view {
	double load;
	int node;
	bool fits; /* its tasks fit its CPUs (none has to wait): never a source */
};

struct lb_task_view {
	uint32_t idx; /* slot index of its arena record */
	uint32_t gen; /* record generation when the view was taken */
	int dom; /* current domain (updated as the plan moves it) */
	double load;
	uint32_t weight; /* its weight when last runnable (100: nice 0), 0 = never */
	uint64_t dom_mask[4]; /* domains it may run in */
	uint32_t last_round; /* round of its last migration, 0 = never */
	bool kworker;
	bool pending; /* an earlier decision is not applied yet */
};

struct lb_view {
	int nr_doms;
	int nr_nodes;
	struct lb_dom_view doms[TSR_MAX_DOMS];
	struct lb_task_view *tasks;
	int nr_tasks;
	/* scratch the planner fills: task indices grouped by their domain at plan start */
	int *by_dom; /* nr_tasks entries, owned by whoever owns tasks */
	int dom_start[TSR_MAX_DOMS + 1];
};

struct lb_move;

/*
 * A veto over planned moves: @n candidate moves of one pick at once, the
 * planner's favourite first; clear allow[i] to rule move i out.
 */
typedef void (*lb_filter_fn)(void *data, const struct lb_view *v, const struct lb_move *c, int n,
			     bool *allow);

#define LB_FILTER_BATCH 32 /* candidates offered to a filter per pick, the best ones */

struct lb_params {
	double min_imbalance; /* act only when heaviest - lightest > this fraction of the mean */
	double min_gap; /* ... and > this much load (weight units: 100 = one busy task) */
	bool balance_kworkers; /* kworkers are left alone unless set */
	uint32_t round; /* this round's number, from 1 */
	uint32_t cooldown; /* rounds a moved task stays put */
	int max_moves;
	lb_filter_fn filter; /* NULL: every move the plan wants is made */
	void *filter_data;
};

struct lb_move {
	int task; /* index in view->tasks */
	int from;
	int to;
	double load;
	bool cross_node;
};

/*
 * Plan up to p->max_moves migrations on @v (updating the view's loads and
 * task domains as if applied). Returns the number of moves written to @out.
 */
int lb_plan(struct lb_view *v, const struct lb_params *p, struct lb_move *out);

/* Recompute every domain's load as the sum of its tasks' loads (for simulations). */
void lb_view_sum_loads(struct lb_view *v);

/* (heaviest - lightest) / mean of the domain loads; 0 when idle. */
double lb_view_spread(const struct lb_view *v);

#endif /* TSR_LB_BALANCE_H */
