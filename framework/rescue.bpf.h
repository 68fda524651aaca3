/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a task that has waited too long, ahead of every order: the
 * framework's guarantee that no runnable task waits unboundedly
 * (framework/core.bpf.c), and the tool a module's rescue hook uses to give
 * the same guarantee for DSQs of its own.
 */
#ifndef TSR_RESCUE_BPF_H
#define TSR_RESCUE_BPF_H

/* Move one task of @dsq that has waited @starve_j jiffies and may run on @cpu here. */
static __noinline bool tsr_rescue_dsq(u64 dsq, s32 cpu, u64 now_j, u64 starve_j)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *p;
	bool moved = false;

	if (bpf_iter_scx_dsq_new(&it, dsq, 0))
		goto out;
	while ((p = bpf_iter_scx_dsq_next(&it))) {
		if ((s64)(now_j - p->scx.runnable_at) < (s64)starve_j ||
		    !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		moved = scx_bpf_dsq_move(&it, p, SCX_DSQ_LOCAL, 0);
		if (moved)
			break;
	}
out:
	bpf_iter_scx_dsq_destroy(&it);
	return moved;
}

#endif /* TSR_RESCUE_BPF_H */
