// SPDX-License-Identifier: GPL-2.0
/*
 * The sched_ext operations of every composed scheduler. Each callback does
 * the framework's bookkeeping and calls the generated module hook chain (see
 * hooks.h for the rules). Compiled once per scheduler with that scheduler's
 * generated headers (TSR_COMPOSE_H, TSR_COMPOSE_BPF_H).
 */
#include "common.bpf.h"
#include TSR_COMPOSE_H
#include "state.bpf.h"
#include "arena_pages.bpf.h"
#include TSR_COMPOSE_BPF_H
#include "hotplug.bpf.h"

char _license[] SEC("license") = "GPL";

/* Sizes as BPF sees them; the runner compares with its own before attach. */
const volatile struct tsr_layout tsr_layout = {
	.task = sizeof(struct tsr_task),
	.cpu = sizeof(struct tsr_cpu),
	.dom = sizeof(struct tsr_dom),
	.topo = sizeof(struct tsr_topo),
	.slab = sizeof(struct tsr_slab),
	.heap = sizeof(struct tsr_heap),
	.topo_version = TSR_TOPO_VERSION,
	.slab_version = TSR_SLAB_VERSION,
	.arena_user_base = TSR_ARENA_USER_BASE,
	.arena_pages = TSR_ARENA_PAGES,
};

struct tsr_exit_info tsr_exit_info;

/* Virtual time of the fallback queue: the largest key served from it. */
__u64 tsr_fb_vtime_now;
/* Set once any task went to the fallback queue: before that, dispatch does not look. */
bool tsr_fb_active;

s32 BPF_STRUCT_OPS(tsr_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct tsr_cpu __arena *c = tsr_this_cpu();
	struct tsr_task_ref *ref = tsr_task_ref(p);
	struct tsr_task __arena *t = ref ? ref->rec : NULL;
	struct tsr_placement pl = {};
	bool idle = false;
	s32 cpu;

	tsr_arena_use();
	c->core.nr_select++;
	if (t) {
		cpu = tsr_chain_select_cpu(p, t, prev_cpu, wake_flags, &pl);
		if (cpu < 0) {
			cpu = prev_cpu;
			pl.direct = false;
		}
	} else {
		/* no record, no module state: the kernel's idle pick, so it still runs soon */
		c->core.nr_no_record++;
		cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);
		pl.direct = idle;
	}
	if (pl.direct) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, pl.slice ?: tsr_task_slice(p, t), 0);
		c->core.nr_direct++;
	}
	if (ref)
		ref->woke_direct = pl.direct;
#if TSR_USES_WAKE_FLAGS
	if (t) /* for the enqueue that follows (none after a direct dispatch) */
		t->core.wake_flags = pl.direct ? 0 : wake_flags;
#endif
	return cpu;
}

/* The fallback queue's key for @p: its own vtime, bounded against the queue's clock. */
static __always_inline u64 tsr_fb_key(struct task_struct *p, struct tsr_task_ref *ref, u64 slice)
{
	return tsr_vtime_bound(ref->fb_vtime, tsr_fb_vtime_now, slice);
}

/*
 * The fallback queue: tasks without a record and tasks no module claimed,
 * ordered by their own weighted virtual time.
 */
static __always_inline void tsr_fb_enqueue(struct task_struct *p, struct tsr_task_ref *ref,
					   u64 enq_flags)
{
	u64 slice = tsr_task_slice(p, NULL), key = tsr_fb_vtime_now;

	if (ref) {
		key = ref->fb_vtime = tsr_fb_key(p, ref, slice);
		ref->on_fallback = true;
	}
	if (!tsr_fb_active)
		tsr_fb_active = true;
	scx_bpf_dsq_insert_vtime(p, TSR_DSQ_FALLBACK, slice, key, enq_flags);
	tsr_kick_idle_for(p);
}

/*
 * A task preempted inside an RCU read-side section holds up every grace
 * period until it runs again, and RCU's stall detector makes the kernel
 * eject the scheduler after 21 s. Kernels without RCU priority boosting
 * (this one) leave that to the scheduler, so the framework boosts: such a
 * task goes to the front of its CPU's local DSQ, ahead of every module's
 * order. Seen in the soak (bench/soak): khugepaged at nice 19, preempted
 * while collapsing a huge page, got too little CPU among two hundred busy
 * tasks to leave its section in 21 s. User code never holds rcu_read_lock,
 * so only kernel paths benefit, and only until they unlock.
 *
 * The test is RCU's own mark, rcu_read_unlock_special.b.blocked, set by
 * rcu_note_context_switch() when the task was switched out inside a read
 * section. Not rcu_read_lock_nesting: for the task being preempted (it is
 * current while ops.enqueue runs) that also counts the read lock the BPF
 * program itself runs under, so every preempted task would look boosted.
 */
static __always_inline bool tsr_rcu_boost(struct task_struct *p, u64 enq_flags)
{
	/* kernels without preemptible RCU have neither the field nor the problem */
	if (!bpf_core_field_exists(p->rcu_read_unlock_special) ||
	    !p->rcu_read_unlock_special.b.blocked)
		return false;
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, tsr_slice(), enq_flags | SCX_ENQ_HEAD);
	tsr_this_cpu()->core.nr_rcu_boost++;
	return true;
}

void BPF_STRUCT_OPS(tsr_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct tsr_cpu __arena *c = tsr_this_cpu();
	struct tsr_task_ref *ref;
	struct tsr_task __arena *t;
	bool claimed;

	c->core.nr_enqueue++;
	if (tsr_rcu_boost(p, enq_flags))
		return;
	ref = tsr_task_ref(p);
	t = ref ? ref->rec : NULL;
	tsr_arena_use();
	if (ref) { /* tsr_fb_enqueue() sets on_fallback again */
		ref->woke_direct = false;
		ref->on_fallback = false;
	}
	claimed = t && tsr_chain_enqueue(p, t, enq_flags);
#if TSR_USES_WAKE_FLAGS
	if (t)
		t->core.wake_flags = 0;
#endif
	if (claimed) {
		tsr_orphan_kick(p, t);
		return;
	}
	if (!t)
		c->core.nr_no_record++;
	/*
	 * With SCX_OPS_ENQ_LAST (a module asked for it): alone on this CPU, and
	 * no module held it back, so it runs on here; on the fallback queue
	 * this CPU would go idle with it waiting
	 */
	if (enq_flags & SCX_ENQ_LAST) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, tsr_task_slice(p, t), enq_flags);
		return;
	}
	c->core.nr_enq_fallback++;
	tsr_fb_enqueue(p, ref, enq_flags);
}

/*
 * Charge @p for the run time since its last charge (the kernel's own
 * sum_exec_runtime, so nothing depends on how slices were set): the
 * fallback queue's vtime if it queues there, the modules' charge hooks if
 * it has a record.
 */
static __always_inline void tsr_charge(struct task_struct *p, struct tsr_task_ref *ref)
{
	u64 sum = p->se.sum_exec_runtime, ran = sum - ref->charged_ns;
	struct tsr_task __arena *t = ref->rec;

	tsr_arena_use();
	ref->charged_ns = sum;
	if (ref->on_fallback)
		ref->fb_vtime += tsr_vtime_delta(p, ran);
	if (t)
		tsr_chain_charge(p, t, ran);
}

/*
 * Serve this CPU from the fallback queue; @prev_ref when prev, still
 * runnable, would rejoin it. Not inlined: dispatch calls it from two places
 * and it is off the common path (no record, or no module claimed the task).
 */
static __noinline bool tsr_fb_serve(struct task_struct *prev, struct tsr_task_ref *prev_ref)
{
	struct task_struct *head = scx_bpf_dsq_peek(TSR_DSQ_FALLBACK);
	enum tsr_served served;
	u64 slice = 0, key = 0;

	if (head && (s64)(head->scx.dsq_vtime - tsr_fb_vtime_now) > 0)
		tsr_fb_vtime_now = head->scx.dsq_vtime;
	if (prev_ref) {
		slice = tsr_task_slice(prev, NULL);
		key = tsr_fb_key(prev, prev_ref, slice);
	}
	served = tsr_dsq_serve(TSR_DSQ_FALLBACK, prev, prev_ref, key, slice);
	/* as tsr_vclock_kept(): alone, prev's vtime follows the clock */
	if (served == TSR_SERVED_PREV && (s64)(key - tsr_fb_vtime_now) > 0)
		tsr_fb_vtime_now = key;
	else if (served == TSR_SERVED_ALONE && prev_ref &&
		 (s64)(prev_ref->fb_vtime - tsr_fb_vtime_now) > 0)
		prev_ref->fb_vtime = tsr_fb_vtime_now;
	if (!served)
		return false;
	tsr_this_cpu()->core.nr_dispatch_fallback++;
	return true;
}

/*
 * Whether the fallback queue gets this turn: with a chance proportional to
 * the tasks waiting in it against those waiting in this CPU's domain, so a
 * task without a record gets about an equal share instead of only the
 * moments when every domain queue is empty.
 */
static __always_inline bool tsr_fb_turn(s32 cpu, bool prev_fb, bool prev_dom)
{
	u32 nf, nd;

	if (!tsr_fb_active)
		return false;
	nf = scx_bpf_dsq_nr_queued(TSR_DSQ_FALLBACK) + prev_fb;
	if (!nf)
		return false;
	nd = scx_bpf_dsq_nr_queued(TSR_DSQ_DOM(tsr_cpu_dom(cpu))) + prev_dom;
	return bpf_get_prandom_u32() % (nf + nd) < nf;
}

/*
 * The guarantee behind "no runnable task waits unboundedly". Virtual time
 * orders tasks by weight, and a light task (SCHED_IDLE, nice 19) among many
 * runnable ones rightly waits weight-times longer than they do: with two
 * hundred of them that reaches the watchdog, or RCU's 21 s stall detector
 * when the waiting task was preempted inside an RCU read section (seen in
 * the soak, bench/soak). So every TSR_RESCUE_EVERY_MS each CPU looks through
 * its domain's queue and the fallback queue for a task it may run that has
 * been runnable for TSR_STARVE_MS (the kernel's runnable_at, the clock its
 * watchdog uses) and runs it next; the run is charged like any other.
 * TSR_STARVE_MS sits above the waits weights give in ordinary use (a
 * SCHED_IDLE task among 16 nice-0 ones on 8 CPUs waits ~2 s, and rescuing
 * it then gave it 10-50 % of a CPU instead of 0.3 %) and below the smallest
 * watchdog (10 s) and RCU's stall timeout (21 s). Cost: one walk of the
 * queue per CPU per 100 ms. Queues private to a module are walked by the
 * module's rescue hook (framework/hooks.h).
 */
#define TSR_STARVE_MS 5000
#define TSR_RESCUE_EVERY_MS 100

/* jiffies per second, measured over the first second (BPF does not know HZ) */
__u64 tsr_hz;
__u64 tsr_hz_j0, tsr_hz_ns0;

static __always_inline u64 tsr_calibrate_hz(u64 now_j)
{
	u64 ns = bpf_ktime_get_ns();

	if (!tsr_hz_ns0) {
		tsr_hz_ns0 = ns;
		tsr_hz_j0 = now_j;
	} else if (ns - tsr_hz_ns0 >= 1000000000ULL) {
		tsr_hz = (now_j - tsr_hz_j0) * 1000000000ULL / (ns - tsr_hz_ns0);
	}
	return tsr_hz;
}

static __always_inline bool tsr_rescue(struct tsr_cpu __arena *c, s32 cpu)
{
	u64 now_j = bpf_jiffies64(), hz, starve_j;

	if ((s64)(now_j - c->core.rescue_at_j) < 0)
		return false;
	hz = tsr_hz ?: tsr_calibrate_hz(now_j);
	c->core.rescue_at_j = now_j + (hz ? hz * TSR_RESCUE_EVERY_MS / 1000 : 1);
	if (!hz)
		return false;
	starve_j = hz * TSR_STARVE_MS / 1000;
	if (!tsr_rescue_dsq(TSR_DSQ_DOM(tsr_cpu_dom(cpu)), cpu, now_j, starve_j) &&
	    !tsr_cpu_queue_rescue(cpu, tsr_cpu_dom(cpu), now_j, starve_j) &&
	    !(tsr_fb_active && tsr_rescue_dsq(TSR_DSQ_FALLBACK, cpu, now_j, starve_j)) &&
	    !tsr_chain_rescue(cpu, now_j, starve_j))
		return false;
	c->core.nr_rescued++;
	return true;
}

void BPF_STRUCT_OPS(tsr_dispatch, s32 cpu, struct task_struct *prev)
{
	struct tsr_cpu __arena *c = tsr_this_cpu();
	struct tsr_task __arena *prev_t = NULL;
	struct tsr_task_ref *fb_ref = NULL;

	c->core.nr_dispatch++;
	/* prev used up its slice and still wants the CPU: it competes with the queues */
	if (prev && (prev->scx.flags & SCX_TASK_QUEUED)) {
		struct tsr_task_ref *ref = tsr_task_ref(prev);

		if (ref) {
			tsr_charge(prev, ref);
			if (ref->on_fallback)
				fb_ref = ref;
			else
				prev_t = ref->rec;
		}
	}
	if (tsr_rescue(c, cpu))
		return;
	if (tsr_fb_turn(cpu, fb_ref, prev_t) && tsr_fb_serve(prev, fb_ref))
		return;
	if (tsr_orphan_turn(cpu) && tsr_serve_orphans())
		return;
	if (tsr_chain_dispatch(cpu, prev, prev_t))
		return;
	if (tsr_serve_orphans())
		return;
	/* nothing ever queued there (no kfunc calls on every CPU going idle) */
	if (tsr_fb_active || fb_ref)
		tsr_fb_serve(prev, fb_ref);
}

/*
 * How a task whose run before ended on @last came to run on @cpu: told
 * from where it is, not from who moved it, so no path that moves tasks
 * needs to say so (a task queues in its own domain, so a CPU outside it
 * that runs it took it from there).
 */
static __always_inline enum tsr_migration_kind tsr_migration_kind(struct tsr_task_ref *ref,
								  s32 last, s32 cpu)
{
	u32 dom = tsr_cpu_dom(cpu);

	if (ref->woke_direct)
		return TSR_MIG_WAKE;
	if (ref->rec && ref->rec->core.dom != dom)
		return TSR_MIG_STEAL;
	return tsr_cpu_dom(last) == dom ? TSR_MIG_PICK : TSR_MIG_MOVED;
}

/* A run ended on @cpu: a migration when the one before ended elsewhere (whoever moved it). */
static __always_inline void tsr_count_migration(struct tsr_task_ref *ref, s32 cpu)
{
	s32 last = ref->last_cpu1 - 1;
	struct tsr_cpu __arena *c;

	ref->last_cpu1 = cpu + 1;
	if (last < 0 || last == cpu)
		return;
	c = tsr_cpu_rec(cpu);
	c->core.nr_migrated++;
	c->core.nr_migrated_by[tsr_migration_kind(ref, last, cpu) & 3]++;
	if (!tsr_one_dom() && (u32)last < TSR_MAX_CPUS && (u32)cpu < TSR_MAX_CPUS &&
	    tsr_topo.cpu_node[last] != tsr_topo.cpu_node[cpu])
		c->core.nr_migrated_nodes++;
}

void BPF_STRUCT_OPS(tsr_stopping, struct task_struct *p, bool runnable)
{
	struct tsr_task_ref *ref = tsr_task_ref(p);

	if (!ref)
		return;
	tsr_count_migration(ref, tsr_cpu_id());
	tsr_charge(p, ref);
#if TSR_HOOK_USED_stopping
	if (ref->rec)
		tsr_chain_stopping(p, ref->rec, runnable);
#endif
}

/* The run-time baseline starts here: what ran before belongs to another scheduler. */
void BPF_STRUCT_OPS(tsr_enable, struct task_struct *p)
{
	struct tsr_task_ref *ref = tsr_task_ref(p);

	if (!ref)
		return;
	ref->charged_ns = p->se.sum_exec_runtime;
#if TSR_HOOK_USED_enable
	tsr_arena_use();
	if (ref->rec)
		tsr_chain_enable(p, ref->rec);
#endif
}

/* Notification callbacks exist only when some module listens: no cost otherwise. */
#if TSR_HOOK_USED_runnable
void BPF_STRUCT_OPS(tsr_runnable, struct task_struct *p, u64 enq_flags)
{
	struct tsr_task __arena *t = tsr_task_rec(p);

	if (t)
		tsr_chain_runnable(p, t, enq_flags);
}
#endif

#if TSR_HOOK_USED_running
void BPF_STRUCT_OPS(tsr_running, struct task_struct *p)
{
	struct tsr_task __arena *t = tsr_task_rec(p);

	if (t)
		tsr_chain_running(p, t);
}
#endif

#if TSR_HOOK_USED_quiescent
void BPF_STRUCT_OPS(tsr_quiescent, struct task_struct *p, u64 deq_flags)
{
	struct tsr_task __arena *t = tsr_task_rec(p);

	if (t)
		tsr_chain_quiescent(p, t, deq_flags);
}
#endif

#if TSR_HOOK_USED_tick
void BPF_STRUCT_OPS(tsr_tick, struct task_struct *p)
{
	struct tsr_task __arena *t = tsr_task_rec(p);

	if (t)
		tsr_chain_tick(p, t);
}
#endif

#if TSR_HOOK_USED_set_cpumask
void BPF_STRUCT_OPS(tsr_set_cpumask, struct task_struct *p, const struct cpumask *mask)
{
	struct tsr_task __arena *t = tsr_task_rec(p);

	if (t)
		tsr_chain_set_cpumask(p, t, mask);
}
#endif

/*
 * Zero a fresh record (its generation lives in the slot header). The stores
 * are volatile so clang does not turn them into a memset, which clang 19
 * lowers without the arena address-space cast.
 */
static __always_inline void tsr_task_rec_reset(struct tsr_task __arena *t, struct task_struct *p)
{
	volatile u64 __arena *w = (volatile u64 __arena *)t;
	int i;

	for (i = 0; i < sizeof(*t) / sizeof(u64); i++)
		w[i] = 0;
	t->core.pid = p->pid;
	t->core.dom = tsr_task_dom(p);
}

/* Sleepable: the only place task records are allocated, so the place to grow their slab. */
s32 BPF_STRUCT_OPS_SLEEPABLE(tsr_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	struct tsr_task_ref *ref;
	struct tsr_task __arena *t;

	ref = bpf_task_storage_get(&tsr_task_refs, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ref)
		return -ENOMEM;
	/* a failed refill is counted in the slab; the allocation may still succeed */
	tsr_slab_refill(&tsr_task_slab, tsr_task_refill_min);
	/* No record (slab exhausted, counted there): the task runs on the fallback path. */
	t = tsr_slab_alloc(&tsr_task_slab);
	ref->rec = t;
	ref->charged_ns = p->se.sum_exec_runtime;
	if (!t) {
		ref->on_fallback = true;
		__sync_fetch_and_add(&tsr_nr_norec, 1);
		return 0;
	}
	tsr_task_rec_reset(t, p);
	return tsr_chain_init_task(p, t, args);
}

void BPF_STRUCT_OPS(tsr_exit_task, struct task_struct *p, struct scx_exit_task_args *args)
{
	struct tsr_task_ref *ref = bpf_task_storage_get(&tsr_task_refs, p, NULL, 0);
	struct tsr_task __arena *t;

	if (!ref)
		return;
	if (!ref->rec) {
		__sync_fetch_and_sub(&tsr_nr_norec, 1);
		return;
	}
	t = ref->rec;
	tsr_chain_exit_task(p, t, args);
	ref->rec = NULL;
	tsr_slab_free(&tsr_task_slab, t);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(tsr_init)
{
	s32 ret;
	int d;

	if (tsr_topo.version != TSR_TOPO_VERSION) {
		tsr_error("topology was not written into the arena before attach");
		return -EINVAL;
	}
	ret = scx_bpf_create_dsq(TSR_DSQ_FALLBACK, -1);
	if (ret)
		return ret;
	bpf_for(d, 0, tsr_nr_doms()) {
		ret = scx_bpf_create_dsq(TSR_DSQ_DOM(d), tsr_dom_node(d));
		if (ret) {
			tsr_error("cannot create the DSQ of domain %d: %d", d, ret);
			return ret;
		}
	}
	tsr_dom_cpus_init();
	ret = tsr_cpu_queues_create();
	if (ret) {
		tsr_error("cannot create the CPUs' wait queues: %d", ret);
		return ret;
	}
	ret = tsr_kmasks_init();
	if (ret) {
		tsr_error("cannot build the domain cpumasks: %d", ret);
		return ret;
	}
	return tsr_chain_init();
}

void BPF_STRUCT_OPS(tsr_exit, struct scx_exit_info *ei)
{
	tsr_chain_exit(ei);
	tsr_exit_info.exit_cpu = ei->exit_cpu;
	tsr_exit_info.exit_code = ei->exit_code;
	bpf_probe_read_kernel_str(tsr_exit_info.reason, sizeof(tsr_exit_info.reason), ei->reason);
	bpf_probe_read_kernel_str(tsr_exit_info.msg, sizeof(tsr_exit_info.msg), ei->msg);
	/* kind last: userspace takes kind != 0 to mean the rest is there (x86 keeps store order) */
	asm volatile("" ::: "memory");
	tsr_exit_info.kind = ei->kind;
}

SEC(".struct_ops.link")
struct sched_ext_ops tsr_ops = {
	.select_cpu = (void *)tsr_select_cpu,
	.enqueue = (void *)tsr_enqueue,
	.dispatch = (void *)tsr_dispatch,
#if TSR_HOOK_USED_runnable
	.runnable = (void *)tsr_runnable,
#endif
#if TSR_HOOK_USED_running
	.running = (void *)tsr_running,
#endif
	.stopping = (void *)tsr_stopping,
#if TSR_HOOK_USED_quiescent
	.quiescent = (void *)tsr_quiescent,
#endif
#if TSR_HOOK_USED_tick
	.tick = (void *)tsr_tick,
#endif
	.enable = (void *)tsr_enable,
#if TSR_HOOK_USED_set_cpumask
	.set_cpumask = (void *)tsr_set_cpumask,
#endif
	.cpu_online = (void *)tsr_cpu_online,
	.cpu_offline = (void *)tsr_cpu_offline,
	.init_task = (void *)tsr_init_task,
	.exit_task = (void *)tsr_exit_task,
	.init = (void *)tsr_init,
	.exit = (void *)tsr_exit,
	.name = TSR_SCHED_NAME,
};
