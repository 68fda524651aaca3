/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Task classes and priority boosts, shared by the BPF half (which decides
 * at each wake-up) and userspace (tests, stats). What a task is marked
 * with comes from its name, its measured bandwidth and its wake-ups; the
 * class picks its dispatch queue, the boost how much earlier its deadline
 * is. Thresholds come in pairs: a mark is set above the first and cleared
 * only below the second, so a task near a threshold does not flap.
 */
#ifndef TSR_CLASSIFY_RULES_H
#define TSR_CLASSIFY_RULES_H

#include "../../arena/arena.h"

/* Dispatch queues, with the seed's ids, served VECTORDB > READ > WRITE > FALLBACK. */
enum classify_class {
	CLS_FALLBACK = 0,
	CLS_READ = 1,
	CLS_WRITE = 2,
	CLS_VECTORDB = 3,
	CLS_NR = 4,
};

/* What a task is marked with. */
#define CLS_F_VECTORDB (1U << 0) /* named like a vector database or ML worker */
#define CLS_F_BWTEST (1U << 1) /* named like a bandwidth test */
#define CLS_F_READ (1U << 2) /* reads more than the intensive threshold */
#define CLS_F_WRITE (1U << 3) /* writes more than it */
#define CLS_F_LATENCY (1U << 4) /* wakes up often */
#define CLS_F_KWORKER (1U << 5) /* a kernel worker */
#define CLS_F_PROMOTED (1U << 6) /* a kernel worker serving a boosted task, until it sleeps */
#define CLS_F_LOCALITY (1U << 7) /* locality score above 80 (from a memory monitor) */

/* Boosts, in the seed's points. */
#define CLS_BOOST_BWTEST 30
#define CLS_BOOST_VECTORDB 25
#define CLS_BOOST_LATENCY 25
#define CLS_BOOST_PROMOTED 20
#define CLS_BOOST_INTENSIVE 15
#define CLS_BOOST_LOCALITY 5
#define CLS_BOOST_MAX (30 + 25 + 25 + 20 + 15 + 5)

/* Wake-ups per second that make a task latency-sensitive, and below which it stops being. */
#define CLS_LATENCY_ON_HZ 100
#define CLS_LATENCY_OFF_HZ 50

/* The queue of a task marked @flags: VectorDB, else its heavier direction if intensive. */
static inline enum classify_class classify_class_of(__u32 flags, __u64 rd_mbps, __u64 wr_mbps)
{
	if (flags & CLS_F_VECTORDB)
		return CLS_VECTORDB;
	if ((flags & CLS_F_READ) && (!(flags & CLS_F_WRITE) || rd_mbps >= wr_mbps))
		return CLS_READ;
	if (flags & CLS_F_WRITE)
		return CLS_WRITE;
	return CLS_FALLBACK;
}

/* The boost of a task marked @flags, in points (0 .. CLS_BOOST_MAX). */
static inline __u32 classify_boost(__u32 flags)
{
	__u32 b = 0;

	if (flags & CLS_F_BWTEST)
		b += CLS_BOOST_BWTEST;
	if (flags & CLS_F_VECTORDB)
		b += CLS_BOOST_VECTORDB;
	if (flags & CLS_F_LATENCY)
		b += CLS_BOOST_LATENCY;
	if (flags & CLS_F_PROMOTED)
		b += CLS_BOOST_PROMOTED;
	if (flags & (CLS_F_READ | CLS_F_WRITE))
		b += CLS_BOOST_INTENSIVE;
	if (flags & CLS_F_LOCALITY)
		b += CLS_BOOST_LOCALITY;
	return b;
}

/* @flags with @mark set when @v > @on, cleared when @v < @off, else as it was. */
static inline __u32 classify_hysteresis(__u32 flags, __u32 mark, __u64 v, __u64 on, __u64 off)
{
	if (v > on)
		return flags | mark;
	if (v < off)
		return flags & ~mark;
	return flags;
}

/*
 * How much earlier a deadline a boost of @points gives, for slice @slice_ns:
 * a hundred points are one slice, so the largest boost is 1.2 slices.
 */
static inline __u64 classify_boost_ns(__u32 points, __u64 slice_ns)
{
	return points * slice_ns / 100;
}

#endif /* TSR_CLASSIFY_RULES_H */
