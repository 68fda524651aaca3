/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel cpumasks of the topology's domains (the idle-CPU kfuncs take
 * struct cpumask, not arena bitmaps), built in ops.init from the arena, plus
 * one scratch mask per CPU for intersections with a task's cpus_ptr.
 */
#ifndef TSR_KMASK_BPF_H
#define TSR_KMASK_BPF_H

struct tsr_kmask {
	struct bpf_cpumask __kptr *mask;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TSR_MAX_DOMS);
	__type(key, u32);
	__type(value, struct tsr_kmask);
} tsr_dom_kmasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct tsr_kmask);
} tsr_scratch_kmasks SEC(".maps");

/* Put a fresh cpumask into @slot; returns it (still owned by the map) or NULL. */
static __always_inline struct bpf_cpumask *tsr_kmask_install(struct tsr_kmask *slot)
{
	struct bpf_cpumask *m = bpf_cpumask_create(), *old;

	if (!m)
		return NULL;
	old = bpf_kptr_xchg(&slot->mask, m);
	if (old)
		bpf_cpumask_release(old);
	return slot->mask;
}

/* Install in @slot a kernel cpumask of the CPUs in arena mask @from. Sleepable context (ops.init). */
static __always_inline s32 tsr_kmask_fill(struct tsr_kmask *slot, struct tsr_cpumask __arena *from)
{
	u32 nr_cpus = tsr_topo.nr_cpu_ids;
	struct bpf_cpumask *m;
	int cpu;

	if (nr_cpus > TSR_MAX_CPUS)
		nr_cpus = TSR_MAX_CPUS;
	bpf_rcu_read_lock();
	m = tsr_kmask_install(slot);
	if (m) {
		bpf_for(cpu, 0, nr_cpus) {
			if (tsr_cpumask_test(from, cpu))
				bpf_cpumask_set_cpu(cpu, m);
		}
	}
	bpf_rcu_read_unlock();
	return m ? 0 : -ENOMEM;
}

/* Build every domain's mask and every CPU's scratch mask. Sleepable context (ops.init). */
static __always_inline s32 tsr_kmasks_init(void)
{
	u32 nr_doms = tsr_nr_doms(), nr_cpus = tsr_topo.nr_cpu_ids;
	struct bpf_cpumask *m;
	struct tsr_kmask *slot;
	u32 zero = 0;
	int d, cpu, ret;

	if (nr_cpus > TSR_MAX_CPUS)
		nr_cpus = TSR_MAX_CPUS;
	bpf_for(d, 0, nr_doms) {
		slot = bpf_map_lookup_elem(&tsr_dom_kmasks, &d);
		if (!slot)
			return -ENOENT;
		ret = tsr_kmask_fill(slot, &tsr_topo.dom_cpus[d]);
		if (ret)
			return ret;
	}
	bpf_for(cpu, 0, nr_cpus) {
		slot = bpf_map_lookup_percpu_elem(&tsr_scratch_kmasks, &zero, cpu);
		if (!slot)
			return -ENOENT;
		bpf_rcu_read_lock();
		m = tsr_kmask_install(slot);
		bpf_rcu_read_unlock();
		if (!m)
			return -ENOMEM;
	}
	return 0;
}

/* The kernel cpumask of domain @dom, or NULL. Under RCU (any non-sleepable callback). */
static __always_inline const struct cpumask *tsr_dom_kmask(u32 dom)
{
	struct tsr_kmask *slot = bpf_map_lookup_elem(&tsr_dom_kmasks, &dom);

	return slot ? (const struct cpumask *)slot->mask : NULL;
}

/* This CPU's scratch mask, or NULL. Under RCU. */
static __always_inline struct bpf_cpumask *tsr_scratch_kmask(void)
{
	u32 zero = 0;
	struct tsr_kmask *slot = bpf_map_lookup_elem(&tsr_scratch_kmasks, &zero);

	return slot ? slot->mask : NULL;
}

/*
 * Claim an idle CPU of @mask and wake it (it then dispatches from the
 * queues it serves); whether there was one.
 */
static __always_inline bool tsr_kick_idle(const struct cpumask *mask)
{
	s32 cpu = mask ? scx_bpf_pick_idle_cpu(mask, 0) : -1;

	if (cpu < 0)
		return false;
	scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
	return true;
}

/*
 * Whether waking an idle CPU for queued @p can help. Not for a task allowed
 * one CPU only: it is queued on that CPU's run queue, and the kernel
 * reschedules it there itself when it is idle (wakeup_preempt(): a class
 * above idle's).
 */
static __always_inline bool tsr_kick_may_help(const struct task_struct *p)
{
	return p->nr_cpus_allowed > 1;
}

/* Wake an idle CPU for queued @p, when that can help. */
static __always_inline void tsr_kick_idle_for(const struct task_struct *p)
{
	if (tsr_kick_may_help(p))
		tsr_kick_idle(p->cpus_ptr);
}

#endif /* TSR_KMASK_BPF_H */
