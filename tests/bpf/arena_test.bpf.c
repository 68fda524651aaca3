// SPDX-License-Identifier: GPL-2.0
/*
 * Arena library code run by the host kernel's verifier and JIT as syscall
 * programs (the host has arenas but no sched_ext). Driven by test_arena.c.
 */
#include "framework/common.bpf.h"
#include "tests/bpf/test_records.h"
#include "framework/state.bpf.h"
#include "framework/arena_pages.bpf.h"
#include "arena/queue.h"
#include "arena/ravg.h"

char _license[] SEC("license") = "GPL";

struct tsr_queue __arena_global test_q_in; /* userspace -> BPF */
struct tsr_queue __arena_global test_q_out; /* BPF -> userspace */
struct tsr_queue_cell __arena_global test_cells_in[64];
struct tsr_queue_cell __arena_global test_cells_out[64];
struct tsr_ravg __arena_global test_ravg;

struct slab_args {
	s32 iters;
	s32 pad;
	u64 fails;
	u64 count;
	s64 ret;
	s64 ret2;
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

/* Allocate until the slab is empty, then free every slot again. */
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
	bpf_for(i, 0, s->nr_objs) {
		if (tsr_slab_free(s, tsr_slab_obj(s, i)))
			fails++;
	}
	a->fails = fails;
	return 0;
}

/* Free what the slab never handed out, and free twice. */
SEC("syscall")
int slab_bad_free(struct slab_args *a)
{
	struct tsr_slab __arena *s = &tsr_task_slab;
	char __arena *p = tsr_slab_alloc(s);

	if (!p)
		return -ENOMEM;
	a->count = tsr_slab_free(s, p + 8) == -EINVAL;
	a->ret = tsr_slab_free(s, p);
	a->ret2 = tsr_slab_free(s, p);
	return 0;
}

/* Grow the slab from BPF, as a sleepable callback would. */
SEC("syscall")
int slab_grow(struct slab_args *a)
{
	a->ret = tsr_slab_refill(&tsr_task_slab, a->iters);
	a->count = tsr_task_slab.nr_objs;
	return 0;
}

/* One allocation per heap class, written, then freed. */
SEC("syscall")
int heap_ops(struct slab_args *a)
{
	u64 fails = 0;
	int c;

	bpf_for(c, 0, TSR_HEAP_CLASSES) {
		u64 __arena *p = tsr_heap_alloc(&tsr_heap, 1u << (TSR_HEAP_MIN_SHIFT + c));

		if (!p) {
			fails++;
			continue;
		}
		*p = c;
		if (tsr_heap_free(&tsr_heap, p))
			fails++;
	}
	a->fails = fails;
	a->count = tsr_heap_alloc(&tsr_heap, TSR_HEAP_MAX_SIZE + 1) == NULL;
	return 0;
}

/* Pop every value userspace pushed; push each back doubled. */
SEC("syscall")
int queue_echo(struct slab_args *a)
{
	u64 v, n = 0, fails = 0;
	int i;

	bpf_for(i, 0, 64) {
		if (tsr_queue_pop(&test_q_in, &v))
			break;
		n++;
		if (tsr_queue_push(&test_q_out, v * 2))
			fails++;
	}
	a->count = n;
	a->fails = fails;
	return 0;
}

struct ravg_args {
	u64 half_life_ns;
	u64 t[8];
	u64 v[8];
	u64 avg;
};

/* The running average of eight samples, computed in BPF. */
SEC("syscall")
int ravg_run(struct ravg_args *a)
{
	volatile struct tsr_ravg __arena *fresh = &test_ravg;
	int i;

	/* volatile: clang 19 drops the arena cast on merged constant stores */
	fresh->avg = 0;
	fresh->last_ns = 0;
	/* unrolled: the verifier takes only constant offsets into the context */
#pragma unroll
	for (i = 0; i < 8; i++)
		tsr_ravg_update(&test_ravg, a->t[i], a->v[i], a->half_life_ns);
	a->avg = test_ravg.avg;
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
	s32 first_in_dom;
	s32 next_after;
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
	a->first_in_dom = tsr_cpumask_first(&tsr_topo.dom_cpus[dom]);
	a->next_after = tsr_cpumask_next(&tsr_topo.dom_cpus[dom], cpu + 1);
	return 0;
}

struct mask_args {
	s32 cpu;
	u32 before;
	u32 after_set;
	u32 after_clear;
	u32 weight;
	s32 next;
	u32 was_set;
};

/* set/test/clear/next on an arena cpumask at @cpu, in BPF. */
SEC("syscall")
int cpumask_ops(struct mask_args *a)
{
	struct tsr_cpumask __arena *m = &tsr_topo.node_cpus[TSR_MAX_NODES - 1];

	a->before = tsr_cpumask_test(m, a->cpu);
	tsr_cpumask_set(m, a->cpu);
	a->after_set = tsr_cpumask_test(m, a->cpu);
	a->weight = tsr_cpumask_weight(m);
	a->next = tsr_cpumask_next(m, 0);
	a->was_set = tsr_cpumask_test_and_set_atomic(m, a->cpu);
	tsr_cpumask_clear(m, a->cpu);
	a->after_clear = tsr_cpumask_test(m, a->cpu);
	return 0;
}
