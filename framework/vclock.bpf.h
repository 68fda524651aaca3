/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual time kept per domain. A domain's clock is the largest vtime that
 * started running there; a queued task's vtime is bounded against it. One
 * clock shared by all domains does not work: whenever a light task (far
 * ahead of its domain) ran, the shared clock jumped to it and floored every
 * task of the other domains, erasing their light tasks' lead (two
 * SCHED_IDLE hogs among 16 nice-0 ones on two domains got 51 % of a CPU
 * each). A task moving to another domain carries its lead or lag over.
 *
 * A task allowed some CPUs only competes with what runs there, as on
 * the kernel's per-CPU run queues, so its credit is bounded against those
 * CPUs' clocks (each the largest vtime that started running on it)
 * instead. Bounded against the domain's, the tasks pinned to CPUs whose
 * pinned sets differ in total weight drifted apart (the lightest set's
 * virtual time runs fastest and drives the domain clock), and the heavier
 * sets were floored into taking turns: CPU 1's nice 0 : nice 10 got 3.6 :
 * 1 beside CPU 2's two nice 5 and CPU 3's nice 5 + nice 19. A lagging
 * pinned set keeps its CPUs from the domain's other tasks, as the kernel's
 * balancer would keep them off those CPUs.
 */
#ifndef TSR_VCLOCK_BPF_H
#define TSR_VCLOCK_BPF_H

#include "vclock.h"
#include "log2.h"

/*
 * The most a task's virtual time may run ahead of its queue's clock. A run
 * is charged in whole ticks whatever the slice, so one 4 ms tick of a
 * SCHED_IDLE task is 1.4 s of virtual time; past this bound it would wait
 * so long per run that a short watchdog ejects the scheduler. Only weights
 * below ~4 (SCHED_IDLE) ever reach it.
 */
#define TSR_MAX_LEAD_NS 1000000000ULL

/*
 * A queued task's virtual time: at most @credit behind @floor_clock (what
 * sleeping may earn) and at most TSR_MAX_LEAD_NS ahead of @clock.
 */
static __always_inline u64 tsr_vtime_bound_at(u64 vt, u64 floor_clock, u64 clock, u64 credit)
{
	if ((s64)(vt - (floor_clock - credit)) < 0)
		return floor_clock - credit;
	if ((s64)(vt - (clock + TSR_MAX_LEAD_NS)) > 0)
		return clock + TSR_MAX_LEAD_NS;
	return vt;
}

/* tsr_vtime_bound_at() against one queue's @clock. */
static __always_inline u64 tsr_vtime_bound(u64 vt, u64 clock, u64 credit)
{
	return tsr_vtime_bound_at(vt, clock, clock, credit);
}

/* CPU @cpu's clock of the module whose CPU records hold it at offset @off. */
static __always_inline u64 tsr_vclock_of_cpu(s32 cpu, u32 off)
{
	return *(u64 __arena *)((u8 __arena *)tsr_cpu_rec(cpu) + off);
}

/* For tsr_vclock_floor(): a clock that all domains' CPUs share. */
#define TSR_VCLOCK_ALL_DOMS ((u32)-1)

/*
 * The largest clock of @dom's CPUs (every domain's, TSR_VCLOCK_ALL_DOMS)
 * that @p may run on (tsr_vclock_floor()), or @clock when it may run on
 * none of them. One read per word of CPUs and one per CPU allowed there,
 * not a kfunc call (bpf_cpumask_test_cpu()) per CPU of the domain.
 */
static __noinline u64 tsr_vclock_cpus_max(struct task_struct *p, u32 dom, u32 off, u64 clock)
{
	const struct tsr_cpumask __arena *in = dom == TSR_VCLOCK_ALL_DOMS ?
						       &tsr_topo.online :
						       &tsr_topo.dom_cpus[dom & (TSR_MAX_DOMS - 1)];
	u32 nr_words = (tsr_nr_cpu_ids + 63) / 64, w, k;
	const u64 *allowed = (const u64 *)p->cpus_ptr;
	u64 best = clock, bits, low, c;
	bool any = false;

	bpf_for(w, 0, nr_words) {
		if (w >= TSR_CPUMASK_WORDS ||
		    bpf_probe_read_kernel(&bits, sizeof(bits), allowed + w))
			break;
		bits &= in->bits[w];
		bpf_for(k, 0, 64) {
			if (!bits)
				break;
			low = bits & -bits;
			bits ^= low;
			c = tsr_vclock_of_cpu(w * 64 + tsr_low_bit(low), off);
			if (!any || (s64)(c - best) > 0)
				best = c;
			any = true;
		}
	}
	return best;
}

/*
 * What @p's credit is bounded against when it queues in domain @dom
 * (TSR_VCLOCK_ALL_DOMS: one clock for all), whose clock is @clock, in the
 * module whose CPU records hold their clocks at offset @off: @clock when
 * it may run on every CPU; else the largest clock of the CPUs of @dom it
 * may run on (where it would compete best, as the kernel's balancer would
 * place it), at most @clock. Allowed one CPU, that CPU's clock (when it
 * is a CPU of @dom).
 */
static __always_inline u64 tsr_vclock_floor_at(struct task_struct *p, u32 dom, u32 off, u64 clock)
{
	s32 cpu;
	u64 c;

	if (p->nr_cpus_allowed >= tsr_nr_cpu_ids)
		return clock;
	if (p->nr_cpus_allowed == 1) {
		cpu = tsr_task_cpu(p);
		/* a record's domain may lag its new CPU: another domain's clock means nothing here */
		if (dom != TSR_VCLOCK_ALL_DOMS && tsr_cpu_dom(cpu) != dom)
			return clock;
		c = tsr_vclock_of_cpu(cpu, off);
	} else {
		c = tsr_vclock_cpus_max(p, dom, off, clock);
	}
	/* at most the domain's: one ahead of it (a race) counts as the domain's */
	return (s64)(c - clock) < 0 ? c : clock;
}

/* tsr_vclock_floor_at() for module @mod, whose CPU records hold a field vclock. */
#define tsr_vclock_floor(p, dom, mod, clock) \
	tsr_vclock_floor_at(p, dom, offsetof(struct tsr_cpu, mod.vclock), clock)

/*
 * @v bounded against domain clock @clock, its credit against @floor_clock
 * (tsr_vclock_floor()). Returns the bounded vtime.
 */
static __always_inline u64 tsr_vclock_bound(struct tsr_vtask __arena *v, u64 clock, u64 floor_clock,
					    u64 credit)
{
	return v->vtime = tsr_vtime_bound_at(v->vtime, floor_clock, clock, credit);
}

/* @v's lead (or lag, negative) on @clock: at most @credit behind, TSR_MAX_LEAD_NS ahead. */
static __always_inline s64 tsr_vclock_lead(const struct tsr_vtask __arena *v, u64 clock, u64 credit)
{
	s64 lead = (s64)(v->vtime - clock);

	if (lead < -(s64)credit)
		return -(s64)credit;
	return lead > (s64)TSR_MAX_LEAD_NS ? (s64)TSR_MAX_LEAD_NS : lead;
}

/*
 * @v about to queue in domain @dom, whose clock is @to: when it moved, its
 * lead or lag on the clock it was measured against (@from, its previous
 * domain's) carried over to @floor_clock, the clock of its CPUs in @dom
 * (tsr_vclock_floor(); @to for a task that may run on all: as
 * tsr_vclock_place() does for a task whose CPUs changed); then bounded
 * (tsr_vclock_bound(), its credit against @floor_clock). Returns the vtime
 * to queue with.
 */
static __always_inline u64 tsr_vclock_key(struct tsr_vtask __arena *v, u32 dom,
					  const u64 __arena *from, const u64 __arena *to,
					  u64 floor_clock, u64 credit)
{
	if (v->dom != dom) {
		v->vtime = floor_clock + tsr_vclock_lead(v, *from, credit);
		v->dom = dom;
	}
	return tsr_vclock_bound(v, *to, floor_clock, credit);
}

/* @clock moves up to @vt. Racy max: a lost update only delays the floor. */
static __always_inline void tsr_vclock_move(u64 __arena *clock, u64 vt)
{
	if ((s64)(vt - *clock) > 0)
		*clock = vt;
}

/* @v starts running: its domain's @clock and its CPU's @cpu_clock move up to it. */
static __always_inline void tsr_vclock_advance(u64 __arena *clock, u64 __arena *cpu_clock,
					       const struct tsr_vtask __arena *v)
{
	tsr_vclock_move(clock, v->vtime);
	tsr_vclock_move(cpu_clock, v->vtime);
}

/*
 * prev kept its CPU, so it does not pass through ops.running: @clock and
 * its CPU's @cpu_clock move up to it when it was kept ahead of a waiting
 * task. Kept @alone (nothing queued may take its CPU) it competed with
 * nobody and leaves the clocks alone: a lone light task's fast virtual
 * time lifted them, and with them the floor of the tasks waiting on other
 * CPUs (beside a lone pinned hog, nice 0 : nice 10 pinned to another CPU
 * got 2.3 : 1, SCHED_IDLE beside nice 0 30 % of its CPU). Its own virtual
 * time follows the domain's clock instead, so it is not far ahead when a
 * task joins it.
 */
static __always_inline void tsr_vclock_kept(u64 __arena *clock, u64 __arena *cpu_clock,
					    struct tsr_vtask __arena *v, bool alone)
{
	if (!alone)
		tsr_vclock_advance(clock, cpu_clock, v);
	else if ((s64)(v->vtime - *clock) > 0)
		v->vtime = *clock;
}

/*
 * A run on the CPU of @cpu_clock that started from queue key @key was
 * charged: @clock and @cpu_clock move up to it. Keys are queued at most
 * TSR_MAX_LEAD_NS past the clock, which only grows, so a key further ahead
 * is none of ours (p->scx.dsq_vtime left by an earlier scheduler, for a
 * task placed directly since) and is ignored.
 */
static __always_inline void tsr_vclock_advance_to_key(u64 __arena *clock, u64 __arena *cpu_clock,
						      u64 key)
{
	s64 ahead = (s64)(key - *clock);

	if (ahead > (s64)TSR_MAX_LEAD_NS)
		return;
	if (ahead > 0)
		*clock = key;
	tsr_vclock_move(cpu_clock, key);
}

/*
 * @v, @p's vtime on clock @clock of domain @dom, placed for the CPUs @p may
 * run on now, as it enters the scheduler or after its CPUs changed
 * (ops.set_cpumask): its lead or lag on @clock, at most @credit behind and
 * TSR_MAX_LEAD_NS ahead, carried over to the largest clock of those CPUs
 * (tsr_vclock_floor_at(), read from the mask: the task may not be on one
 * of them yet). Started at the domain's clock, a task pinned to a CPU
 * whose clock trails it (more tasks there than on the CPUs that move it)
 * waited for that clock to catch up: a hog pinned beside four others 6 s
 * after them got 0.06 of the CPU, not 0.2. Module @mod's CPU records hold
 * the clocks (a field vclock).
 */
#define tsr_vclock_place(p, v, dom, mod, clock, credit) \
	tsr_vclock_place_at(p, v, dom, offsetof(struct tsr_cpu, mod.vclock), clock, credit)

static __always_inline void tsr_vclock_place_at(struct task_struct *p, struct tsr_vtask __arena *v,
						u32 dom, u32 off, u64 clock, u64 credit)
{
	u64 c;

	if (p->nr_cpus_allowed >= tsr_nr_cpu_ids)
		return;
	c = tsr_vclock_cpus_max(p, dom, off, clock);
	if ((s64)(c - clock) < 0)
		v->vtime = c + tsr_vclock_lead(v, clock, credit);
}

/* A task enters the scheduler in domain @dom, at its clock @now (tsr_vclock_place() follows). */
static __always_inline void tsr_vclock_start(struct tsr_vtask __arena *v, u32 dom,
					     const u64 __arena *now)
{
	v->vtime = *now;
	v->dom = dom;
}

#endif /* TSR_VCLOCK_BPF_H */
