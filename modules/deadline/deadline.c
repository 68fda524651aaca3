// SPDX-License-Identifier: GPL-2.0
/* deadline, userspace half: options and statistics. */
#include "framework/runner.h"

static bool fifo;

static const struct tsr_opt deadline_opts[] = {
	{ "fifo-sched", 'f', TSR_OPT_FLAG, &fifo,
	  .help = "Order each domain's queue by arrival instead of virtual deadline" },
	{ 0 },
};

static int deadline_configure(struct tsr_ctx *ctx)
{
	ctx->skel->rodata->deadline_fifo = fifo;
	return 0;
}

static void deadline_stats(struct tsr_ctx *ctx, FILE *out, double interval)
{
	static uint64_t last[3];
	uint64_t cur[3] = {
		tsr_sum_cpus(ctx, deadline.nr_queued),
		tsr_sum_cpus(ctx, deadline.nr_boosted),
		tsr_sum_cpus(ctx, deadline.nr_local),
	};
	uint64_t d[3];

	tsr_deltas(last, cur, d, 3);
	fprintf(out, "  deadline: queued=%.0f/s latency_boosted=%.1f%% local_dispatch=%.0f/s%s\n",
		d[0] / interval, tsr_pct(d[1], d[0]), d[2] / interval, fifo ? " (fifo)" : "");
}

const struct tsr_module tsr_module_deadline = {
	.name = "deadline",
	.summary = "per-domain virtual-deadline queues",
	.opts = deadline_opts,
	.configure = deadline_configure,
	.stats = deadline_stats,
};
