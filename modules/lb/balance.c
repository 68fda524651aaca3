// SPDX-License-Identifier: GPL-2.0
/* The load-balancing algorithm on a plain view (see balance.h). */
#include <math.h>
#include "balance.h"

static bool mask_test(const uint64_t *mask, int dom)
{
	return dom >= 0 && dom < 256 && (mask[dom / 64] >> (dom % 64)) & 1;
}

static bool movable(const struct lb_task_view *t, int dst, const struct lb_params *p)
{
	if (t->pending || t->load <= 0 || !mask_test(t->dom_mask, dst))
		return false;
	if (t->kworker && !p->balance_kworkers)
		return false;
	return !t->last_round || p->round - t->last_round >= p->cooldown;
}

/* Group task indices by domain (counting sort), so a pick scans one domain's tasks. */
static void index_by_dom(struct lb_view *v)
{
	int fill[TSR_MAX_DOMS] = { 0 };

	for (int d = 0; d <= v->nr_doms; d++)
		v->dom_start[d] = 0;
	for (int i = 0; i < v->nr_tasks; i++)
		v->dom_start[v->tasks[i].dom + 1]++;
	for (int d = 0; d < v->nr_doms; d++)
		v->dom_start[d + 1] += v->dom_start[d];
	for (int i = 0; i < v->nr_tasks; i++) {
		int d = v->tasks[i].dom;

		v->by_dom[v->dom_start[d] + fill[d]++] = i;
	}
}

/*
 * The tasks of @src that close @gap toward @dst (load < gap), best first
 * (least |gap - 2 * load| left), at most @max of them into @out.
 */
static int rank_tasks(const struct lb_view *v, int src, int dst, double gap,
		      const struct lb_params *p, int *out, double *left, int max)
{
	int n = 0;

	for (int k = v->dom_start[src]; k < v->dom_start[src + 1]; k++) {
		int i = v->by_dom[k], at;
		const struct lb_task_view *t = &v->tasks[i];
		double l;

		if (t->dom != src || t->load >= gap || !movable(t, dst, p))
			continue;
		l = fabs(gap - 2 * t->load);
		if (l >= gap || (n == max && l >= left[n - 1]))
			continue;
		at = n < max ? n++ : n - 1;
		for (; at > 0 && left[at - 1] > l; at--) {
			out[at] = out[at - 1];
			left[at] = left[at - 1];
		}
		out[at] = i;
		left[at] = l;
	}
	return n;
}

/* Task in @src that best closes @gap toward @dst and that the filter lets move; -1 none. */
static int pick_task(const struct lb_view *v, int src, int dst, double gap,
		     const struct lb_params *p)
{
	int ranked[LB_FILTER_BATCH], n;
	double left[LB_FILTER_BATCH];
	struct lb_move c[LB_FILTER_BATCH] = { 0 };
	bool allow[LB_FILTER_BATCH];

	/*
	 * Load is weight: a nice -20 hog alone in a domain outweighs eight
	 * nice-0 ones elsewhere, but whatever moves out of its domain can
	 * only wait longer; the CPUs it leaves idle are filled by stealing.
	 */
	if (v->doms[src].fits)
		return -1;
	n = rank_tasks(v, src, dst, gap, p, ranked, left, p->filter ? LB_FILTER_BATCH : 1);
	if (!n || !p->filter)
		return n ? ranked[0] : -1;
	for (int k = 0; k < n; k++)
		c[k] = (struct lb_move){ .task = ranked[k],
					 .from = src,
					 .to = dst,
					 .load = v->tasks[ranked[k]].load,
					 .cross_node = v->doms[src].node != v->doms[dst].node };
	p->filter(p->filter_data, v, c, n, allow);
	for (int k = 0; k < n; k++)
		if (allow[k])
			return ranked[k];
	return -1;
}

static void apply(struct lb_view *v, int ti, int to, const struct lb_params *p, struct lb_move *m)
{
	struct lb_task_view *t = &v->tasks[ti];

	*m = (struct lb_move){ .task = ti,
			       .from = t->dom,
			       .to = to,
			       .load = t->load,
			       .cross_node = v->doms[t->dom].node != v->doms[to].node };
	v->doms[t->dom].load -= t->load;
	v->doms[to].load += t->load;
	t->dom = to;
	t->last_round = p->round;
}

/* Heaviest (@heavy) or lightest domain of @node (-1: any node). */
static int extreme_dom(const struct lb_view *v, int node, bool heavy)
{
	int pick = -1;

	for (int d = 0; d < v->nr_doms; d++) {
		if (node >= 0 && v->doms[d].node != node)
			continue;
		if (pick < 0 || (heavy ? v->doms[d].load > v->doms[pick].load :
					 v->doms[d].load < v->doms[pick].load))
			pick = d;
	}
	return pick;
}

static double node_load(const struct lb_view *v, int node)
{
	double sum = 0;

	for (int d = 0; d < v->nr_doms; d++)
		if (v->doms[d].node == node)
			sum += v->doms[d].load;
	return sum;
}

static int nr_doms_in(const struct lb_view *v, int node)
{
	int n = 0;

	for (int d = 0; d < v->nr_doms; d++)
		n += v->doms[d].node == node;
	return n;
}

/* Between NUMA nodes: the heaviest node's domains, heaviest first, push to the lightest node. */
static int balance_nodes(struct lb_view *v, const struct lb_params *p, struct lb_move *out, int n)
{
	while (n < p->max_moves) {
		int hi = -1, lo = -1, ti = -1, dst, srcs[TSR_MAX_DOMS], nr_srcs = 0;
		double total = 0, hl = 0, ll = 0, gap;

		for (int node = 0; node < v->nr_nodes; node++) {
			double l = node_load(v, node);

			if (!nr_doms_in(v, node))
				continue;
			total += l;
			if (hi < 0 || l > hl)
				hi = node, hl = l;
			if (lo < 0 || l < ll)
				lo = node, ll = l;
		}
		gap = hl - ll;
		if (hi < 0 || hi == lo || gap <= p->min_gap ||
		    gap <= p->min_imbalance * total / v->nr_nodes)
			break;
		dst = extreme_dom(v, lo, false);
		for (int d = 0; d < v->nr_doms; d++) {
			int k = nr_srcs++;

			if (v->doms[d].node != hi) {
				nr_srcs--;
				continue;
			}
			/* insertion sort, heaviest first */
			while (k > 0 && v->doms[srcs[k - 1]].load < v->doms[d].load) {
				srcs[k] = srcs[k - 1];
				k--;
			}
			srcs[k] = d;
		}
		for (int k = 0; k < nr_srcs && ti < 0; k++)
			ti = pick_task(v, srcs[k], dst, gap, p);
		if (ti < 0)
			break;
		apply(v, ti, dst, p, &out[n++]);
	}
	return n;
}

/* Within one node: heaviest domain pushes to the lightest. */
static int balance_node_doms(struct lb_view *v, int node, const struct lb_params *p,
			     struct lb_move *out, int n)
{
	int members = nr_doms_in(v, node);

	while (n < p->max_moves && members > 1) {
		int hi = extreme_dom(v, node, true), lo = extreme_dom(v, node, false), ti;
		double gap = v->doms[hi].load - v->doms[lo].load;

		if (hi == lo || gap <= p->min_gap ||
		    gap <= p->min_imbalance * node_load(v, node) / members)
			break;
		ti = pick_task(v, hi, lo, gap, p);
		if (ti < 0)
			break;
		apply(v, ti, lo, p, &out[n++]);
	}
	return n;
}

int lb_plan(struct lb_view *v, const struct lb_params *p, struct lb_move *out)
{
	int n = 0;

	index_by_dom(v);
	if (v->nr_nodes > 1)
		n = balance_nodes(v, p, out, n);
	for (int node = 0; node < v->nr_nodes; node++)
		n = balance_node_doms(v, node, p, out, n);
	return n;
}

void lb_view_sum_loads(struct lb_view *v)
{
	for (int d = 0; d < v->nr_doms; d++)
		v->doms[d].load = 0;
	for (int i = 0; i < v->nr_tasks; i++)
		v->doms[v->tasks[i].dom].load += v->tasks[i].load;
}

double lb_view_spread(const struct lb_view *v)
{
	double hi = 0, lo = INFINITY, sum = 0;

	for (int d = 0; d < v->nr_doms; d++) {
		hi = fmax(hi, v->doms[d].load);
		lo = fmin(lo, v->doms[d].load);
		sum += v->doms[d].load;
	}
	return sum > 0 ? (hi - lo) / (sum / v->nr_doms) : 0;
}
