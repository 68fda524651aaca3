/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jobs, BPF half: each task's process group found or given a slot in the
 * arena's job table; run time charged to it from the framework's run-time
 * service; cycles and instructions charged at every context switch from
 * per-CPU perf counters userspace opened (a tracing program beside the
 * scheduler's struct_ops, since counters are read where the switch
 * happens); a job whose run time passes the threshold announced once
 * through an arena queue.
 */
#ifndef TSR_JOBS_BPF_H
#define TSR_JOBS_BPF_H

#define JOBS_PROBES 32 /* slots looked at per lookup */

const volatile __u64 jobs_long_running_ns = 3600ULL * 1000000000ULL;

/* Set by userspace once its perf counters are in the arrays below. */
bool jobs_counters_on;

struct jobs_slot __arena_global jobs_table[JOBS_MAX];
struct tsr_queue __arena_global jobs_announce;
struct tsr_queue_cell __arena_global jobs_announce_cells[JOBS_ANNOUNCE_LEN];

/* Per-CPU counters, sized to the CPU count by userspace before load. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
	__uint(max_entries, 1);
} jobs_cycles SEC(".maps"), jobs_instructions SEC(".maps");

static __always_inline s32 jobs_pgid(struct task_struct *p)
{
	struct pid *pid = p->signal->pids[PIDTYPE_PGID];

	return pid ? pid->numbers[0].nr : 0;
}

/*
 * The slot of process group @pgid, taking a never-used one when it has
 * none; NULL when the JOBS_PROBES slots it may use are all taken. Two
 * CPUs first seeing the same group at once may give it two slots (its
 * counts then split); slots are not reused within a run.
 */
static __always_inline struct jobs_slot __arena *jobs_slot_of(s32 pgid)
{
	u32 h = (u32)pgid * 2654435761u;
	int i;

	bpf_for(i, 0, JOBS_PROBES) {
		struct jobs_slot __arena *s = &jobs_table[(h + i) & (JOBS_MAX - 1)];
		s32 cur = s->pgid;

		if (cur == pgid)
			return s;
		if (cur)
			continue;
		cur = __sync_val_compare_and_swap(&s->pgid, 0, pgid);
		if (!cur || cur == pgid)
			return s;
	}
	return NULL;
}

static __always_inline struct jobs_slot __arena *jobs_slot(struct tsr_task __arena *t)
{
	u32 i = t->jobs.slot;

	return i ? &jobs_table[(i - 1) & (JOBS_MAX - 1)] : NULL;
}

/* @t joins the job of process group @pgid (leaving the one it was in). */
static __always_inline void jobs_join(struct tsr_task __arena *t, s32 pgid)
{
	struct jobs_slot __arena *s = jobs_slot(t);

	if (s)
		__sync_fetch_and_sub(&s->workers, 1);
	t->jobs.pgid = pgid;
	t->jobs.slot = 0;
	s = pgid ? jobs_slot_of(pgid) : NULL;
	if (!s) {
		if (pgid)
			tsr_this_cpu()->jobs.nr_no_slot++;
		return;
	}
	__sync_fetch_and_add(&s->workers, 1);
	t->jobs.slot = (s - jobs_table) + 1;
}

static __always_inline void jobs_enable(struct task_struct *p, struct tsr_task __arena *t)
{
	jobs_join(t, jobs_pgid(p));
}

/* A task that changed process group (setpgid, setsid) moves to its new job. */
static __always_inline void jobs_runnable(struct task_struct *p, struct tsr_task __arena *t,
					  u64 enq_flags)
{
	s32 pgid = jobs_pgid(p);

	if (pgid != t->jobs.pgid)
		jobs_join(t, pgid);
}

static __always_inline void jobs_exit_task(struct task_struct *p, struct tsr_task __arena *t,
					   struct scx_exit_task_args *args)
{
	jobs_join(t, 0);
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
	if (total < jobs_long_running_ns || (s->flags & JOBS_LONG_RUNNING))
		return;
	/* once: whoever sets the flag announces (arena atomics have no fetch-or) */
	if (__sync_val_compare_and_swap(&s->flags, 0, JOBS_LONG_RUNNING))
		return;
	tsr_queue_push(&jobs_announce, s - jobs_table);
}

/* The counter @map of this CPU; 0 when it cannot be read. */
static __always_inline u64 jobs_read(void *map)
{
	struct bpf_perf_event_value v = {};

	if (bpf_perf_event_read_value(map, BPF_F_CURRENT_CPU, &v, sizeof(v)))
		return 0;
	return v.counter;
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
	cyc = jobs_read(&jobs_cycles);
	ins = jobs_read(&jobs_instructions);
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
