// SPDX-License-Identifier: GPL-2.0
/* placement, userspace half: options and the share of each placement path. */
#include "framework/runner.h"

static bool kthreads_local;

static const struct tsr_opt placement_opts[] = {
	{ "kthreads-local", 'k', TSR_OPT_FLAG, &kthreads_local,
	  .help = "Dispatch per-CPU kthreads straight to their CPU, ahead of queued work" },
	{ 0 },
};

static const char *const path_names[PLACE_NR_PATHS] = {
	[PLACE_PINNED] = "pinned",	 [PLACE_KTHREAD] = "kthread",	[PLACE_SYNC] = "sync",
	[PLACE_PREV_CORE] = "prev_core", [PLACE_DOM_CORE] = "dom_core", [PLACE_DOM_CPU] = "dom_cpu",
	[PLACE_GREEDY] = "greedy",	 [PLACE_NONE] = "none",
};

static int placement_configure(struct tsr_ctx *ctx)
{
	ctx->skel->rodata->placement_kthreads_local = kthreads_local;
	return 0;
}

static void placement_stats(struct tsr_ctx *ctx, FILE *out, double interval)
{
	static uint64_t last[PLACE_NR_PATHS + 1];
	uint64_t cur[PLACE_NR_PATHS + 1], d[PLACE_NR_PATHS + 1], total = 0;

	for (int i = 0; i < PLACE_NR_PATHS; i++)
		cur[i] = tsr_sum_cpus(ctx, placement.nr[i]);
	cur[PLACE_NR_PATHS] = tsr_sum_cpus(ctx, placement.nr_direct);
	tsr_deltas(last, cur, d, PLACE_NR_PATHS + 1);
	for (int i = 0; i < PLACE_NR_PATHS; i++)
		total += d[i];
	fprintf(out, "  placement: %.0f/s", total / interval);
	for (int i = 0; i < PLACE_NR_PATHS; i++)
		fprintf(out, " %s=%.1f%%", path_names[i], tsr_pct(d[i], total));
	fprintf(out, " direct=%.1f%%\n", tsr_pct(d[PLACE_NR_PATHS], total));
}

const struct tsr_module tsr_module_placement = {
	.name = "placement",
	.summary = "LLC-domain, SMT and NUMA-aware idle CPU selection",
	.opts = placement_opts,
	.configure = placement_configure,
	.stats = placement_stats,
};
