// SPDX-License-Identifier: GPL-2.0
/*
 * smt_pair, userspace half: options, the profiles and model read at start;
 * every second the long-running jobs the jobs module announced that have a
 * profile (by their name) are paired, the pairs get physical cores (as
 * many as the busier job keeps threads runnable), and both go into the arena
 * for BPF; the score board and each pair's co-run share in --stats.
 */
#include <errno.h>
#include <string.h>
#include "framework/runner.h"
#include "modules/jobs/name.h"
#include "modules/jobs/table.h"
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

static struct smt_holding held[SMT_MAX_PAIRS]; /* the pairs and cores BPF was told */
static int nr_held;
/* every claim of the last publish, those beyond the core count too */
static struct smt_claim published[SMT_MAX_PAIRS];
static int nr_published;

/*
 * How many threads each job keeps runnable, averaged over the last few
 * seconds (the jobs module counts them): what its pair's cores must hold.
 * Counted, not derived from the CPU time it got, which is capped by the
 * cores it was given.
 */
static struct {
	double runnable;
	bool seen;
} samples[JOBS_MAX];

static void sample_runnable(int slot, int runnable)
{
	double now = runnable > 0 ? runnable : 0;

	samples[slot].runnable = samples[slot].seen ? (samples[slot].runnable + now) / 2 : now;
	samples[slot].seen = true;
}

/*
 * The running long-running jobs that have a profile, as jobs to pair
 * (job_id = slot); every live job's runnable threads are sampled on the
 * way.
 */
static int running_jobs(struct tsr_ctx *ctx, struct smt_profile *out, int max)
{
	const struct jobs_slot *tab = ctx->skel->arena->jobs_table;
	int n = 0;

	for (int i = 0; i < JOBS_MAX; i++) {
		const struct smt_profile *p;
		char comm[32];

		if (tab[i].workers <= 0)
			continue;
		sample_runnable(i, tab[i].runnable);
		if (n == max || !(tab[i].flags & JOBS_LONG_RUNNING) ||
		    jobs_name(&tab[i], comm, sizeof(comm)))
			continue;
		p = smt_pairing_profile(&state, comm);
		if (!p)
			continue;
		out[n] = *p;
		out[n++].job_id = i;
	}
	return n;
}

/*
 * Cores a pair can use: the threads its busier job keeps runnable (rounded,
 * at least 1). A pair that holds cores keeps its count until that moves a
 * whole thread away from it, so an average of 1.4, then 1.6, does not move
 * cores back and forth.
 */
static int cores_wanted(int a, int b)
{
	double threads = samples[a].runnable > samples[b].runnable ? samples[a].runnable :
								     samples[b].runnable;
	int want = (int)(threads + 0.5);

	for (int k = 0; k < nr_held; k++)
		if (held[k].claim.a == a && held[k].claim.b == b &&
		    threads > held[k].claim.want - 1 && threads < held[k].claim.want + 1)
			want = held[k].claim.want;
	return want > 1 ? want : 1;
}

/* The current pairs as claims on cores, into @claims; returns how many. */
static int current_claims(struct smt_claim *claims)
{
	int np = 0;

	for (int i = 0; state.mate && i < state.nr_jobs && np < SMT_MAX_PAIRS; i++) {
		int a = state.jobs[i].job_id, b;

		if (state.mate[i] <= i)
			continue;
		b = state.jobs[state.mate[i]].job_id;
		if (a > b) {
			int x = a;

			a = b;
			b = x;
		}
		claims[np++] = (struct smt_claim){ a, b, cores_wanted(a, b) };
	}
	return np;
}

/* "CPUs 0-3,8" */
static void cpu_list(const struct tsr_cpumask *m, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (int cpu = 0; cpu < TSR_MAX_CPUS && used < len; cpu++) {
		int end = cpu;

		if (!tsr_cpumask_test(m, cpu))
			continue;
		while (end + 1 < TSR_MAX_CPUS && tsr_cpumask_test(m, end + 1))
			end++;
		used += snprintf(buf + used, len - used, end > cpu ? "%s%d-%d" : "%s%d",
				 used ? "," : "", cpu, end);
		cpu = end;
	}
}

/*
 * Tell BPF the pairs in @claims and their cores: as many cores as a pair
 * can use, and a pair that stayed keeps the cores it had.
 */
static void publish(struct tsr_ctx *ctx, const struct smt_claim *claims, int np)
{
	static struct tsr_cpumask cpus[SMT_MAX_PAIRS];
	const struct jobs_slot *tab = ctx->skel->arena->jobs_table;
	struct smt_pair_job *jobs = ctx->skel->arena->smt_pair_jobs;
	int given = smt_assign_cores(ctx->topo, claims, np, held, nr_held, cpus);
	char list[128];

	if (given < 0) {
		fprintf(stderr, "%s: smt_pair: out of memory, pairs unchanged\n", tsr_sched_name);
		return;
	}
	fprintf(stderr, "%s: smt_pair: %d pairs now\n", tsr_sched_name, given);
	ctx->skel->bss->smt_nr_pairs = 0;
	for (int k = 0; k < nr_held; k++) {
		jobs[held[k].claim.a].pair = jobs[held[k].claim.b].pair = 0;
		jobs[held[k].claim.a].partner = jobs[held[k].claim.b].partner = 0;
	}
	for (int k = 0; k < given; k++) {
		int a = claims[k].a, b = claims[k].b;

		ctx->skel->arena->smt_pair_cpus[k] = cpus[k];
		jobs[a].partner = b + 1;
		jobs[b].partner = a + 1;
		jobs[a].pair = jobs[b].pair = k + 1;
		held[k] = (struct smt_holding){ claims[k], cpus[k] };
		cpu_list(&cpus[k], list, sizeof(list));
		fprintf(stderr, "%s: smt_pair: pgid %d + pgid %d share CPUs %s (pair %d)\n",
			tsr_sched_name, tab[a].pgid, tab[b].pgid, list, k + 1);
	}
	nr_held = given;
	memcpy(published, claims, np * sizeof(*claims));
	nr_published = np;
	if (!opts.measure_only)
		ctx->skel->bss->smt_nr_pairs = given;
}

/*
 * Whether @claims differ from the last published (pairs, or the cores they
 * want); compared with all of them, not only those that got cores, so
 * that more pairs than cores does not republish every second.
 */
static bool claims_changed(const struct smt_claim *claims, int np)
{
	return np != nr_published || memcmp(claims, published, np * sizeof(*claims));
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
	static struct smt_claim claims[SMT_MAX_PAIRS];
	char err[SMT_ERR_LEN];
	int ret = smt_pairing_reload_model(&state, opts.model_dir, err, sizeof(err)), np;

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
	np = current_claims(claims);
	if (ret == 1 || claims_changed(claims, np))
		publish(ctx, claims, np);
	return 0;
}

static uint64_t smt_pair_model_check_us(void)
{
	return 1000000;
}

/* The score board, then each paired job's share of its run time beside its partner. */
static void print_board(struct tsr_ctx *ctx, FILE *out, json_t *obj)
{
	const struct smt_pair_job *jobs = ctx->skel->arena->smt_pair_jobs;
	json_t *corun = json_array();

	smt_pairing_print(&state, out, obj);
	for (int k = 0; k < 2 * nr_held; k++) {
		int slot = k & 1 ? held[k / 2].claim.b : held[k / 2].claim.a;
		const struct smt_pair_job *j = &jobs[slot];
		int pgid = ctx->skel->arena->jobs_table[slot].pgid;
		double pct = j->run_ns ? 100.0 * j->corun_ns / j->run_ns : 0.0;

		fprintf(out, "    pgid %-7d co-run %5.1f%% of %.2f s paired\n", pgid, pct,
			j->run_ns / 1e9);
		json_array_append_new(corun, json_pack("{sisoso}", "pgid", pgid, "corun_pct",
						       tsr_json_tenth(pct), "paired_s",
						       tsr_json_tenth(j->run_ns / 1e9)));
	}
	if (obj)
		json_object_set_new(obj, "co_run", corun);
	else
		json_decref(corun);
}

static void smt_pair_stats(struct tsr_ctx *ctx, FILE *out, json_t *obj, double interval_s)
{
	print_board(ctx, out, obj);
}

static int cmd_board(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err,
		     size_t err_len)
{
	print_board(ctx, out, NULL);
	return 0;
}

/*
 * The seed's profile request: the profile directory read again (a profiler
 * may have written the job's file since), and what the job now pairs with.
 */
static int cmd_profile(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err,
		       size_t err_len)
{
	struct jobs_slot *tab = ctx->skel->arena->jobs_table;
	const struct smt_profile *p;
	char name[64];
	__u64 key;
	__s32 pgid;
	int ret = jobs_parse(argv[0], &key, &pgid, err, err_len), idx;

	if (ret)
		return ret;
	idx = jobs_find(tab, key);
	if (idx < 0) {
		snprintf(err, err_len, "%s: not a job the scheduler has seen", argv[0]);
		return idx;
	}
	ret = smt_pairing_load_profiles(&state, opts.profiles, err, err_len);
	if (ret)
		return ret;
	jobs_name(&tab[idx], name, sizeof(name));
	p = smt_pairing_profile(&state, name);
	if (!p) {
		snprintf(err, err_len, "%s (%s): no profile named %s in %s (%d profiles read)",
			 argv[0], name, name, opts.profiles, state.nr_profiles);
		return -ENOENT;
	}
	fprintf(out, "%s (%s): profile job %d, single-thread IPC %.3f, L3-shared IPC %.3f; %s\n",
		argv[0], name, p->job_id, p->single_ipc, p->l3_cache_ipc,
		tab[idx].flags & JOBS_LONG_RUNNING ? "paired from the next pass on" :
						     "paired once registered (jobs add)");
	return 0;
}

static const struct tsr_cmd smt_pair_cmds[] = {
	{ "board", NULL, "the score board and each pair's co-run share", 0, 0, cmd_board },
	{ "profile", "PGID|CGROUP",
	  "read the profiles again and show the one this job now pairs by", 1, 1, cmd_profile },
	{ 0 },
};

static void smt_pair_exit(struct tsr_ctx *ctx)
{
	smt_pairing_free(&state);
}

static const struct tsr_stat smt_pair_stat_decls[] = {
	TSR_STAT_CPU_RATE("placed", smt_pair.nr_placed,
			  "wake-ups placed on the job's pair's cores"),
	TSR_STAT_CPU_RATE("pair_picks", smt_pair.nr_pair_picks,
			  "dispatches that took a task of this core's pair out of queue order"),
	TSR_STAT_CPU_RATE(
		"moves", smt_pair.nr_moves,
		"CPU-bound paired threads moved onto their pair's cores or beside their partner"),
	{ 0 },
};

const struct tsr_module tsr_module_smt_pair = {
	.stat_decls = smt_pair_stat_decls,
	.cmds = smt_pair_cmds,
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
