// SPDX-License-Identifier: GPL-2.0
/* vtime, userspace half: options and statistics. */
#include "framework/runner.h"

static struct {
	uint64_t slice_us;
	bool fifo;
} opts = { .slice_us = 20000 };

static const struct tsr_opt vtime_opts[] = {
	{ "slice-us", 's', TSR_OPT_U64, &opts.slice_us, .min = 100, .max = 1000000, .metavar = "US",
	  .help = "Time slice in microseconds" },
	{ "fifo", 0, TSR_OPT_FLAG, &opts.fifo,
	  .help = "Order each domain's queue by arrival instead of virtual time" },
	{ 0 },
};

static int vtime_configure(struct tsr_ctx *ctx)
{
	ctx->skel->rodata->vtime_fifo = opts.fifo;
	ctx->skel->rodata->tsr_slice_ns = opts.slice_us * 1000;
	return 0;
}

static void vtime_stats(struct tsr_ctx *ctx, FILE *out, double interval)
{
	static uint64_t last[4];
	uint64_t cur[4] = {
		tsr_sum_cpus(ctx, vtime.nr_idle_pick),
		tsr_sum_cpus(ctx, vtime.nr_queued),
		tsr_sum_cpus(ctx, vtime.nr_local),
		tsr_sum_cpus(ctx, vtime.nr_steal),
	};
	uint64_t d[4];

	tsr_deltas(last, cur, d, 4);
	fprintf(out, "  vtime: idle_pick=%.0f/s queued=%.0f/s local=%.1f%% steal=%.1f%%\n",
		d[0] / interval, d[1] / interval, tsr_pct(d[2], d[2] + d[3]),
		tsr_pct(d[3], d[2] + d[3]));
}

const struct tsr_module tsr_module_vtime = {
	.name = "vtime",
	.summary = "per-domain virtual-time queues with idle-CPU selection",
	.opts = vtime_opts,
	.configure = vtime_configure,
	.stats = vtime_stats,
};
