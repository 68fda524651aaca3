/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lb, BPF half: per-domain load (decaying average of runnable weight),
 * per-task load, the domains each task's cpumask reaches, a new task's
 * domain (its parent's CPU's while that has room, else the least loaded),
 * greedy stealing from other domains when the CPU's own domain is empty
 * (across nodes once a queue has waited lb_xnuma_wait_ns, with an idle CPU
 * there woken at the next enqueue), and applying the userspace balancer's migration
 * decisions at the task's next wake-up or enqueue. List lb before the
 * module that queues per domain: its select_cpu/enqueue hooks only apply
 * decisions, note when a queue starts waiting, and pass.
 *
 * A task's domain changes here only when a decision is applied or its
 * cpumask leaves the domain; enqueue never re-derives the domain from the
 * CPU, so nothing undoes a decision.
 */
#ifndef TSR_LB_BPF_H
#define TSR_LB_BPF_H

#define PF_WQ_WORKER 0x00000020 /* include/linux/sched.h; not in BTF */

const volatile __u64 lb_half_life_ns = 1000000000ULL;
const volatile __u32 lb_greedy_threshold = 1;
const volatile __u32 lb_greedy_threshold_x_numa = 0;
const volatile __u64 lb_xnuma_wait_ns = 0;
const volatile bool lb_spread_new = true;
/*
 * The scheduler's own process: not load, not balanced. It runs at nice
 * -20 (weight 88761, 87 nice-0 tasks), so its tuner's short wake-ups every
 * 0.1 s weighed about one nice-0 hog in an idle node's load (90-160 units
 * measured in the guest) and the balancer moved it between domains every
 * round.
 */
const volatile int lb_self_tgid = 0;

static __always_inline struct lb_dom __arena *lb_dom(u32 dom)
{
	return &tsr_doms[dom & (TSR_MAX_DOMS - 1)].lb;
}

/*
 * Loads are folded into their averages at most once per 2^LB_FOLD_SHIFT-th
 * of a half-life (1 ms at the default 1 s): a fold is three divisions (and
 * for a domain a lock), and runnable and quiescent change a task's and its
 * domain's signal on every wake-up and sleep. A domain's sum still moves
 * every time, and a fold takes the sum it finds for the time since the one
 * before. A task's fold takes its weight times the share of that time it
 * was runnable (counted at every change), so a task that switches faster
 * keeps its true average (tested: within 1 % for 10 us to 2 ms cycles,
 * periodic ones too), and one slower folds at every change, as before.
 */
#define LB_FOLD_SHIFT 10

static __always_inline bool lb_fold_due(u64 now, u64 last_ns)
{
	return (s64)(now - last_ns) >= (s64)(lb_half_life_ns >> LB_FOLD_SHIFT);
}

/*
 * @t's own load at @now, runnable from now on (@runnable) or not: count the
 * run that ends here, and fold the time since the last fold when due.
 */
static __always_inline void lb_task_load(struct tsr_task __arena *t, u64 now, bool runnable)
{
	u64 last = t->lb.load.last_ns, span = now - last, ran, frac;

	if (!runnable && t->lb.run_since)
		t->lb.run_unfolded_ns += now - t->lb.run_since;
	if (runnable)
		t->lb.run_since = now;
	if (!lb_fold_due(now, last))
		return;
	ran = t->lb.run_unfolded_ns;
	t->lb.run_unfolded_ns = 0;
	/* the first fold, or a run longer than the span (clocks of two CPUs) */
	if (!last || ran >= span)
		frac = ran ? TSR_RAVG_ONE : 0;
	else if (ran >> (64 - TSR_RAVG_FRAC)) /* runnable 78 hours since the last fold */
		frac = ran / (span >> TSR_RAVG_FRAC);
	else
		frac = (ran << TSR_RAVG_FRAC) / span;
	tsr_ravg_update_frac(&t->lb.load, now, frac * t->lb.acct_weight, lb_half_life_ns);
}

/*
 * Add @delta to a domain's runnable weight at @now; fold the old value into
 * its average first when the last fold is old enough. Not when another CPU
 * folded at a later time (looked at again under the lock: it may have
 * folded since): the average would restart.
 */
static __always_inline void lb_dom_account(u32 dom, s64 delta, u64 now)
{
	struct lb_dom __arena *d = lb_dom(dom);
	s64 w;

	if (lb_fold_due(now, d->load.last_ns) &&
	    __sync_val_compare_and_swap(&d->load_lock, 0, 1) == 0) {
		w = d->runnable_weight;
		if ((s64)(now - d->load.last_ns) >= 0)
			tsr_ravg_update(&d->load, now, w > 0 ? w : 0, lb_half_life_ns);
		__sync_fetch_and_add(&d->runnable_weight, delta);
		__sync_lock_test_and_set(&d->load_lock, 0);
		return;
	}
	/* not due, or another CPU is folding: the sum moves, the average waits */
	__sync_fetch_and_add(&d->runnable_weight, delta);
}

/* Count @t's weight in domain @dom (@sign 1), or take it out (-1). */
static __always_inline void lb_count(u32 dom, struct tsr_task __arena *t, s64 sign, u64 now)
{
	s64 delta = sign * t->lb.acct_weight;

	lb_dom_account(dom, delta, now);
	if (t->lb.flags & LB_TASK_KTHREAD)
		__sync_fetch_and_add(&lb_dom(dom)->kthread_weight, delta);
	else
		__sync_fetch_and_add(&lb_dom(dom)->nr_lasting, sign);
}

/* Domains @mask reaches, into t->lb.dom_mask; returns whether t's domain is one of them. */
static __always_inline bool lb_compute_dom_mask(struct tsr_task __arena *t,
						const struct cpumask *mask)
{
	u32 nr = tsr_nr_doms();
	const struct cpumask *dm;
	int d, w;

	bpf_for(w, 0, LB_DOM_WORDS)
		t->lb.dom_mask[w] = 0;
	bpf_for(d, 0, nr) {
		dm = tsr_dom_kmask(d);
		if (dm && bpf_cpumask_intersects(dm, mask))
			t->lb.dom_mask[(d / 64) & (LB_DOM_WORDS - 1)] |= 1ULL << (d % 64);
	}
	return lb_mask_test(t->lb.dom_mask, t->core.dom);
}

/* Move @t to @dom, carrying its runnable weight with it. */
static __always_inline void lb_move(struct tsr_task __arena *t, u32 dom)
{
	s32 acct = t->lb.acct_dom;
	u64 now;

	if (acct >= 0 && acct != dom) {
		now = tsr_now();
		lb_count(acct, t, -1, now);
		lb_count(dom, t, 1, now);
		t->lb.acct_dom = dom;
	}
	t->core.dom = dom;
}

/* A domain @t may use, preferring one of @node; -1 if none. */
static __always_inline s32 lb_first_allowed(struct tsr_task __arena *t, u32 node)
{
	u32 nr = tsr_nr_doms();
	s32 any = -1;
	int d;

	bpf_for(d, 0, nr) {
		if (!lb_mask_test(t->lb.dom_mask, d))
			continue;
		if (tsr_dom_node(d) == node)
			return d;
		if (any < 0)
			any = d;
	}
	return any;
}

static __always_inline void lb_fix_domain(struct task_struct *p, struct tsr_task __arena *t,
					  const struct cpumask *mask)
{
	s32 dom;

	if (lb_compute_dom_mask(t, mask))
		return;
	dom = lb_first_allowed(t, tsr_dom_node(t->core.dom));
	if (dom < 0)
		return;
	lb_move(t, dom);
	tsr_this_cpu()->lb.nr_affinity_move++;
}

/*
 * Domain @d's runnable weight that lasts: kernel threads' (kworkers,
 * rcu_preempt, ksoftirqd) left out. They run for microseconds, and one
 * counted while a burst was being placed filled its node a child early:
 * the burst split 3 + 5 across two 4-CPU nodes.
 */
static __always_inline s64 lb_lasting_weight(u32 d)
{
	struct lb_dom __arena *ld = lb_dom(d);

	return ld->runnable_weight - ld->kthread_weight;
}

/* Whether domain @d's lasting weight per online CPU is below @w per @cpus CPUs. */
static __always_inline bool lb_lighter(u32 d, s64 w, s32 cpus, s64 *dw, s32 *dcpus)
{
	*dw = lb_lasting_weight(d);
	*dcpus = tsr_doms[d & (TSR_MAX_DOMS - 1)].core.nr_online;
	return *dcpus > 0 && *dw * cpus < w * *dcpus;
}

/*
 * Whether domain @d has a CPU none of its lasting tasks needs: fewer of
 * them runnable than CPUs online. Only such a domain steals across nodes
 * for a queue that waited: a CPU idle for a moment at a slice end in a
 * domain as busy as its CPUs took the other node's queue head whatever
 * its weight (a nice-10 hog among eight nice-0 ones on two nodes got
 * 0.14-0.72 of a CPU, due 0.1).
 */
static __always_inline bool lb_has_spare(u32 d)
{
	return lb_dom(d)->nr_lasting < tsr_doms[d & (TSR_MAX_DOMS - 1)].core.nr_online;
}

/*
 * The weight the forking task counts in domain @dom: left out when placing
 * its children, since a shell or make waits for them (counted, it too
 * filled its node a child early).
 */
static __always_inline s64 lb_forker_weight(u32 dom)
{
	struct tsr_task __arena *pt = tsr_task_rec(bpf_get_current_task_btf());

	return pt && pt->lb.acct_dom == (s32)dom ? pt->lb.acct_weight : 0;
}

/*
 * A new task starts in its parent's CPU's domain while that domain has
 * fewer runnable nice-0 tasks' lasting weight than online CPUs, the
 * forking task aside; past that, in the allowed domain with the least
 * lasting weight per CPU (any node), so that a fork burst spreads as its
 * domain fills instead of waiting for the balancer. Its weight is not
 * counted anywhere yet: nothing to move.
 */
static __always_inline void lb_place_new(struct tsr_task __arena *t)
{
	u32 nr = tsr_nr_doms(), cur = t->core.dom, best = cur;
	s64 best_w = lb_lasting_weight(cur) - lb_forker_weight(cur), w;
	s32 best_cpus = tsr_doms[cur & (TSR_MAX_DOMS - 1)].core.nr_online, cpus;
	int d;

	if (best_cpus > 0 && best_w < (s64)best_cpus * 100)
		return;
	if (best_cpus <= 0)
		best_w = 1LL << 40, best_cpus = 1;
	bpf_for(d, 0, nr) {
		if (d == cur || !lb_mask_test(t->lb.dom_mask, d) ||
		    !lb_lighter(d, best_w, best_cpus, &w, &cpus))
			continue;
		best = d;
		best_w = w;
		best_cpus = cpus;
	}
	if (best == cur)
		return;
	t->core.dom = best;
	tsr_this_cpu()->lb.nr_fork_spread++;
}

static __always_inline s32 lb_init_task(struct task_struct *p, struct tsr_task __arena *t,
					struct scx_init_task_args *args)
{
	t->lb.acct_dom = -1;
	if (p->flags & PF_WQ_WORKER)
		t->lb.flags |= LB_TASK_KWORKER;
	if (p->flags & PF_KTHREAD)
		t->lb.flags |= LB_TASK_KTHREAD;
	if (lb_self_tgid && p->tgid == lb_self_tgid)
		t->lb.flags |= LB_TASK_SELF;
	/* sleepable here: kptr reads need an explicit RCU section */
	bpf_rcu_read_lock();
	lb_fix_domain(p, t, p->cpus_ptr);
	bpf_rcu_read_unlock();
	if (lb_spread_new && args->fork)
		lb_place_new(t);
	return 0;
}

static __always_inline void lb_set_cpumask(struct task_struct *p, struct tsr_task __arena *t,
					   const struct cpumask *mask)
{
	lb_fix_domain(p, t, mask);
}

/*
 * Apply the balancer's pending decision, if any. Called at wake-up, at
 * enqueue, and at dispatch for a prev that is still runnable (a task kept
 * running slice after slice passes through neither of the others).
 */
static __always_inline void lb_apply(struct task_struct *p, struct tsr_task __arena *t)
{
	u64 d = t->lb.decision;
	u32 seq = lb_decision_seq(d), target = lb_decision_target(d);
	struct tsr_cpu __arena *c;

	if (!seq || seq == t->lb.applied_seq)
		return;
	t->lb.applied_seq = seq;
	c = tsr_this_cpu();
	if (lb_decision_gen(d) != tsr_slab_gen(t)) {
		c->lb.nr_dropped_gen++;
		return;
	}
	if (target >= tsr_nr_doms() || !lb_mask_test(t->lb.dom_mask, target)) {
		c->lb.nr_dropped_mask++;
		return;
	}
	lb_move(t, target);
	c->lb.nr_applied++;
}

static __always_inline s32 lb_select_cpu(struct task_struct *p, struct tsr_task __arena *t,
					 s32 prev_cpu, u64 wake_flags, struct tsr_placement *pl)
{
	lb_apply(p, t);
	return TSR_PASS;
}

/* Whether a queue's waiting is timed: cross-node stealing by wait is on and there are nodes. */
static __always_inline bool lb_timed_waits(void)
{
	return lb_xnuma_wait_ns && tsr_topo.nr_nodes > 1;
}

/* How long domain @dom's queue has held tasks without a break, at @now. */
static __always_inline s64 lb_waited(u32 dom, u64 now)
{
	return (s64)(now - lb_dom(dom)->queued_since);
}

/*
 * Domain @dom's queue has waited lb_xnuma_wait_ns: wake an idle CPU of
 * another node (once per wait per domain) whose domain has a spare CPU,
 * which steals in dispatch. An
 * idle CPU runs no dispatch of its own until something wakes it. Done at
 * enqueue, not at every tick: a tick hook is a BPF call on every CPU every
 * tick (60,000 in one benchmark run, 13 us each under emulation).
 */
static __always_inline void lb_kick_far(u32 dom, u64 now)
{
	struct lb_dom __arena *ld = lb_dom(dom);
	u32 nr = tsr_nr_doms(), node = tsr_dom_node(dom);
	int d;

	if (lb_waited(dom, now) < (s64)lb_xnuma_wait_ns ||
	    (s64)(now - ld->kicked_at) < (s64)lb_xnuma_wait_ns)
		return;
	ld->kicked_at = now;
	bpf_for(d, 0, nr) {
		const struct cpumask *dm = tsr_dom_kmask(d);

		if (tsr_dom_node(d) == node || !dm || !lb_has_spare(d) || !tsr_kick_idle(dm))
			continue;
		tsr_this_cpu()->lb.nr_xnuma_kick++;
		return;
	}
}

/*
 * With --x-numa-wait-us: a queue @t joins empty starts waiting now; one
 * that has waited long enough gets an idle CPU of another node woken.
 */
static __always_inline bool lb_enqueue(struct task_struct *p, struct tsr_task __arena *t,
				       u64 enq_flags)
{
	u32 dom;
	u64 now;

	lb_apply(p, t);
	if (!lb_timed_waits())
		return false;
	dom = t->core.dom;
	now = tsr_now();
	if (!scx_bpf_dsq_nr_queued(TSR_DSQ_DOM(dom)) && !tsr_dom_waiting(dom))
		lb_dom(dom)->queued_since = now;
	else
		lb_kick_far(dom, now);
	return false;
}

/*
 * With one domain there is nothing to balance and no domain to place a
 * task in: no load is kept, and lb_idle_callbacks() leaves runnable and
 * quiescent out unless another module needs them (two BPF calls a wake-up
 * and a sleep).
 */
static __always_inline void lb_runnable(struct task_struct *p, struct tsr_task __arena *t,
					u64 enq_flags)
{
	u64 now;

	if (tsr_one_dom())
		return;
	now = tsr_now(); /* before the test: later modules' reads share it */
	if (t->lb.flags & LB_TASK_SELF)
		return;
	lb_task_load(t, now, true);
	t->lb.acct_dom = t->core.dom;
	t->lb.acct_weight = p->scx.weight;
	lb_count(t->core.dom, t, 1, now);
}

static __always_inline void lb_quiescent(struct task_struct *p, struct tsr_task __arena *t,
					 u64 deq_flags)
{
	u64 now;

	if (tsr_one_dom())
		return;
	now = tsr_now();

	lb_task_load(t, now, false);
	if (t->lb.acct_dom >= 0)
		lb_count(t->lb.acct_dom, t, -1, now);
	t->lb.acct_dom = -1;
}

static __always_inline void lb_exit_task(struct task_struct *p, struct tsr_task __arena *t,
					 struct scx_exit_task_args *args)
{
	if (t->lb.acct_dom >= 0)
		lb_count(t->lb.acct_dom, t, -1, tsr_now());
	t->lb.acct_dom = -1;
}

#define LB_STEAL_LOOK 4 /* queued tasks a picky steal looks at (framework/hooks.h: steal_ok) */

/*
 * Move to @cpu the first of @dsq's (domain @d's queue or one of its CPUs'
 * wait queues) first LB_STEAL_LOOK queued tasks that may run there and
 * that every module lets go (the steal_ok chain).
 */
static __noinline bool lb_steal_asking(u64 dsq, u32 d, s32 cpu)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *p;
	bool moved = false;
	int seen = 0;

	if (bpf_iter_scx_dsq_new(&it, dsq, 0))
		goto out;
	while ((p = bpf_iter_scx_dsq_next(&it)) && seen++ < LB_STEAL_LOOK) {
		struct tsr_task __arena *t;

		if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		t = tsr_task_rec(p);
		if (t && !tsr_chain_steal_ok(p, t, cpu, d))
			continue;
		moved = scx_bpf_dsq_move(&it, p, SCX_DSQ_LOCAL, 0);
		if (moved)
			break;
	}
out:
	bpf_iter_scx_dsq_destroy(&it);
	return moved;
}

/*
 * The pid of the heaviest of @dsq's first LB_STEAL_LOOK queued tasks
 * that may run on @cpu; 0 if none. The heaviest, because the task taken
 * gets a CPU of its own: of a nice-10 hog and five nice-0 ones on one
 * node's 4 CPUs, with three nice-0 ones on the other's 4, the nice-10
 * one taken would run alone (due 0.1 of a CPU) and the five still share.
 */
static __always_inline s32 lb_heaviest_queued(u64 dsq, s32 cpu)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *p;
	s32 pid = 0;
	u32 best = 0;
	int seen = 0;

	if (bpf_iter_scx_dsq_new(&it, dsq, 0))
		goto out;
	while ((p = bpf_iter_scx_dsq_next(&it)) && seen++ < LB_STEAL_LOOK) {
		if (p->scx.weight <= best || !bpf_cpumask_test_cpu(cpu, p->cpus_ptr) ||
		    !tsr_task_rec(p))
			continue;
		best = p->scx.weight;
		pid = p->pid;
	}
out:
	bpf_iter_scx_dsq_destroy(&it);
	return pid;
}

/*
 * For a queue that waited too long: move to @cpu, and into its domain
 * @own, which has a spare CPU, the heaviest of @dsq's first LB_STEAL_LOOK
 * tasks. It joins @own so that it stays (it would queue in its old domain
 * again at its next slice end) and the balancer sees it there.
 */
static __noinline bool lb_steal_to_spare(u64 dsq, s32 cpu, u32 own)
{
	s32 pid = lb_heaviest_queued(dsq, cpu);
	struct bpf_iter_scx_dsq it;
	struct task_struct *p;
	bool moved = false;
	int seen = 0;

	if (!pid)
		return false;
	if (bpf_iter_scx_dsq_new(&it, dsq, 0))
		goto out;
	while ((p = bpf_iter_scx_dsq_next(&it)) && seen++ < LB_STEAL_LOOK) {
		struct tsr_task __arena *t;

		if (p->pid != pid)
			continue;
		t = tsr_task_rec(p);
		moved = t && scx_bpf_dsq_move(&it, p, SCX_DSQ_LOCAL, 0);
		if (moved)
			lb_move(t, own);
		break;
	}
out:
	bpf_iter_scx_dsq_destroy(&it);
	return moved;
}

/*
 * Move the first task of @dsq (domain @d's queue or a wait queue of one
 * of its CPUs) here: for a queue that waited too long, the heaviest (into
 * this domain); for a greedy steal, asking the modules first when one may
 * veto.
 */
static __always_inline bool lb_steal_from(u64 dsq, u32 d, u32 own, bool waited)
{
	s32 cpu = tsr_cpu_id();
	bool moved;

	if (waited)
		moved = lb_steal_to_spare(dsq, cpu, own);
	else if (TSR_HOOK_USED_steal_ok)
		moved = lb_steal_asking(dsq, d, cpu);
	else
		moved = scx_bpf_dsq_move_to_local(dsq);
	if (moved)
		tsr_cpu_queue_left(dsq);
	return moved;
}

/*
 * Steal from domain @d when it has >= @threshold queued and (@wait_ns)
 * its queue has waited that long. A task waiting for a busy CPU of @d
 * (framework/cpu_queue.bpf.h; for @wait_ns that long) counts as queued
 * there: else a domain whose woken tasks all wait for their CPUs would
 * look empty to the idle CPUs of other domains, and they would stay idle.
 * A global function: the verifier checks it once, not in every pass of
 * lb_steal()'s three loops over the domains (inlined, they took most of
 * scx_wd40's load time with two domains, 5 of 7 s under TCG).
 */
__noinline bool lb_steal_dom(u32 d, u32 own, u32 threshold, u64 wait_ns, u64 now)
{
	u64 queued = scx_bpf_dsq_nr_queued(TSR_DSQ_DOM(d)), dsq;

	if (queued >= threshold && (!wait_ns || lb_waited(d, now) >= (s64)wait_ns) &&
	    lb_steal_from(TSR_DSQ_DOM(d), d, own, wait_ns))
		return true;
	if (queued + 1 < threshold || !tsr_dom_waiting(d))
		return false;
	dsq = tsr_cpu_queue_overdue(tsr_cpu_id(), d, wait_ns, 0, 0);
	return dsq && lb_steal_from(dsq, d, own, wait_ns);
}

/*
 * Steal from the first domain, of this node or (@xnuma) of others, that
 * lb_steal_dom() takes from. Only the greedy steals ask the modules: one
 * for a queue that waited past the bound must not be vetoed.
 */
static __always_inline bool lb_steal(u32 own, bool xnuma, u32 threshold, u64 wait_ns)
{
	u32 nr = tsr_nr_doms(), node = tsr_dom_node(own);
	u64 now = wait_ns ? tsr_now() : 0;
	int i;

	bpf_for(i, 1, nr) {
		u32 d = (own + i) % nr;

		if ((tsr_dom_node(d) != node) == xnuma &&
		    lb_steal_dom(d, own, threshold, wait_ns, now))
			return true;
	}
	return false;
}

/*
 * A still-runnable prev picks up its pending decision first, so a moved
 * task is not kept here (deadline keeps only tasks of this domain) and
 * goes to its new domain when it is queued again. Then greedy stealing,
 * when this CPU would go idle: its own domain has nothing queued (nor
 * waiting for one of its CPUs, framework/cpu_queue.bpf.h) and prev
 * is not one of its tasks that still wants to run (the deadline module
 * keeps such a prev: stealing then would preempt it for another domain's
 * task, costing a migration and ordering the two domains' tasks by
 * nothing). From this node's domains, then from other nodes' (with
 * --greedy-threshold-x-numa tasks queued, or a queue that has waited
 * lb_xnuma_wait_ns).
 */
static __always_inline bool lb_dispatch(s32 cpu, struct task_struct *prev,
					struct tsr_task __arena *prev_t)
{
	u32 own = tsr_cpu_dom(cpu);

	if (prev_t)
		lb_apply(prev, prev_t);
	/* one domain: nothing to steal from (and no queue lookups on every dispatch) */
	if (tsr_nr_doms() < 2)
		return false;
	if ((prev_t && prev_t->core.dom == own) || *tsr_cpu_waiting(cpu) ||
	    scx_bpf_dsq_nr_queued(TSR_DSQ_DOM(own)) ||
	    (tsr_dom_waiting(own) && tsr_cpu_queue_overdue(cpu, own, 0, 0, 0)))
		return false;
	if (lb_greedy_threshold && lb_steal(own, false, lb_greedy_threshold, 0)) {
		tsr_this_cpu()->lb.nr_steal_node++;
		return true;
	}
	if (lb_greedy_threshold_x_numa && lb_steal(own, true, lb_greedy_threshold_x_numa, 0)) {
		tsr_this_cpu()->lb.nr_steal_xnuma++;
		return true;
	}
	if (lb_timed_waits() && lb_has_spare(own) && lb_steal(own, true, 1, lb_xnuma_wait_ns)) {
		tsr_this_cpu()->lb.nr_steal_xnuma++;
		tsr_this_cpu()->lb.nr_steal_waited++;
		return true;
	}
	return false;
}

#endif /* TSR_LB_BPF_H */
