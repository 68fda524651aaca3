/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bandwidth, BPF half: every task has a read and a write token bucket
 * (bucket.h). Bytes a source reports are charged when the task stops and
 * at each tick; a task in debt does not run again until the refill that
 * clears it: it waits in a throttle queue ordered by that time, and the
 * first CPU to dispatch after it takes it (a 10 ms timer wakes one when
 * none would). With SCX_OPS_ENQ_LAST (set by userspace while throttling)
 * a task alone on its CPU is held back as well instead of simply running on;
 * one within its budget is left to the modules after this one (which must
 * handle SCX_ENQ_LAST) and the framework, which let it run on.
 */
#ifndef TSR_BANDWIDTH_BPF_H
#define TSR_BANDWIDTH_BPF_H

#include "../../framework/perf.bpf.h"

#define BW_DSQ TSR_DSQ_ID(bandwidth, 0)
#define BW_CLOCK_MONOTONIC 1

const volatile bool bandwidth_throttle = true;
const volatile __u64 bandwidth_rd_period = 10000000ULL; /* bytes per refill period */
const volatile __u64 bandwidth_wr_period = 10000000ULL;
const volatile __u32 bandwidth_burst = BW_BURST_PERIODS; /* refill periods a bucket holds */

/*
 * The pmu source: per-CPU counters of read and write traffic (opened by
 * userspace, which turns them on after load), each count worth
 * bandwidth_pmu_bytes; what counts while a task runs is charged to it.
 */
TSR_PERF_ARRAY(bandwidth_pmu_rd);
TSR_PERF_ARRAY(bandwidth_pmu_wr);
bool bandwidth_pmu_rd_on, bandwidth_pmu_wr_on;
__u64 bandwidth_pmu_bytes = 64;

struct bandwidth_timer {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bandwidth_timer);
} bandwidth_timers SEC(".maps");

/* Charge what the feed reported since the last look. */
static __always_inline void bandwidth_take_fed(struct bandwidth_task __arena *b)
{
	u64 rd = b->fed_rd - b->fed_rd_seen, wr = b->fed_wr - b->fed_wr_seen;

	if (rd) {
		b->fed_rd_seen += rd;
		b->rd_bytes += rd;
		bw_charge(&b->rd, bandwidth_rd_period, rd);
	}
	if (wr) {
		b->fed_wr_seen += wr;
		b->wr_bytes += wr;
		bw_charge(&b->wr, bandwidth_wr_period, wr);
	}
}

/* This CPU's counter @map since @at (updated), in bytes. */
static __always_inline u64 bandwidth_pmu_delta(void *map, __u64 __arena *at)
{
	u64 now = tsr_perf_read(map), d = now > *at && *at ? now - *at : 0;

	*at = now;
	return d * bandwidth_pmu_bytes;
}

/* Charge what the PMU counted on this CPU since @t started running or was last charged. */
static __always_inline void bandwidth_take_pmu(struct tsr_task __arena *t)
{
	struct bandwidth_cpu __arena *c = &tsr_this_cpu()->bandwidth;
	struct bandwidth_task __arena *b = &t->bandwidth;
	u64 rd, wr;

	if (bandwidth_pmu_rd_on) {
		rd = bandwidth_pmu_delta(&bandwidth_pmu_rd, &c->pmu_rd_at);
		b->rd_bytes += rd;
		bw_charge(&b->rd, bandwidth_rd_period, rd);
	}
	if (bandwidth_pmu_wr_on) {
		wr = bandwidth_pmu_delta(&bandwidth_pmu_wr, &c->pmu_wr_at);
		b->wr_bytes += wr;
		bw_charge(&b->wr, bandwidth_wr_period, wr);
	}
}

/* Refill and charge up to now; whether @t is in debt (and throttling is on). */
static __always_inline bool bandwidth_in_debt(struct tsr_task __arena *t)
{
	struct bandwidth_task __arena *b = &t->bandwidth;
	u64 now = tsr_now();

	bandwidth_take_fed(b);
	bw_refill(&b->rd, bandwidth_rd_period, bandwidth_burst, now);
	bw_refill(&b->wr, bandwidth_wr_period, bandwidth_burst, now);
	return bandwidth_throttle && (b->rd.tokens < 0 || b->wr.tokens < 0);
}

static __always_inline u64 bandwidth_release_at(struct tsr_task __arena *t)
{
	u64 rd = bw_release_at(&t->bandwidth.rd, bandwidth_rd_period);
	u64 wr = bw_release_at(&t->bandwidth.wr, bandwidth_wr_period);

	return rd > wr ? rd : wr;
}

/* A task in debt is not placed on an idle CPU directly: enqueue holds it back. */
static __always_inline s32 bandwidth_select_cpu(struct task_struct *p, struct tsr_task __arena *t,
						s32 prev_cpu, u64 wake_flags,
						struct tsr_placement *pl)
{
	return bandwidth_in_debt(t) ? prev_cpu : TSR_PASS;
}

static __always_inline bool bandwidth_enqueue(struct task_struct *p, struct tsr_task __arena *t,
					      u64 enq_flags)
{
	if (bandwidth_in_debt(t)) {
		scx_bpf_dsq_insert_vtime(p, BW_DSQ, tsr_slice(), bandwidth_release_at(t),
					 enq_flags);
		t->bandwidth.nr_throttled++;
		tsr_this_cpu()->bandwidth.nr_throttle++;
		return true;
	}
	/*
	 * alone on its CPU and within its budget: the modules after this one
	 * decide (the framework lets it run on, as without SCX_OPS_ENQ_LAST)
	 */
	return false;
}

/*
 * A task whose refill has come runs here first, if it may: it has waited
 * out its debt, so it goes ahead of a still-runnable prev (prev_t) too,
 * which rejoins its queue in the modules after this one.
 */
static __always_inline bool bandwidth_dispatch(s32 cpu, struct task_struct *prev,
					       struct tsr_task __arena *prev_t)
{
	struct bpf_iter_scx_dsq it;
	struct tsr_task __arena *t;
	struct task_struct *p;
	u64 now;
	bool moved = false;

	p = scx_bpf_dsq_peek(BW_DSQ);
	if (!p)
		return false;
	now = tsr_now();
	if ((s64)(p->scx.dsq_vtime - now) > 0)
		return false;
	if (bpf_iter_scx_dsq_new(&it, BW_DSQ, 0))
		goto out;
	while ((p = bpf_iter_scx_dsq_next(&it))) {
		if ((s64)(p->scx.dsq_vtime - now) > 0)
			break;
		if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		t = tsr_task_rec(p);
		scx_bpf_dsq_move_set_slice(&it, t ? tsr_task_slice(p, t) : tsr_slice());
		moved = scx_bpf_dsq_move(&it, p, SCX_DSQ_LOCAL, 0);
		if (moved)
			break;
	}
out:
	bpf_iter_scx_dsq_destroy(&it);
	if (moved)
		tsr_this_cpu()->bandwidth.nr_release++;
	return moved;
}

/* No slice for a task in debt: a kept prev must pass through enqueue instead. */
static __always_inline u64 bandwidth_slice(struct task_struct *p, struct tsr_task __arena *t,
					   u64 slice)
{
	return bandwidth_in_debt(t) ? 0 : slice;
}

/* The counts from here on are @t's. */
static __always_inline void bandwidth_running(struct task_struct *p, struct tsr_task __arena *t)
{
	struct bandwidth_cpu __arena *c = &tsr_this_cpu()->bandwidth;

	if (bandwidth_pmu_rd_on)
		c->pmu_rd_at = tsr_perf_read(&bandwidth_pmu_rd);
	if (bandwidth_pmu_wr_on)
		c->pmu_wr_at = tsr_perf_read(&bandwidth_pmu_wr);
}

/* A running task that went into debt stops at this tick. */
static __always_inline void bandwidth_tick(struct task_struct *p, struct tsr_task __arena *t)
{
	bandwidth_take_pmu(t);
	if (!bandwidth_in_debt(t))
		return;
	scx_bpf_task_set_slice(p, 0);
	tsr_this_cpu()->bandwidth.nr_cut++;
}

/* CPU time, by which userspace picks the tasks a per-task source watches. */
static __always_inline void bandwidth_charge(struct task_struct *p, struct tsr_task __arena *t,
					     u64 ran_ns)
{
	t->bandwidth.run_ns += ran_ns;
}

static __always_inline void bandwidth_stopping(struct task_struct *p, struct tsr_task __arena *t,
					       bool runnable)
{
	bandwidth_take_pmu(t);
	bandwidth_take_fed(&t->bandwidth);
}

static __always_inline void bandwidth_enable(struct task_struct *p, struct tsr_task __arena *t)
{
	u64 now = tsr_now();

	bw_fill(&t->bandwidth.rd, bandwidth_rd_period, bandwidth_burst, now);
	bw_fill(&t->bandwidth.wr, bandwidth_wr_period, bandwidth_burst, now);
}

static __always_inline bool bandwidth_rescue(s32 cpu, u64 now_j, u64 starve_j)
{
	return tsr_rescue_dsq(BW_DSQ, cpu, now_j, starve_j);
}

/* Every refill period: wake a CPU for a throttled task whose refill has come. */
static int bandwidth_refill_timer(void *map, int *key, struct bpf_timer *timer)
{
	struct task_struct *p = scx_bpf_dsq_peek(BW_DSQ);

	tsr_this_cpu()->bandwidth.nr_timer++;
	if (p && (s64)(p->scx.dsq_vtime - tsr_now()) <= 0) {
		if (!tsr_kick_idle(p->cpus_ptr))
			scx_bpf_kick_cpu(tsr_task_cpu(p), SCX_KICK_PREEMPT);
		tsr_this_cpu()->bandwidth.nr_kick++;
	}
	bpf_timer_start(timer, BW_PERIOD_NS, 0);
	return 0;
}

static __always_inline s32 bandwidth_init(void)
{
	struct bandwidth_timer *bt;
	u32 key = 0;
	s32 ret;

	ret = scx_bpf_create_dsq(BW_DSQ, -1);
	if (ret || !bandwidth_throttle)
		return ret;
	bt = bpf_map_lookup_elem(&bandwidth_timers, &key);
	if (!bt)
		return -ENOENT;
	bpf_timer_init(&bt->timer, &bandwidth_timers, BW_CLOCK_MONOTONIC);
	bpf_timer_set_callback(&bt->timer, bandwidth_refill_timer);
	return bpf_timer_start(&bt->timer, BW_PERIOD_NS, 0);
}

#endif /* TSR_BANDWIDTH_BPF_H */
