/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtime: weighted virtual-time (or FIFO) ordering in the framework's DSQ per
 * domain (a task queues in the domain of the CPU it was on),
 * with the kernel's idle-CPU selection and direct dispatch to idle CPUs.
 * An idle CPU takes work from its own domain first, then from the others.
 */
#ifndef TSR_VTIME_BPF_H
#define TSR_VTIME_BPF_H

const volatile __u64 vtime_slice_ns = 20000000ULL;
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
		pl->slice = vtime_slice_ns;
	}
	return cpu;
}

static __always_inline bool vtime_enqueue(struct task_struct *p, struct tsr_task __arena *t,
					  u64 enq_flags)
{
	u32 dom = tsr_cpu_dom(scx_bpf_task_cpu(p));
	u64 vt = t->vtime.vtime, floor = vtime_now - vtime_slice_ns;
	s32 idle;

	if (vtime_fifo) {
		scx_bpf_dsq_insert(p, vtime_dsq(dom), vtime_slice_ns, enq_flags);
	} else {
		/* a task that slept keeps at most one slice of credit */
		if ((s64)(vt - floor) < 0)
			vt = floor;
		scx_bpf_dsq_insert_vtime(p, vtime_dsq(dom), vtime_slice_ns, vt, enq_flags);
	}
	tsr_this_cpu()->vtime.nr_queued++;
	/* wake an idle CPU allowed for p; it looks in every domain */
	idle = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (idle >= 0)
		scx_bpf_kick_cpu(idle, SCX_KICK_IDLE);
	return true;
}

static __always_inline bool vtime_dispatch(s32 cpu, struct task_struct *prev)
{
	u32 nr = tsr_nr_doms(), dom = tsr_cpu_dom(cpu);
	int i;

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

static __always_inline void vtime_running(struct task_struct *p, struct tsr_task __arena *t)
{
	if ((s64)(t->vtime.vtime - vtime_now) > 0)
		vtime_now = t->vtime.vtime;
}

static __always_inline void vtime_stopping(struct task_struct *p, struct tsr_task __arena *t,
					   bool runnable)
{
	u64 used = vtime_slice_ns - p->scx.slice;

	if (p->scx.slice > vtime_slice_ns)
		used = 0;
	/* weight 100 is nice 0: heavier tasks age more slowly */
	t->vtime.vtime += used * 100 / (p->scx.weight ?: 1);
}

static __always_inline void vtime_enable(struct task_struct *p, struct tsr_task __arena *t)
{
	t->vtime.vtime = vtime_now;
}

#endif /* TSR_VTIME_BPF_H */
