/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU wait queues: a woken task that found no idle CPU waits for its
 * CPU (the one select_cpu left it on: its last, whose cache is warm, or a
 * sync waker's) instead of in its domain's shared queue, where whichever
 * CPU frees first takes it. On a parallel build that
 * shared queue made two of every three of scx_wd40's migrations: woken
 * tasks taken by another CPU of their domain (the kernel's own scheduler
 * queues them on their CPU). Ordered like the domain queue (the same keys).
 * The wait for its own CPU is bounded: a CPU about to go idle takes it at
 * once, and after TSR_CPU_WAIT_NS every CPU of the domain serves it as if
 * it were in the shared queue. At most one task waits per CPU.
 */
#ifndef TSR_CPU_QUEUE_BPF_H
#define TSR_CPU_QUEUE_BPF_H

/*
 * How long a task waits for its own CPU before busy CPUs of its domain
 * take it at their slice ends: a tick at 250 Hz, within which its CPU
 * ends its slice. At 0.5 ms (the kernel's migration cost) a waiter was
 * taken at nearly any slice end elsewhere, the task there waited in turn,
 * and so on: such takes were 1,380 of scx_wd40's 1,755 migrations on a
 * parallel build (its compilers moved 10-30x as often as the kernel's).
 * Sleepers among CPU hogs wait no longer a run for it: their wake-up
 * preempts, or an idle CPU takes them.
 */
#define TSR_CPU_WAIT_NS 4000000ULL

/*
 * When the task waiting for each CPU was queued (0: none); plain arrays,
 * the skeleton shows them. The stamps, not the queues, say whether
 * anybody waits: reading one is a load, asking a queue is a hash lookup
 * (scx_bpf_dsq_nr_queued() cost 149 of the 961 ns of scx_wd40's enqueue).
 */
__u64 tsr_cpu_wait_since[TSR_MAX_CPUS];
/*
 * Per domain, its CPUs whose tsr_cpu_wait_since is set: kept exact against
 * those stamps (each is exchanged, and counted only on 0 <-> set). A task
 * that leaves a wait queue by the kernel's hand (its affinity changed)
 * leaves its stamp set until a look finds the queue empty and clears it.
 */
__s32 tsr_dom_nr_waiting[TSR_MAX_DOMS];
/*
 * Whether the task waiting for each CPU takes turns with others there
 * (requeued at a slice end, or woken but running long): a busy CPU takes
 * it only past tsr_cpu_queue_first()'s margin.
 */
bool tsr_cpu_wait_turns[TSR_MAX_CPUS];
/* CPUs offline now: nothing is queued to wait for them. */
bool tsr_cpu_gone[TSR_MAX_CPUS];

static __always_inline __u64 *tsr_cpu_waiting(s32 cpu)
{
	return &tsr_cpu_wait_since[(u32)cpu & (TSR_MAX_CPUS - 1)];
}

static __always_inline __s32 *tsr_dom_waiters(u32 dom)
{
	return &tsr_dom_nr_waiting[dom & (TSR_MAX_DOMS - 1)];
}

/* Whether a task may wait for a CPU of @dom now: if none does, there is nothing to look at. */
static __always_inline bool tsr_dom_waiting(u32 dom)
{
	return *tsr_dom_waiters(dom) > 0;
}

/* Stamp @cpu's wait queue with @now (0: none waits), counting the change in its domain. */
static __always_inline void tsr_cpu_wait_stamp(s32 cpu, u64 now)
{
	u64 old = __sync_lock_test_and_set(tsr_cpu_waiting(cpu), now);
	s32 *nr = tsr_dom_waiters(tsr_cpu_dom(cpu));

	if (!old && now)
		__sync_fetch_and_add(nr, 1);
	else if (old && !now)
		__sync_fetch_and_sub(nr, 1);
}

static __always_inline bool tsr_cpu_queue_ok(struct task_struct *p, u32 dom, s32 cpu)
{
	return (u32)cpu < TSR_MAX_CPUS && tsr_cpu_dom(cpu) == dom && !tsr_cpu_gone[cpu] &&
	       bpf_cpumask_test_cpu(cpu, p->cpus_ptr);
}

/*
 * @cpu's wait queue was found empty under stamp @since (its task left by
 * the kernel's hand, or the stamp came after a take): clear the stamp
 * unless a new insert replaced it.
 */
static __always_inline void tsr_cpu_wait_unstamp(s32 cpu, u64 since)
{
	if (__sync_val_compare_and_swap(tsr_cpu_waiting(cpu), since, 0) == since)
		__sync_fetch_and_sub(tsr_dom_waiters(tsr_cpu_dom(cpu)), 1);
}

/*
 * @cpu's wait queue was found empty under stamp @since at @now: its task
 * left by the kernel's hand if the stamp is older than TSR_CPU_WAIT_NS.
 * A fresh one is left alone: a task is in the queue only once the enqueue
 * that stamped it has returned (the kernel inserts it then), and a stamp
 * cleared in between leaves it waiting unseen.
 */
static __always_inline void tsr_cpu_wait_stale(s32 cpu, u64 since, u64 now)
{
	if (since && (s64)(now - since) >= (s64)TSR_CPU_WAIT_NS)
		tsr_cpu_wait_unstamp(cpu, since);
}

/*
 * Queue @p on the wait queue of @cpu, its CPU (tsr_task_cpu()), with
 * @key when that CPU is in @dom, online, allowed, and nobody waits there
 * yet (by its stamp: one left by a task the kernel took out keeps others
 * off until a look finds it stale, tsr_cpu_wait_stale()); whether it was
 * queued. @turns: it takes turns with the tasks there (tsr_cpu_wait_turns).
 */
static __always_inline bool tsr_cpu_queue_insert(struct task_struct *p, s32 cpu, u32 dom, u64 slice,
						 u64 key, u64 enq_flags, bool turns)
{
	if (!tsr_cpu_queue_ok(p, dom, cpu) || *tsr_cpu_waiting(cpu))
		return false;
	tsr_cpu_wait_turns[cpu & (TSR_MAX_CPUS - 1)] = turns;
	scx_bpf_dsq_insert_vtime(p, TSR_DSQ_CPU(cpu), slice, key, enq_flags);
	tsr_cpu_wait_stamp(cpu, tsr_now());
	return true;
}

/*
 * Of the tasks waiting for other CPUs of @dom for at least @min_wait_ns
 * that may run on @cpu, the one with the earliest key if before
 * @best_key, by more than @margin if it takes turns (any when @best_key
 * is 0): its CPU's wait queue, or 0. One pass over the domain's CPUs,
 * reading a timestamp each; queues are looked at only for stamped waits
 * past the bound. A waiter a race left unstamped (two inserts at once, the
 * second stamp cleared with the first waiter's leaving) is not seen here:
 * its own CPU serves it at its next dispatch, within a slice (gone
 * offline, the rescue does, core.bpf.c).
 */
static __noinline u64 tsr_cpu_queue_overdue(s32 cpu, u32 dom, u64 min_wait_ns, u64 best_key,
					    u64 margin)
{
	u32 at = TSR_DOM_AT(dom), end = TSR_DOM_AT(dom + 1);
	u64 now = tsr_now(), best = 0, m;
	struct task_struct *head;
	u32 i;

	bpf_for(i, at, end) {
		u32 other = tsr_dom_cpu(i);
		u64 since = *tsr_cpu_waiting(other);

		if (other == cpu)
			continue;
		if (!since || now - since < min_wait_ns)
			continue;
		head = scx_bpf_dsq_peek(TSR_DSQ_CPU(other));
		if (!head)
			tsr_cpu_wait_stale(other, since, now);
		if (!head || !bpf_cpumask_test_cpu(cpu, head->cpus_ptr))
			continue;
		m = !best && tsr_cpu_wait_turns[other & (TSR_MAX_CPUS - 1)] ? margin : 0;
		if (best_key && (s64)(head->scx.dsq_vtime + m - best_key) >= 0)
			continue;
		best_key = head->scx.dsq_vtime;
		best = TSR_DSQ_CPU(other);
	}
	return best;
}

/*
 * The queue a CPU serves next, and the first task there it may run (NULL:
 * none; or, for the CPU's own queue with no prev to weigh, not looked at).
 */
struct tsr_cpu_first {
	u64 dsq;
	struct task_struct *task;
	bool dom_empty; /* the domain queue held nothing when looked at */
};

/*
 * The queue @cpu serves next: of the vtime-ordered domain queue @dsq of
 * @dom, @cpu's own wait queue and the other CPUs' wait queues whose task
 * waited past TSR_CPU_WAIT_NS, the one with the earliest head (ties: @dsq,
 * then @cpu's own); another CPU's only when its head is more than @margin
 * earlier than the others' and than @prev_key, the key of the task that
 * would go on running here (0: none), if it takes turns there
 * (tsr_cpu_queue_insert()). Taking another CPU's waiter is a migration,
 * and among tasks that take turns on their CPUs it only swaps which one
 * waits: @margin is what such a take must buy. Others, such as a woken
 * task that runs briefly, are served at the first chance. With the queue,
 * the task found there, so that the caller need not look it up again.
 */
static __always_inline struct tsr_cpu_first tsr_cpu_queue_first(s32 cpu, u32 dom, u64 dsq,
								u64 prev_key, u64 margin)
{
	struct task_struct *raw = scx_bpf_dsq_peek(dsq), *mine = NULL;
	struct task_struct *head = tsr_dsq_first_after(raw, dsq, cpu, tsr_nr_cpu_ids);
	struct tsr_cpu_first first = { dsq, head, !raw };
	u64 key = head ? head->scx.dsq_vtime : 0, since = *tsr_cpu_waiting(cpu), other, ref;

	/*
	 * Its own waiter alone, with nothing to weigh it against: the caller
	 * moves it without a look (tsr_cpu_queue_move() clears a stale stamp).
	 */
	if (since && !raw && !prev_key && *tsr_dom_waiters(dom) <= 1) {
		first.dsq = TSR_DSQ_CPU(cpu);
		return first;
	}
	/*
	 * Unstamped, only a race's waiter can be there: looked for when prev
	 * would be kept over it (kept alone, it would be kept again and again),
	 * else served by the caller's last look.
	 */
	if (since || prev_key)
		mine = scx_bpf_dsq_peek(TSR_DSQ_CPU(cpu));
	if (mine && (!head || (s64)(mine->scx.dsq_vtime - key) < 0)) {
		first.dsq = TSR_DSQ_CPU(cpu);
		first.task = mine;
		key = mine->scx.dsq_vtime;
	}
	/* its waiter left by the kernel's hand: others may queue for this CPU again */
	if (since && !mine)
		tsr_cpu_wait_stale(cpu, since, tsr_now());
	if (*tsr_dom_waiters(dom) <= (mine ? 1 : 0))
		return first;
	ref = (head || mine) ? key : 0;
	if (prev_key && (!ref || (s64)(prev_key - ref) < 0))
		ref = prev_key;
	other = tsr_cpu_queue_overdue(cpu, dom, TSR_CPU_WAIT_NS, ref, margin);
	if (other) {
		first.dsq = other;
		first.task = scx_bpf_dsq_peek(other);
	}
	return first;
}

/*
 * A task left @dsq (any DSQ): if it was a wait queue, nobody waits there
 * now. None is queued while a stamp is set, so it was the only one; a
 * second that a race let in is served by its CPU's own last look.
 */
static __always_inline void tsr_cpu_queue_left(u64 dsq)
{
	if ((dsq >> 32) == 1)
		tsr_cpu_wait_stamp(dsq & 0xffffffff, 0);
}

/*
 * Move the head of wait queue @dsq (@cpu's own or another's) to @cpu;
 * whether one moved. Found empty under an old stamp (tsr_cpu_wait_stale()),
 * the stamp goes: others may queue there again.
 */
static __always_inline bool tsr_cpu_queue_move(u64 dsq)
{
	u64 since;

	if (scx_bpf_dsq_move_to_local(dsq)) {
		tsr_cpu_queue_left(dsq);
		return true;
	}
	since = *tsr_cpu_waiting(dsq & 0xffffffff);
	if (since && !scx_bpf_dsq_nr_queued(dsq))
		tsr_cpu_wait_stale(dsq & 0xffffffff, since, tsr_now());
	return false;
}

/* This CPU would go idle: take the earliest task waiting for another CPU of @dom. */
static __always_inline bool tsr_cpu_queue_take(s32 cpu, u32 dom)
{
	u64 dsq;

	if (!tsr_dom_waiting(dom))
		return false;
	dsq = tsr_cpu_queue_overdue(cpu, dom, 0, 0, 0);

	return dsq && tsr_cpu_queue_move(dsq);
}

/* Rescue (core.bpf.c) for the wait queues of @dom's CPUs, offline ones included. */
static __noinline bool tsr_cpu_queue_rescue(s32 cpu, u32 dom, u64 now_j, u64 starve_j)
{
	u32 at = TSR_DOM_AT(dom), end = TSR_DOM_AT(dom + 1);
	u32 i;

	bpf_for(i, at, end) {
		u32 other = tsr_dom_cpu(i);

		if (scx_bpf_dsq_nr_queued(TSR_DSQ_CPU(other)) &&
		    tsr_rescue_dsq(TSR_DSQ_CPU(other), cpu, now_j, starve_j)) {
			tsr_cpu_queue_left(TSR_DSQ_CPU(other));
			return true;
		}
	}
	return false;
}

/* At init: one wait queue per possible CPU, on its node. */
static __always_inline s32 tsr_cpu_queues_create(void)
{
	u32 n = tsr_nr_cpu_ids < TSR_MAX_CPUS ? tsr_nr_cpu_ids : TSR_MAX_CPUS;
	u32 i;
	s32 ret;

	bpf_for(i, 0, n) {
		s16 node = tsr_topo.cpu_node[i];

		ret = scx_bpf_create_dsq(TSR_DSQ_CPU(i), node >= 0 ? node : -1);
		if (ret)
			return ret;
	}
	return 0;
}

#endif /* TSR_CPU_QUEUE_BPF_H */
