/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The first task of a shared queue that a given CPU may run: what a CPU
 * weighs its still-runnable prev and its own waiter against. For the
 * framework and the benchmark's hand-written twin.
 */
#ifndef TSR_DSQ_FIRST_BPF_H
#define TSR_DSQ_FIRST_BPF_H

/* How far into a queue tsr_dsq_first_for() looks past tasks this CPU may not run. */
#define TSR_FIRST_LOOK 8

static __noinline struct task_struct *tsr_dsq_first_for_walk(u64 dsq, s32 cpu)
{
	struct task_struct *p, *found = NULL;
	struct bpf_iter_scx_dsq it;
	int seen = 0;

	if (bpf_iter_scx_dsq_new(&it, dsq, 0) == 0) {
		while ((p = bpf_iter_scx_dsq_next(&it)) && seen++ < TSR_FIRST_LOOK) {
			if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr)) {
				found = p;
				break;
			}
		}
	}
	bpf_iter_scx_dsq_destroy(&it);
	return found;
}

/* tsr_dsq_first_for() when the caller peeked @dsq's @head already. */
static __always_inline struct task_struct *tsr_dsq_first_after(struct task_struct *head, u64 dsq,
							       s32 cpu, u32 nr_cpu_ids)
{
	if (!head || head->nr_cpus_allowed >= nr_cpu_ids ||
	    bpf_cpumask_test_cpu(cpu, head->cpus_ptr))
		return head;
	return tsr_dsq_first_for_walk(dsq, cpu);
}

/*
 * The first task of @dsq that @cpu may run, or NULL if none is among its
 * first TSR_FIRST_LOOK (@nr_cpu_ids: a task allowed that many CPUs may run
 * anywhere). A domain's queue also holds tasks allowed only other CPUs of
 * it: weighed against such a head, prev lost its CPU to a task that could
 * not take it, and a CPU went idle beside its own waiter (a pinned nice-0
 * hog got 0.23-0.56 of its CPU beside other CPUs' pinned hogs).
 */
static __always_inline struct task_struct *tsr_dsq_first_for(u64 dsq, s32 cpu, u32 nr_cpu_ids)
{
	return tsr_dsq_first_after(scx_bpf_dsq_peek(dsq), dsq, cpu, nr_cpu_ids);
}

#endif /* TSR_DSQ_FIRST_BPF_H */
