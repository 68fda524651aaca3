/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The first task of a shared queue that a given CPU may run: what a CPU
 * weighs its still-runnable prev and its own waiter against. For the
 * framework and the benchmark's hand-written twin.
 */
#ifndef TSR_DSQ_FIRST_BPF_H
#define TSR_DSQ_FIRST_BPF_H

/*
 * How many tasks this CPU may not run tsr_dsq_first_for() looks past: a
 * look costs one iterator step and one mask test a task passed, paid only
 * while other CPUs' tasks fill the queue's head ahead of this CPU's.
 */
#define TSR_FIRST_LOOK 32

static __noinline struct task_struct *tsr_dsq_first_for_walk(u64 dsq, s32 cpu, u64 until_key)
{
	struct task_struct *p, *found = NULL;
	struct bpf_iter_scx_dsq it;
	int seen = 0;

	if (bpf_iter_scx_dsq_new(&it, dsq, 0) == 0) {
		while ((p = bpf_iter_scx_dsq_next(&it))) {
			/* past @until_key or looked far enough: a bound on what this CPU may run */
			if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr) || seen++ >= TSR_FIRST_LOOK ||
			    (until_key && (s64)(p->scx.dsq_vtime - until_key) > 0)) {
				found = p;
				break;
			}
		}
	}
	bpf_iter_scx_dsq_destroy(&it);
	return found;
}

/* tsr_dsq_first_for() when the caller peeked @dsq's @head already. */
static __always_inline struct task_struct *
tsr_dsq_first_after(struct task_struct *head, u64 dsq, s32 cpu, u32 nr_cpu_ids, u64 until_key)
{
	if (!head || head->nr_cpus_allowed >= nr_cpu_ids ||
	    bpf_cpumask_test_cpu(cpu, head->cpus_ptr))
		return head;
	return tsr_dsq_first_for_walk(dsq, cpu, until_key);
}

/*
 * The first task of @dsq that @cpu may run, or NULL if @dsq holds none
 * (@nr_cpu_ids: a task allowed that many CPUs may run anywhere). A
 * domain's queue also holds tasks allowed only other CPUs of it: weighed
 * against such a head, prev lost its CPU to a task that could not take it,
 * and a CPU went idle beside its own waiter (a pinned nice-0 hog got
 * 0.23-0.56 of its CPU beside other CPUs' pinned hogs). What the callers
 * compare is the key, and the queue is in key order, so the look stops
 * early at a task of any CPUs: the first whose key is after @until_key
 * (the key weighed against it, 0: none), or the one after
 * TSR_FIRST_LOOK others; every task this CPU may run is at or after it.
 * Stopped after 8 and taken for "none", prev kept its CPU beside its own
 * waiters for as long as 16 pinned hogs of another CPU filled the queue's
 * head (a nice-10 task got 0.17-0.81 of a CPU beside a nice-0 one); taken
 * as the head whatever its key, prev lost it at every slice end (nice 0
 * and SCHED_IDLE took turns: 0.70 and 0.30).
 */
static __always_inline struct task_struct *tsr_dsq_first_for(u64 dsq, s32 cpu, u32 nr_cpu_ids,
							     u64 until_key)
{
	return tsr_dsq_first_after(scx_bpf_dsq_peek(dsq), dsq, cpu, nr_cpu_ids, until_key);
}

#endif /* TSR_DSQ_FIRST_BPF_H */
