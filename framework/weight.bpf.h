/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's weights as BPF sees a task: its weight, its run time in
 * virtual time, and its slice shrunk by weight. Pure functions of the task,
 * for the framework, its modules and the benchmark's hand-written twin.
 */
#ifndef TSR_WEIGHT_BPF_H
#define TSR_WEIGHT_BPF_H

#define TSR_WEIGHT_NICE0 1024
#define TSR_WEIGHT_IDLE 3
#define TSR_MIN_SLICE_NS 500000ULL

/* The kernel's load weights of nice -20 .. 19 (kernel/sched/core.c). */
static const u32 tsr_nice_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548,  7620,  6100,  4904,  3906,  3121,  2501,	 1991,	1586,  1277,
	1024,  820,   655,   526,   423,   335,	  272,	 215,	172,   137,
	110,   87,    70,    56,    45,	   36,	  29,	 23,	18,    15,
};

/*
 * @p's weight on the kernel's scale (nice 0 = 1024, SCHED_IDLE = 3). Not
 * p->scx.weight: that rounds to 1..10000 with nice 0 = 100, which makes
 * SCHED_IDLE (3/1024) and nice 19 (15/1024) the same weight 1.
 */
static __always_inline u32 tsr_task_weight(const struct task_struct *p)
{
	u32 i = p->static_prio - 100;

	if (p->policy == SCHED_IDLE)
		return TSR_WEIGHT_IDLE;
	return i < 40 ? tsr_nice_weight[i] : TSR_WEIGHT_NICE0;
}

/* @ns of run time in virtual time: nice 0 ages 1:1, heavier tasks slower. */
static __always_inline u64 tsr_vtime_delta(const struct task_struct *p, u64 ns)
{
	u32 w = tsr_task_weight(p);

	/* most tasks are nice 0: no 64-bit division for them */
	return w == TSR_WEIGHT_NICE0 ? ns : ns * TSR_WEIGHT_NICE0 / w;
}

/*
 * A lighter-than-nice-0 task gets a slice shrunk by its weight (at least
 * TSR_MIN_SLICE_NS), so every run moves any task's virtual time by about one
 * slice: a light task then waits about as long as a nice-0 one between runs
 * instead of weight-times longer (SCHED_IDLE with a full slice would wait
 * ~340 slices per run, past the watchdog on a loaded CPU).
 */
static __always_inline u64 tsr_weighted_slice(const struct task_struct *p, u64 slice)
{
	u32 w = tsr_task_weight(p);

	if (w >= TSR_WEIGHT_NICE0)
		return slice;
	slice = slice * w / TSR_WEIGHT_NICE0;
	return slice > TSR_MIN_SLICE_NS ? slice : TSR_MIN_SLICE_NS;
}

#endif /* TSR_WEIGHT_BPF_H */
