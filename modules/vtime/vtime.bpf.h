/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtime: weighted virtual-time (or FIFO) ordering in the framework's DSQ per
 * domain (a task queues in the domain of the CPU it was on),
 * with the kernel's idle-CPU selection and direct dispatch to idle CPUs.
 * An idle CPU takes work from its own domain first, then from the others.
 */
#ifndef TSR_VTIME_BPF_H
#define TSR_VTIME_BPF_H

const volatile bool vtime_fifo = false;

/* Largest vtime any task has started running with: the shared virtual clock. */
__u64 vtime_now;

static __always_inline u64 vtime_dsq(u32 dom)
{
	return TSR_DSQ_DOM(dom);
}

static __always_inline s32 vtime_select_cpu(struct task_struct *p, struct tsr_task __arena *t,
					    s32 prev_cpu, u64 wake_flags, struct tsr_placement *pl)
{
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	if (idle) {
		tsr_this_cpu()->vtime.nr_idle_pick++;
		pl->direct = true;
		pl->slice = tsr_task_slice(p, t);
	}
	return cpu;
}

/* @p's place in its queue: its vtime, keeping at most one slice of credit from sleeping. */
static __always_inline u64 vtime_key(struct tsr_task __arena *t)
{
	t->vtime.vtime = tsr_vtime_bound(t->vtime.vtime, vtime_now, tsr_slice());
	return t->vtime.vtime;
}

static __always_inline bool vtime_enqueue(struct task_struct *p, struct tsr_task __arena *t,
					  u64 enq_flags)
{
	u32 dom = tsr_cpu_dom(scx_bpf_task_cpu(p));
	u64 slice = tsr_task_slice(p, t);
	s32 idle;

	if (vtime_fifo)
		scx_bpf_dsq_insert(p, vtime_dsq(dom), slice, enq_flags);
	else
		scx_bpf_dsq_insert_vtime(p, vtime_dsq(dom), slice, vtime_key(t), enq_flags);
	tsr_this_cpu()->vtime.nr_queued++;
	/* wake an idle CPU allowed for p; it looks in every domain */
	idle = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (idle >= 0)
		scx_bpf_kick_cpu(idle, SCX_KICK_IDLE);
	return true;
}

static __always_inline void vtime_running(struct task_struct *p, struct tsr_task __arena *t)
{
	if ((s64)(t->vtime.vtime - vtime_now) > 0)
		vtime_now = t->vtime.vtime;
}

/*
 * This CPU's domain first (prev, queued there again if it is not kept,
 * competes with its head), then the other domains, unless prev still
 * wants this CPU.
 */
static __always_inline bool vtime_dispatch(s32 cpu, struct task_struct *prev,
					   struct tsr_task __arena *prev_t)
{
	u32 nr = tsr_nr_doms(), dom = tsr_cpu_dom(cpu);
	enum tsr_served served;
	u64 key = 0;
	int i;

	if (prev_t)
		key = vtime_fifo ? TSR_KEY_TAIL : vtime_key(prev_t);
	served = tsr_dsq_serve(vtime_dsq(dom), prev, prev_t, key,
			       prev_t ? tsr_task_slice(prev, prev_t) : 0);
	if (served == TSR_SERVED_PREV)
		vtime_running(prev, prev_t); /* kept: it does not pass through running */
	if (served) {
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
	t->vtime.vtime += tsr_vtime_delta(p, ran_ns);
}

static __always_inline void vtime_enable(struct task_struct *p, struct tsr_task __arena *t)
{
	t->vtime.vtime = vtime_now;
}

#endif /* TSR_VTIME_BPF_H */
