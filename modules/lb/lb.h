/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lb: the load balancer's share of the records. Every field has one writer,
 * named on it. A migration decision is one 64-bit word userspace writes and
 * BPF reads (never torn): the generation of the task record it was meant
 * for, the target domain and a sequence number BPF acknowledges.
 */
#ifndef TSR_LB_H
#define TSR_LB_H

#include "../../arena/ravg.h"

#define LB_DOM_WORDS 4 /* TSR_MAX_DOMS / 64 */
#define LB_TASK_KWORKER 1
#define LB_TASK_SELF 2 /* a thread of the scheduler's own process */
#define LB_TASK_KTHREAD 4 /* a kernel thread */

static inline __u64 lb_decision_pack(__u32 gen, __u32 target_dom, __u32 seq)
{
	return (__u64)gen << 32 | (__u64)(target_dom & 0xffff) << 16 | (seq & 0xffff);
}
#define lb_decision_gen(d) ((__u32)((d) >> 32))
#define lb_decision_target(d) ((__u32)(((d) >> 16) & 0xffff))
#define lb_decision_seq(d) ((__u32)((d)&0xffff))

struct lb_task {
	struct tsr_ravg load; /* BPF: weight while runnable, decayed */
	__u64 decision; /* userspace: lb_decision_pack(); seq 0 = none yet */
	__u64 dom_mask[LB_DOM_WORDS]; /* BPF: domains the task's cpumask reaches */
	__u32 applied_seq; /* BPF: seq of the last decision handled */
	__u32 flags; /* BPF: LB_TASK_* */
	__s32 acct_dom; /* BPF: domain its runnable weight is counted in, or -1 */
	__u32 acct_weight; /* BPF: the weight counted there */
	__u32 us_last_round; /* userspace: balancer round of its last migration */
	__u32 pad;
	__u64 run_since; /* BPF: ns it last became runnable; 0 before */
	__u64 run_unfolded_ns; /* BPF: runnable time since load was last folded */
};

struct lb_dom {
	__s64 runnable_weight; /* BPF (atomic): weight of the runnable tasks counted here */
	struct tsr_ravg load; /* BPF: runnable_weight, decayed with the half-life */
	__u32 load_lock; /* BPF: try-lock around load updates */
	__u32 pad;
	__u64 queued_since; /* BPF: ns when the domain's queue last went from empty to not */
	__u64 kicked_at; /* BPF: ns an idle CPU of another node was last woken for it */
	__s64 kthread_weight; /* BPF (atomic): of runnable_weight, the kernel threads' */
	__s64 nr_lasting; /* BPF (atomic): runnable tasks counted here, kernel threads aside */
};

/* Counters, each written only by its own CPU. */
struct lb_cpu {
	__u64 nr_applied; /* decisions applied */
	__u64 nr_dropped_gen; /* decisions for a record since recycled (task exited) */
	__u64 nr_dropped_mask; /* decisions the task's cpumask no longer allows */
	__u64 nr_steal_node; /* greedy steals from another domain of the node */
	__u64 nr_steal_xnuma; /* greedy steals across NUMA nodes */
	__u64 nr_affinity_move; /* domain changed because the cpumask left it */
	__u64 nr_steal_waited; /* of the cross-node steals, those for a queue waiting too long */
	__u64 nr_xnuma_kick; /* idle CPUs of another node woken for a queue waiting too long */
	__u64 nr_fork_spread; /* new tasks started in another domain than their parent's CPU's */
};

static inline bool lb_mask_test(const __u64 __arena *mask, __u32 dom)
{
	return dom < 64 * LB_DOM_WORDS && (mask[dom / 64] >> (dom % 64)) & 1;
}

#endif /* TSR_LB_H */
