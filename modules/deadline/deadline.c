// SPDX-License-Identifier: GPL-2.0
/* deadline, userspace half: options and statistics. */
#include "framework/runner.h"

static bool fifo, no_cpu_wait, no_wake_preempt, no_cpu_requeue;

static const struct tsr_opt deadline_opts[] = {
	{ "fifo-sched", 'f', TSR_OPT_FLAG, &fifo,
	  .help = "Order each domain's queue by arrival instead of virtual deadline" },
	{ "no-cpu-wait", 0, TSR_OPT_FLAG, &no_cpu_wait,
	  .help = "A woken task that finds no idle CPU waits in its domain's shared queue "
		  "(taken by whichever CPU frees first) instead of for the CPU it last ran on" },
	{ "no-wake-preempt", 0, TSR_OPT_FLAG, &no_wake_preempt,
	  .help = "A task woken without the sync hint that waits for a busy CPU does not "
		  "preempt the task running there, even when its deadline is earlier" },
	{ "no-cpu-requeue", 0, TSR_OPT_FLAG, &no_cpu_requeue,
	  .help = "A task still runnable at its slice end or preempted waits in its "
		  "domain's shared queue instead of for the CPU it ran on" },
	{ 0 },
};

static int deadline_configure(struct tsr_ctx *ctx)
{
	ctx->skel->rodata->deadline_fifo = fifo;
	ctx->skel->rodata->deadline_cpu_wait = !fifo && !no_cpu_wait;
	ctx->skel->rodata->deadline_wake_preempt = !fifo && !no_cpu_wait && !no_wake_preempt;
	ctx->skel->rodata->deadline_cpu_requeue = !fifo && !no_cpu_wait && !no_cpu_requeue;
	return 0;
}

static const struct tsr_stat deadline_stat_decls[] = {
	TSR_STAT_CPU_RATE("queued", deadline.nr_queued,
			  "tasks queued on a domain DSQ or a CPU's wait queue"),
	TSR_STAT_CPU_PERCENT("latency_boosted", deadline.nr_boosted, deadline.nr_queued,
			     "of those, with a deadline pulled in: waking more often than is usual "
			     "in the domain"),
	TSR_STAT_CPU_PERCENT("boost_3up", deadline.nr_boost_high, deadline.nr_queued,
			     "of those, boosted by 3 or more: waking 8 times as often as usual"),
	TSR_STAT_CPU_RATE("local_dispatch", deadline.nr_local,
			  "dispatches from the CPU's own domain (or prev kept)"),
	TSR_STAT_CPU_PERCENT("warm", deadline.nr_warm, deadline.nr_local,
			     "of those, a task that last ran on the CPU, taken before the head"),
	TSR_STAT_CPU_PERCENT("cpu_wait", deadline.nr_cpu_wait, deadline.nr_queued,
			     "of the tasks queued, woken ones that waited for their own CPU"),
	TSR_STAT_CPU_PERCENT("cpu_requeue", deadline.nr_cpu_requeue, deadline.nr_queued,
			     "of the tasks queued, ones off their CPU at a slice end or preempted "
			     "that waited for it again"),
	TSR_STAT_CPU_RATE("cpu_wait_taken", deadline.nr_cpu_taken,
			  "tasks that waited for a CPU, taken by another one about to go idle or "
			  "after waiting past the bound"),
	TSR_STAT_CPU_PERCENT("cpu_wait_idle_taken", deadline.nr_cpu_taken_idle,
			     deadline.nr_cpu_taken, "of those, by a CPU about to go idle"),
	TSR_STAT_CPU_PERCENT(
		"wake_preempt", deadline.nr_wake_preempt, deadline.nr_cpu_wait,
		"of those, woken without the sync hint and due before the task running "
		"on their CPU, which was preempted"),
	{ 0 },
};

const struct tsr_module tsr_module_deadline = {
	.name = "deadline",
	.summary = "per-domain virtual-deadline queues",
	.opts = deadline_opts,
	.configure = deadline_configure,
	.stat_decls = deadline_stat_decls,
};
