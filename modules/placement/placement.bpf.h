/* SPDX-License-Identifier: GPL-2.0 */
/*
 * placement: where a waking task runs. In order, each path counted:
 * a task allowed on one CPU goes there; a sync wake-up goes to the waker's
 * CPU when that CPU has nothing else queued and is in the task's domain;
 * the previous CPU if its whole core is idle, or if it is idle itself (as
 * the kernel's own scheduler prefers: its cache is warm and staying is no
 * migration); an idle whole core in the task's domain; any idle CPU there;
 * an idle CPU in another domain of the same node that the tuner marked
 * under-used ("direct greedy"). A chosen idle CPU gets the task directly.
 * With nothing idle, a sync wake-up is queued for the waker's CPU, any
 * other for its previous CPU.
 * Every choice is within p->cpus_ptr.
 */
#ifndef TSR_PLACEMENT_BPF_H
#define TSR_PLACEMENT_BPF_H

const volatile bool placement_kthreads_local = false;

static __always_inline s32 placement_done(struct tsr_placement *pl, enum placement_path path,
					  s32 cpu, s32 prev_cpu, bool direct)
{
	struct tsr_cpu __arena *c = tsr_this_cpu();

	if (path < PLACE_NR_PATHS)
		c->placement.nr[path]++;
	if (cpu != prev_cpu)
		c->placement.nr_moved++;
	if (direct) /* counted by the framework (core.nr_direct) */
		pl->direct = true;
	return cpu;
}

/* Claim an idle CPU in @within that @p may use; -1 when there is none. */
static __always_inline s32 placement_pick(struct task_struct *p, const struct cpumask *within,
					  struct bpf_cpumask *scratch, u64 flags)
{
	if (!within || !scratch)
		return -1;
	if (!bpf_cpumask_and(scratch, within, p->cpus_ptr))
		return -1;
	return scx_bpf_pick_idle_cpu((const struct cpumask *)scratch, flags);
}

static __always_inline bool placement_prev_core_idle(s32 prev_cpu)
{
	const struct cpumask *idle_smt = scx_bpf_get_idle_smtmask();
	bool idle = bpf_cpumask_test_cpu(prev_cpu, idle_smt);

	scx_bpf_put_idle_cpumask(idle_smt);
	return idle && scx_bpf_test_and_clear_cpu_idle(prev_cpu);
}

static __always_inline s32 placement_select_cpu(struct task_struct *p, struct tsr_task __arena *t,
						s32 prev_cpu, u64 wake_flags,
						struct tsr_placement *pl)
{
	u32 dom = t->core.dom, nr_doms = tsr_nr_doms(), node = tsr_dom_node(dom);
	s32 this_cpu = tsr_cpu_id(), cpu;
	struct bpf_cpumask *scratch;
	int d;

	if (p->nr_cpus_allowed == 1) {
		cpu = bpf_cpumask_first(p->cpus_ptr);
		if (placement_kthreads_local && (p->flags & PF_KTHREAD))
			return placement_done(pl, PLACE_KTHREAD, cpu, prev_cpu, true);
		return placement_done(pl, PLACE_PINNED, cpu, prev_cpu,
				      scx_bpf_test_and_clear_cpu_idle(cpu));
	}
	if ((wake_flags & SCX_WAKE_SYNC) && tsr_cpu_dom(this_cpu) == dom &&
	    bpf_cpumask_test_cpu(this_cpu, p->cpus_ptr) &&
	    !scx_bpf_dsq_nr_queued(SCX_DSQ_LOCAL_ON | this_cpu) &&
	    !scx_bpf_dsq_nr_queued(TSR_DSQ_DOM(dom)))
		return placement_done(pl, PLACE_SYNC, this_cpu, prev_cpu, true);
	if (tsr_cpu_dom(prev_cpu) == dom && bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr)) {
		if (placement_prev_core_idle(prev_cpu))
			return placement_done(pl, PLACE_PREV_CORE, prev_cpu, prev_cpu, true);
		if (scx_bpf_test_and_clear_cpu_idle(prev_cpu))
			return placement_done(pl, PLACE_PREV_CPU, prev_cpu, prev_cpu, true);
	}
	scratch = tsr_scratch_kmask();
	cpu = placement_pick(p, tsr_dom_kmask(dom), scratch, SCX_PICK_IDLE_CORE);
	if (cpu >= 0)
		return placement_done(pl, PLACE_DOM_CORE, cpu, prev_cpu, true);
	cpu = placement_pick(p, tsr_dom_kmask(dom), scratch, 0);
	if (cpu >= 0)
		return placement_done(pl, PLACE_DOM_CPU, cpu, prev_cpu, true);
	bpf_for(d, 0, nr_doms) {
		if (d == dom || tsr_dom_node(d) != node ||
		    !tsr_doms[d & (TSR_MAX_DOMS - 1)].core.greedy_ok)
			continue;
		cpu = placement_pick(p, tsr_dom_kmask(d), scratch, 0);
		if (cpu >= 0)
			return placement_done(pl, PLACE_GREEDY, cpu, prev_cpu, true);
	}
	/*
	 * Nothing idle. A sync waker is about to sleep: its CPU frees first,
	 * so the task is queued for it (the kernel's wake-affine), where a
	 * module that keeps woken tasks waiting for their CPU serves it.
	 */
	if ((wake_flags & SCX_WAKE_SYNC) && tsr_cpu_dom(this_cpu) == dom &&
	    bpf_cpumask_test_cpu(this_cpu, p->cpus_ptr))
		return placement_done(pl, PLACE_NONE, this_cpu, prev_cpu, false);
	return placement_done(pl, PLACE_NONE, prev_cpu, prev_cpu, false);
}

#endif /* TSR_PLACEMENT_BPF_H */
