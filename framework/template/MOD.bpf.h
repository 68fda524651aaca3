/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MOD, BPF half: counts each task's run time and scales every slice by
 * --MOD-slice-pct. Hooks: charge (notification), slice (fold).
 */
#ifndef TSR_MOD_BPF_H
#define TSR_MOD_BPF_H

const volatile __u32 MOD_slice_pct = 100;

static __always_inline void MOD_charge(struct task_struct *p, struct tsr_task __arena *t,
				       u64 ran_ns)
{
	t->MOD.ran_ns += ran_ns;
}

static __always_inline u64 MOD_slice(struct task_struct *p, struct tsr_task __arena *t, u64 slice)
{
	if (MOD_slice_pct == 100)
		return slice;
	tsr_this_cpu()->MOD.nr_shaped++;
	return MOD_scale_slice(slice, MOD_slice_pct);
}

#endif /* TSR_MOD_BPF_H */
