/* SPDX-License-Identifier: GPL-2.0 */
/* vtime: the module's share of the per-task and per-CPU records. */
#ifndef TSR_VTIME_H
#define TSR_VTIME_H

#include "../../arena/arena.h"
#include "../../framework/vclock.h"

struct vtime_task {
	struct tsr_vtask v; /* virtual time consumed, in weighted ns, against its domain's clock */
	__s32 load_dom; /* the domain its weight is counted in while runnable, -1 none */
	__u32 load_weight; /* the weight counted there */
	__u8 woke_busy; /* its wake-up's select_cpu found no idle CPU; cleared at enqueue */
};

struct vtime_dom {
	__u64 vclock; /* largest vtime that started running here */
	__s64 load; /* weight of its runnable tasks (several domains only) */
};

/* Each written only by its own CPU. */
struct vtime_cpu {
	__u64 vclock; /* largest vtime that started running here */
	__u64 nr_local; /* dispatched from this CPU's own domain */
	__u64 nr_steal; /* dispatched from another domain */
	__u64 nr_balance; /* taken from a domain with more waiting tasks per CPU */
};

#endif /* TSR_VTIME_H */
