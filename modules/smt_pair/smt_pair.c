// SPDX-License-Identifier: GPL-2.0
/*
 * smt_pair, userspace half: options, the profiles and model read at start,
 * the pairing recomputed when a newer model appears, and the score board
 * in --stats. Not yet enforced by BPF (see README).
 */
#include <errno.h>
#include <string.h>
#include "framework/runner.h"
#include "pairing.h"

static struct {
	const char *profiles;
	const char *model_dir;
	const char *pairing;
	uint64_t keep_permille;
} opts = {
	.profiles = "/etc/tessera/smt/profiles",
	.model_dir = "/etc/tessera/smt/trained_model",
	.pairing = "optimal",
	.keep_permille = 20,
};

static const struct tsr_opt smt_pair_opts[] = {
	{ "profiles", 0, TSR_OPT_STRING, &opts.profiles, .metavar = "DIR",
	  .help = "Directory of per-job profile files (*.json)" },
	{ "model-dir", 0, TSR_OPT_STRING, &opts.model_dir, .metavar = "DIR",
	  .help = "Directory of prediction_model_*.json; the newest is used and reloaded when it "
		  "changes" },
	{ "pairing", 0, TSR_OPT_STRING, &opts.pairing, .choices = "greedy|optimal",
	  .metavar = "ALG",
	  .help = "Pairing algorithm: the seed's greedy one or maximum-weight matching" },
	{ "keep-permille", 0, TSR_OPT_U64, &opts.keep_permille, .min = 0, .max = 1000,
	  .metavar = "N", .help = "Re-pair only for a total score gain above N/1000" },
	{ 0 },
};

static struct smt_pairing state;

static int smt_pair_configure(struct tsr_ctx *ctx)
{
	smt_pairing_init(&state,
			 strcmp(opts.pairing, "greedy") ? SMT_PAIRING_OPTIMAL : SMT_PAIRING_GREEDY,
			 opts.keep_permille);
	return 0;
}

static int smt_pair_init(struct tsr_ctx *ctx)
{
	char err[SMT_ERR_LEN];
	int ret = smt_pairing_load_profiles(&state, opts.profiles, err, sizeof(err));

	if (!ret)
		ret = smt_pairing_reload_model(&state, opts.model_dir, err, sizeof(err));
	if (ret >= 0)
		ret = smt_pairing_update(&state, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "%s: smt_pair: %s\n", tsr_sched_name, err);
		return ret;
	}
	fprintf(stderr, "%s: smt_pair: %d profiled jobs, model %s\n", tsr_sched_name, state.nr_jobs,
		state.model_path);
	return 0;
}

/* A newer model file: re-score and maybe re-pair; a bad one is refused and the old one kept. */
static int smt_pair_balance(struct tsr_ctx *ctx)
{
	char err[SMT_ERR_LEN];
	int ret = smt_pairing_reload_model(&state, opts.model_dir, err, sizeof(err));

	if (ret < 0) {
		/* once per bad file: the next check finds the same bytes refused again */
		static char last[SMT_ERR_LEN];

		if (strcmp(last, err))
			fprintf(stderr, "%s: smt_pair: model refused, keeping %s: %s\n",
				tsr_sched_name, state.model_path, err);
		strcpy(last, err);
		return 0;
	}
	if (ret == 1) {
		fprintf(stderr, "%s: smt_pair: model now %s\n", tsr_sched_name, state.model_path);
		ret = smt_pairing_update(&state, err, sizeof(err));
		if (ret < 0)
			fprintf(stderr, "%s: smt_pair: %s\n", tsr_sched_name, err);
	}
	return 0;
}

static uint64_t smt_pair_model_check_us(void)
{
	return 1000000;
}

static void smt_pair_stats(struct tsr_ctx *ctx, FILE *out, double interval_s)
{
	smt_pairing_print(&state, out);
}

static void smt_pair_exit(struct tsr_ctx *ctx)
{
	smt_pairing_free(&state);
}

const struct tsr_module tsr_module_smt_pair = {
	.name = "smt_pair",
	.summary = "SMT pairing of profiled jobs by predicted symbiosis",
	.opts = smt_pair_opts,
	.configure = smt_pair_configure,
	.init = smt_pair_init,
	.balance = smt_pair_balance,
	.balance_interval_us = smt_pair_model_check_us,
	.stats = smt_pair_stats,
	.exit = smt_pair_exit,
};
