/* SPDX-License-Identifier: GPL-2.0 */
/* deadline: the module's share of the per-task and per-CPU records. */
#ifndef TSR_DEADLINE_H
#define TSR_DEADLINE_H

#include "../../arena/arena.h"
#include "../../framework/vclock.h"

struct deadline_task {
	struct tsr_vtask v; /* weighted ns run, against its domain's clock */
	__u64 deadline; /* virtual deadline it was last queued with */
	__u64 avg_run_ns; /* average run per activation (EWMA, 1/4 new) */
	__u64 run_ns; /* run so far in the current activation */
	__u64 last_wake_ns; /* when it last woke */
	__u64 wake_freq; /* wake-ups per second (EWMA) */
	__u64 waker_freq; /* wake frequency of whoever woke it last (EWMA) */
	__u32 lat_boost; /* how much earlier its deadline was pulled, 0..DEADLINE_MAX_BOOST */
	__u32 pad;
};

struct deadline_dom {
	__u64 vclock; /* largest vtime that started running here */
	__u64 typical_wake; /* the wake level usual here: EWMA (1/64) of queued tasks', x16 x64 */
};

/*
 * Written only by its own CPU: counters, and what a wake-up weighs the task
 * running here by, kept so that it need not look that task up.
 */
struct deadline_cpu {
	__u64 vclock; /* largest vtime that started running here */
	__u64 nr_queued; /* tasks queued on a domain DSQ or a CPU's wait queue */
	__u64 nr_boosted; /* of those, with an earlier deadline for latency */
	__u64 nr_boost_high; /* of those, by DEADLINE_BOOST_HIGH or more */
	__u64 nr_local; /* dispatched from the CPU's own domain */
	__u64 nr_warm; /* of those, a task that last ran on this CPU, taken before the head */
	__u64 nr_cpu_wait; /* woken tasks queued to wait for their own CPU */
	__u64 nr_cpu_requeue; /* tasks off their CPU at a slice end or preempted, queued to wait for it */
	__u64 nr_cpu_taken; /* taken from another CPU's wait queue: idle here, or past the bound */
	__u64 nr_cpu_taken_idle; /* of nr_cpu_taken, by a CPU about to go idle */
	__u64 nr_wake_preempt; /* of nr_cpu_wait, woken without the sync hint and preempting */
	__u64 curr_deadline; /* while curr_on: the running task's deadline */
	__u64 curr_wake_freq; /* its wake_freq */
	__u32 curr_dom; /* its domain */
	__u32 curr_on; /* a task of ours runs here, between its running and stopping */
};

/* A boost this large (its task wakes 2^N times as often as is usual) is counted apart. */
#define DEADLINE_BOOST_HIGH 3

#endif /* TSR_DEADLINE_H */
