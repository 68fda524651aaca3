/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token buckets for bytes per refill period, shared by the BPF half (which
 * charges and throttles) and userspace (tests, reports). A rate is given in
 * MB/s (10^6 bytes); a bucket holds at most @burst periods of it and owes
 * at most BW_DEBT_PERIODS, so a task that overspent waits at most that long.
 */
#ifndef TSR_BW_BUCKET_H
#define TSR_BW_BUCKET_H

#include "../../arena/arena.h"

#define BW_PERIOD_NS 10000000ULL /* refill every 10 ms */
#define BW_BURST_PERIODS 10 /* the default full bucket: 100 ms of the rate */
#define BW_MAX_BURST_PERIODS 300 /* the largest: 3 s */
#define BW_DEBT_PERIODS \
	300 /* the deepest debt: 3 s of the rate, under the framework rescue at 5 s */
#define BW_MAX_MBPS 1000000ULL /* 1 TB/s: keeps every sum far from 2^63 */

struct bw_bucket {
	__s64 tokens; /* bytes that may still move; negative: owed */
	__u64 at; /* start of the refill period the tokens are counted to (ns) */
};

/* Bytes a rate of @mbps adds per refill period. */
static inline __u64 bw_per_period(__u64 mbps)
{
	if (mbps > BW_MAX_MBPS)
		mbps = BW_MAX_MBPS;
	return mbps * (1000000ULL * BW_PERIOD_NS / 1000000000ULL);
}

/* A full bucket (@burst periods of the rate) at @now. */
static inline void bw_fill(struct bw_bucket __arena *b, __u64 per_period, __u32 burst, __u64 now)
{
	b->tokens = per_period * burst;
	b->at = now;
}

/* Add the whole periods passed by @now, up to a full bucket (@burst periods). */
static inline void bw_refill(struct bw_bucket __arena *b, __u64 per_period, __u32 burst, __u64 now)
{
	__s64 full = per_period * burst, tokens;
	__u64 n;

	if ((__s64)(now - b->at) < (__s64)BW_PERIOD_NS)
		return;
	n = (now - b->at) / BW_PERIOD_NS;
	b->at += n * BW_PERIOD_NS;
	/* more periods than it takes to clear the deepest debt and fill up add nothing */
	if (n > BW_MAX_BURST_PERIODS + BW_DEBT_PERIODS)
		n = BW_MAX_BURST_PERIODS + BW_DEBT_PERIODS;
	tokens = b->tokens + (__s64)(n * per_period);
	b->tokens = tokens > full ? full : tokens;
}

/* Take @bytes; the debt stops at BW_DEBT_PERIODS of the rate. */
static inline void bw_charge(struct bw_bucket __arena *b, __u64 per_period, __u64 bytes)
{
	__s64 floor = -(__s64)(per_period * BW_DEBT_PERIODS);
	__u64 room = b->tokens - floor; /* >= 0: tokens never sit below the floor */

	b->tokens = bytes >= room ? floor : b->tokens - (__s64)bytes;
}

/* When the bucket is out of debt again: the first refill that clears it (@b->at if none is owed). */
static inline __u64 bw_release_at(const struct bw_bucket __arena *b, __u64 per_period)
{
	__u64 owed;

	if (b->tokens >= 0 || !per_period)
		return b->at;
	owed = -b->tokens;
	return b->at + (owed + per_period - 1) / per_period * BW_PERIOD_NS;
}

#endif /* TSR_BW_BUCKET_H */
