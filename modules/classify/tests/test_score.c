// SPDX-License-Identifier: GPL-2.0
/* The seed's CPU score table. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include "modules/classify/rules.h"
#include "modules/classify/score.h"

/* A CPU on the task's own node and cache domain, nothing intensive running there */
static struct classify_score_in local(void)
{
	return (struct classify_score_in){ .distance = 10, .warm = true };
}

Test(score, each_term_is_the_seeds_points)
{
	struct classify_score_in in = { .distance = 20 };

	cr_expect_eq(classify_cpu_score(&in), 100, "base only: remote and cold");
	in = local();
	cr_expect_eq(classify_cpu_score(&in), 135, "+20 under 100 ns, +15 warm cache");
	in.vectordb = in.near_far = true;
	cr_expect_eq(classify_cpu_score(&in), 185, "+50 VectorDB nearest far memory");
	in.vectordb = false;
	cr_expect_eq(classify_cpu_score(&in), 135, "nearest far memory is nothing to others");
	in = local();
	in.rw = CLS_RW_READ;
	cr_expect_eq(classify_cpu_score(&in), 165, "+30 read-intensive where no reader runs");
	in.running_rd = 1;
	cr_expect_eq(classify_cpu_score(&in), 130, "no +30 beside a reader, and -5");
	in.running_rd = 0;
	in.running_wr = 2;
	cr_expect_eq(classify_cpu_score(&in), 155, "a reader beside two writers: +30 - 10");
	in.rw = CLS_RW_WRITE;
	cr_expect_eq(classify_cpu_score(&in), 125, "a writer beside two writers: -10");
	in = (struct classify_score_in){
		.vectordb = true, .near_far = true, .rw = CLS_RW_NONE, .distance = 10, .warm = true
	};
	cr_expect_leq(classify_cpu_score(&in), CLS_SCORE_MAX);
}

Test(score, latency_from_distance)
{
	struct classify_score_in in = { 0 };

	in.distance = 12; /* 96 ns: a near node (sub-NUMA) still counts as low latency */
	cr_expect_eq(classify_cpu_score(&in), 120);
	in.distance = 13; /* 104 ns */
	cr_expect_eq(classify_cpu_score(&in), 100);
}

Test(score, direction_of_class)
{
	cr_expect_eq(classify_rw_of(CLS_READ), CLS_RW_READ);
	cr_expect_eq(classify_rw_of(CLS_WRITE), CLS_RW_WRITE);
	cr_expect_eq(classify_rw_of(CLS_VECTORDB), CLS_RW_NONE);
	cr_expect_eq(classify_rw_of(CLS_FALLBACK), CLS_RW_NONE);
}

Test(score, many_intensive_tasks_only_lower_it)
{
	struct classify_score_in in = local();

	in.running_rd = in.running_wr = 40;
	cr_expect_eq(classify_cpu_score(&in), 135 - 400, "no wrap: a signed score");
}

Test(score, home_is_first_node_and_moves_only_after_a_second_away)
{
	struct classify_home h = {};
	int i;

	h = classify_home_step(h, 0, 2000000);
	cr_expect_eq(h.node1, 1, "first run: home is node 0");
	h = classify_home_step(h, 1, 2000000);
	cr_expect_eq(h.node1, 1, "one run spilled to node 1 leaves home on node 0");
	h = classify_home_step(h, 0, 2000000);
	cr_expect_eq(h.away_ns, 0, "a run at home pays the time away back");
	for (i = 0; i < 100; i++) {
		h = classify_home_step(h, 1, 6000000);
		h = classify_home_step(h, 0, 2000000);
	}
	cr_expect_eq(h.node1, 1, "400 ms more away than home: still node 0");
	for (i = 0; i < 200 && h.node1 == 1; i++) {
		h = classify_home_step(h, 1, 6000000);
		h = classify_home_step(h, 0, 2000000);
	}
	cr_expect_eq(h.node1, 2, "home moves once a second more was spent away");
	cr_expect_eq(i, 150, "after exactly 1 s more away (%d rounds)", i);
	cr_expect_eq(h.away_ns, 2000000, "and counts again: node 0 is away now");
}
