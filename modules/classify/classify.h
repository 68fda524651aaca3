/* SPDX-License-Identifier: GPL-2.0 */
/* classify: the module's share of the per-task and per-CPU records. */
#ifndef TSR_CLASSIFY_H
#define TSR_CLASSIFY_H

#include "../../framework/vclock.h"
#include "rules.h"
#include "score.h"

#define CLS_MAX_NAMES 16 /* names in each list */
#define CLS_NAME_LEN 16 /* a task name's length in the kernel, with its NUL */

struct classify_task {
	struct tsr_vtask v; /* virtual time, against the one clock of the class queues */
	__u64 comm_key; /* the name the marks from names were taken from (hashed) */
	__u64 wake_freq; /* wake-ups per second, averaged */
	__u64 last_wake_ns;
	__u32 flags; /* CLS_F_* */
	__u32 cls; /* enum classify_class: the queue it was last put in */
	__u32 locality; /* 0-100, written by a memory monitor when there is one */
	__u32 running_rw; /* enum classify_rw it counts as in its domain while it runs */
	struct classify_home home; /* where its memory is taken to be */
};

/* Counters, each written only by its own CPU. */
struct classify_cpu {
	__u64 vclock; /* largest vtime that started running here */
	__u64 nr_queued[CLS_NR]; /* tasks queued per class */
	__u64 nr_dispatched[CLS_NR]; /* dispatches per class */
	__u64 nr_promote; /* kernel workers promoted for serving a boosted task */
	__u64 nr_scored; /* wake-ups placed on the best-scoring idle CPU */
	__u64 nr_scored_near_far; /* of those, VectorDB tasks placed nearest far memory */
	/* the best CPU so far while select_cpu scores (kept here, not on the stack, so the verifier need not follow it) */
	__s32 pick_cpu, pick_score;
};

#endif /* TSR_CLASSIFY_H */
