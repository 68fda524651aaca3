/* SPDX-License-Identifier: GPL-2.0 */
/*
 * deadline: per-domain DSQs (the framework's TSR_DSQ_DOM) ordered by
 * virtual deadline. A task's vtime advances by its run time scaled by
 * 1024/weight against its domain's virtual clock (framework/vclock.bpf.h);
 * a task that slept keeps at most one slice of credit. Its deadline is
 * vtime plus its lead, its expected run (average run per activation,
 * capped at the slice, weighted), pulled earlier for latency-sensitive
 * tasks: those that wake (or whose wakers wake) more often than is usual
 * in their domain. A FIFO mode replaces all of
 * this with arrival order. Tasks are queued in their own domain
 * (t->core.dom), never in the domain of the CPU that happens to enqueue them.
 */
#ifndef TSR_DEADLINE_BPF_H
#define TSR_DEADLINE_BPF_H

#include "../../framework/wake_rate.bpf.h"
#include "../../framework/log2.h"

#define DEADLINE_MAX_BOOST 12

const volatile bool deadline_fifo = false;
/* woken tasks with no idle CPU wait for their own (framework/cpu_queue.bpf.h) */
const volatile bool deadline_cpu_wait = true;
/* ... and preempt it when due before its task and not woken with the sync hint */
const volatile bool deadline_wake_preempt = true;
/* tasks off their CPU at a slice end or preempted wait for it again */
const volatile bool deadline_cpu_requeue = true;

static __always_inline u64 __arena *deadline_clock(u32 dom)
{
	return &tsr_doms[dom & (TSR_MAX_DOMS - 1)].deadline.vclock;
}

/* The task running on this CPU from now on, for the wake-ups that weigh it. */
static __always_inline void deadline_set_curr(struct tsr_task __arena *t)
{
	struct deadline_cpu __arena *dc = &tsr_this_cpu()->deadline;

	dc->curr_deadline = t->deadline.deadline;
	dc->curr_wake_freq = t->deadline.wake_freq;
	dc->curr_dom = t->core.dom;
	dc->curr_on = 1;
}

/* A woken task's waker is the task running on the waking CPU, read from that CPU's record. */
static __always_inline void deadline_runnable(struct task_struct *p, struct tsr_task __arena *t,
					      u64 enq_flags)
{
	struct deadline_cpu __arena *dc;

	t->deadline.run_ns = 0;
	if (!(enq_flags & SCX_ENQ_WAKEUP))
		return;
	tsr_wake_rate(&t->deadline.wake_freq, &t->deadline.last_wake_ns, tsr_now());
	dc = &tsr_this_cpu()->deadline;
	if (dc->curr_on)
		t->deadline.waker_freq = tsr_ewma(t->deadline.waker_freq, dc->curr_wake_freq);
}

/*
 * How far to pull the deadline in: how much more often than is usual in
 * its domain the task and its waker wake. Its wake level is the mean of
 * log2(1 + wake-ups per second) of the two (x16); the domain keeps the
 * running average of the levels queued there (EWMA, 1/64 new, x64 more),
 * and the boost is the task's excess over it, in whole log2 steps. So a
 * boost orders tasks only when some wake more often than the rest: under
 * a load where everyone wakes alike (hackbench), nearly nobody gets one.
 */
static __always_inline u32 deadline_boost(struct tsr_task __arena *t, u32 dom)
{
	u64 __arena *typical = &tsr_doms[dom & (TSR_MAX_DOMS - 1)].deadline.typical_wake;
	u64 level =
		8 * (tsr_log2(1 + t->deadline.wake_freq) + tsr_log2(1 + t->deadline.waker_freq));
	u64 avg = *typical, usual;
	u32 b;

	avg = avg ? avg - (avg >> 6) + level : level << 6;
	*typical = avg;
	usual = avg >> 6;
	if (level <= usual)
		return 0;
	b = (level - usual) / 16;
	return b > DEADLINE_MAX_BOOST ? DEADLINE_MAX_BOOST : b;
}

/*
 * Wake an idle CPU for a task just queued in @dom: one of the domain's own,
 * else one in a domain of the same node that the tuner marked kick_ok (it
 * will steal the task if a balancing module lets it). None for a task
 * allowed one CPU: the kernel wakes that one itself (tsr_kick_may_help()).
 */
static __always_inline void deadline_kick(struct task_struct *p, u32 dom)
{
	struct bpf_cpumask *scratch;
	u32 nr = tsr_nr_doms(), node = tsr_dom_node(dom);
	const struct cpumask *dm;
	int i;

	if (!tsr_kick_may_help(p))
		return;
	scratch = tsr_scratch_kmask();
	if (!scratch)
		return;
	bpf_for(i, 0, nr) {
		u32 d = (dom + i) % nr;

		if (i &&
		    (tsr_dom_node(d) != node || !tsr_doms[d & (TSR_MAX_DOMS - 1)].core.kick_ok))
			continue;
		dm = tsr_dom_kmask(d);
		if (dm && bpf_cpumask_and(scratch, dm, p->cpus_ptr) &&
		    tsr_kick_idle((const struct cpumask *)scratch))
			return;
	}
}

/*
 * @p's virtual deadline, from its vtime and its lead: its expected run (at
 * most @task_slice, the slice it is given), weighted and pulled in by the
 * boost set at its last enqueue. A task that @woke keeps at most one slice
 * of credit from sleeping.
 */
static __always_inline u64 deadline_key(struct task_struct *p, struct tsr_task __arena *t,
					bool woke, u64 task_slice)
{
	/*
	 * Read here, not passed down from the callers' own read: kept live
	 * through dispatch, it made the verifier's work on scx_wd40 grow (attach
	 * in the TCG guest 7.4 -> 9.5 s) for a load saved.
	 */
	u64 slice = tsr_slice(), expect, lead, vt;
	u32 dom = t->core.dom;

	/*
	 * Capped by its own slice, not the default one: a SCHED_IDLE hog that
	 * never slept expected 20 ms, a lead of 6.8 s of virtual time, and got
	 * no run in 4 s beside a nice-0 hog (the kernel gives it 0.3 %).
	 */
	expect = t->deadline.avg_run_ns ?: task_slice;
	if (expect > task_slice)
		expect = task_slice;
	/* a boost of b divides the expected run by 1 + b */
	lead = tsr_vtime_delta(p, expect) / (1 + t->deadline.lat_boost);
	/*
	 * Picked by deadline, a runnable task runs when its vtime trails the
	 * clock by about its own lead: its floor leaves room for that, or
	 * every enqueue would push it forward (nice 0 : nice 10 measured
	 * 17 : 1, simulated 35 : 1, not 9.3).
	 */
	vt = tsr_vclock_key(&t->deadline.v, dom, deadline_clock(t->deadline.v.dom),
			    deadline_clock(dom),
			    tsr_vclock_floor(p, dom, deadline, *deadline_clock(dom)),
			    woke ? slice : slice + lead);
	t->deadline.deadline = vt + lead;
	return t->deadline.deadline;
}

/*
 * Whether woken @t, due at @key, preempts the task running on @cpu: when
 * it is due earlier than that task was last given and @t was not woken
 * with the sync hint. Preempting for a sync wake-up made perf bench sched
 * pipe among CPU hogs take twice the time a message with twice to five
 * times the migrations (a waker about to sleep was preempted and went
 * elsewhere instead). Deadlines of two domains are on different clocks.
 */
static __always_inline bool deadline_preempts(struct tsr_task __arena *t, s32 cpu, u64 key)
{
	struct deadline_cpu __arena *dc = &tsr_cpu_rec(cpu)->deadline;

	if (!deadline_wake_preempt || (t->core.wake_flags & SCX_WAKE_SYNC))
		return false;
	return dc->curr_on && dc->curr_dom == t->core.dom && (s64)(key - dc->curr_deadline) < 0;
}

/*
 * Queue @p to wait for its CPU (woken: placement found no idle CPU for it,
 * its previous CPU or a sync waker's; else the CPU it just left); whether
 * it was. A woken task's CPU, if idle after all, is woken, else preempted
 * when deadline_preempts() says so; else an idle CPU of the domain is
 * woken if one appeared.
 */
static __always_inline bool deadline_wait_for_cpu(struct task_struct *p, struct tsr_task __arena *t,
						  u64 slice, u64 key, u64 enq_flags, bool woke)
{
	/* a woken task that runs briefly does not take turns: busy CPUs take it at the bound */
	bool turns = !woke || t->deadline.avg_run_ns >= slice;
	s32 cpu = tsr_task_cpu(p);

	if (!tsr_cpu_queue_insert(p, cpu, t->core.dom, slice, key, enq_flags, turns))
		return false;
	if (!woke) {
		deadline_kick(p, t->core.dom);
	} else if (scx_bpf_test_and_clear_cpu_idle(cpu)) {
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
	} else if (deadline_preempts(t, cpu, key)) {
		scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT);
		tsr_this_cpu()->deadline.nr_wake_preempt++;
	} else {
		deadline_kick(p, t->core.dom);
	}
	return true;
}

/*
 * Whether @p, being queued, waits for its CPU: woken, or off the CPU it
 * ran on at the end of its slice or preempted there (the kernel's own
 * scheduler keeps such a task on its CPU's queue; in the domain queue the
 * next CPU to free took it, most of a parallel build's compiler moves).
 */
static __always_inline bool deadline_waits_for_cpu(struct task_struct *p, u64 enq_flags, bool woke)
{
	if (woke)
		return true;
	return deadline_cpu_requeue && !p->scx.slice && !(enq_flags & SCX_ENQ_REENQ) &&
	       tsr_task_cpu(p) == tsr_cpu_id();
}

static __always_inline bool deadline_enqueue(struct task_struct *p, struct tsr_task __arena *t,
					     u64 enq_flags)
{
	u64 slice = tsr_task_slice(p, t), dsq = TSR_DSQ_DOM(t->core.dom), key;
	struct tsr_cpu __arena *c = tsr_this_cpu();
	bool woke = enq_flags & SCX_ENQ_WAKEUP;

	c->deadline.nr_queued++;
	if (deadline_fifo) {
		scx_bpf_dsq_insert(p, dsq, slice, enq_flags);
		deadline_kick(p, t->core.dom);
		return true;
	}
	t->deadline.lat_boost = deadline_boost(t, t->core.dom);
	if (t->deadline.lat_boost)
		c->deadline.nr_boosted++;
	if (t->deadline.lat_boost >= DEADLINE_BOOST_HIGH)
		c->deadline.nr_boost_high++;
	key = deadline_key(p, t, woke, slice);
	if (deadline_cpu_wait && deadline_waits_for_cpu(p, enq_flags, woke) &&
	    deadline_wait_for_cpu(p, t, slice, key, enq_flags, woke)) {
		if (woke)
			c->deadline.nr_cpu_wait++;
		else
			c->deadline.nr_cpu_requeue++;
		return true;
	}
	scx_bpf_dsq_insert_vtime(p, dsq, slice, key, enq_flags);
	deadline_kick(p, t->core.dom);
	return true;
}

static __always_inline void deadline_running(struct task_struct *p, struct tsr_task __arena *t)
{
	tsr_vclock_advance(deadline_clock(t->deadline.v.dom), &tsr_this_cpu()->deadline.vclock,
			   &t->deadline.v);
	deadline_set_curr(t);
}

/* Slices of virtual time (at most as much own run time) prev may pass a CPU-bound equal by. */
#define DEADLINE_ROTATE 3

/*
 * Slices of virtual time by which another CPU's waiter that takes turns
 * on its CPU must be due before what this CPU would run otherwise for
 * this CPU to take it: equals on one CPU take turns of up to 2 *
 * DEADLINE_ROTATE + 1 slices, so their keys drift that far apart, and a
 * take within that only swaps which task waits (without the margin,
 * takes of other CPUs' waiters were 1,540 of the 1,935 migrations of two
 * parallel builds). A task of another weight drifts past it within a
 * slice or two.
 */
#define DEADLINE_TAKE_MARGIN (2 * DEADLINE_ROTATE + 1)

/*
 * How far past @head (the first task prev competes with) prev's key may be
 * and prev keep the CPU: when the head weighs what prev does and has run a
 * whole slice since it woke (a CPU-bound task waiting its turn among
 * equals), DEADLINE_ROTATE slices of virtual time (at most that much of
 * prev's own run time), so that a domain with more such tasks than CPUs
 * rotates them every few slices instead of at every slice end, each turn a
 * migration; equals' shares do not depend on how long a turn is. Any other
 * head gets the CPU at the next slice end where its key is earlier, as
 * before.
 */
static __always_inline u64 deadline_prev_lead(struct task_struct *head, struct task_struct *prev)
{
	struct tsr_task __arena *ht;
	u64 slice = tsr_slice(), lead = DEADLINE_ROTATE * slice, own;

	if (!head || head->scx.weight != prev->scx.weight)
		return 0;
	ht = tsr_task_rec(head);
	if (!ht || ht->deadline.run_ns < slice)
		return 0;
	own = tsr_vtime_delta(prev, lead);
	return own < lead ? own : lead;
}

/*
 * This CPU's domain only: prev, if it would queue there again, competes
 * with the earlier of the domain's head and the task waiting for this CPU
 * (framework/cpu_queue.bpf.h); else that one, or from the domain's queue a
 * task that last ran here if one is near the head; about to go idle, a task
 * waiting for another CPU of the domain.
 */
static __always_inline bool deadline_dispatch(s32 cpu, struct task_struct *prev,
					      struct tsr_task __arena *prev_t)
{
	u32 dom = tsr_cpu_dom(cpu);
	bool joins = prev_t && prev_t->core.dom == dom;
	struct tsr_cpu_first first = { TSR_DSQ_DOM(dom), NULL, false };
	bool looked = deadline_cpu_wait; /* whether first.task is what the queue holds */
	u64 key = 0, slice = 0;
	enum tsr_served kept = TSR_SERVED_NONE, moved;
	struct tsr_cpu __arena *c;

	if (joins) {
		slice = tsr_task_slice(prev, prev_t);
		key = deadline_fifo ? TSR_KEY_TAIL : deadline_key(prev, prev_t, false, slice);
	}
	/* the first task found once, for every comparison below */
	if (deadline_cpu_wait)
		first = tsr_cpu_queue_first(cpu, dom, first.dsq, key,
					    DEADLINE_TAKE_MARGIN * tsr_slice());
	else if ((looked = joins && slice))
		first.task = tsr_dsq_first_for(first.dsq, cpu, tsr_nr_cpu_ids);
	if (joins && slice)
		kept = tsr_keeps_prev_over(first.task, prev, key, slice,
					   deadline_fifo ? 0 :
							   deadline_prev_lead(first.task, prev));
	if (kept) {
		/* kept: it does not pass through running */
		tsr_vclock_kept(deadline_clock(prev_t->deadline.v.dom),
				&tsr_this_cpu()->deadline.vclock, &prev_t->deadline.v,
				kept == TSR_SERVED_ALONE);
		deadline_set_curr(prev_t); /* its new deadline */
		tsr_this_cpu()->deadline.nr_local++;
		return true;
	}
	c = tsr_this_cpu();
	moved = TSR_SERVED_NONE;
	if (first.dsq != TSR_DSQ_DOM(dom) && tsr_cpu_queue_move(first.dsq)) {
		/* its own waiter, or one that waited for another CPU past the bound */
		moved = first.dsq == TSR_DSQ_CPU(cpu) ? TSR_SERVED_WARM : TSR_SERVED_HEAD;
		if (moved == TSR_SERVED_HEAD)
			c->deadline.nr_cpu_taken++;
	}
	/*
	 * Also when another CPU emptied the chosen wait queue first; not when
	 * the domain's queue was empty a moment ago. With no head seen (none of
	 * the first tasks may run here), no warm one is among them either:
	 * straight to the kernel's search of the queue.
	 */
	if (moved == TSR_SERVED_NONE && !first.dom_empty)
		moved = deadline_fifo || (looked && !first.task) ?
				tsr_dsq_move_head(TSR_DSQ_DOM(dom)) :
				tsr_dsq_move_warm(TSR_DSQ_DOM(dom), cpu, tsr_slice() / 2);
	/*
	 * Its own waiter, when the domain's queue had nothing this CPU may run
	 * after all; looked for whatever the stamp said, so that a waiter a
	 * race left unstamped waits no longer than this CPU's next dispatch.
	 */
	if (moved == TSR_SERVED_NONE && deadline_cpu_wait && first.dsq != TSR_DSQ_CPU(cpu) &&
	    tsr_cpu_queue_move(TSR_DSQ_CPU(cpu)))
		moved = TSR_SERVED_WARM;
	if (moved == TSR_SERVED_NONE) {
		if (!deadline_cpu_wait || !tsr_cpu_queue_take(cpu, dom))
			return false;
		c->deadline.nr_cpu_taken++;
		c->deadline.nr_cpu_taken_idle++;
		return true;
	}
	c->deadline.nr_local++;
	if (moved == TSR_SERVED_WARM)
		c->deadline.nr_warm++;
	return true;
}

static __always_inline void deadline_charge(struct task_struct *p, struct tsr_task __arena *t,
					    u64 ran_ns)
{
	t->deadline.v.vtime += tsr_vtime_delta(p, ran_ns);
	t->deadline.run_ns += ran_ns;
}

static __always_inline void deadline_stopping(struct task_struct *p, struct tsr_task __arena *t,
					      bool runnable)
{
	tsr_this_cpu()->deadline.curr_on = 0;
	if (!runnable)
		t->deadline.avg_run_ns = tsr_ewma(t->deadline.avg_run_ns, t->deadline.run_ns);
}

static __always_inline void deadline_enable(struct task_struct *p, struct tsr_task __arena *t)
{
	u32 dom = t->core.dom;

	tsr_vclock_start(&t->deadline.v, dom, deadline_clock(dom));
	tsr_vclock_place(p, &t->deadline.v, dom, deadline, *deadline_clock(dom), tsr_slice());
}

static __always_inline void deadline_set_cpumask(struct task_struct *p, struct tsr_task __arena *t,
						 const struct cpumask *mask)
{
	struct tsr_vtask __arena *v = &t->deadline.v;

	tsr_vclock_place(p, v, v->dom, deadline, *deadline_clock(v->dom), tsr_slice());
}

#endif /* TSR_DEADLINE_BPF_H */
