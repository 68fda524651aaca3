// SPDX-License-Identifier: GPL-2.0
/*
 * mlmig, userspace half: the model file read at start (a bad or missing
 * one is said in one line and the balancer runs unfiltered), and the
 * migration filter: each move the balancer plans is scored by the model
 * on its features, rounded to tenths and remembered, and vetoed when the
 * score is not above the threshold; a move that closes a large gap is
 * made whatever the model says (--ml-guard). With --ml-collect every candidate
 * goes to a log for training, and each move made gets its outcome. The
 * steal model (a small network) goes into the arena for lb's greedy steals
 * in BPF, with the inputs of its features only userspace measures.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "framework/runner.h"
#include "modules/lb/lb_state.h"
#include "cache.h"
#include "collect.h"
#include "default_model.h"
#include "default_steal_model.h"
#include "cpustat.h"
#include "mlfeatures.h"
#include "model_file.h"
#include "quant.h"

static struct {
	const char *model, *steal_model;
	double threshold;
	bool no_cache;
	const char *collect;
	const char *features;
	double guard;
} opts = { .model = "builtin",
	   .steal_model = "builtin",
	   .threshold = 0.5,
	   .features = "tessera",
	   .guard = 0.25 };

static const struct tsr_opt mlmig_opts[] = {
	{ "ml-model", 0, TSR_OPT_STRING, &opts.model, .metavar = "FILE",
	  .help = "Migration model: a file tessera-train wrote, \"builtin\" (the one trained "
		  "on this project's data) or \"none\" (every planned migration is made)" },
	{ "ml-steal-model", 0, TSR_OPT_STRING, &opts.steal_model, .metavar = "FILE",
	  .help = "Model lb's greedy steals ask in BPF: a file tessera-train wrote (hidden "
		  "layers of at most 64), \"builtin\" (10-8-8-1, trained on this project's data) "
		  "or \"none\" (every steal is made)" },
	{ "ml-threshold", 0, TSR_OPT_DOUBLE, &opts.threshold, .dmin = 0, .dmax = 1, .metavar = "P",
	  .help = "Migrate when the model's score is above P" },
	{ "ml-guard", 0, TSR_OPT_DOUBLE, &opts.guard, .dmin = 0, .dmax = 100, .zero_off = true,
	  .metavar = "GAP",
	  .help = "Make every move between domains whose loads per CPU differ by more than GAP "
		  "CPUs' worth, whatever the model says (0: the model decides every move)" },
	{ "ml-no-cache", 0, TSR_OPT_FLAG, &opts.no_cache,
	  .help = "Score every candidate (no decisions remembered by rounded features)" },
	{ "ml-collect", 0, TSR_OPT_STRING, &opts.collect, .metavar = "FILE",
	  .help = "Log every candidate migration and the outcome of those made, for "
		  "tessera-train" },
	{ "ml-features", 0, TSR_OPT_STRING, &opts.features, .choices = "seed|tessera",
	  .metavar = "SET", .help = "Features a log records when no model is loaded" },
	{ 0 },
};

static struct mlp model;
static bool have_model;
static struct mlmig_cache cache;
static struct cpustat cpus;
static struct mlmig_collector collector;
static uint32_t feature_set;
static struct {
	uint64_t offered, vetoed, scored, guarded;
} count;

/*
 * The model @name names into @m, the built-in one @builtin of @len bytes:
 * 0, -ENOENT for "none", another -errno (why in @err).
 */
static int load_model(const char *name, const unsigned char *builtin, unsigned int len,
		      struct mlp *m, char *err, size_t err_len)
{
	char why[MLMIG_ERR_LEN - 32];
	int ret;

	if (!strcmp(name, "none"))
		return -ENOENT;
	if (strcmp(name, "builtin"))
		return mlmig_model_load(name, m, err, err_len);
	ret = mlmig_model_parse(builtin, len, m, why, sizeof(why));
	if (ret)
		snprintf(err, err_len, "built-in model: %s", why);
	return ret;
}

/* The steal model into the arena for BPF; a refused one is said and steals go unasked. */
static int publish_steal_model(struct tsr_ctx *ctx)
{
	struct mlp *m = calloc(1, sizeof(*m));
	char err[MLMIG_ERR_LEN];
	int ret;

	if (!m)
		return -ENOMEM;
	ret = load_model(opts.steal_model, mlmig_default_steal_model, mlmig_default_steal_model_len,
			 m, err, sizeof(err));
	if (!ret && mlmig_q_publish(&ctx->skel->arena->mlmig_steal_q, m, opts.threshold)) {
		snprintf(err, sizeof(err),
			 "%s: %d-%d-%d-1 is wider than BPF takes (hidden layers "
			 "of 1-%d)",
			 opts.steal_model, m->in, m->h1, m->h2, MLMIG_Q_HIDDEN);
		ret = -EINVAL;
	}
	if (ret && ret != -ENOENT && ret != -ENOMEM)
		fprintf(stderr, "%s: mlmig: steal model refused, steals made without it: %s\n",
			tsr_sched_name, err);
	else if (!ret && ctx->verbose)
		fprintf(stderr, "%s: mlmig: steal model %s (features %s, %d-%d-%d-1)\n",
			tsr_sched_name, opts.steal_model, mlmig_feature_set_name(m->feature_set),
			m->in, m->h1, m->h2);
	free(m);
	return ret == -ENOMEM ? ret : 0;
}

/* The first CPU of domain @dom (the seeds' "cpu": where the move starts). */
static int first_cpu(const struct tsr_topo *topo, int dom)
{
	for (unsigned int cpu = 0; cpu < topo->nr_cpu_ids && cpu < TSR_MAX_CPUS; cpu++)
		if (topo->cpu_dom[cpu] == dom)
			return cpu;
	return 0;
}

/* The steal features' inputs fixed for the run: each domain's first CPU, a round's share of "long ago". */
static void write_steal_constants(struct tsr_ctx *ctx)
{
	struct mlmig_steal_view *v = &ctx->skel->arena->mlmig_view;
	struct mlmig_candidate c = { .nr_cpu_ids = ctx->topo->nr_cpu_ids };
	float x[MLMIG_INPUTS];

	for (unsigned int d = 0; d < ctx->topo->nr_doms && d < TSR_MAX_DOMS; d++) {
		c.cpu = first_cpu(ctx->topo, d);
		mlmig_features(MLMIG_FEATURES_SEED, &c, x);
		v->x_cpu[d] = mlmig_q_inputs_one(x[0]);
	}
	v->since_per_round = lrint(lb_interval_s() / MLMIG_RECENT_S * (1 << MLMIG_SINCE_SHIFT));
}

static int mlmig_init(struct tsr_ctx *ctx)
{
	char err[MLMIG_ERR_LEN];
	int ret = load_model(opts.model, mlmig_default_model, mlmig_default_model_len, &model, err,
			     sizeof(err));

	if (ret == -ENOMEM)
		return ret;
	have_model = !ret;
	if (ret && strcmp(opts.model, "none"))
		fprintf(stderr, "%s: mlmig: model refused, balancing without it: %s\n",
			tsr_sched_name, err);
	feature_set = have_model ? model.feature_set : mlmig_feature_set_by_name(opts.features);
	if (opts.collect) {
		ret = mlmig_collect_open(&collector, opts.collect, feature_set);
		if (ret) {
			fprintf(stderr, "%s: mlmig: cannot write %s: %s\n", tsr_sched_name,
				opts.collect, strerror(-ret));
			return -TSR_ESAID;
		}
	} else if (ctx->verbose)
		fprintf(stderr, "%s: mlmig: model %s (features %s, %d-%d-%d-1)\n", tsr_sched_name,
			opts.model, mlmig_feature_set_name(model.feature_set), model.in, model.h1,
			model.h2);
	write_steal_constants(ctx);
	return publish_steal_model(ctx);
}

/*
 * The steal features' inputs BPF cannot measure that change, scaled as
 * mlmig_features() scales them: the CPUs idle and busy last interval and
 * the balancer's round.
 */
static void write_steal_view(struct tsr_ctx *ctx)
{
	struct mlmig_steal_view *v = &ctx->skel->arena->mlmig_view;
	struct mlmig_candidate c = { .nr_idle = cpus.nr_idle, .nr_busy = cpus.nr_busy };
	float x[MLMIG_INPUTS];

	mlmig_features(MLMIG_FEATURES_SEED, &c, x);
	v->x_idle = mlmig_q_inputs_one(x[1]);
	v->x_busy = mlmig_q_inputs_one(x[2]);
	v->round = lb_round();
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

/* The model's answer for features @x (rounded to tenths in place). */
static bool decide(float *x)
{
	uint64_t key = mlmig_round(x, MLMIG_INPUTS);
	bool migrate;

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
	bool made = false;

	if (!have_model && !opts.collect)
		return;
	for (int i = 0; i < n; i++) {
		struct mlmig_candidate cand;
		float x[MLMIG_INPUTS], raw[MLMIG_INPUTS];

		if (!allow[i])
			continue;
		to_candidate(ctx, &c[i], &cand);
		mlmig_features(feature_set, &cand, x);
		memcpy(raw, x, sizeof(raw));
		if (have_model) {
			count.offered++;
			/* a large imbalance is corrected whatever the model thinks: CPUs must not idle */
			if (opts.guard && cand.src_load - cand.dst_load > opts.guard)
				count.guarded++;
			else
				allow[i] = decide(x);
			count.vetoed += !allow[i];
		}
		if (opts.collect)
			/* the planner takes the first candidate left allowed */
			mlmig_collect_offer(&collector, c[i].round, raw, c[i].task, c[i].gen,
					    c[i].src_dom, c[i].dst_dom,
					    c[i].src_load - c[i].dst_load, allow[i] && !made);
		made |= allow[i];
	}
}

static int task_dom(void *data, uint32_t task, uint32_t gen)
{
	struct tsr_ctx *ctx = data;
	struct tsr_task *t = tsr_slab_obj(&ctx->skel->arena->tsr_task_slab, task);

	return tsr_slab_same_gen(t, gen) ? t->core.dom : -1;
}

static double dom_load(void *data, int dom)
{
	return lb_round_load(dom);
}

/* Idle and busy CPUs over the last balancing interval, before the balancer plans. */
static int mlmig_balance(struct tsr_ctx *ctx)
{
	struct mlmig_now now = { task_dom, dom_load, ctx };
	int ret = cpustat_update(&cpus, "/proc/stat");

	if (opts.collect)
		mlmig_collect_judge(&collector, lb_round(), &now);
	if (ret)
		fprintf(stderr, "%s: mlmig: cannot read /proc/stat: %s\n", tsr_sched_name,
			strerror(-ret));
	write_steal_view(ctx);
	return 0;
}

static uint64_t mlmig_balance_interval_us(void)
{
	return 500000;
}

/* lb's greedy steals the steal model was asked about and vetoed, over every CPU. */
static void steal_counts(struct tsr_ctx *ctx, uint64_t *asked, uint64_t *vetoed)
{
	*asked = *vetoed = 0;
	for (unsigned int cpu = 0; cpu < ctx->topo->nr_cpu_ids && cpu < TSR_MAX_CPUS; cpu++) {
		*asked += ctx->skel->arena->tsr_cpus[cpu].mlmig.nr_steal_asked;
		*vetoed += ctx->skel->arena->tsr_cpus[cpu].mlmig.nr_steal_vetoed;
	}
}

static void mlmig_stats(struct tsr_ctx *ctx, FILE *out, json_t *obj, double interval_s)
{
	double vetoed_pct = tsr_pct(count.vetoed, count.offered);
	double hit_pct = tsr_pct(cache.hits, cache.lookups);
	bool steal_model = ctx->skel->arena->mlmig_steal_q.seq;
	uint64_t asked, vetoed;

	steal_counts(ctx, &asked, &vetoed);
	json_object_update_new(obj,
			       json_pack("{sbsIsI}", "steal_model", steal_model, "steal_asked",
					 (json_int_t)asked, "steal_vetoed", (json_int_t)vetoed));
	if (steal_model)
		fprintf(out, "  mlmig: steals asked=%llu vetoed=%llu (%.1f%%)\n",
			(unsigned long long)asked, (unsigned long long)vetoed,
			tsr_pct(vetoed, asked));

	if (opts.collect) {
		fprintf(out,
			"  mlmig: collected %llu candidates, %llu moves judged good, %llu bad\n",
			(unsigned long long)collector.lines, (unsigned long long)collector.good,
			(unsigned long long)collector.bad);
		json_object_update_new(obj, json_pack("{sIsIsI}", "collected",
						      (json_int_t)collector.lines, "judged_good",
						      (json_int_t)collector.good, "judged_bad",
						      (json_int_t)collector.bad));
	}
	/* without a model the counts stay 0: the members are there all the same */
	json_object_update_new(obj, json_pack("{sbsIsIsosIsIsosi}", "model", have_model, "offered",
					      (json_int_t)count.offered, "vetoed",
					      (json_int_t)count.vetoed, "vetoed_pct",
					      tsr_json_tenth(vetoed_pct), "guarded",
					      (json_int_t)count.guarded, "scored",
					      (json_int_t)count.scored, "cache_hit_pct",
					      tsr_json_tenth(hit_pct), "idle_cpus", cpus.nr_idle));
	if (!have_model) {
		fprintf(out, "  mlmig: no model, nothing filtered\n");
		return;
	}
	fprintf(out,
		"  mlmig: offered=%llu vetoed=%llu (%.1f%%) guarded=%llu scored=%llu "
		"cache_hits=%.1f%% idle_cpus=%d\n",
		(unsigned long long)count.offered, (unsigned long long)count.vetoed, vetoed_pct,
		(unsigned long long)count.guarded, (unsigned long long)count.scored, hit_pct,
		cpus.nr_idle);
}

static void mlmig_exit(struct tsr_ctx *ctx)
{
	mlmig_collect_close(&collector);
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
	.exit = mlmig_exit,
};
