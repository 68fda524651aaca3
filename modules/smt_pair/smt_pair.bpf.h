/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smt_pair, BPF half: a paired job's threads run on its pair's cores, a
 * CPU whose sibling runs job A prefers A's partner, and a CPU-bound thread
 * not beside its partner when its slice ends moves or swaps to be. Weights
 * stay the ordering module's: a CPU picks from the first SMT_LOOKAHEAD
 * tasks of its domain queue only among those within one slice of virtual
 * time of the head, and takes the head when none fits, so no CPU idles
 * while work waits and no task waits more than a slice of virtual time
 * longer than it would. List after jobs and before the module that queues
 * per domain.
 */
#ifndef TSR_SMT_PAIR_BPF_H
#define TSR_SMT_PAIR_BPF_H

#define SMT_LOOKAHEAD 8

struct smt_pair_job __arena_global smt_pair_jobs[JOBS_MAX];
struct tsr_cpumask __arena_global smt_pair_cpus[SMT_MAX_PAIRS];

/* Pairs userspace has set up; 0: the module stands aside. */
__u32 smt_nr_pairs;

/* The pairing of the job in slot @slot - 1; NULL for 0 (no job). */
static __always_inline struct smt_pair_job __arena *smt_slot_job(u32 slot)
{
	return slot ? &smt_pair_jobs[(slot - 1) & (JOBS_MAX - 1)] : NULL;
}

static __always_inline struct smt_pair_job __arena *smt_job(struct tsr_task __arena *t)
{
	return smt_slot_job(t->jobs.slot);
}

static __always_inline bool smt_on_pair_cpu(struct smt_pair_job __arena *j, s32 cpu)
{
	return j && j->pair &&
	       tsr_cpumask_test(&smt_pair_cpus[(j->pair - 1) & (SMT_MAX_PAIRS - 1)], cpu);
}

/* Job slot + 1 running on @cpu's sibling thread, 0 for none. */
static __always_inline u32 smt_sibling_slot(s32 cpu)
{
	s16 sib = (u32)cpu < TSR_MAX_CPUS ? tsr_topo.cpu_sibling[cpu] : -1;

	return sib >= 0 ? tsr_cpu_rec(sib)->smt_pair.cur_slot : 0;
}

/* How well @t fits @cpu: 3 partner of the sibling's job, 2 its pair's core, 1 unpaired, 0 paired elsewhere. */
static __always_inline int smt_fit(struct tsr_task __arena *t, s32 cpu, u32 want_slot)
{
	struct smt_pair_job __arena *j = smt_job(t);

	if (!j || !j->pair)
		return 1;
	if (!smt_on_pair_cpu(j, cpu))
		return 0;
	return want_slot && t->jobs.slot == want_slot ? 3 : 2;
}

/* What the CPUs of a job's pair offer one of its threads. */
struct smt_scan {
	s32 idle; /* an idle one, beside the partner's thread if one is */
	bool idle_beside; /* ... and it is */
	s32 busy; /* the first one running another pair's or unpaired work */
	s32 swap; /* the first one beside the partner running another job's thread */
};

/* Whether @cpu runs a thread of pair @pair. */
static __always_inline bool smt_runs_pair(s32 cpu, u32 pair)
{
	struct smt_pair_job __arena *o = smt_slot_job(tsr_cpu_rec(cpu)->smt_pair.cur_slot);

	return o && o->pair == pair;
}

/* One pass over the CPUs of @j's pair that @p (of job @slot) may use. */
static __always_inline void smt_scan_pair(struct task_struct *p, struct smt_pair_job __arena *j,
					  u32 slot, struct smt_scan *out)
{
	const struct cpumask *idle = scx_bpf_get_idle_cpumask();
	int w, b, best_fit = 0;

	out->idle = out->busy = out->swap = -1;
	out->idle_beside = false;
	bpf_for(w, 0, TSR_CPUMASK_WORDS) {
		u64 bits = smt_pair_cpus[(j->pair - 1) & (SMT_MAX_PAIRS - 1)].bits[w];

		bpf_for(b, 0, 64) {
			s32 cpu = w * 64 + b;
			bool beside;
			int fit;

			if (!bits)
				break;
			if (!(bits & 1ULL << b))
				continue;
			bits &= ~(1ULL << b);
			if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
				continue;
			beside = smt_sibling_slot(cpu) == j->partner;
			if (!bpf_cpumask_test_cpu(cpu, idle)) {
				if (out->busy < 0 && !smt_runs_pair(cpu, j->pair))
					out->busy = cpu;
				if (out->swap < 0 && beside &&
				    tsr_cpu_rec(cpu)->smt_pair.cur_slot != slot)
					out->swap = cpu;
				continue;
			}
			fit = beside ? 2 : 1;
			if (fit > best_fit) {
				out->idle = cpu;
				out->idle_beside = beside;
				best_fit = fit;
			}
		}
	}
	scx_bpf_put_idle_cpumask(idle);
}

static __always_inline s32 smt_pair_select_cpu(struct task_struct *p, struct tsr_task __arena *t,
					       s32 prev_cpu, u64 wake_flags,
					       struct tsr_placement *pl)
{
	struct smt_pair_job __arena *j = smt_job(t);
	struct smt_scan scan;

	if (!smt_nr_pairs || !j || !j->pair)
		return TSR_PASS;
	smt_scan_pair(p, j, t->jobs.slot, &scan);
	if (scan.idle >= 0 && scx_bpf_test_and_clear_cpu_idle(scan.idle)) {
		tsr_this_cpu()->smt_pair.nr_placed++;
		pl->direct = true;
		pl->slice = tsr_task_slice(p, t);
		return scan.idle;
	}
	return smt_on_pair_cpu(j, prev_cpu) ? prev_cpu : TSR_PASS;
}

/*
 * Index among the first SMT_LOOKAHEAD tasks of @dsq of the best fit for
 * @cpu, -1 for the head. A global function, as smt_take(): the verifier
 * checks its loop once, not again for each of dispatch's paths to it (as a
 * static one it took most of scx_smt's load time, 8 of 10 s under TCG).
 */
__noinline int smt_pick(u64 dsq, s32 cpu, u32 want_slot, int prev_fit)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *q;
	int i = 0, best = -1, best_fit = prev_fit;
	u64 head_vt = 0, window = tsr_slice();

	if (bpf_iter_scx_dsq_new(&it, dsq, 0))
		goto out;
	while ((q = bpf_iter_scx_dsq_next(&it)) && i < SMT_LOOKAHEAD) {
		struct tsr_task __arena *qt = tsr_task_rec(q);
		int fit;

		if (!i)
			head_vt = q->scx.dsq_vtime;
		else if ((s64)(q->scx.dsq_vtime - (head_vt + window)) > 0)
			break;
		fit = qt && bpf_cpumask_test_cpu(cpu, q->cpus_ptr) ? smt_fit(qt, cpu, want_slot) :
								     -1;
		if (fit > best_fit) {
			best = i;
			best_fit = fit;
		}
		i++;
	}
out:
	bpf_iter_scx_dsq_destroy(&it);
	/* the head, or prev, fits as well: leave the order to the next module */
	return best;
}

__noinline bool smt_take(u64 dsq, int idx)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *q;
	bool moved = false;
	int i = 0;

	if (bpf_iter_scx_dsq_new(&it, dsq, 0))
		goto out;
	while ((q = bpf_iter_scx_dsq_next(&it))) {
		if (i++ == idx) {
			moved = scx_bpf_dsq_move(&it, q, SCX_DSQ_LOCAL, 0);
			break;
		}
	}
out:
	bpf_iter_scx_dsq_destroy(&it);
	return moved;
}

/*
 * Take a task of this core's pair (the sibling's partner first) when one
 * is close enough to the head of this CPU's domain queue; otherwise, or
 * when prev fits as well, leave the choice to the next module.
 */
static __always_inline bool smt_pair_dispatch(s32 cpu, struct task_struct *prev,
					      struct tsr_task __arena *prev_t)
{
	u64 dsq = TSR_DSQ_DOM(tsr_cpu_dom(cpu));
	struct smt_pair_job __arena *sj, *pj;
	int head_fit, idx;
	u32 want = 0;

	if (!smt_nr_pairs)
		return false;
	sj = smt_slot_job(smt_sibling_slot(cpu));
	if (sj && sj->partner)
		want = sj->partner;
	/* the bar: what the head or prev would give anyway */
	head_fit = prev_t ? smt_fit(prev_t, cpu, want) : 0;
	idx = smt_pick(dsq, cpu, want, head_fit);
	if (idx > 0 && smt_take(dsq, idx)) {
		tsr_this_cpu()->smt_pair.nr_pair_picks++;
		return true;
	}
	pj = prev_t ? smt_job(prev_t) : NULL;
	if (!pj || !pj->pair || head_fit == 3)
		return false;
	/*
	 * prev runs off its pair's cores, or on them but not beside its
	 * partner with nothing else waiting: do not keep it, so that it passes
	 * through enqueue (SCX_ENQ_LAST when nothing else waits), which moves
	 * it where it fits better, if anywhere
	 */
	return !head_fit || !scx_bpf_dsq_nr_queued(dsq);
}

/*
 * Where @p (of paired job @j, on @cpu) should move, or -1 to stay. Off its
 * pair's cores: an idle CPU of them, else one running another pair's or
 * unpaired work. On them but not beside its partner: an idle CPU beside
 * the partner, else a swap, the CPU beside the partner that runs another
 * job's thread (that thread, preempted, queues and takes the place @p
 * leaves). Each move seats one more thread beside its partner, so moves
 * do not go back and forth.
 */
static __always_inline s32 smt_pair_target(struct task_struct *p, struct tsr_task __arena *t,
					   struct smt_pair_job __arena *j, s32 cpu)
{
	bool on_pair = smt_on_pair_cpu(j, cpu);
	struct smt_scan scan;

	if (on_pair && smt_sibling_slot(cpu) == j->partner)
		return -1;
	smt_scan_pair(p, j, t->jobs.slot, &scan);
	if (scan.idle >= 0 && (!on_pair || scan.idle_beside) &&
	    scx_bpf_test_and_clear_cpu_idle(scan.idle))
		return scan.idle;
	if (on_pair)
		return scan.swap;
	return scan.busy >= 0 ? scan.busy : scan.swap;
}

/*
 * A paired thread that never waits (CPU-bound) never passes through
 * select_cpu or a queue, so it would stay wherever it started. With
 * SCX_OPS_ENQ_LAST (set by userspace), a thread whose slice ended with
 * nothing else to run on its CPU comes here instead of simply running on,
 * and moves to a better CPU of its pair's (smt_pair_target()), whose
 * current thread is preempted and goes through the queue itself; any
 * other such thread stays on its CPU's local queue, as it would have
 * without the flag.
 */
static __always_inline bool smt_pair_enqueue(struct task_struct *p, struct tsr_task __arena *t,
					     u64 enq_flags)
{
	struct smt_pair_job __arena *j;
	s32 target;

	if (!(enq_flags & SCX_ENQ_LAST))
		return false;
	j = smt_job(t);
	if (smt_nr_pairs && j && j->pair) {
		target = smt_pair_target(p, t, j, tsr_task_cpu(p));
		if (target >= 0) {
			scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | target, tsr_task_slice(p, t),
					   enq_flags);
			scx_bpf_kick_cpu(target, SCX_KICK_PREEMPT);
			tsr_this_cpu()->smt_pair.nr_moves++;
			return true;
		}
	}
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, tsr_task_slice(p, t), enq_flags);
	return true;
}

static __always_inline void smt_pair_running(struct task_struct *p, struct tsr_task __arena *t)
{
	tsr_this_cpu()->smt_pair.cur_slot = t->jobs.slot;
}

static __always_inline void smt_pair_stopping(struct task_struct *p, struct tsr_task __arena *t,
					      bool runnable)
{
	tsr_this_cpu()->smt_pair.cur_slot = 0;
}

/* Run time while paired, and how much of it beside the partner. */
static __always_inline void smt_pair_charge(struct task_struct *p, struct tsr_task __arena *t,
					    u64 ran_ns)
{
	struct smt_pair_job __arena *j = smt_job(t);

	if (!j || !j->partner)
		return;
	__sync_fetch_and_add(&j->run_ns, ran_ns);
	if (smt_sibling_slot(tsr_cpu_id()) == j->partner)
		__sync_fetch_and_add(&j->corun_ns, ran_ns);
}

#endif /* TSR_SMT_PAIR_BPF_H */
