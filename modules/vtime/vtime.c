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

/*
 * Runnable weight per domain is kept only for balancing between domains;
 * with one domain the clock moves where a run is charged, not in running.
 */
static unsigned int vtime_idle_callbacks(struct tsr_ctx *ctx)
{
	return ctx->topo->nr_doms > 1 ? 0 : TSR_CB_RUNNABLE | TSR_CB_QUIESCENT | TSR_CB_RUNNING;
}

static const struct tsr_stat vtime_stat_decls[] = {
	TSR_STAT_CPU_RATE("local", vtime.nr_local, "dispatches from the CPU's own domain"),
	TSR_STAT_CPU_RATE("steal", vtime.nr_steal, "dispatches from another domain"),
	TSR_STAT_CPU_RATE("balance", vtime.nr_balance,
			  "dispatches from a domain with more waiting tasks per CPU"),
	{ 0 },
};

const struct tsr_module tsr_module_vtime = {
	.name = "vtime",
	.summary = "per-domain virtual-time queues with idle-CPU selection",
	.opts = vtime_opts,
	.configure = vtime_configure,
	.idle_callbacks = vtime_idle_callbacks,
	.stat_decls = vtime_stat_decls,
};
