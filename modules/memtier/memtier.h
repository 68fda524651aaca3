/* SPDX-License-Identifier: GPL-2.0 */
/* memtier: the module's share of the per-task record, written by userspace from DAMON. */
#ifndef TSR_MEMTIER_H
#define TSR_MEMTIER_H

#include "../../arena/arena.h"

/* The seed's memory_access_pattern io pattern. */
enum memtier_pattern {
	MT_PATTERN_UNKNOWN = 0,
	MT_READ_HEAVY = 1,
	MT_WRITE_HEAVY = 2,
	MT_MIXED = 3,
};

/* kdamonds whose aggregations the BPF half counts (damon.h's DAMON_MAX_TASKS) */
#define MEMTIER_KDAMONDS 16

/* One kdamond memtier made, as the BPF half sees it (a global array, one slot a kdamond). */
struct memtier_kdamond {
	__s32 tid; /* the kdamond's thread; 0: slot unused (userspace sets it last) */
	__u32 task_idx; /* the watched task's record: slab index */
	__u32 task_gen; /* and generation */
	__u32 pad;
	/*
	 * Region size times access count, summed over every aggregation the
	 * kdamond ended since it was made: the bytes its task moved,
	 * page-granular (the estimate damon.c describes).
	 */
	__u64 bytes;
};

struct memtier_task {
	__u64 working_set_kb; /* regions DAMON saw accessed in its last aggregation */
	__u32 pattern; /* enum memtier_pattern, from the measured read and write rates */
	__u32 nr_updates; /* DAMON updates of this task */
};

#endif /* TSR_MEMTIER_H */
