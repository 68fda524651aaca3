// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of one load-balancing round on a synthetic arena: 10,000 task
 * records in a slab, 64 domains on 4 nodes, one node overloaded. A round is
 * what the running balancer does: read the view from the arena, plan,
 * write the decision words. No syscalls are made inside a round (the
 * arena is plain memory to userspace); run under `strace -c` to check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include TSR_COMPOSE_H
#include "modules/lb/lb_arena.h"

#define ROUNDS 200

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int nr_tasks = argc > 1 ? atoi(argv[1]) : 10000, nr_doms = 64, moves_total = 0;
	static struct tsr_dom doms[TSR_MAX_DOMS];
	static struct tsr_topo topo;
	static struct lb_move moves[256];
	struct lb_view_store store = { 0 };
	struct tsr_slab *slab = calloc(1, sizeof(*slab));
	struct lb_arena a = { slab, doms, &topo };
	double cost[ROUNDS], first = 0;

	if (nr_tasks < 1 || nr_tasks > 1000000) {
		fprintf(stderr, "bench_balance: tasks '%s' out of range (1..1000000)\n", argv[1]);
		return 2;
	}
	tsr_slab_setup(slab, TSR_SLAB_ID_TASKS, sizeof(struct tsr_task), 12, 256);
	while (slab->nr_objs < (unsigned int)nr_tasks)
		tsr_slab_add_chunk(slab, calloc(tsr_slab_chunk_pages(slab), TSR_PAGE_SIZE));
	topo.nr_doms = nr_doms;
	topo.nr_nodes = 4;
	for (int d = 0; d < nr_doms; d++)
		topo.dom_node[d] = d / 16;
	srand(1);
	for (int i = 0; i < nr_tasks; i++) {
		struct tsr_task *t = tsr_slab_alloc(slab);
		/* node 0 gets half of all tasks */
		int dom = i % 2 ? rand() % 16 : rand() % nr_doms;
		uint64_t load = 20 + rand() % 80;

		t->core.dom = dom;
		t->lb.load.avg = load * TSR_RAVG_ONE;
		memset(t->lb.dom_mask, 0xff, sizeof(t->lb.dom_mask));
		doms[dom].lb.load.avg += load * TSR_RAVG_ONE;
		doms[dom].lb.load.last_ns = 1;
	}
	/* the running balancer keeps its view storage between rounds: warm it once */
	lb_view_from_arena(&store, &a, 1, 1000000000);
	for (int r = 0; r < ROUNDS; r++) {
		struct lb_params p = { .min_imbalance = 0.10,
				       .min_gap = 50,
				       .round = r + 1,
				       .cooldown = 2,
				       .max_moves = 256 };
		double t0 = now_us();
		int n;

		lb_view_from_arena(&store, &a, 1, 1000000000);
		n = lb_plan(&store.view, &p, moves);
		n = lb_write_decisions(&a, &store.view, moves, n, r + 1);
		cost[r] = now_us() - t0;
		moves_total += n;
		/* apply and acknowledge, as BPF would at each task's next wake-up */
		tsr_slab_for_each_live(slab, idx)
		{
			struct tsr_task *t = tsr_slab_obj(slab, idx);
			uint32_t seq = lb_decision_seq(t->lb.decision), to;

			if (seq == t->lb.applied_seq)
				continue;
			to = lb_decision_target(t->lb.decision);
			doms[t->core.dom].lb.load.avg -= t->lb.load.avg;
			doms[to].lb.load.avg += t->lb.load.avg;
			t->core.dom = to;
			t->lb.applied_seq = seq;
		}
		if (!r)
			first = cost[0];
	}
	qsort(cost, ROUNDS, sizeof(cost[0]), cmp);
	printf("balancer round: %d tasks, %d domains, 4 nodes, %d rounds\n", nr_tasks, nr_doms,
	       ROUNDS);
	printf("  first round (most moves) %.0f us; all rounds: median %.0f us, p90 %.0f us, max "
	       "%.0f us (target < 1000 us); %d decisions in all\n",
	       first, cost[ROUNDS / 2], cost[ROUNDS * 9 / 10], cost[ROUNDS - 1], moves_total);
	lb_view_store_free(&store);
	return 0;
}
