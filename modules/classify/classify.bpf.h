/* SPDX-License-Identifier: GPL-2.0 */
/*
 * classify, BPF half: at each wake-up a task is marked from its name
 * (VectorDB and bandwidth-test lists), its measured bandwidth (the
 * bandwidth module's rates), its wake-up rate and, for a kernel worker, the
 * task that woke it; the marks give its class queue and its boost. The four
 * class queues are shared by all CPUs and ordered by weighted virtual time
 * against one clock, less the boost; a CPU runs the earliest head of the
 * four (ties in the seed's order VECTORDB > READ > WRITE > FALLBACK), so a
 * boost is an earlier deadline, never a lane that can starve the others.
 */
#ifndef TSR_CLASSIFY_BPF_H
#define TSR_CLASSIFY_BPF_H

#include "../../framework/wake_rate.bpf.h"

#define CLS_DSQ(cls) TSR_DSQ_ID(classify, (cls))
#define CLS_PF_WQ_WORKER 0x00000020 /* the kernel's PF_WQ_WORKER */

const volatile char classify_vdb_names[CLS_MAX_NAMES][CLS_NAME_LEN];
const volatile __u32 classify_nr_vdb_names;
const volatile char classify_bwt_names[CLS_MAX_NAMES][CLS_NAME_LEN];
const volatile __u32 classify_nr_bwt_names;
const volatile __u64 classify_intensive_mbps = 70;

/* -n/--nr-cpus: only these CPUs are placed on and serve the queues (set by userspace) */
const volatile bool classify_limited = false;
struct tsr_cpumask __arena_global classify_use_cpus;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct tsr_kmask);
} classify_use_kmask SEC(".maps");

/* CPUs on the nodes nearest far (CPU-less, CXL) memory (set by userspace) */
struct tsr_cpumask __arena_global classify_near_far_cpus;
/* -c/--disable-cxl: the kernel's idle pick instead of the seed's CPU score */
const volatile bool classify_no_scoring = false;
/* Intensive tasks running in each cache domain, by direction (enum classify_rw - 1) */
__u32 __arena_global classify_dom_running[TSR_MAX_DOMS][2];

__u64 __arena_global classify_clock;
/* Tasks waiting in each class queue, refreshed every ~100 ms for the stats. */
__u64 __arena_global classify_queued_now[CLS_NR];
__u64 __arena_global classify_queued_at_j;

static __always_inline bool classify_name_in(const char *comm,
					     const volatile char (*names)[CLS_NAME_LEN], u32 nr)
{
	int i, j;

	for (i = 0; i < CLS_MAX_NAMES && i < nr; i++) {
		bool match = names[i][0] != 0;

		for (j = 0; j < CLS_NAME_LEN && match; j++) {
			char c = names[i][j];

			if (!c)
				break;
			match = c == comm[j];
		}
		if (match)
			return true;
	}
	return false;
}

/* The marks that come from @p's name and kind, redone only when its name changes. */
static __always_inline void classify_by_name(struct task_struct *p, struct tsr_task __arena *t)
{
	char comm[CLS_NAME_LEN];
	u64 a, b, key;
	u32 f;

	if (bpf_probe_read_kernel(comm, sizeof(comm), p->comm))
		return;
	__builtin_memcpy(&a, comm, 8);
	__builtin_memcpy(&b, comm + 8, 8);
	key = a ^ (b * 0x9e3779b97f4a7c15ULL);
	if (key == t->classify.comm_key)
		return;
	t->classify.comm_key = key;
	f = t->classify.flags & ~(CLS_F_VECTORDB | CLS_F_BWTEST | CLS_F_KWORKER);
	if (classify_name_in(comm, classify_vdb_names, classify_nr_vdb_names))
		f |= CLS_F_VECTORDB;
	if (classify_name_in(comm, classify_bwt_names, classify_nr_bwt_names))
		f |= CLS_F_BWTEST;
	if (p->flags & CLS_PF_WQ_WORKER)
		f |= CLS_F_KWORKER;
	t->classify.flags = f;
}

/* Wake-up rate, and a kernel worker woken by a boosted task serves it: promoted until it sleeps. */
static __always_inline u32 classify_by_wakeup(struct task_struct *p, struct tsr_task __arena *t,
					      u32 f)
{
	struct task_struct *waker;
	struct tsr_task __arena *w;

	tsr_wake_rate(&t->classify.wake_freq, &t->classify.last_wake_ns, tsr_now());
	f = classify_hysteresis(f, CLS_F_LATENCY, t->classify.wake_freq, CLS_LATENCY_ON_HZ,
				CLS_LATENCY_OFF_HZ);
	if (!(f & CLS_F_KWORKER))
		return f;
	waker = bpf_get_current_task_btf();
	w = waker != p ? tsr_task_rec(waker) : NULL;
	if (w && classify_boost(w->classify.flags & ~CLS_F_PROMOTED)) {
		f |= CLS_F_PROMOTED;
		tsr_this_cpu()->classify.nr_promote++;
	}
	return f;
}

/* The marks from the name and from measurements, as they are now. */
static __always_inline void classify_refresh(struct task_struct *p, struct tsr_task __arena *t)
{
	u64 on = classify_intensive_mbps, off = on * 4 / 5;
	u32 f;

	classify_by_name(p, t);
	f = t->classify.flags;
	f = classify_hysteresis(f, CLS_F_READ, t->bandwidth.rd_mbps, on, off);
	f = classify_hysteresis(f, CLS_F_WRITE, t->bandwidth.wr_mbps, on, off);
	f = classify_hysteresis(f, CLS_F_LOCALITY, t->classify.locality, 80, 70);
	t->classify.flags = f;
}

static __always_inline void classify_runnable(struct task_struct *p, struct tsr_task __arena *t,
					      u64 enq_flags)
{
	classify_refresh(p, t);
	if (enq_flags & SCX_ENQ_WAKEUP)
		t->classify.flags = classify_by_wakeup(p, t, t->classify.flags);
}

/* Undo classify_running's count, in the domain it was made in. */
static __always_inline void classify_not_running(struct tsr_task __arena *t)
{
	u32 rw = t->classify.running_rw & 3, dom = t->classify.running_rw >> 2;

	if (rw == CLS_RW_NONE)
		return;
	t->classify.running_rw = 0;
	__sync_fetch_and_sub(&classify_dom_running[dom & (TSR_MAX_DOMS - 1)][(rw - 1) & 1], 1);
}

/* A task that never sleeps never becomes runnable again: look at it at each slice's end. */
static __always_inline void classify_stopping(struct task_struct *p, struct tsr_task __arena *t,
					      bool runnable)
{
	classify_not_running(t);
	if (runnable)
		classify_refresh(p, t);
}

static __always_inline void classify_quiescent(struct task_struct *p, struct tsr_task __arena *t,
					       u64 deq_flags)
{
	t->classify.flags &= ~CLS_F_PROMOTED;
}

/*
 * @p's place in its class queue: its vtime (at most a slice of credit from
 * sleeping, against the clocks of its CPUs if it may not run on all), less
 * its boost.
 */
static __always_inline u64 classify_key(struct task_struct *p, struct tsr_task __arena *t)
{
	u64 slice = tsr_slice();
	u64 floor = tsr_vclock_floor(p, TSR_VCLOCK_ALL_DOMS, classify, classify_clock);
	u64 vt = tsr_vclock_bound(&t->classify.v, classify_clock, floor, slice);

	return vt - classify_boost_ns(classify_boost(t->classify.flags), slice);
}

/* The CPUs of -n, or NULL when not limited. Under RCU. */
static __always_inline const struct cpumask *classify_use_mask(void)
{
	struct tsr_kmask *slot;
	u32 zero = 0;

	if (!classify_limited)
		return NULL;
	slot = bpf_map_lookup_elem(&classify_use_kmask, &zero);
	return slot ? (const struct cpumask *)slot->mask : NULL;
}

/* The CPUs of -n that @p may use, in this CPU's scratch mask; NULL if none (or not limited). */
static __always_inline const struct cpumask *classify_usable(struct task_struct *p)
{
	const struct cpumask *use = classify_use_mask();
	struct bpf_cpumask *scratch;

	if (!use)
		return NULL;
	scratch = tsr_scratch_kmask();
	if (!scratch || !bpf_cpumask_and(scratch, use, p->cpus_ptr))
		return NULL;
	return (const struct cpumask *)scratch;
}

/* The intensive tasks running in the cache domain of @cpu, by direction, into @in. */
static __always_inline void classify_dom_load(s32 cpu, struct classify_score_in *in)
{
	u32 dom = tsr_cpu_dom(cpu) & (TSR_MAX_DOMS - 1);

	in->running_rd = classify_dom_running[dom][0];
	in->running_wr = classify_dom_running[dom][1];
}

/* Keep @cpu as the pick when it scores higher than the pick so far (in the arena: see classify_cpu). */
static __always_inline void classify_score_one(struct classify_cpu __arena *pick, s32 cpu,
					       s32 score)
{
	if (score > pick->pick_score) {
		pick->pick_score = score;
		pick->pick_cpu = cpu;
	}
}

/*
 * The seed's CPU choice: the idle CPU in @allowed with the best score
 * (classify/score.h), prev_cpu first on ties, claimed; -1 if none is idle.
 * Every idle CPU is looked at, so this costs O(CPUs) per wake-up.
 */
static __noinline s32 classify_pick_scored(struct tsr_task __arena *t, s32 prev_cpu,
					   const struct cpumask *allowed)
{
	struct classify_cpu __arena *pick = &tsr_this_cpu()->classify;
	struct classify_score_in in = {};
	u32 nr = tsr_topo.nr_cpu_ids, mem_node, prev_dom;
	const struct cpumask *idle;
	s32 best, cpu;
	u32 cls;
	int i;

	if (nr > TSR_MAX_CPUS)
		nr = TSR_MAX_CPUS;
	if (prev_cpu < 0 || (u32)prev_cpu >= nr)
		prev_cpu = 0;
	cls = classify_class_of(t->classify.flags, t->bandwidth.rd_mbps, t->bandwidth.wr_mbps);
	in.vectordb = cls == CLS_VECTORDB;
	in.rw = classify_rw_of(cls);
	mem_node =
		t->classify.home.node1 ? t->classify.home.node1 - 1 : tsr_topo.cpu_node[prev_cpu];
	mem_node &= TSR_MAX_NODES - 1;
	prev_dom = tsr_cpu_dom(prev_cpu);
	pick->pick_cpu = -1;
	pick->pick_score = -1000000;
	idle = scx_bpf_get_idle_cpumask();
	bpf_for(i, 0, nr) {
		cpu = prev_cpu + i;
		if ((u32)cpu >= nr)
			cpu -= nr;
		if (!bpf_cpumask_test_cpu(cpu, allowed) || !bpf_cpumask_test_cpu(cpu, idle))
			continue;
		in.near_far = tsr_cpumask_test(&classify_near_far_cpus, cpu);
		in.distance = tsr_topo.node_distance[tsr_topo.cpu_node[cpu] & (TSR_MAX_NODES - 1)]
						    [mem_node];
		in.warm = tsr_cpu_dom(cpu) == prev_dom;
		classify_dom_load(cpu, &in);
		classify_score_one(pick, cpu, classify_cpu_score(&in));
	}
	scx_bpf_put_idle_cpumask(idle);
	best = pick->pick_cpu;
	if (best < 0 || !scx_bpf_test_and_clear_cpu_idle(best))
		return -1;
	pick->nr_scored++;
	if (in.vectordb && tsr_cpumask_test(&classify_near_far_cpus, best))
		pick->nr_scored_near_far++;
	return best;
}

/*
 * An idle CPU gets the task directly: the best-scoring one (unless -c),
 * else the kernel's pick; with -n, one of those CPUs the task may use.
 */
static __always_inline s32 classify_select_cpu(struct task_struct *p, struct tsr_task __arena *t,
					       s32 prev_cpu, u64 wake_flags,
					       struct tsr_placement *pl)
{
	const struct cpumask *usable = classify_usable(p);
	bool idle = false;
	s32 cpu = -1;

	if (!classify_no_scoring)
		cpu = classify_pick_scored(t, prev_cpu, usable ?: p->cpus_ptr);
	if (cpu >= 0) {
		idle = true;
	} else if (usable) {
		cpu = scx_bpf_pick_idle_cpu(usable, 0);
		idle = cpu >= 0;
		if (!idle)
			cpu = bpf_cpumask_test_cpu(prev_cpu, usable) ?
				      prev_cpu :
				      bpf_cpumask_any_distribute(usable);
	} else if (classify_no_scoring) {
		cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);
	} else {
		cpu = prev_cpu;
	}
	if (idle) {
		pl->direct = true;
		pl->slice = tsr_task_slice(p, t);
	}
	return cpu;
}

/*
 * The class queue, at the task's key; an idle CPU it may use is woken (with
 * -n, one of those). Alone on its CPU (SCX_ENQ_LAST) it runs on, unless -n
 * excludes that CPU and the task may run on one it includes.
 */
static __always_inline bool classify_enqueue(struct task_struct *p, struct tsr_task __arena *t,
					     u64 enq_flags)
{
	u32 cls = classify_class_of(t->classify.flags, t->bandwidth.rd_mbps, t->bandwidth.wr_mbps);
	const struct cpumask *usable = classify_usable(p);

	if ((enq_flags & SCX_ENQ_LAST) &&
	    !(usable && !bpf_cpumask_test_cpu(tsr_task_cpu(p), usable))) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, tsr_task_slice(p, t), enq_flags);
		return true;
	}
	t->classify.cls = cls;
	scx_bpf_dsq_insert_vtime(p, CLS_DSQ(cls), tsr_task_slice(p, t), classify_key(p, t),
				 enq_flags);
	tsr_this_cpu()->classify.nr_queued[cls & (CLS_NR - 1)]++;
	tsr_kick_idle(usable ?: p->cpus_ptr);
	return true;
}

/* The class whose head comes first (ties to the higher class), -1 if all are empty. */
static __always_inline s32 classify_first_class(void)
{
	struct task_struct *head;
	s32 best = -1, cls;
	u64 key = 0;

	for (cls = CLS_NR - 1; cls >= 0; cls--) {
		head = scx_bpf_dsq_peek(CLS_DSQ(cls));
		if (head && (best < 0 || (s64)(head->scx.dsq_vtime - key) < 0)) {
			best = cls;
			key = head->scx.dsq_vtime;
		}
	}
	return best;
}

static __always_inline void classify_note_queues(void)
{
	u64 now_j = bpf_jiffies64();
	s32 cls;

	if (now_j - classify_queued_at_j < 25)
		return;
	classify_queued_at_j = now_j;
	for (cls = 0; cls < CLS_NR; cls++)
		classify_queued_now[cls] = scx_bpf_dsq_nr_queued(CLS_DSQ(cls));
}

/*
 * A CPU -n leaves out serves only tasks that may run on none of the CPUs
 * it keeps (the first such in the seed's class order, each class by key),
 * and keeps such a prev; every other task waits for those CPUs.
 */
static __noinline bool classify_dispatch_outside(const struct cpumask *use, s32 cpu,
						 struct task_struct *prev, bool prev_waits)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *p;
	bool moved = false;
	s32 cls;

	for (cls = CLS_NR - 1; cls >= 0 && !moved; cls--) {
		if (bpf_iter_scx_dsq_new(&it, CLS_DSQ(cls), 0) == 0) {
			while ((p = bpf_iter_scx_dsq_next(&it))) {
				if (bpf_cpumask_intersects(use, p->cpus_ptr) ||
				    !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
					continue;
				moved = scx_bpf_dsq_move(&it, p, SCX_DSQ_LOCAL, 0);
				if (moved)
					break;
			}
		}
		bpf_iter_scx_dsq_destroy(&it);
	}
	if (moved)
		return true;
	if (!prev || !prev_waits || bpf_cpumask_intersects(use, prev->cpus_ptr))
		return false;
	scx_bpf_task_set_slice(prev, tsr_slice());
	return true;
}

/*
 * The first head of the four queues, unless prev (its slice used up) comes
 * before it; if that head may not run here, the first class in the seed's
 * order that has a task for this CPU.
 */
static __always_inline bool classify_dispatch(s32 cpu, struct task_struct *prev,
					      struct tsr_task __arena *prev_t)
{
	s32 best = classify_first_class(), cls;
	const struct cpumask *use = classify_use_mask();
	enum tsr_served served;

	classify_note_queues();
	if (use && !bpf_cpumask_test_cpu(cpu, use))
		return classify_dispatch_outside(use, cpu, prev, prev_t != NULL);
	served = tsr_dsq_serve(CLS_DSQ(best < 0 ? 0 : best), prev, prev_t,
			       prev_t ? classify_key(prev, prev_t) : 0,
			       prev_t ? tsr_task_slice(prev, prev_t) : 0);
	if (served == TSR_SERVED_PREV || served == TSR_SERVED_ALONE)
		tsr_vclock_kept(&classify_clock, &tsr_this_cpu()->classify.vclock,
				&prev_t->classify.v, served == TSR_SERVED_ALONE);
	if (served) {
		if (served == TSR_SERVED_HEAD)
			tsr_this_cpu()->classify.nr_dispatched[best & (CLS_NR - 1)]++;
		return true;
	}
	for (cls = CLS_NR - 1; cls >= 0; cls--) {
		if (cls != best && scx_bpf_dsq_move_to_local(CLS_DSQ(cls))) {
			tsr_this_cpu()->classify.nr_dispatched[cls & (CLS_NR - 1)]++;
			return true;
		}
	}
	return false;
}

/* Count @t as running in its CPU's domain when it is intensive (the -5 and +30 of the score). */
static __always_inline void classify_running(struct task_struct *p, struct tsr_task __arena *t)
{
	u32 rw = classify_rw_of(
		classify_class_of(t->classify.flags, t->bandwidth.rd_mbps, t->bandwidth.wr_mbps));
	u32 dom;

	tsr_vclock_advance(&classify_clock, &tsr_this_cpu()->classify.vclock, &t->classify.v);
	if (rw == CLS_RW_NONE)
		return;
	dom = tsr_task_dom(p);
	t->classify.running_rw = rw | (dom << 2);
	__sync_fetch_and_add(&classify_dom_running[dom & (TSR_MAX_DOMS - 1)][(rw - 1) & 1], 1);
}

static __always_inline void classify_charge(struct task_struct *p, struct tsr_task __arena *t,
					    u64 ran_ns)
{
	u32 node = tsr_topo.cpu_node[tsr_task_cpu(p) & (TSR_MAX_CPUS - 1)];

	t->classify.v.vtime += tsr_vtime_delta(p, ran_ns);
	t->classify.home = classify_home_step(t->classify.home, node, ran_ns);
}

static __always_inline void classify_enable(struct task_struct *p, struct tsr_task __arena *t)
{
	tsr_vclock_start(&t->classify.v, 0, &classify_clock);
	tsr_vclock_place(p, &t->classify.v, TSR_VCLOCK_ALL_DOMS, classify, classify_clock,
			 tsr_slice());
}

static __always_inline void classify_set_cpumask(struct task_struct *p, struct tsr_task __arena *t,
						 const struct cpumask *mask)
{
	tsr_vclock_place(p, &t->classify.v, TSR_VCLOCK_ALL_DOMS, classify, classify_clock,
			 tsr_slice());
}

static __always_inline bool classify_rescue(s32 cpu, u64 now_j, u64 starve_j)
{
	s32 cls;

	for (cls = CLS_NR - 1; cls >= 0; cls--)
		if (tsr_rescue_dsq(CLS_DSQ(cls), cpu, now_j, starve_j))
			return true;
	return false;
}

/* The kernel cpumask of -n's CPUs, from the arena mask userspace filled in. */
static __always_inline s32 classify_use_kmask_init(void)
{
	struct tsr_kmask *slot;
	u32 zero = 0;

	slot = bpf_map_lookup_elem(&classify_use_kmask, &zero);
	return slot ? tsr_kmask_fill(slot, &classify_use_cpus) : -ENOENT;
}

static __always_inline s32 classify_init(void)
{
	s32 cls, ret;

	for (cls = 0; cls < CLS_NR; cls++) {
		ret = scx_bpf_create_dsq(CLS_DSQ(cls), -1);
		if (ret)
			return ret;
	}
	return classify_limited ? classify_use_kmask_init() : 0;
}

#endif /* TSR_CLASSIFY_BPF_H */
