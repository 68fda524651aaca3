// SPDX-License-Identifier: GPL-2.0
/*
 * Arena library code run by the host kernel's verifier and JIT as syscall
 * programs (the host has arenas but no sched_ext). Driven by test_arena.c.
 */
#include "framework/common.bpf.h"
#include "tests/bpf/test_records.h"
#include "framework/state.bpf.h"
#include "framework/arena_pages.bpf.h"

char _license[] SEC("license") = "GPL";

struct slab_args {
	s32 iters;
	s32 pad;
	u64 fails;
	u64 count;
	s64 ret;
};

/* @iters alloc+free pairs; a record is written between the two. */
SEC("syscall")
int slab_stress(struct slab_args *a)
{
	struct tsr_task __arena *t;
	u64 fails = 0;
	int i;

	bpf_for(i, 0, a->iters) {
		t = tsr_slab_alloc(&tsr_task_slab);
		if (!t) {
			fails++;
			continue;
		}
		t->core.pid = i;
		if (tsr_slab_free(&tsr_task_slab, t))
			fails++;
	}
	a->fails = fails;
	return 0;
}

/* Allocate until the slab is empty, then free every object again. */
SEC("syscall")
int slab_fill(struct slab_args *a)
{
	struct tsr_slab __arena *s = &tsr_task_slab;
	u64 count = 0, fails = 0;
	int i;

	bpf_for(i, 0, a->iters) {
		if (!tsr_slab_alloc(s))
			break;
		count++;
	}
	a->count = count;
	bpf_for(i, 0, count) {
		if (tsr_slab_free(s, s->base + (u64)i * s->obj_size))
			fails++;
	}
	a->fails = fails;
	return 0;
}

/* Free pointers the slab never handed out. */
SEC("syscall")
int slab_bad_free(struct slab_args *a)
{
	struct tsr_slab __arena *s = &tsr_task_slab;

	a->ret = tsr_slab_free(s, s->base + 8);
	a->count = tsr_slab_free(s, s->base + (u64)s->nr_objs * s->obj_size) == -22;
	return 0;
}

struct topo_args {
	s32 cpu;
	s32 dom;
	s32 node;
	s32 core;
	s32 sibling;
	u32 in_dom_mask;
	u32 dom_weight;
	u32 nr_doms;
};

/* What a scheduler looks up about a CPU, read from the arena topology. */
SEC("syscall")
int topo_lookup(struct topo_args *a)
{
	s32 cpu = a->cpu;
	u32 dom;

	if (cpu < 0 || cpu >= TSR_MAX_CPUS)
		return -EINVAL;
	dom = tsr_cpu_dom(cpu);
	a->dom = dom;
	a->node = tsr_topo.cpu_node[cpu];
	a->core = tsr_topo.cpu_core[cpu];
	a->sibling = tsr_topo.cpu_sibling[cpu];
	a->in_dom_mask = tsr_cpumask_test(&tsr_topo.dom_cpus[dom], cpu);
	a->dom_weight = tsr_cpumask_weight(&tsr_topo.dom_cpus[dom]);
	a->nr_doms = tsr_nr_doms();
	return 0;
}

struct mask_args {
	s32 cpu;
	u32 before;
	u32 after_set;
	u32 after_clear;
	u32 weight;
};

/* set/test/clear on an arena cpumask at @cpu, in BPF. */
SEC("syscall")
int cpumask_ops(struct mask_args *a)
{
	struct tsr_cpumask __arena *m = &tsr_topo.node_cpus[TSR_MAX_NODES - 1];

	a->before = tsr_cpumask_test(m, a->cpu);
	tsr_cpumask_set(m, a->cpu);
	a->after_set = tsr_cpumask_test(m, a->cpu);
	a->weight = tsr_cpumask_weight(m);
	tsr_cpumask_clear(m, a->cpu);
	a->after_clear = tsr_cpumask_test(m, a->cpu);
	return 0;
}
