// SPDX-License-Identifier: GPL-2.0
/*
 * smt_pair, userspace half: options, the profiles and model read at start;
 * every second the long-running jobs the jobs module announced that have a
 * profile (by their leader's name) are paired, the pairs get physical
 * cores, and both go into the arena for BPF; the score board and each
 * pair's co-run share in --stats.
 */
#include <errno.h>
#include <string.h>
#include "framework/runner.h"
#include "modules/jobs/leader.h"
#include "assign.h"
#include "match.h"
#include "pairing.h"

static struct {
	const char *profiles;
	const char *model_dir;
	const char *pairing;
	uint64_t keep_permille;
	bool measure_only;
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
	{ "measure-only", 0, TSR_OPT_FLAG, &opts.measure_only,
	  .help = "Pair and count co-running, but do not steer threads (a baseline)" },
	{ 0 },
};

static struct smt_pairing state;

static int smt_pair_configure(struct tsr_ctx *ctx)
{
	/* a CPU-bound paired thread off its cores must pass through enqueue to move */
	if (!opts.measure_only)
		ctx->skel->struct_ops.tsr_ops->flags |= SCX_OPS_ENQ_LAST;
	smt_pairing_init(&state,
			 strcmp(opts.pairing, "greedy") ? SMT_PAIRING_OPTIMAL : SMT_PAIRING_GREEDY,
			 opts.keep_permille);
	return 0;
}

static int paired_slots[2 * SMT_MAX_PAIRS]; /* slots BPF was told about */
static int nr_paired_slots;

/* The running long-running jobs that have a profile, as jobs to pair (job_id = slot). */
static int running_jobs(struct tsr_ctx *ctx, struct smt_profile *out, int max)
{
	const struct jobs_slot *tab = ctx->skel->arena->jobs_table;
	int n = 0;

	for (int i = 0; i < JOBS_MAX && n < max; i++) {
		const struct smt_profile *p;
		char comm[32];

		if (tab[i].workers <= 0 || !(tab[i].flags & JOBS_LONG_RUNNING) ||
		    jobs_leader_comm(tab[i].pgid, comm, sizeof(comm)))
			continue;
		p = smt_pairing_profile(&state, comm);
		if (!p)
			continue;
		out[n] = *p;
		out[n++].job_id = i;
	}
	return n;
}

/* Tell BPF the current pairs and their cores. */
static void publish(struct tsr_ctx *ctx)
{
	static struct tsr_cpumask cpus[SMT_MAX_PAIRS];
	static int pairs[SMT_MAX_PAIRS][2];
	struct smt_pair_job *jobs = ctx->skel->arena->smt_pair_jobs;
	int np = 0, given;

	for (int i = 0; state.mate && i < state.nr_jobs && np < SMT_MAX_PAIRS; i++)
		if (state.mate[i] > i) {
			pairs[np][0] = state.jobs[i].job_id;
			pairs[np++][1] = state.jobs[state.mate[i]].job_id;
		}
	given = smt_assign_cores(ctx->topo, np, cpus);
	ctx->skel->bss->smt_nr_pairs = 0;
	for (int k = 0; k < nr_paired_slots; k++) {
		jobs[paired_slots[k]].pair = 0;
		jobs[paired_slots[k]].partner = 0;
	}
	nr_paired_slots = 0;
	for (int k = 0; k < given; k++) {
		int a = pairs[k][0], b = pairs[k][1];

		ctx->skel->arena->smt_pair_cpus[k] = cpus[k];
		jobs[a].partner = b + 1;
		jobs[b].partner = a + 1;
		jobs[a].pair = jobs[b].pair = k + 1;
		paired_slots[nr_paired_slots++] = a;
		paired_slots[nr_paired_slots++] = b;
		fprintf(stderr, "%s: smt_pair: pgid %d + pgid %d share the cores of pair %d\n",
			tsr_sched_name, ctx->skel->arena->jobs_table[a].pgid,
			ctx->skel->arena->jobs_table[b].pgid, k + 1);
	}
	if (!opts.measure_only)
		ctx->skel->bss->smt_nr_pairs = given;
}

/* Say once per distinct problem: the next check finds the same file refused again. */
static void model_problem(const char *err)
{
	static char last[SMT_ERR_LEN];

	if (!strcmp(last, err))
		return;
	snprintf(last, sizeof(last), "%s", err);
	if (state.model_text)
		fprintf(stderr, "%s: smt_pair: model refused, keeping %s: %s\n", tsr_sched_name,
			state.model_path, err);
	else
		fprintf(stderr, "%s: smt_pair: no model yet, nothing is paired: %s\n",
			tsr_sched_name, err);
}

/*
 * Profiles and a model are what pairing needs, not what scheduling needs:
 * without them (or with a bad one) the scheduler runs unpaired and says why
 * in one line; the model directory is looked at again every second.
 */
static int smt_pair_init(struct tsr_ctx *ctx)
{
	char err[SMT_ERR_LEN];
	int ret = smt_pairing_load_profiles(&state, opts.profiles, err, sizeof(err));

	if (ret == -ENOMEM)
		return ret;
	if (ret)
		fprintf(stderr, "%s: smt_pair: no profiles, nothing is paired: %s\n",
			tsr_sched_name, err);
	ret = smt_pairing_reload_model(&state, opts.model_dir, err, sizeof(err));
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0)
		model_problem(err);
	/* nothing runs long yet: the first balance pass pairs what does */
	smt_pairing_set_jobs(&state, NULL, 0);
	if (ctx->verbose)
		fprintf(stderr, "%s: smt_pair: %d profiles, model %s\n", tsr_sched_name,
			state.nr_profiles, state.model_path[0] ? state.model_path : "(none)");
	return 0;
}

/*
 * Every second: a newer model (re-score; a bad one is refused and the old
 * one kept), then the running jobs re-paired when that gains enough.
 */
static int smt_pair_balance(struct tsr_ctx *ctx)
{
	static struct smt_profile running[SMT_MATCH_MAX];
	char err[SMT_ERR_LEN];
	int ret = smt_pairing_reload_model(&state, opts.model_dir, err, sizeof(err));

	if (ret < 0) {
		model_problem(err);
	} else if (ret == 1) {
		fprintf(stderr, "%s: smt_pair: model now %s\n", tsr_sched_name, state.model_path);
	}
	if (!state.model_text || !state.nr_profiles)
		return 0;
	ret = smt_pairing_set_jobs(&state, running, running_jobs(ctx, running, SMT_MATCH_MAX));
	if (!ret)
		ret = smt_pairing_update(&state, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "%s: smt_pair: %s\n", tsr_sched_name, err);
		return 0;
	}
	if (ret == 1)
		publish(ctx);
	return 0;
}

static uint64_t smt_pair_model_check_us(void)
{
	return 1000000;
}

static void smt_pair_stats(struct tsr_ctx *ctx, FILE *out, double interval_s)
{
	const struct smt_pair_job *jobs = ctx->skel->arena->smt_pair_jobs;

	smt_pairing_print(&state, out);
	for (int k = 0; k < nr_paired_slots; k++) {
		const struct smt_pair_job *j = &jobs[paired_slots[k]];

		fprintf(out, "    pgid %-7d co-run %5.1f%% of %.2f s paired\n",
			ctx->skel->arena->jobs_table[paired_slots[k]].pgid,
			j->run_ns ? 100.0 * j->corun_ns / j->run_ns : 0.0, j->run_ns / 1e9);
	}
}

static void smt_pair_exit(struct tsr_ctx *ctx)
{
	smt_pairing_free(&state);
}

static const struct tsr_stat smt_pair_stat_decls[] = {
	TSR_STAT_CPU_RATE("placed", smt_pair.nr_placed,
			  "wake-ups placed on the job's pair's cores"),
	TSR_STAT_CPU_RATE("pair_picks", smt_pair.nr_pair_picks,
			  "dispatches that took a task of this core's pair out of queue order"),
	TSR_STAT_CPU_RATE("moves", smt_pair.nr_moves,
			  "CPU-bound paired threads moved onto their pair's cores"),
	{ 0 },
};

const struct tsr_module tsr_module_smt_pair = {
	.stat_decls = smt_pair_stat_decls,
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
