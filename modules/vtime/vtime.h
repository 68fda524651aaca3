/* SPDX-License-Identifier: GPL-2.0 */
/* vtime: the module's share of the per-task and per-CPU records. */
#ifndef TSR_VTIME_H
#define TSR_VTIME_H

#include "../../arena/arena.h"

struct vtime_task {
	__u64 vtime; /* virtual time consumed, in weighted ns */
};

/* Counters, each written only by its own CPU. */
struct vtime_cpu {
	__u64 nr_idle_pick; /* select_cpu found an idle CPU */
	__u64 nr_queued; /* enqueued on a domain DSQ */
	__u64 nr_local; /* dispatched from this CPU's own domain */
	__u64 nr_steal; /* dispatched from another domain */
};

#endif /* TSR_VTIME_H */
