/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU hotplug without a reload. Without ops.cpu_online/cpu_offline the
 * kernel ejects the scheduler at every hotplug and the runner reloads: under
 * load that leaves the machine on the default scheduler for tens of seconds
 * (a reload of scx_wd40 took 17-20 s in the soak), long enough for a
 * nice-19 kernel thread preempted inside an RCU read section to stall RCU.
 * So the scheduler stays: a CPU of the load-time topology going offline
 * leaves its domain to the others (a domain with no CPU online left is
 * served by every CPU), and coming back rejoins it. Only a CPU the topology
 * does not know (offline at load) asks for a reload, to be placed.
 */
#ifndef TSR_HOTPLUG_BPF_H
#define TSR_HOTPLUG_BPF_H

/* Domains with no CPU online: their queues are served by any CPU. */
__u32 tsr_nr_orphan_doms;
/* CPUs online now, of those the topology knows. */
__s32 tsr_nr_online;

static __always_inline bool tsr_cpu_known(s32 cpu)
{
	return (u32)cpu < TSR_MAX_CPUS && tsr_topo.cpu_core[cpu] >= 0;
}

static __always_inline bool tsr_dom_orphaned(u32 dom)
{
	return tsr_doms[dom & (TSR_MAX_DOMS - 1)].core.nr_online <= 0;
}

/*
 * Wake one idle CPU of a domain still online to serve the orphaned queues.
 * Tasks already queued when their domain's last CPU left get no enqueue,
 * so nothing else would wake the idle CPUs for them (seen: eight hogs of a
 * lost domain waited 6 s beside four idle CPUs).
 */
static __always_inline void tsr_orphan_wake_one(void)
{
	u32 nr = tsr_nr_doms();
	int i;

	bpf_for(i, 0, nr) {
		if (!tsr_dom_orphaned(i) && tsr_kick_idle(tsr_dom_kmask(i)))
			return;
	}
}

/*
 * @cpu went offline and its domain still has CPUs: wake an idle one of
 * them to take the task waiting for @cpu (framework/cpu_queue.bpf.h).
 */
static __always_inline void tsr_cpu_queue_handoff(s32 cpu)
{
	if (scx_bpf_dsq_nr_queued(TSR_DSQ_CPU(cpu)))
		tsr_kick_idle(tsr_dom_kmask(tsr_cpu_dom(cpu)));
}

void BPF_STRUCT_OPS(tsr_cpu_online, s32 cpu)
{
	struct tsr_dom __arena *d;

	if (!tsr_cpu_known(cpu)) {
		tsr_exit_with(SCX_ECODE_ACT_RESTART | SCX_ECODE_RSN_HOTPLUG,
			      "cpu %d came online and is not in the topology: reloading", cpu);
		return;
	}
	tsr_cpu_gone[cpu & (TSR_MAX_CPUS - 1)] = false;
	d = &tsr_doms[tsr_cpu_dom(cpu)];
	if (__sync_fetch_and_add(&d->core.nr_online, 1) == 0)
		__sync_fetch_and_sub(&tsr_nr_orphan_doms, 1);
	__sync_fetch_and_add(&tsr_nr_online, 1);
}

void BPF_STRUCT_OPS(tsr_cpu_offline, s32 cpu)
{
	struct tsr_dom __arena *d;

	if (!tsr_cpu_known(cpu))
		return;
	tsr_cpu_gone[cpu & (TSR_MAX_CPUS - 1)] = true;
	d = &tsr_doms[tsr_cpu_dom(cpu)];
	__sync_fetch_and_sub(&tsr_nr_online, 1);
	if (__sync_fetch_and_sub(&d->core.nr_online, 1) != 1) {
		tsr_cpu_queue_handoff(cpu);
		return;
	}
	__sync_fetch_and_add(&tsr_nr_orphan_doms, 1);
	if (scx_bpf_dsq_nr_queued(TSR_DSQ_DOM(tsr_cpu_dom(cpu))) ||
	    scx_bpf_dsq_nr_queued(TSR_DSQ_CPU(cpu)))
		tsr_orphan_wake_one();
}

/*
 * Take a task from a domain that has no CPU online; whether one was taken.
 * If more wait there, one more idle CPU is woken to take the next.
 */
static __always_inline bool tsr_serve_orphans(void)
{
	u32 nr = tsr_nr_doms();
	int i;

	if (!tsr_nr_orphan_doms)
		return false;
	bpf_for(i, 0, nr) {
		if (!tsr_dom_orphaned(i))
			continue;
		if (scx_bpf_dsq_move_to_local(TSR_DSQ_DOM(i))) {
			if (scx_bpf_dsq_nr_queued(TSR_DSQ_DOM(i)))
				tsr_orphan_wake_one();
			return true;
		}
		if (tsr_cpu_queue_take(tsr_cpu_id(), i))
			return true;
	}
	return false;
}

/*
 * Whether this CPU serves the orphaned domains before its own work: in
 * proportion to their queue lengths against its own domain's, so neither
 * side starves the other.
 */
static __always_inline bool tsr_orphan_turn(s32 cpu)
{
	u32 nr = tsr_nr_doms();
	u64 orphans = 0, own;
	int i;

	if (!tsr_nr_orphan_doms)
		return false;
	bpf_for(i, 0, nr) {
		if (tsr_dom_orphaned(i))
			orphans += scx_bpf_dsq_nr_queued(TSR_DSQ_DOM(i));
	}
	if (!orphans)
		return false;
	own = scx_bpf_dsq_nr_queued(TSR_DSQ_DOM(tsr_cpu_dom(cpu))) + 1;
	return bpf_get_prandom_u32() % (orphans + own) < orphans;
}

/* @t was queued in a domain with no CPU online: wake an idle CPU elsewhere to take it. */
static __always_inline void tsr_orphan_kick(struct task_struct *p, struct tsr_task __arena *t)
{
	if (tsr_nr_orphan_doms && tsr_dom_orphaned(t->core.dom))
		tsr_kick_idle(p->cpus_ptr);
}

#endif /* TSR_HOTPLUG_BPF_H */
