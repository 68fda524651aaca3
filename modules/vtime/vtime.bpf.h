/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtime: weighted virtual-time (or FIFO) ordering in the framework's DSQ per
 * domain (a task queues in the domain of the CPU it was on),
 * with the kernel's idle-CPU selection and direct dispatch to idle CPUs.
 * An idle CPU takes work from its own domain first, then from the others;
 * a busy one also from a domain with clearly more runnable weight per CPU.
 */
#ifndef TSR_VTIME_BPF_H
#define TSR_VTIME_BPF_H

const volatile bool vtime_fifo = false;

static __always_inline u64 __arena *vtime_clock(u32 dom)
{
	if (tsr_one_dom())
		dom = 0;
	return &tsr_doms[dom & (TSR_MAX_DOMS - 1)].vtime.vclock;
}

static __always_inline u64 vtime_dsq(u32 dom)
{
	return TSR_DSQ_DOM(dom);
}

static __always_inline s64 __arena *vtime_load(u32 dom)
{
	return &tsr_doms[dom & (TSR_MAX_DOMS - 1)].vtime.load;
}

/*
 * Count @p's weight in domain @dom while it is runnable (@dom < 0: in
 * none). Only with several domains, for the balance step in dispatch.
 */
static __always_inline void vtime_account(struct task_struct *p, struct tsr_task __arena *t,
					  s32 dom)
{
	u32 w = dom >= 0 ? tsr_task_weight(p) : 0;

	if (t->vtime.load_dom == dom && t->vtime.load_weight == w)
		return;
	if (t->vtime.load_dom >= 0)
		__sync_fetch_and_sub(vtime_load(t->vtime.load_dom), t->vtime.load_weight);
	if (dom >= 0)
		__sync_fetch_and_add(vtime_load(dom), w);
	t->vtime.load_dom = dom;
	t->vtime.load_weight = w;
}

/*
 * With one domain the clock moves where a run is charged, up to the key the
 * task was queued with (p->scx.dsq_vtime: where the run started), and to a
 * kept prev's new key, instead of in a running callback on every context
 * switch (vtime_idle_callbacks() leaves it out) or with a peek at the head
 * in every dispatch. It trails the CPUs' current runs by at most one run.
 * Only a run moves it, from where it started: the vtime charged at a slice
 * end (a SCHED_IDLE tick is 1.4 s of it) lifted every waiting task's floor
 * (SCHED_IDLE beside nice 0 got 8 % of a CPU, not 0.4 %), and so did the
 * key of a head pinned to another CPU. With several domains running moves
 * the task's weight and the clock.
 */
static __always_inline bool vtime_clock_at_charge(void)
{
	return tsr_one_dom();
}

/*
 * An idle CPU takes the task at once. Else every CPU it may use was busy a
 * moment ago, so its enqueue does not look for an idle CPU to wake again:
 * one going idle since then finds it in the queue on its way to idle, and
 * a busy one takes it at its slice end at the latest.
 */
static __always_inline s32 vtime_select_cpu(struct task_struct *p, struct tsr_task __arena *t,
					    s32 prev_cpu, u64 wake_flags, struct tsr_placement *pl)
{
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	if (!idle) {
		t->vtime.woke_busy = 1;
		return cpu;
	}
	pl->direct = true; /* counted by the framework (core.nr_direct) */
	pl->slice = tsr_task_slice(p, t);
	return cpu;
}

/*
 * @p's place in the queue of @dom: its vtime, keeping at most one @slice of
 * credit from sleeping (against the clocks of its CPUs if it may not run
 * on all).
 */
static __always_inline u64 vtime_key(struct task_struct *p, struct tsr_task __arena *t, u32 dom,
				     u64 slice)
{
	struct tsr_vtask __arena *v = &t->vtime.v;
	u64 __arena *clock = vtime_clock(dom);
	u64 floor = tsr_vclock_floor(p, dom, vtime, *clock);

	/* one domain, one clock: no move to rebase the vtime across */
	if (tsr_one_dom())
		return tsr_vclock_bound(v, *clock, floor, slice);
	return tsr_vclock_key(v, dom, vtime_clock(v->dom), clock, floor, slice);
}

static __always_inline bool vtime_enqueue(struct task_struct *p, struct tsr_task __arena *t,
					  u64 enq_flags)
{
	u32 dom = tsr_task_dom(p);
	u64 base = tsr_slice(), slice = tsr_task_slice_of(p, t, base);

	if (vtime_fifo)
		scx_bpf_dsq_insert(p, vtime_dsq(dom), slice, enq_flags);
	else
		scx_bpf_dsq_insert_vtime(p, vtime_dsq(dom), slice, vtime_key(p, t, dom, base),
					 enq_flags);
	/* wake an idle CPU allowed for p (it looks in every domain), unless placement just found none */
	if (t->vtime.woke_busy)
		t->vtime.woke_busy = 0;
	else
		tsr_kick_idle_for(p);
	return true;
}

/*
 * @p starts a run, or keeps its CPU as prev (tsr_dsq_keeps_prev(): it does
 * not pass through running), @alone if nothing queued could take the CPU.
 */
static __always_inline void vtime_kept(struct task_struct *p, struct tsr_task __arena *t,
				       bool alone)
{
	tsr_vclock_kept(vtime_clock(t->vtime.v.dom), &tsr_this_cpu()->vtime.vclock, &t->vtime.v,
			alone);
	/* taken by another domain's CPU: its weight counts there from now */
	if (tsr_nr_doms() > 1)
		vtime_account(p, t, tsr_task_dom(p));
}

static __always_inline void vtime_running(struct task_struct *p, struct tsr_task __arena *t)
{
	vtime_kept(p, t, false);
}

static __always_inline s32 vtime_init_task(struct task_struct *p, struct tsr_task __arena *t,
					   struct scx_init_task_args *args)
{
	t->vtime.load_dom = -1;
	return 0;
}

static __always_inline void vtime_runnable(struct task_struct *p, struct tsr_task __arena *t,
					   u64 enq_flags)
{
	if (tsr_nr_doms() > 1)
		vtime_account(p, t, tsr_task_dom(p));
}

static __always_inline void vtime_quiescent(struct task_struct *p, struct tsr_task __arena *t,
					    u64 deq_flags)
{
	vtime_account(p, t, -1);
}

static __always_inline void vtime_exit_task(struct task_struct *p, struct tsr_task __arena *t,
					    struct scx_exit_task_args *args)
{
	vtime_account(p, t, -1);
}

/*
 * The domain, if any, whose head this CPU should take so that runnable
 * weight per CPU evens out: moving a task of weight w from d to this
 * domain narrows their gap when w * (cpus(d) + cpus(own)) < 2 * gap, the
 * gap measured as load(d) * cpus(own) - load(own) * cpus(d). Counting
 * weight, not tasks, keeps a light task from getting a CPU of its own
 * while nice-0 tasks queue in the other domain. -1 if none.
 */
static __always_inline s32 vtime_busier_dom(u32 dom, u32 nr)
{
	s64 own_load = *vtime_load(dom), best_gain = 0;
	u64 own_cpus = tsr_dom_nr_cpus(dom);
	struct task_struct *head;
	s32 best = -1;
	int i;

	bpf_for(i, 1, nr) {
		u32 d = (dom + i) % nr;
		u64 cpus = tsr_dom_nr_cpus(d);
		s64 gap, gain;

		head = scx_bpf_dsq_peek(vtime_dsq(d));
		if (!head)
			continue;
		gap = *vtime_load(d) * (s64)own_cpus - own_load * (s64)cpus;
		gain = 2 * gap - (s64)tsr_task_weight(head) * (s64)(cpus + own_cpus);
		if (gain > best_gain) {
			best = d;
			best_gain = gain;
		}
	}
	return best;
}

/*
 * A domain with clearly more runnable weight per CPU gives one over; else
 * this CPU's domain (prev, queued there again if it is not kept, competes
 * with its head), then the other domains, unless prev still wants this CPU.
 */
static __always_inline bool vtime_dispatch(s32 cpu, struct task_struct *prev,
					   struct tsr_task __arena *prev_t)
{
	u32 nr = tsr_nr_doms(), dom = tsr_cpu_dom(cpu);
	u64 key = 0, slice = 0, base;
	enum tsr_served kept;
	int i;

	if (nr > 1) {
		s32 busier = vtime_busier_dom(dom, nr);

		if (busier >= 0 && scx_bpf_dsq_move_to_local(vtime_dsq(busier))) {
			tsr_this_cpu()->vtime.nr_balance++;
			return true;
		}
	}
	if (prev_t) {
		base = tsr_slice();
		key = vtime_fifo ? TSR_KEY_TAIL : vtime_key(prev, prev_t, dom, base);
		slice = tsr_task_slice_of(prev, prev_t, base);
	}
	kept = tsr_dsq_keeps_prev(vtime_dsq(dom), prev, prev_t, key, slice, 0);
	if (kept) {
		vtime_kept(prev, prev_t, kept == TSR_SERVED_ALONE);
		tsr_this_cpu()->vtime.nr_local++;
		return true;
	}
	if (scx_bpf_dsq_move_to_local(vtime_dsq(dom))) {
		tsr_this_cpu()->vtime.nr_local++;
		return true;
	}
	bpf_for(i, 1, nr) {
		if (scx_bpf_dsq_move_to_local(vtime_dsq((dom + i) % nr))) {
			tsr_this_cpu()->vtime.nr_steal++;
			return true;
		}
	}
	return false;
}

static __always_inline void vtime_charge(struct task_struct *p, struct tsr_task __arena *t,
					 u64 ran_ns)
{
	if (vtime_clock_at_charge())
		tsr_vclock_advance_to_key(vtime_clock(0), &tsr_this_cpu()->vtime.vclock,
					  p->scx.dsq_vtime);
	t->vtime.v.vtime += tsr_vtime_delta(p, ran_ns);
}

static __always_inline void vtime_enable(struct task_struct *p, struct tsr_task __arena *t)
{
	u32 dom = tsr_task_dom(p);

	tsr_vclock_start(&t->vtime.v, dom, vtime_clock(dom));
	tsr_vclock_place(p, &t->vtime.v, dom, vtime, *vtime_clock(dom), tsr_slice());
}

static __always_inline void vtime_set_cpumask(struct task_struct *p, struct tsr_task __arena *t,
					      const struct cpumask *mask)
{
	struct tsr_vtask __arena *v = &t->vtime.v;

	tsr_vclock_place(p, v, v->dom, vtime, *vtime_clock(v->dom), tsr_slice());
}

#endif /* TSR_VTIME_BPF_H */
