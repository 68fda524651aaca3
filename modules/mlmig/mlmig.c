// SPDX-License-Identifier: GPL-2.0
/*
 * mlmig, userspace half: the model file read at start (a bad or missing
 * one is said in one line and the balancer runs unfiltered), and the
 * migration filter: each move the balancer plans is scored by the model
 * on its features, rounded to tenths and remembered, and vetoed when the
 * score is not above the threshold.
 */
#include <errno.h>
#include <string.h>
#include "framework/runner.h"
#include "cache.h"
#include "cpustat.h"
#include "features.h"
#include "model_file.h"

static struct {
	const char *model;
	double threshold;
	bool no_cache;
} opts = { .model = "/etc/tessera/mlmig/model.bin", .threshold = 0.5 };

static const struct tsr_opt mlmig_opts[] = {
	{ "ml-model", 0, TSR_OPT_STRING, &opts.model, .metavar = "FILE",
	  .help = "Migration model (tessera-train's output); without one every planned "
		  "migration is made" },
	{ "ml-threshold", 0, TSR_OPT_DOUBLE, &opts.threshold, .dmin = 0, .dmax = 1, .metavar = "P",
	  .help = "Migrate when the model's score is above P" },
	{ "ml-no-cache", 0, TSR_OPT_FLAG, &opts.no_cache,
	  .help = "Score every candidate (no decisions remembered by rounded features)" },
	{ 0 },
};

static struct mlp model;
static bool have_model;
static struct mlmig_cache cache;
static struct cpustat cpus;
static struct {
	uint64_t offered, vetoed, scored;
} count;

static int mlmig_init(struct tsr_ctx *ctx)
{
	char err[MLMIG_ERR_LEN];
	int ret = mlmig_model_load(opts.model, &model, err, sizeof(err));

	if (ret == -ENOMEM)
		return ret;
	have_model = !ret;
	if (ret)
		fprintf(stderr, "%s: mlmig: model refused, balancing without it: %s\n",
			tsr_sched_name, err);
	else if (ctx->verbose)
		fprintf(stderr, "%s: mlmig: model %s (features %s, %d-%d-%d-1)\n", tsr_sched_name,
			opts.model, mlmig_feature_set_name(model.feature_set), model.in, model.h1,
			model.h2);
	return 0;
}

/* The first CPU of domain @dom (the seeds' "cpu": where the move starts). */
static int first_cpu(const struct tsr_topo *topo, int dom)
{
	for (unsigned int cpu = 0; cpu < topo->nr_cpu_ids && cpu < TSR_MAX_CPUS; cpu++)
		if (topo->cpu_dom[cpu] == dom)
			return cpu;
	return 0;
}

/* @m as the model sees it: loads per CPU of the domain's capacity. */
static void to_candidate(struct tsr_ctx *ctx, const struct tsr_migration *m,
			 struct mlmig_candidate *c)
{
	const struct tsr_dom *doms = ctx->skel->arena->tsr_doms;
	double src_cap = 100.0 * (doms[m->src_dom].core.nr_cpus ?: 1);
	double dst_cap = 100.0 * (doms[m->dst_dom].core.nr_cpus ?: 1);

	*c = (struct mlmig_candidate){
		.cpu = first_cpu(ctx->topo, m->src_dom),
		.nr_cpu_ids = ctx->topo->nr_cpu_ids,
		.nr_idle = cpus.nr_idle,
		.nr_busy = cpus.nr_busy,
		.src_load = m->src_load / src_cap,
		.dst_load = m->dst_load / dst_cap,
		.task_load = m->task_load / src_cap,
		.since_migration_s = m->since_migration_s,
		.cross_node = m->cross_node,
	};
}

static bool decide(struct tsr_ctx *ctx, const struct tsr_migration *m)
{
	struct mlmig_candidate c;
	float x[MLMIG_INPUTS];
	uint64_t key;
	bool migrate;

	to_candidate(ctx, m, &c);
	mlmig_features(model.feature_set, &c, x);
	key = mlmig_round(x, MLMIG_INPUTS);
	if (!opts.no_cache && mlmig_cache_get(&cache, key, &migrate))
		return migrate;
	count.scored++;
	migrate = mlp_forward(&model, x) > opts.threshold;
	if (!opts.no_cache)
		mlmig_cache_put(&cache, key, migrate);
	return migrate;
}

static void mlmig_filter(struct tsr_ctx *ctx, const struct tsr_migration *c, int n, bool *allow)
{
	if (!have_model)
		return;
	for (int i = 0; i < n; i++) {
		if (!allow[i])
			continue;
		count.offered++;
		allow[i] = decide(ctx, &c[i]);
		count.vetoed += !allow[i];
	}
}

/* Idle and busy CPUs over the last balancing interval, before the balancer plans. */
static int mlmig_balance(struct tsr_ctx *ctx)
{
	int ret = cpustat_update(&cpus, "/proc/stat");

	if (ret)
		fprintf(stderr, "%s: mlmig: cannot read /proc/stat: %s\n", tsr_sched_name,
			strerror(-ret));
	return 0;
}

static uint64_t mlmig_balance_interval_us(void)
{
	return 500000;
}

static void mlmig_stats(struct tsr_ctx *ctx, FILE *out, double interval_s)
{
	if (!have_model) {
		fprintf(out, "  mlmig: no model, nothing filtered\n");
		return;
	}
	fprintf(out,
		"  mlmig: offered=%llu vetoed=%llu (%.1f%%) scored=%llu cache_hits=%.1f%% "
		"idle_cpus=%d\n",
		(unsigned long long)count.offered, (unsigned long long)count.vetoed,
		tsr_pct(count.vetoed, count.offered), (unsigned long long)count.scored,
		tsr_pct(cache.hits, cache.lookups), cpus.nr_idle);
}

const struct tsr_module tsr_module_mlmig = {
	.name = "mlmig",
	.summary = "a learned filter over the balancer's migrations",
	.opts = mlmig_opts,
	.init = mlmig_init,
	.balance = mlmig_balance,
	.balance_interval_us = mlmig_balance_interval_us,
	.filter_migrations = mlmig_filter,
	.stats = mlmig_stats,
};
