/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual time kept per domain. A domain's clock is the largest vtime that
 * started running there; a queued task's vtime is bounded against it. One
 * clock shared by all domains does not work: whenever a light task (far
 * ahead of its domain) ran, the shared clock jumped to it and floored every
 * task of the other domains, erasing their light tasks' lead (two
 * SCHED_IDLE hogs among 16 nice-0 ones on two domains got 51 % of a CPU
 * each). A task moving to another domain carries its lead or lag over.
 */
#ifndef TSR_VCLOCK_BPF_H
#define TSR_VCLOCK_BPF_H

#include "vclock.h"

/*
 * The most a task's virtual time may run ahead of its queue's clock. A run
 * is charged in whole ticks whatever the slice, so one 4 ms tick of a
 * SCHED_IDLE task is 1.4 s of virtual time; past this bound it would wait
 * so long per run that a short watchdog ejects the scheduler. Only weights
 * below ~4 (SCHED_IDLE) ever reach it.
 */
#define TSR_MAX_LEAD_NS 1000000000ULL

/*
 * A queued task's virtual time against its queue's @clock: at most @credit
 * behind it (what sleeping may earn) and at most TSR_MAX_LEAD_NS ahead.
 */
static __always_inline u64 tsr_vtime_bound(u64 vt, u64 clock, u64 credit)
{
	if ((s64)(vt - (clock - credit)) < 0)
		return clock - credit;
	if ((s64)(vt - (clock + TSR_MAX_LEAD_NS)) > 0)
		return clock + TSR_MAX_LEAD_NS;
	return vt;
}

/*
 * @v about to queue in domain @dom, whose clock is @to: rebased from the
 * clock it was measured against (@from, its previous domain's) when it
 * moved, then bounded. Returns the vtime to queue with.
 */
static __always_inline u64 tsr_vclock_key(struct tsr_vtask __arena *v, u32 dom,
					  const u64 __arena *from, const u64 __arena *to,
					  u64 credit)
{
	if (v->dom != dom) {
		v->vtime = v->vtime - *from + *to;
		v->dom = dom;
	}
	v->vtime = tsr_vtime_bound(v->vtime, *to, credit);
	return v->vtime;
}

/* @v starts running: its domain's @clock moves up to it. Racy max: a lost update only delays the floor. */
static __always_inline void tsr_vclock_advance(u64 __arena *clock,
					       const struct tsr_vtask __arena *v)
{
	if ((s64)(v->vtime - *clock) > 0)
		*clock = v->vtime;
}

/*
 * prev kept its CPU, so it does not pass through ops.running: @clock moves
 * up to it when it was kept ahead of a waiting task. Kept @alone (nothing
 * queued may take its CPU) it competed with nobody and leaves the clock
 * alone: a lone light task's fast virtual time lifted it, and with it the
 * floor of the tasks waiting on other CPUs (beside a lone pinned hog, nice
 * 0 : nice 10 pinned to another CPU got 2.3 : 1, SCHED_IDLE beside nice 0
 * 30 % of its CPU). Its own virtual time follows the clock instead, so it
 * is not far ahead when a task joins it.
 */
static __always_inline void tsr_vclock_kept(u64 __arena *clock, struct tsr_vtask __arena *v,
					    bool alone)
{
	if (!alone)
		tsr_vclock_advance(clock, v);
	else if ((s64)(v->vtime - *clock) > 0)
		v->vtime = *clock;
}

/*
 * A run that started from queue key @key was charged: @clock moves up to
 * it. Keys are queued at most TSR_MAX_LEAD_NS past the clock, which only
 * grows, so a key further ahead is none of ours (p->scx.dsq_vtime left by
 * an earlier scheduler, for a task placed directly since) and is ignored.
 */
static __always_inline void tsr_vclock_advance_to_key(u64 __arena *clock, u64 key)
{
	s64 ahead = (s64)(key - *clock);

	if (ahead > 0 && ahead <= (s64)TSR_MAX_LEAD_NS)
		*clock = key;
}

/* A task enters the scheduler in domain @dom, at its clock @now. */
static __always_inline void tsr_vclock_start(struct tsr_vtask __arena *v, u32 dom,
					     const u64 __arena *now)
{
	v->vtime = *now;
	v->dom = dom;
}

#endif /* TSR_VCLOCK_BPF_H */
