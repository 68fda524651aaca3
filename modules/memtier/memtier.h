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

struct memtier_task {
	__u64 working_set_kb; /* regions DAMON saw accessed in its last aggregation */
	__u32 pattern; /* enum memtier_pattern, from the measured read and write rates */
	__u32 nr_updates; /* DAMON updates of this task */
};

#endif /* TSR_MEMTIER_H */
