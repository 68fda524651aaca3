/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MOD: its share of the per-task and per-CPU records, and the arithmetic
 * BPF and userspace share (compiled by both, so tested in userspace).
 */
#ifndef TSR_MOD_H
#define TSR_MOD_H

#include "../../arena/arena.h"

struct MOD_task {
	__u64 ran_ns; /* run time charged to the task so far */
};

/* Counters, each written only by its own CPU. */
struct MOD_cpu {
	__u64 nr_shaped; /* slices this module changed */
};

/* @slice scaled to @pct percent, never below 100 us. */
static inline __u64 MOD_scale_slice(__u64 slice, __u32 pct)
{
	__u64 s = slice * pct / 100;

	return s < 100000 ? 100000 : s;
}

#endif /* TSR_MOD_H */
