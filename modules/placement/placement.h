/* SPDX-License-Identifier: GPL-2.0 */
/* placement: per-CPU counters of each CPU-selection path. */
#ifndef TSR_PLACEMENT_H
#define TSR_PLACEMENT_H

#include "../../arena/arena.h"

enum placement_path {
	PLACE_PINNED, /* the task may run on one CPU only */
	PLACE_KTHREAD, /* per-CPU kthread kept local (--kthreads-local) */
	PLACE_SYNC, /* sync wake-up: the waker's CPU */
	PLACE_PREV_CORE, /* previous CPU, its whole core idle */
	PLACE_PREV_CPU, /* previous CPU idle, its sibling busy: warm cache, no migration */
	PLACE_DOM_CORE, /* an idle whole core in the task's domain */
	PLACE_DOM_CPU, /* any idle CPU in the task's domain */
	PLACE_GREEDY, /* an idle CPU in an under-used domain of the same node */
	PLACE_NONE, /* nothing idle: queue in the task's domain */
	PLACE_NR_PATHS,
};

struct placement_cpu {
	__u64 nr[PLACE_NR_PATHS];
	__u64 nr_moved; /* of those, put on another CPU than the one it last ran on */
};

#endif /* TSR_PLACEMENT_H */
