// SPDX-License-Identifier: GPL-2.0
/* placement, userspace half: options and the share of each placement path. */
#include "framework/runner.h"

static bool kthreads_local;

static const struct tsr_opt placement_opts[] = {
	{ "kthreads-local", 'k', TSR_OPT_FLAG, &kthreads_local,
	  .help = "Dispatch per-CPU kthreads straight to their CPU, ahead of queued work" },
	{ 0 },
};

static int placement_configure(struct tsr_ctx *ctx)
{
	ctx->skel->rodata->placement_kthreads_local = kthreads_local;
	return 0;
}

/* Each path as a share of select_cpu calls (the framework's count). */
#define PLACEMENT_PATH(name, path)                                             \
	TSR_STAT_CPU_PERCENT(name, placement.nr[PLACE_##path], core.nr_select, \
			     "select_cpu calls placed by " name)

static const struct tsr_stat placement_stat_decls[] = {
	TSR_STAT_CPU_RATE("select", core.nr_select, "select_cpu calls"),
	PLACEMENT_PATH("pinned", PINNED),
	PLACEMENT_PATH("kthread", KTHREAD),
	PLACEMENT_PATH("sync", SYNC),
	PLACEMENT_PATH("prev_core", PREV_CORE),
	PLACEMENT_PATH("prev_cpu", PREV_CPU),
	PLACEMENT_PATH("dom_core", DOM_CORE),
	PLACEMENT_PATH("dom_cpu", DOM_CPU),
	PLACEMENT_PATH("greedy", GREEDY),
	PLACEMENT_PATH("none", NONE),
	TSR_STAT_CPU_PERCENT("direct", core.nr_direct, core.nr_select,
			     "dispatched straight to the chosen idle CPU"),
	TSR_STAT_CPU_PERCENT("moved", placement.nr_moved, core.nr_select,
			     "placed on another CPU than the one it last ran on (a migration)"),
	{ 0 },
};

const struct tsr_module tsr_module_placement = {
	.name = "placement",
	.summary = "LLC-domain, SMT and NUMA-aware idle CPU selection",
	.opts = placement_opts,
	.configure = placement_configure,
	.stat_decls = placement_stat_decls,
};
