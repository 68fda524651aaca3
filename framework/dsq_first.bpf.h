/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The first task of a shared queue that a given CPU may run: what a CPU
 * weighs its still-runnable prev and its own waiter against. For the
 * framework and the benchmark's hand-written twin.
 */
#ifndef TSR_DSQ_FIRST_BPF_H
#define TSR_DSQ_FIRST_BPF_H

/*
 * How many tasks this CPU may not run tsr_dsq_first_for() looks past: one
 * iterator step and one mask test each, paid only when the queue's head is
 * another CPU's, up to this CPU's first task or through a queue that holds
 * none (the kernel's move of the first task a CPU may run walks them too).
 * With more ahead, this CPU's tasks take turns by slice, not by weight.
 */
#define TSR_FIRST_LOOK 128

static __noinline struct task_struct *tsr_dsq_first_for_walk(u64 dsq, s32 cpu)
{
	struct task_struct *p, *found = NULL;
	struct bpf_iter_scx_dsq it;
	int seen = 0;

	if (bpf_iter_scx_dsq_new(&it, dsq, 0) == 0) {
		while ((p = bpf_iter_scx_dsq_next(&it))) {
			/* looked far enough: every task this CPU may run is at or after this one */
			if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr) || seen++ >= TSR_FIRST_LOOK) {
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
 * The first task of @dsq that @cpu may run, or NULL if @dsq holds none
 * (@nr_cpu_ids: a task allowed that many CPUs may run anywhere). A
 * domain's queue also holds tasks allowed only other CPUs of it: weighed
 * against such a head, prev lost its CPU to a task that could not take it,
 * and a CPU went idle beside its own waiter (a pinned nice-0 hog got
 * 0.23-0.56 of its CPU beside other CPUs' pinned hogs). Past the first
 * TSR_FIRST_LOOK tasks, the next one, whichever CPUs it may run on: the
 * queue is in key order, so every task this CPU may run is at or after its
 * key, which is what the callers weigh. Looking 8 deep and taking "none"
 * after, prev kept its CPU beside its own waiters for as long as 16 pinned
 * hogs of another CPU filled the queue's head (a nice-10 task got
 * 0.17-0.81 of a CPU beside a nice-0 one). The look does not stop at the
 * first key past prev's: a task that no CPU here may run does not say
 * whether prev was kept alone, which decides whether it moves the clocks
 * (tsr_vclock_kept()).
 */
static __always_inline struct task_struct *tsr_dsq_first_for(u64 dsq, s32 cpu, u32 nr_cpu_ids)
{
	return tsr_dsq_first_after(scx_bpf_dsq_peek(dsq), dsq, cpu, nr_cpu_ids);
}

#endif /* TSR_DSQ_FIRST_BPF_H */
