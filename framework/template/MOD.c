// SPDX-License-Identifier: GPL-2.0
/* MOD, userspace half: its option and its declared counters. */
#include "framework/runner.h"

static uint64_t slice_pct = 100;

static const struct tsr_opt MOD_opts[] = {
	{ "MOD-slice-pct", 0, TSR_OPT_U64, &slice_pct, .min = 10, .max = 1000, .metavar = "PCT",
	  .help = "Scale every slice to PCT percent" },
	{ 0 },
};

static const struct tsr_stat MOD_stat_decls[] = {
	TSR_STAT_CPU_RATE("shaped", MOD.nr_shaped, "slices scaled by this module"),
	{ 0 },
};

static int MOD_configure(struct tsr_ctx *ctx)
{
	ctx->skel->rodata->MOD_slice_pct = slice_pct;
	return 0;
}

const struct tsr_module tsr_module_MOD = {
	.name = "MOD",
	.summary = "TODO: one line on what MOD does",
	.opts = MOD_opts,
	.stat_decls = MOD_stat_decls,
	.configure = MOD_configure,
};
