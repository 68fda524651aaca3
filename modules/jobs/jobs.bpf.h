/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jobs, BPF half: each task's job (its process group, or its cgroup with
 * --job-by cgroup) found or given a slot in the arena's job table; its
 * runnable threads counted; run time charged to it from the framework's
 * run-time service; cycles and instructions charged at every context
 * switch from per-CPU perf counters userspace opened (a tracing program
 * beside the scheduler's struct_ops, since counters are read where the
 * switch happens); a job whose run time passes the threshold announced
 * once through an arena queue.
 */
#ifndef TSR_JOBS_BPF_H
#define TSR_JOBS_BPF_H

#include "../../framework/perf.bpf.h"

/* Set at start and by the "jobs threshold" command. */
volatile __u64 jobs_long_running_ns = 3600ULL * 1000000000ULL;
const volatile bool jobs_by_cgroup = false;

/* Set by userspace once its perf counters are in the arrays below. */
bool jobs_counters_on;

struct jobs_slot __arena_global jobs_table[JOBS_MAX];
struct tsr_queue __arena_global jobs_announce;
struct tsr_queue_cell __arena_global jobs_announce_cells[JOBS_ANNOUNCE_LEN];

/* Per-CPU counters, sized to the CPU count by userspace before load. */
TSR_PERF_ARRAY(jobs_cycles);
TSR_PERF_ARRAY(jobs_instructions);

static __always_inline s32 jobs_pgid(struct task_struct *p)
{
	struct pid *pid = p->signal->pids[PIDTYPE_PGID];

	return pid ? pid->numbers[0].nr : 0;
}

/* What makes @p's job: its cgroup's id (cgroup v2), or its process group; 0 none. */
static __always_inline u64 jobs_key(struct task_struct *p)
{
	s32 pgid;

	if (jobs_by_cgroup)
		return BPF_CORE_READ(p, cgroups, dfl_cgrp, kn, id);
	pgid = jobs_pgid(p);
	return pgid > 0 ? pgid : 0;
}

/*
 * The slot of job @key, taking a never-used one when it has none (@pgid
 * recorded with it); NULL when the JOBS_PROBES slots it may use are all
 * taken. Two CPUs first seeing the same job at once may give it two slots
 * (its counts then split); slots are not reused within a run.
 */
static __always_inline struct jobs_slot __arena *jobs_slot_of(u64 key, s32 pgid)
{
	u32 h = jobs_key_hash(key);
	int i;

	bpf_for(i, 0, JOBS_PROBES) {
		struct jobs_slot __arena *s = &jobs_table[(h + i) & (JOBS_MAX - 1)];
		u64 cur = s->key;

		if (cur == key)
			return s;
		if (cur)
			continue;
		cur = __sync_val_compare_and_swap(&s->key, 0, key);
		if (cur == key)
			return s;
		if (!cur) {
			s->pgid = pgid;
			return s;
		}
	}
	return NULL;
}

static __always_inline struct jobs_slot __arena *jobs_slot(struct tsr_task __arena *t)
{
	u32 i = t->jobs.slot;

	return i ? &jobs_table[(i - 1) & (JOBS_MAX - 1)] : NULL;
}

/* @t (of process group @pgid) joins job @key, leaving the one it was in; 0: none. */
static __always_inline void jobs_join(struct tsr_task __arena *t, u64 key, s32 pgid)
{
	struct jobs_slot __arena *s = jobs_slot(t);

	if (s)
		__sync_fetch_and_sub(&s->workers, 1);
	t->jobs.key = key;
	t->jobs.slot = 0;
	s = key ? jobs_slot_of(key, pgid) : NULL;
	if (!s) {
		if (key)
			tsr_this_cpu()->jobs.nr_no_slot++;
		return;
	}
	__sync_fetch_and_add(&s->workers, 1);
	t->jobs.slot = (s - jobs_table) + 1;
}

static __always_inline void jobs_enable(struct task_struct *p, struct tsr_task __arena *t)
{
	jobs_join(t, jobs_key(p), jobs_pgid(p));
}

/* @t became runnable: its job counts it (once) among its runnable threads. */
static __always_inline void jobs_count_runnable(struct tsr_task __arena *t)
{
	struct jobs_slot __arena *s = jobs_slot(t);

	if (!s || t->jobs.runnable_slot)
		return;
	__sync_fetch_and_add(&s->runnable, 1);
	t->jobs.runnable_slot = t->jobs.slot;
}

/* @t stopped being runnable: the job that counted it does not any more. */
static __always_inline void jobs_uncount_runnable(struct tsr_task __arena *t)
{
	u32 i = t->jobs.runnable_slot;

	if (!i)
		return;
	__sync_fetch_and_sub(&jobs_table[(i - 1) & (JOBS_MAX - 1)].runnable, 1);
	t->jobs.runnable_slot = 0;
}

/*
 * A task that changed process group (setpgid, setsid) or cgroup moves to
 * its new job when it next wakes (a thread that never sleeps stays counted
 * where it was).
 */
static __always_inline void jobs_runnable(struct task_struct *p, struct tsr_task __arena *t,
					  u64 enq_flags)
{
	u64 key = jobs_key(p);

	if (key != t->jobs.key) {
		jobs_uncount_runnable(t);
		jobs_join(t, key, jobs_pgid(p));
	}
	jobs_count_runnable(t);
}

static __always_inline void jobs_quiescent(struct task_struct *p, struct tsr_task __arena *t,
					   u64 deq_flags)
{
	jobs_uncount_runnable(t);
}

static __always_inline void jobs_exit_task(struct task_struct *p, struct tsr_task __arena *t,
					   struct scx_exit_task_args *args)
{
	jobs_uncount_runnable(t);
	jobs_join(t, 0, 0);
}

static __always_inline void jobs_charge(struct task_struct *p, struct tsr_task __arena *t,
					u64 ran_ns)
{
	struct jobs_slot __arena *s = jobs_slot(t);
	u64 total;

	if (!s)
		return;
	total = __sync_fetch_and_add(&s->runtime_ns, ran_ns) + ran_ns;
	__sync_fetch_and_add(&s->seq, 1);
	if (total < jobs_long_running_ns || s->flags)
		return;
	/* once: whoever sets the flag announces (arena atomics have no fetch-or) */
	if (__sync_val_compare_and_swap(&s->flags, 0, JOBS_LONG_RUNNING))
		return;
	tsr_queue_push(&jobs_announce, s - jobs_table);
}

/* Cycles and instructions since the last switch on this CPU go to the job of @prev. */
SEC("tp_btf/sched_switch")
int BPF_PROG(jobs_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct tsr_cpu __arena *c;
	struct tsr_task __arena *t;
	struct jobs_slot __arena *s;
	u64 cyc, ins;

	if (!jobs_counters_on)
		return 0;
	tsr_arena_use();
	c = tsr_this_cpu();
	cyc = tsr_perf_read(&jobs_cycles);
	ins = tsr_perf_read(&jobs_instructions);
	t = tsr_task_rec(prev);
	s = t ? jobs_slot(t) : NULL;
	if (s && c->jobs.last_cycles && cyc > c->jobs.last_cycles) {
		__sync_fetch_and_add(&s->cycles, cyc - c->jobs.last_cycles);
		if (ins > c->jobs.last_instructions)
			__sync_fetch_and_add(&s->instructions, ins - c->jobs.last_instructions);
		__sync_fetch_and_add(&s->seq, 1);
	}
	c->jobs.last_cycles = cyc;
	c->jobs.last_instructions = ins;
	c->jobs.nr_counter_reads++;
	return 0;
}

#endif /* TSR_JOBS_BPF_H */
