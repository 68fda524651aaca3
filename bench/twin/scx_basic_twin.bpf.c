// SPDX-License-Identifier: GPL-2.0
/*
 * scx_basic's policy written by hand in one file, without the framework:
 * the benchmark's yardstick for what composition costs (bench/twin/README.md).
 * One domain: weighted virtual time in one shared queue (a task allowed
 * some CPUs only placed and bounded against their clocks), the kernel's idle
 * pick with direct dispatch, a still-runnable prev weighed against the
 * queue's head, slices shrunk for light weights, and a task waiting 5 s
 * run ahead of the order (checked every 100 ms per CPU).
 *
 * Built a second time with TWIN_SERVICES (scx_basic_twin_services): with
 * the services scx_basic's users get from the framework written in by hand
 * too (per-CPU counters, the RCU boost, the migration count by kind, the
 * tunable slice), so that the benchmark tells their cost from what
 * composition itself costs (arena records, the fallback queue, hook glue).
 */
#include "framework/common.bpf.h"
#include "framework/rescue.bpf.h"
#include "framework/weight.bpf.h"
#include "framework/dsq_first.bpf.h"

char _license[] SEC("license") = "GPL";

#define TWIN_DSQ 1
#define TWIN_SLICE_NS 20000000ULL
#define TWIN_MAX_LEAD_NS 1000000000ULL
#define TWIN_STARVE_NS 5000000000ULL
#define TWIN_RESCUE_EVERY_NS 100000000ULL
#define TWIN_MAX_CPUS 512

struct twin_task {
	u64 vtime;
	u64 charged_ns; /* sum_exec_runtime when last charged */
	bool woke_busy; /* select_cpu found no idle CPU; its enqueue kicks none */
#ifdef TWIN_SERVICES
	bool woke_direct; /* its run was placed by select_cpu's direct dispatch */
	s32 last_cpu1; /* 1 + the CPU its last run ended on, 0 before the first */
#endif
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct twin_task);
} twin_tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64); /* when this CPU last looked for a starving task */
} twin_rescue_at SEC(".maps");

static u64 twin_clock;
/* per CPU, the largest key a run started from there */
static u64 twin_cpu_clock[TWIN_MAX_CPUS];
const volatile __u32 twin_nr_cpu_ids = 1;
extern const int CONFIG_HZ __kconfig __weak; /* 0 when libbpf finds no kernel config */

#ifdef TWIN_SERVICES
/* The framework's per-CPU counters that scx_basic's path touches (framework/records.h). */
struct twin_cpu {
	u64 nr_select, nr_direct, nr_enqueue, nr_dispatch, nr_local, nr_keep_prev, nr_rescued;
	u64 nr_rcu_boost, nr_migrated, nr_migrated_wake, nr_migrated_pick;
};

static struct twin_cpu twin_cpus[TWIN_MAX_CPUS];
__u64 twin_tune_slice_ns; /* as the framework's tunable slice: 0, the default */

static __always_inline struct twin_cpu *this_cpu(void)
{
	return &twin_cpus[bpf_get_smp_processor_id() & (TWIN_MAX_CPUS - 1)];
}

#define TWIN_COUNT(c, field) ((c)->field++)
#define TWIN_SLICE (twin_tune_slice_ns ?: TWIN_SLICE_NS)
#else
struct twin_cpu;
static __always_inline struct twin_cpu *this_cpu(void)
{
	return NULL;
}

#define TWIN_COUNT(c, field) ((void)(c))
#define TWIN_SLICE TWIN_SLICE_NS
#endif

static __always_inline u64 slice_of(const struct task_struct *p)
{
	return tsr_weighted_slice(p, TWIN_SLICE);
}

static __always_inline struct twin_task *twin_task(struct task_struct *p)
{
	return bpf_task_storage_get(&twin_tasks, p, NULL, 0);
}

static __always_inline u64 *cpu_clock(s32 cpu)
{
	return &twin_cpu_clock[(u32)cpu & (TWIN_MAX_CPUS - 1)];
}

/*
 * The clocks move up to the key a run on this CPU started from: no running
 * callback, no peek. A key more than the lead past it is an earlier
 * scheduler's.
 */
static __always_inline void advance(u64 vtime)
{
	s64 ahead = (s64)(vtime - twin_clock);
	u64 *mine = cpu_clock(bpf_get_smp_processor_id());

	if (ahead > (s64)TWIN_MAX_LEAD_NS)
		return;
	if (ahead > 0)
		twin_clock = vtime;
	if ((s64)(vtime - *mine) > 0)
		*mine = vtime;
}

/* Charge @p's run since its last charge, by weight. */
static __always_inline void charge(struct task_struct *p, struct twin_task *tt)
{
	u64 sum = p->se.sum_exec_runtime;

	advance(p->scx.dsq_vtime);
	tt->vtime += tsr_vtime_delta(p, sum - tt->charged_ns);
	tt->charged_ns = sum;
}

/* The largest clock of the CPUs @p may run on. */
static __noinline u64 cpus_clock(struct task_struct *p)
{
	u64 best = 0;
	bool any = false;
	u32 i;

	bpf_for(i, 0, twin_nr_cpu_ids) {
		if (!bpf_cpumask_test_cpu(i, p->cpus_ptr))
			continue;
		if (!any || (s64)(*cpu_clock(i) - best) > 0)
			best = *cpu_clock(i);
		any = true;
	}
	return any ? best : twin_clock;
}

/*
 * @tt's vtime bounded against the clock: a slice of credit behind (the
 * clocks of its CPUs, if @p may not run on all), a second ahead.
 */
static __always_inline u64 queue_key(struct task_struct *p, struct twin_task *tt)
{
	u64 clock = twin_clock, floor = clock, mine;

	if (p->nr_cpus_allowed < twin_nr_cpu_ids) {
		if (p->nr_cpus_allowed == 1)
			mine = *cpu_clock(scx_bpf_task_cpu(p));
		else
			mine = cpus_clock(p);
		if ((s64)(mine - clock) < 0)
			floor = mine;
	}
	if ((s64)(tt->vtime - (floor - TWIN_SLICE_NS)) < 0)
		tt->vtime = floor - TWIN_SLICE_NS;
	else if ((s64)(tt->vtime - (clock + TWIN_MAX_LEAD_NS)) > 0)
		tt->vtime = clock + TWIN_MAX_LEAD_NS;
	return tt->vtime;
}

s32 BPF_STRUCT_OPS(twin_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct twin_task *tt = twin_task(p);
	struct twin_cpu *c = this_cpu();
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	TWIN_COUNT(c, nr_select);
#ifdef TWIN_SERVICES
	if (tt)
		tt->woke_direct = idle;
#endif
	if (!idle) {
		if (tt)
			tt->woke_busy = true;
		return cpu;
	}
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_of(p), 0);
	TWIN_COUNT(c, nr_direct);
	return cpu;
}

/* As the framework's RCU boost (framework/core.bpf.c: tsr_rcu_boost()). */
static __always_inline bool rcu_boost(struct task_struct *p, u64 enq_flags, struct twin_cpu *c)
{
#ifdef TWIN_SERVICES
	if (!bpf_core_field_exists(p->rcu_read_unlock_special) ||
	    !p->rcu_read_unlock_special.b.blocked)
		return false;
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, TWIN_SLICE, enq_flags | SCX_ENQ_HEAD);
	TWIN_COUNT(c, nr_rcu_boost);
	return true;
#else
	return false;
#endif
}

void BPF_STRUCT_OPS(twin_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct twin_cpu *c = this_cpu();
	struct twin_task *tt;
	s32 idle;

	TWIN_COUNT(c, nr_enqueue);
	if (rcu_boost(p, enq_flags, c))
		return;
	tt = twin_task(p);
	if (!tt) {
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_of(p), enq_flags);
		return;
	}
	scx_bpf_dsq_insert_vtime(p, TWIN_DSQ, slice_of(p), queue_key(p, tt), enq_flags);
#ifdef TWIN_SERVICES
	tt->woke_direct = false;
#endif
	if (tt->woke_busy) {
		tt->woke_busy = false;
		return;
	}
	/* one allowed CPU: the kernel reschedules it itself when idle */
	if (p->nr_cpus_allowed == 1)
		return;
	idle = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (idle >= 0)
		scx_bpf_kick_cpu(idle, SCX_KICK_IDLE);
}

/* Run a task that has waited TWIN_STARVE_NS and may run here, every TWIN_RESCUE_EVERY_NS. */
static __always_inline bool rescue(s32 cpu)
{
	u64 now = bpf_ktime_get_ns(), hz = CONFIG_HZ ?: 250;
	u32 key = 0;
	u64 *at = bpf_map_lookup_elem(&twin_rescue_at, &key);

	if (!at || (s64)(now - *at) < 0)
		return false;
	*at = now + TWIN_RESCUE_EVERY_NS;
	return tsr_rescue_dsq(TWIN_DSQ, cpu, bpf_jiffies64(), TWIN_STARVE_NS / 1000000000ULL * hz);
}

void BPF_STRUCT_OPS(twin_dispatch, s32 cpu, struct task_struct *prev)
{
	struct twin_cpu *c = this_cpu();
	struct twin_task *tt = NULL;
	struct task_struct *head;

	TWIN_COUNT(c, nr_dispatch);
	if (prev && (prev->scx.flags & SCX_TASK_QUEUED)) {
		tt = twin_task(prev);
		if (tt)
			charge(prev, tt);
	}
	if (rescue(cpu)) {
		TWIN_COUNT(c, nr_rescued);
		return;
	}
	if (tt) {
		u64 key = queue_key(prev, tt);

		head = tsr_dsq_first_for(TWIN_DSQ, cpu, twin_nr_cpu_ids);
		if (!head || (s64)(key - head->scx.dsq_vtime) < 0) {
			scx_bpf_task_set_slice(prev, slice_of(prev));
			TWIN_COUNT(c, nr_keep_prev);
			TWIN_COUNT(c, nr_local);
			/* alone, it competed with nobody: its vtime follows the clock */
			if (head)
				advance(key);
			else if ((s64)(tt->vtime - twin_clock) > 0)
				tt->vtime = twin_clock;
			return;
		}
	}
	if (scx_bpf_dsq_move_to_local(TWIN_DSQ))
		TWIN_COUNT(c, nr_local);
}

/* As the framework's migration count (framework/core.bpf.c: tsr_count_migration()). */
static __always_inline void count_migration(struct twin_task *tt)
{
#ifdef TWIN_SERVICES
	s32 cpu = bpf_get_smp_processor_id(), last = tt->last_cpu1 - 1;
	struct twin_cpu *c;

	tt->last_cpu1 = cpu + 1;
	if (last < 0 || last == cpu)
		return;
	c = &twin_cpus[cpu & (TWIN_MAX_CPUS - 1)];
	c->nr_migrated++;
	if (tt->woke_direct)
		c->nr_migrated_wake++;
	else
		c->nr_migrated_pick++;
#endif
}

void BPF_STRUCT_OPS(twin_stopping, struct task_struct *p, bool runnable)
{
	struct twin_task *tt = twin_task(p);

	if (!tt)
		return;
	count_migration(tt);
	charge(p, tt);
}

/*
 * A task allowed some CPUs only: its lead or lag on the clock (a slice
 * behind, a second ahead) carried over to the largest clock of those CPUs.
 */
static __always_inline void place(struct task_struct *p, struct twin_task *tt)
{
	s64 lead = (s64)(tt->vtime - twin_clock);
	u64 mine;

	if (p->nr_cpus_allowed >= twin_nr_cpu_ids)
		return;
	mine = cpus_clock(p);
	if ((s64)(mine - twin_clock) >= 0)
		return;
	if (lead < -(s64)TWIN_SLICE_NS)
		lead = -(s64)TWIN_SLICE_NS;
	else if (lead > (s64)TWIN_MAX_LEAD_NS)
		lead = TWIN_MAX_LEAD_NS;
	tt->vtime = mine + lead;
}

void BPF_STRUCT_OPS(twin_enable, struct task_struct *p)
{
	struct twin_task *tt = twin_task(p);

	if (!tt)
		return;
	tt->charged_ns = p->se.sum_exec_runtime;
	tt->vtime = twin_clock;
	place(p, tt);
}

void BPF_STRUCT_OPS(twin_set_cpumask, struct task_struct *p, const struct cpumask *mask)
{
	struct twin_task *tt = twin_task(p);

	if (tt)
		place(p, tt);
}

s32 BPF_STRUCT_OPS(twin_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	return bpf_task_storage_get(&twin_tasks, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE) ? 0 :
											    -ENOMEM;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(twin_init)
{
	return scx_bpf_create_dsq(TWIN_DSQ, -1);
}

void BPF_STRUCT_OPS(twin_exit, struct scx_exit_info *ei)
{
}

SEC(".struct_ops.link")
struct sched_ext_ops twin_ops = {
	.select_cpu = (void *)twin_select_cpu,
	.enqueue = (void *)twin_enqueue,
	.dispatch = (void *)twin_dispatch,
	.stopping = (void *)twin_stopping,
	.enable = (void *)twin_enable,
	.set_cpumask = (void *)twin_set_cpumask,
	.init_task = (void *)twin_init_task,
	.init = (void *)twin_init,
	.exit = (void *)twin_exit,
#ifdef TWIN_SERVICES
	.name = "basic_twin_services",
#else
	.name = "basic_twin",
#endif
};
