/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module hook contract: which hooks a module may implement, their
 * signatures, and how the framework combines the answers of several modules.
 *
 * A module "m" implements a BPF hook by defining, in modules/m/m.bpf.h,
 *
 *	static __always_inline <ret> m_<hook>(<args>)
 *
 * with exactly the signature below. The build (framework/compose.py) finds
 * the definitions and generates one tsr_chain_<hook>() per hook that calls
 * the modules in the order the scheduler lists them, with the rule given
 * here. Everything is inlined into one BPF program per callback, so a chain
 * of one module costs the same as calling the module directly.
 *
 * Types: p is the task, t its arena record (struct tsr_task, never NULL in
 * the hooks that take it), cpu a CPU id.
 *
 * Weights and slices: charge virtual time with tsr_vtime_delta() (the
 * kernel's weights: nice 0 = 1024, SCHED_IDLE = 3) and give slices with
 * tsr_task_slice(p, t), which shrinks the slice of light tasks so that none
 * of them waits weight-times longer between runs and applies the modules'
 * slice hooks.
 *
 * A task preempted inside an RCU read-side section never reaches a module's
 * enqueue: the framework runs it next on its CPU (RCU priority boosting the
 * kernel may lack), so a module cannot stall RCU by ordering it late.
 *
 * No runnable task waits unboundedly: every 100 ms each CPU walks its
 * domain's DSQ (TSR_DSQ_DOM), its CPUs' wait queues (TSR_DSQ_CPU) and the
 * fallback DSQ and runs a task it may run that has been runnable for 5 s,
 * ahead of any module's order. A module that queues tasks on DSQs of its
 * own gives the same guarantee with its rescue hook (below).
 *
 * CPU hotplug does not reload the scheduler (framework/hotplug.bpf.h): a
 * domain whose CPUs are all offline keeps its TSR_DSQ_DOM queue, which the
 * framework has the other CPUs serve. A module with DSQs of its own that
 * only some CPUs consume must serve them itself when those CPUs go away.
 *
 * Tasks without a record (the arena's task limit reached, or an allocation
 * failed) never reach a module: the framework queues them on its fallback
 * DSQ by their own weighted virtual time and gives that queue turns in
 * proportion to the tasks waiting in it, so they get about a fair share.
 *
 * Verdict chains (the first module that decides wins; later ones are not called):
 *   s32  m_select_cpu(p, t, s32 prev_cpu, u64 wake_flags, struct tsr_placement *pl)
 *	Return a CPU (>= 0) to decide, TSR_PASS to let the next module try.
 *	Set pl->direct to dispatch straight to that CPU's local DSQ, pl->slice
 *	to choose the slice. Nobody decides: prev_cpu, not direct.
 *   bool m_enqueue(p, t, u64 enq_flags)
 *	Return true once the module has inserted p into a DSQ. Nobody does:
 *	the framework queues p on its FIFO fallback DSQ. For a wake-up that
 *	went through select_cpu, t->core.wake_flags holds its SCX_WAKE_*
 *	(SCX_WAKE_SYNC: the waker is about to sleep); 0 for any other enqueue.
 *	Kept only in compositions whose modules read it (compose.py looks for
 *	"core.wake_flags" in each module's BPF half).
 *   bool m_dispatch(s32 cpu, struct task_struct *prev, struct tsr_task *prev_t)
 *	Return true once cpu has a task to run: one moved to its local DSQ,
 *	or prev kept. Nobody does: the framework serves its fallback DSQ, and
 *	the kernel keeps prev running if that is empty too.
 *	prev_t is prev's record when prev used up its slice but is still
 *	runnable (and has a record): the kernel will queue prev again behind
 *	whatever this CPU takes now. A module that orders a queue prev would
 *	rejoin must compare prev with that queue's first task this CPU may
 *	run and keep prev when it comes first (tsr_dsq_serve() does both), or
 *	weights are lost whenever at most one task waits: tasks would simply
 *	alternate slices.
 *   bool m_rescue(s32 cpu, u64 now_j, u64 starve_j)
 *	Every 100 ms per CPU, after the framework's own queues: move to cpu's
 *	local DSQ one task of the module's own DSQs that has been runnable
 *	for starve_j jiffies (now_j is now) and may run on cpu, and return
 *	true; tsr_rescue_dsq(dsq, cpu, now_j, starve_j) does that for one DSQ.
 *
 * Veto chain (every module must agree; the first false answers, later
 * ones are not called; nobody implements it: true):
 *   bool m_steal_ok(p, t, s32 cpu, u32 src_dom)
 *	Whether cpu, about to go idle, may take p out of domain src_dom's
 *	queue (TSR_DSQ_DOM) when a module steals work for it (lb's greedy
 *	steals look at the first LB_STEAL_LOOK tasks they may run and take
 *	the first one every module lets go). A veto only leaves p where it
 *	is: steals that end a wait past a bound never ask, so a veto cannot
 *	make a task wait unboundedly.
 *
 * Fold chain (every module, in order, each given the previous one's answer):
 *   u64  m_slice(p, t, u64 slice)
 *	Return the slice p gets from this insertion on, given the slice so
 *	far: the framework's (tsr_slice(), shrunk for light weights), then
 *	each earlier module's. The framework and the modules take slices only
 *	from tsr_task_slice(p, t), which runs this chain, so select_cpu's
 *	direct dispatch, every enqueue and a kept prev all get the shaped
 *	slice. Changing a slice is safe for everyone: run time is charged from
 *	the kernel's account (m_charge), never from the slice left.
 *
 * Notification chains (every module is called, in order):
 *   void m_charge(p, t, u64 ran_ns)
 *	p ran ran_ns since it was last charged (the kernel's own run-time
 *	account). Called before m_stopping and when dispatch weighs a prev
 *	that is still runnable, so a running task's virtual time is current
 *	when it is compared. The only place to charge run time: the slice
 *	left (p->scx.slice) says nothing once any module or the framework has
 *	extended a slice.
 *   void m_runnable(p, t, u64 enq_flags)       void m_running(p, t)
 *   void m_stopping(p, t, bool runnable)       void m_quiescent(p, t, u64 deq_flags)
 *   void m_tick(p, t)                          void m_enable(p, t)
 *   void m_set_cpumask(p, t, const struct cpumask *mask)
 *
 * Set-up chains:
 *   s32  m_init(void)                  in order; the first error stops the chain
 *                                      and fails the load with that error
 *   s32  m_init_task(p, t, struct scx_init_task_args *args)
 *                                      in order; the first error stops the chain
 *   void m_exit_task(p, t, struct scx_exit_task_args *args)
 *                                      every module, in reverse order
 *   void m_exit(struct scx_exit_info *ei)
 *                                      every module, in reverse order
 *
 * CPU hotplug is not a module hook: the framework keeps each domain's count
 * of online CPUs (above), and a CPU the topology does not know makes the
 * runner reload the scheduler with a fresh topology.
 *
 * Userspace hooks (struct tsr_module in framework/module.h) run in the order
 * the scheduler lists its modules; exit runs in reverse order.
 */
#ifndef TSR_HOOKS_H
#define TSR_HOOKS_H

#include "../arena/arena.h"

/* A verdict hook's answer for "not mine, ask the next module". */
#define TSR_PASS (-1)

/*
 * DSQ ids: the framework owns id 0 (its fallback FIFO), one DSQ per
 * topology domain (TSR_DSQ_DOM(d), created at init, shared by the modules
 * that queue per domain) and one wait queue per CPU (TSR_DSQ_CPU(cpu),
 * framework/cpu_queue.bpf.h); module m owns every id
 * TSR_DSQ_ID(m, 0 .. 2^24 - 1), so modules never collide.
 */
#define TSR_DSQ_FALLBACK 0ULL
#define TSR_DSQ_DOM(dom) (1ULL + (dom))
#define TSR_DSQ_CPU(cpu) ((1ULL << 32) | (__u32)(cpu))
#define TSR_DSQ_ID(mod, local) (((__u64)TSR_MODIDX_##mod << 24) | ((__u64)(local)&0xffffff))

/* What select_cpu decided beyond the CPU itself. */
struct tsr_placement {
	bool direct; /* insert into the chosen CPU's local DSQ now */
	__u64 slice; /* slice for a direct dispatch; 0 = framework default */
};

#endif /* TSR_HOOKS_H */
