/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seed's CPU score for a waking task, shared by the BPF half (which
 * scores each idle CPU the task may use and takes the best) and the tests.
 * Points, as the seed gives them: base 100, +50 for a VectorDB task on a
 * CPU nearest far (CXL) memory, +30 for a read- or write-intensive task on
 * a CPU whose cache domain runs no intensive task of its direction, +20 for
 * memory latency under 100 ns, +15 for a cache hit rate over 80 %, -5 for
 * every intensive task running in the CPU's cache domain.
 *
 * Without a PMU, latency and hit rate are estimated (README "CPU scoring"):
 * latency is CLS_LAT_NS_PER_DISTANCE ns per unit of the node distance from
 * the CPU to the task's memory, taken to be on its home node (see
 * classify_home_step), so local (10) is 80 ns and the next node (20)
 * 160 ns; the cache is warm (hit rate over 80 %) on a CPU sharing the
 * cache domain of the CPU the task last ran on, cold elsewhere.
 */
#ifndef TSR_CLASSIFY_SCORE_H
#define TSR_CLASSIFY_SCORE_H

#include "../../arena/arena.h"

#define CLS_SCORE_BASE 100
#define CLS_SCORE_NEAR_FAR 50
#define CLS_SCORE_RW_MATCH 30
#define CLS_SCORE_LOW_LATENCY 20
#define CLS_SCORE_CACHE_HIT 15
#define CLS_SCORE_PER_INTENSIVE 5
#define CLS_SCORE_MAX                                                                       \
	(CLS_SCORE_BASE + CLS_SCORE_NEAR_FAR + CLS_SCORE_RW_MATCH + CLS_SCORE_LOW_LATENCY + \
	 CLS_SCORE_CACHE_HIT)

#define CLS_LAT_NS_PER_DISTANCE 8
#define CLS_LOW_LATENCY_NS 100

/* Which way a task's memory traffic is intensive. */
enum classify_rw {
	CLS_RW_NONE = 0,
	CLS_RW_READ = 1,
	CLS_RW_WRITE = 2,
};

/* What the score of one CPU for one task depends on. */
struct classify_score_in {
	bool vectordb; /* the task is a VectorDB task */
	bool near_far; /* the CPU is on a node nearest far (CXL) memory */
	__u32 rw; /* enum classify_rw of the task */
	__u32 running_rd, running_wr; /* intensive tasks running in the CPU's cache domain */
	__u32 distance; /* node distance from the CPU to the task's memory */
	bool warm; /* the CPU shares the cache domain of the task's last CPU */
};

static inline __s32 classify_cpu_score(const struct classify_score_in *in)
{
	__s32 s = CLS_SCORE_BASE;

	if (in->vectordb && in->near_far)
		s += CLS_SCORE_NEAR_FAR;
	if ((in->rw == CLS_RW_READ && !in->running_rd) ||
	    (in->rw == CLS_RW_WRITE && !in->running_wr))
		s += CLS_SCORE_RW_MATCH;
	if (in->distance * CLS_LAT_NS_PER_DISTANCE < CLS_LOW_LATENCY_NS)
		s += CLS_SCORE_LOW_LATENCY;
	if (in->warm)
		s += CLS_SCORE_CACHE_HIT;
	return s - CLS_SCORE_PER_INTENSIVE * (__s32)(in->running_rd + in->running_wr);
}

/*
 * Where a task's memory is taken to be: the node it first ran on (first
 * touch), moved to another node only once the task has run there
 * CLS_HOME_MOVE_NS more than at home (as the kernel's NUMA balancing would
 * move its pages). Not the node it last ran on: one wake-up spilled to a
 * remote node would make that node "near its memory" and keep it there.
 */
#define CLS_HOME_MOVE_NS 1000000000ULL

struct classify_home {
	__u32 node1; /* home node + 1; 0 before the task first ran */
	__u32 pad;
	__u64 away_ns; /* run time away from home less run time at home, floored at 0 */
};

/* @h after the task ran @ran_ns on @node. */
static inline struct classify_home classify_home_step(struct classify_home h, __u32 node,
						      __u64 ran_ns)
{
	if (!h.node1 || h.node1 == node + 1) {
		h.node1 = node + 1;
		h.away_ns = h.away_ns > ran_ns ? h.away_ns - ran_ns : 0;
		return h;
	}
	h.away_ns += ran_ns;
	if (h.away_ns >= CLS_HOME_MOVE_NS) {
		h.node1 = node + 1;
		h.away_ns = 0;
	}
	return h;
}

/* The direction a task of class @cls is intensive in. */
static inline __u32 classify_rw_of(__u32 cls)
{
	return cls == CLS_READ ? CLS_RW_READ : cls == CLS_WRITE ? CLS_RW_WRITE : CLS_RW_NONE;
}

#endif /* TSR_CLASSIFY_SCORE_H */
