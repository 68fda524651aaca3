/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Framework state every module may read from BPF: the topology, the per-CPU
 * and per-domain records, the per-task record of a task, and the framework's
 * tunables. Included after the composed records and before the modules.
 */
#ifndef TSR_STATE_BPF_H
#define TSR_STATE_BPF_H

#include "hooks.h"
#include "../arena/slab_refill.bpf.h"
#include "weight.bpf.h"
#include "dsq_first.bpf.h"

/* Written by userspace before attach, read-only here. */
struct tsr_topo __arena_global tsr_topo;
struct tsr_cpu __arena_global tsr_cpus[TSR_MAX_CPUS];
struct tsr_dom __arena_global tsr_doms[TSR_MAX_DOMS];
/* Per-task records: set up and pre-filled by userspace, grown in init_task. */
struct tsr_slab __arena_global tsr_task_slab;
/* Variable-size objects for modules; set up by userspace. */
struct tsr_heap __arena_global tsr_heap;
/* Written by userspace while running (e.g. a tuner's slice). */
struct tsr_tunables __arena_global tsr_tune;

const volatile __u64 tsr_slice_ns = 20000000ULL; /* default slice */
const volatile __u32 tsr_nr_cpu_ids = 1;
/*
 * Domains of the topology this load was made for (0: not given, read the
 * arena's). Known at load, so the verifier drops the paths for several
 * domains from a one-domain run, and no callback reads the arena for it.
 */
const volatile __u32 tsr_nr_doms_at_load = 0;
/* init_task adds a chunk when fewer task records than this are free */
const volatile __u32 tsr_task_refill_min = 64;

/* Per-task framework state outside the arena: every task has it, with or without a record. */
struct tsr_task_ref {
	struct tsr_task __arena
		*rec; /* NULL: no record could be had, the task is served by the fallback queue */
	__u64 charged_ns; /* p->se.sum_exec_runtime when the task was last charged */
	__u64 fb_vtime; /* its virtual time in the fallback queue */
	__s32 last_cpu1; /* the CPU its last run ended on, + 1; 0 before its first */
	bool on_fallback; /* last queued on the fallback queue */
	bool woke_direct; /* its run was placed by select_cpu's direct dispatch */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tsr_task_ref);
} tsr_task_refs SEC(".maps");

/* Tasks alive without an arena record; read by userspace for its stats. */
__u64 tsr_nr_norec;

static __always_inline struct tsr_task_ref *tsr_task_ref(struct task_struct *p)
{
	return bpf_task_storage_get(&tsr_task_refs, p, NULL, 0);
}

/* The arena record of @p, or NULL when it has none (allocation failed). */
static __always_inline struct tsr_task __arena *tsr_task_rec(struct task_struct *p)
{
	struct tsr_task_ref *ref = tsr_task_ref(p);

	tsr_arena_use();
	return ref ? ref->rec : NULL;
}

static __always_inline struct tsr_cpu __arena *tsr_cpu_rec(s32 cpu)
{
	return &tsr_cpus[(u32)cpu & (TSR_MAX_CPUS - 1)];
}

/*
 * Helper @id (no arguments, no side effects) called from an asm statement
 * without side effects, so the compiler merges every call of it in a
 * callback into one (a plain helper call it would make each time).
 */
#define tsr_merged_helper(type, id)                        \
	({                                                 \
		type __ret;                                \
		asm("call %[fn]; %[ret] = r0"              \
		    : [ret] "=r"(__ret)                    \
		    : [fn] "i"(id)                         \
		    : "r0", "r1", "r2", "r3", "r4", "r5"); \
		__ret;                                     \
	})

/*
 * The CPU this program runs on, read once a callback however many counters
 * the framework and the modules bump: a program never changes CPU while it
 * runs.
 */
static __always_inline s32 tsr_cpu_id(void)
{
	return tsr_merged_helper(s32, BPF_FUNC_get_smp_processor_id);
}

/*
 * The time of this callback (bpf_ktime_get_ns()), read once however many
 * modules ask: a callback is one instant to the policy, and each read is a
 * helper call of a few dozen instructions.
 */
static __always_inline u64 tsr_now(void)
{
	return tsr_merged_helper(u64, BPF_FUNC_ktime_get_ns);
}

/* The record of the CPU this callback runs on; only this CPU writes it. */
static __always_inline struct tsr_cpu __arena *tsr_this_cpu(void)
{
	return tsr_cpu_rec(tsr_cpu_id());
}

/*
 * One domain known at load: the verifier drops every path for several.
 * Read afresh each time: one read merged for the whole callback (an asm
 * load) saved a load or two but kept the value live across it, and the
 * verifier's work on scx_wd40 grew (attach in the TCG guest 7.4 -> 8.8 s).
 */
static __always_inline bool tsr_one_dom(void)
{
	return tsr_nr_doms_at_load == 1;
}

static __always_inline u32 tsr_nr_doms(void)
{
	u32 n;

	if (tsr_one_dom())
		return 1;
	n = tsr_nr_doms_at_load ?: tsr_topo.nr_doms;

	return n && n <= TSR_MAX_DOMS ? n : 1;
}

/* Domain of @cpu; 0 for an id outside the topology. */
static __always_inline u32 tsr_cpu_dom(s32 cpu)
{
	s16 dom;

	if (tsr_one_dom() || (u32)cpu >= TSR_MAX_CPUS)
		return 0;
	dom = tsr_topo.cpu_dom[cpu];
	return dom >= 0 && dom < TSR_MAX_DOMS ? dom : 0;
}

/*
 * The CPU @p is on or queued for, scx_bpf_task_cpu()'s answer: read where
 * the kernel keeps it (thread_info, on x86 and arm64), a load instead of
 * a kfunc call.
 */
static __always_inline s32 tsr_task_cpu(const struct task_struct *p)
{
	if (bpf_core_field_exists(p->thread_info.cpu))
		return p->thread_info.cpu;
	return scx_bpf_task_cpu(p);
}

/*
 * Domain of the CPU @p is on or queued for. With one domain known at load
 * the verifier drops the lookup: this runs on every enqueue.
 */
static __always_inline u32 tsr_task_dom(const struct task_struct *p)
{
	if (tsr_one_dom())
		return 0;
	return tsr_cpu_dom(tsr_task_cpu(p));
}

/* CPUs in domain @dom (at least 1). */
static __always_inline u32 tsr_dom_nr_cpus(u32 dom)
{
	u32 n = tsr_doms[dom & (TSR_MAX_DOMS - 1)].core.nr_cpus;

	return n ?: 1;
}

/* NUMA node of domain @dom. */
static __always_inline u32 tsr_dom_node(u32 dom)
{
	s16 node = tsr_topo.dom_node[dom & (TSR_MAX_DOMS - 1)];

	return node >= 0 ? node : 0;
}

/* The slice to give a task now: the tuned one if userspace set it. */
static __always_inline u64 tsr_slice(void)
{
	u64 slice = tsr_tune.slice_ns;

	return slice ?: tsr_slice_ns;
}

#ifdef TSR_COMPOSE_BPF_H
/* The modules' slice and steal_ok chains (framework/hooks.h), generated with the scheduler. */
static __always_inline u64 tsr_chain_slice(struct task_struct *p, struct tsr_task __arena *t,
					   u64 slice);
static __always_inline bool tsr_chain_steal_ok(struct task_struct *p, struct tsr_task __arena *t,
					       s32 cpu, u32 src_dom);

/*
 * The slice to give @p now: the framework's (tuned, shrunk for light
 * weights), then shaped by every module's slice hook in order. @t may be
 * NULL (a task without a record): no module sees it then.
 */
static __always_inline u64 tsr_task_slice(struct task_struct *p, struct tsr_task __arena *t)
{
	u64 slice = tsr_weighted_slice(p, tsr_slice());

	return t ? tsr_chain_slice(p, t, slice) : slice;
}

/* tsr_task_slice() from @base, the tsr_slice() a caller already read. */
static __always_inline u64 tsr_task_slice_of(struct task_struct *p, struct tsr_task __arena *t,
					     u64 base)
{
	return tsr_chain_slice(p, t, tsr_weighted_slice(p, base));
}
#endif /* TSR_COMPOSE_BPF_H: a composition's chains follow */

/* The key "joins at the tail" for tsr_dsq_serve(): FIFO queues. */
#define TSR_KEY_TAIL (~0ULL)

/* What serving this CPU from a queue did. */
enum tsr_served {
	TSR_SERVED_NONE = 0, /* nothing to run from this queue */
	TSR_SERVED_HEAD, /* the queue's first task this CPU may run moved here */
	TSR_SERVED_PREV, /* prev keeps the CPU ahead of a task that wants it */
	TSR_SERVED_WARM, /* a task that last ran on this CPU moved here */
	TSR_SERVED_ALONE, /* prev keeps the CPU: nothing queued here may take it */
};

static __always_inline enum tsr_served tsr_dsq_move_head(u64 dsq)
{
	return scx_bpf_dsq_move_to_local(dsq) ? TSR_SERVED_HEAD : TSR_SERVED_NONE;
}

/*
 * Whether @prev keeps this CPU ahead of @head, the first task of a queue
 * that this CPU may run (NULL: none; tsr_dsq_first_for()): its key
 * @prev_key before head's, or at most @max_lead past it (TSR_SERVED_PREV),
 * or no head (TSR_SERVED_ALONE); else TSR_SERVED_NONE. Kept, it gets
 * another @slice.
 */
static __always_inline enum tsr_served tsr_keeps_prev_over(struct task_struct *head,
							   struct task_struct *prev, u64 prev_key,
							   u64 slice, u64 max_lead)
{
	s64 lead;

	if (head) {
		if (prev_key == TSR_KEY_TAIL)
			return TSR_SERVED_NONE;
		lead = (s64)(prev_key - head->scx.dsq_vtime);
		if (max_lead ? lead > (s64)max_lead : lead >= 0)
			return TSR_SERVED_NONE;
	}
	scx_bpf_task_set_slice(prev, slice);
	tsr_this_cpu()->core.nr_keep_prev++;
	return head ? TSR_SERVED_PREV : TSR_SERVED_ALONE;
}

/*
 * tsr_keeps_prev_over() against @dsq's first task this CPU may run, when
 * @prev would join @dsq (@prev_joins) and has a @slice to get (tsr_dsq_serve's
 * first half; see there).
 */
static __always_inline enum tsr_served tsr_dsq_keeps_prev(u64 dsq, struct task_struct *prev,
							  bool prev_joins, u64 prev_key, u64 slice,
							  u64 max_lead)
{
	if (!prev_joins || !slice)
		return TSR_SERVED_NONE;
	return tsr_keeps_prev_over(tsr_dsq_first_for(dsq, tsr_cpu_id(), tsr_nr_cpu_ids), prev,
				   prev_key, slice, max_lead);
}

/*
 * Serve this CPU from the vtime-ordered @dsq, unless @prev goes first: prev
 * (its slice used up, still runnable) would rejoin @dsq with @prev_key when
 * @prev_joins. Without this the kernel requeues prev behind whatever is at
 * the head, so two tasks alternate slices whatever their weights. prev is
 * kept by giving it another @slice; ties go to the waiting task; a @slice
 * of 0 (a slice hook's "not now") never keeps it. A module with a virtual
 * clock moves it when prev is kept (tsr_vclock_kept()): prev does not pass
 * through ops.running again.
 */
static __always_inline enum tsr_served tsr_dsq_serve(u64 dsq, struct task_struct *prev,
						     bool prev_joins, u64 prev_key, u64 slice)
{
	enum tsr_served kept = tsr_dsq_keeps_prev(dsq, prev, prev_joins, prev_key, slice, 0);

	return kept ?: tsr_dsq_move_head(dsq);
}

/* How far into a queue tsr_dsq_move_warm() looks for a task that last ran here. */
#define TSR_WARM_LOOK 4

/*
 * Move to @cpu the first of vtime-ordered @dsq's first TSR_WARM_LOOK tasks
 * that last ran on it (its cache is warm, and taking it is no migration)
 * and whose key is at most @max_lead past the head's, else the head. With
 * every CPU taking the head of a shared queue most tasks move to a CPU they
 * did not run on; without the bound, CPU-bound tasks settled on CPUs and
 * shared them unequally (equal nice-0 hogs got 0.39-0.66 of a CPU, 4/7
 * due). A passed-over head waits at most until the warm tasks' keys pass
 * it, one @max_lead of virtual time.
 */
static __noinline enum tsr_served tsr_dsq_move_warm(u64 dsq, s32 cpu, u64 max_lead)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *p;
	bool moved = false;
	u64 head_key = 0;
	int seen = 0;

	if (bpf_iter_scx_dsq_new(&it, dsq, 0) == 0) {
		while ((p = bpf_iter_scx_dsq_next(&it)) && seen++ < TSR_WARM_LOOK) {
			if (seen == 1)
				head_key = p->scx.dsq_vtime;
			if ((s64)(p->scx.dsq_vtime - head_key) > (s64)max_lead)
				break;
			/* its cpumask may have changed since it ran here */
			if (tsr_task_cpu(p) != cpu || !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
				continue;
			moved = scx_bpf_dsq_move(&it, p, SCX_DSQ_LOCAL, 0);
			break;
		}
	}
	bpf_iter_scx_dsq_destroy(&it);
	return moved ? TSR_SERVED_WARM : tsr_dsq_move_head(dsq);
}

#include "dom_cpus.bpf.h"
#include "vclock.bpf.h"
#include "kmask.bpf.h"
#include "rescue.bpf.h"
#include "cpu_queue.bpf.h"

#endif /* TSR_STATE_BPF_H */
