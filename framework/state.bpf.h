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
/* init_task adds a chunk when fewer task records than this are free */
const volatile __u32 tsr_task_refill_min = 64;

struct tsr_task_ref {
	struct tsr_task __arena *rec;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tsr_task_ref);
} tsr_task_refs SEC(".maps");

/* The arena record of @p, or NULL when it has none (allocation failed). */
static __always_inline struct tsr_task __arena *tsr_task_rec(struct task_struct *p)
{
	struct tsr_task_ref *ref = bpf_task_storage_get(&tsr_task_refs, p, NULL, 0);

	tsr_arena_use();
	return ref ? ref->rec : NULL;
}

static __always_inline struct tsr_cpu __arena *tsr_cpu_rec(s32 cpu)
{
	return &tsr_cpus[(u32)cpu & (TSR_MAX_CPUS - 1)];
}

/* The record of the CPU this callback runs on; only this CPU writes it. */
static __always_inline struct tsr_cpu __arena *tsr_this_cpu(void)
{
	return tsr_cpu_rec(bpf_get_smp_processor_id());
}

/* Domain of @cpu; 0 for an id outside the topology. */
static __always_inline u32 tsr_cpu_dom(s32 cpu)
{
	s16 dom;

	if ((u32)cpu >= TSR_MAX_CPUS)
		return 0;
	dom = tsr_topo.cpu_dom[cpu];
	return dom >= 0 && dom < TSR_MAX_DOMS ? dom : 0;
}

static __always_inline u32 tsr_nr_doms(void)
{
	u32 n = tsr_topo.nr_doms;

	return n && n <= TSR_MAX_DOMS ? n : 1;
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

#include "kmask.bpf.h"

#endif /* TSR_STATE_BPF_H */
