// SPDX-License-Identifier: GPL-2.0
/*
 * lb, userspace half: the tuner (slice and greedy flags from CPU
 * utilization, every --tune-interval) and the balancer (migrations from
 * domain loads, every --interval), both reading and writing the arena.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "framework/runner.h"
#include "balance.h"
#include "lb_state.h"
#include "lb_arena.h"
#include "tune.h"

#define LB_MAX_MOVES 256

static struct {
	uint64_t slice_under_us, slice_over_us, greedy, greedy_x_numa, xnuma_wait_us;
	double interval_s, tune_interval_s, half_life_s, direct_greedy_under, kick_greedy_under;
	const char *new_tasks;
	bool no_balance, balance_kworkers;
} opts = {
	.slice_under_us = 20000,
	.slice_over_us = 1000,
	.greedy = 1,
	.xnuma_wait_us = 1000,
	.interval_s = 2.0,
	.tune_interval_s = 0.1,
	.half_life_s = 1.0,
	.direct_greedy_under = 90.0,
	.kick_greedy_under = 90.0,
	.new_tasks = "spread",
};

static const struct tsr_opt lb_opts[] = {
	{ "slice-us-underutil", 'u', TSR_OPT_U64, &opts.slice_under_us, .min = 100, .max = 1000000,
	  .metavar = "US", .help = "Slice while the host is under-utilized" },
	{ "slice-us-overutil", 'o', TSR_OPT_U64, &opts.slice_over_us, .min = 100, .max = 1000000,
	  .metavar = "US", .help = "Slice while the host is over-utilized" },
	{ "interval", 'i', TSR_OPT_DOUBLE, &opts.interval_s, .dmin = 0.1, .dmax = 60,
	  .metavar = "SECS", .help = "Load balancing interval" },
	{ "tune-interval", 'I', TSR_OPT_DOUBLE, &opts.tune_interval_s, .dmin = 0.01, .dmax = 10,
	  .metavar = "SECS", .help = "Tuning interval (slice, greedy flags)" },
	{ "load-half-life", 'l', TSR_OPT_DOUBLE, &opts.half_life_s, .dmin = 0.01, .dmax = 60,
	  .metavar = "SECS", .help = "Half-life of task and domain load averages" },
	{ "greedy-threshold", 'g', TSR_OPT_U64, &opts.greedy, .min = 0, .max = 10000,
	  .metavar = "N", .help = "Steal from a domain of the same node with N queued (0: never)" },
	{ "greedy-threshold-x-numa", 0, TSR_OPT_U64, &opts.greedy_x_numa, .min = 0, .max = 10000,
	  .metavar = "N",
	  .help = "Steal across NUMA nodes from a domain with N queued (0: never)" },
	{ "x-numa-wait-us", 0, TSR_OPT_U64, &opts.xnuma_wait_us, .min = 0, .max = 1000000,
	  .metavar = "US",
	  .help = "An idle CPU steals across NUMA nodes from a queue that has held tasks this "
		  "long when its domain has a CPU to spare; one is woken for it (0: never)" },
	{ "new-tasks", 0, TSR_OPT_STRING, &opts.new_tasks, .choices = "spread|parent",
	  .metavar = "WHERE",
	  .help = "A new task starts in its parent's domain, or, with spread, in the least "
		  "loaded one once its parent's is full" },
	{ "no-load-balance", 0, TSR_OPT_FLAG, &opts.no_balance,
	  .help = "Do not migrate tasks between domains (the tuner still runs)" },
	{ "balanced-kworkers", 'b', TSR_OPT_FLAG, &opts.balance_kworkers,
	  .help = "Let the balancer migrate kworkers too" },
	{ "direct-greedy-under", 'D', TSR_OPT_DOUBLE, &opts.direct_greedy_under, .dmin = 0,
	  .dmax = 100, .metavar = "PCT",
	  .help = "Domains under PCT% busy take tasks woken in other domains directly" },
	{ "kick-greedy-under", 'K', TSR_OPT_DOUBLE, &opts.kick_greedy_under, .dmin = 0, .dmax = 100,
	  .metavar = "PCT",
	  .help = "Domains under PCT% busy get an idle CPU woken for work queued elsewhere" },
	{ 0 },
};

static struct {
	struct lb_view_store store;
	struct lb_move moves[LB_MAX_MOVES];
	struct lb_cpu_time cpu_prev[TSR_MAX_CPUS], cpu_cur[TSR_MAX_CPUS];
	bool have_prev;
	double dom_util[TSR_MAX_DOMS], overall_util;
	double dom_load[TSR_MAX_DOMS]; /* as the last round saw them */
	int dom_moved[TSR_MAX_DOMS]; /* moves out of (-) and into (+) each domain, last round */
	uint32_t round;
	uint64_t decided;
	int last_moves;
	double last_round_us;
} st;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t lb_tune_interval_us(void)
{
	return opts.tune_interval_s * 1e6;
}

static uint64_t lb_balance_interval_us(void)
{
	return opts.interval_s * 1e6;
}

static int lb_configure(struct tsr_ctx *ctx)
{
	ctx->skel->rodata->lb_half_life_ns = opts.half_life_s * 1e9;
	ctx->skel->rodata->lb_greedy_threshold = opts.greedy;
	ctx->skel->rodata->lb_greedy_threshold_x_numa = opts.greedy_x_numa;
	ctx->skel->rodata->lb_xnuma_wait_ns = opts.xnuma_wait_us * 1000;
	ctx->skel->rodata->lb_spread_new = !strcmp(opts.new_tasks, "spread");
	ctx->skel->rodata->lb_self_tgid = getpid();
	ctx->skel->rodata->tsr_slice_ns = opts.slice_under_us * 1000;
	return 0;
}

static int read_proc_stat(struct lb_cpu_time *t)
{
	static char buf[1 << 16];
	FILE *f = fopen("/proc/stat", "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return lb_parse_proc_stat(buf, t, TSR_MAX_CPUS) < 0 ? -EINVAL : 0;
}

static int lb_init(struct tsr_ctx *ctx)
{
	st.round = 0;
	st.have_prev = !read_proc_stat(st.cpu_prev);
	ctx->skel->arena->tsr_tune.slice_ns = opts.slice_under_us * 1000;
	return 0;
}

static int lb_tune(struct tsr_ctx *ctx)
{
	struct lb_tune_params p = {
		.slice_under_ns = opts.slice_under_us * 1000,
		.slice_over_ns = opts.slice_over_us * 1000,
		.over_util = 0.99,
		.greedy_under = opts.direct_greedy_under / 100,
		.kick_under = opts.kick_greedy_under / 100,
	};
	struct lb_tune_out out;
	int ret = read_proc_stat(st.cpu_cur);

	if (ret)
		return ret;
	if (st.have_prev) {
		st.overall_util = lb_dom_util(ctx->topo, st.cpu_prev, st.cpu_cur, st.dom_util);
		lb_tune_decide(&p, ctx->topo->nr_doms, st.dom_util, st.overall_util, &out);
		ctx->skel->arena->tsr_tune.slice_ns = out.slice_ns;
		for (unsigned int d = 0; d < ctx->topo->nr_doms; d++) {
			ctx->skel->arena->tsr_doms[d].core.greedy_ok = out.greedy_ok[d];
			ctx->skel->arena->tsr_doms[d].core.kick_ok = out.kick_ok[d];
		}
	}
	memcpy(st.cpu_prev, st.cpu_cur, sizeof(st.cpu_prev));
	st.have_prev = true;
	return 0;
}

uint32_t lb_round(void)
{
	return st.round;
}

double lb_interval_s(void)
{
	return opts.interval_s;
}

double lb_round_load(int dom)
{
	return dom >= 0 && dom < TSR_MAX_DOMS ? st.dom_load[dom] : 0;
}

/* The plan's candidate moves offered to the composition's migration filters. */
static void filter_moves(void *data, const struct lb_view *v, const struct lb_move *c, int n,
			 bool *allow)
{
	struct tsr_migration m[LB_FILTER_BATCH];

	for (int i = 0; i < n; i++) {
		const struct lb_task_view *t = &v->tasks[c[i].task];

		m[i] = (struct tsr_migration){
			.task = t->idx,
			.gen = t->gen,
			.round = st.round,
			.src_dom = c[i].from,
			.dst_dom = c[i].to,
			.task_load = c[i].load,
			.src_load = v->doms[c[i].from].load,
			.dst_load = v->doms[c[i].to].load,
			.since_migration_s =
				t->last_round ? (st.round - t->last_round) * opts.interval_s : -1,
			.cross_node = c[i].cross_node,
		};
	}
	tsr_filter_migrations(data, m, n, allow);
}

/* One domain: nothing to balance, so BPF keeps no loads (lb_runnable()). */
static bool lb_one_dom(const struct tsr_ctx *ctx)
{
	return ctx->topo->nr_doms < 2;
}

static unsigned int lb_idle_callbacks(struct tsr_ctx *ctx)
{
	return lb_one_dom(ctx) ? TSR_CB_RUNNABLE | TSR_CB_QUIESCENT : 0;
}

static int lb_balance_round(struct tsr_ctx *ctx)
{
	struct lb_arena a = { &ctx->skel->arena->tsr_task_slab, ctx->skel->arena->tsr_doms,
			      ctx->topo };
	struct lb_params p = { .min_imbalance = 0.10,
			       .min_gap = 50,
			       .balance_kworkers = opts.balance_kworkers,
			       .round = ++st.round,
			       .cooldown = 2,
			       .max_moves = LB_MAX_MOVES,
			       .filter = tsr_filters_migrations() ? filter_moves : NULL,
			       .filter_data = ctx };
	uint64_t t0 = now_ns();
	int ret, n;

	ret = lb_view_from_arena(&st.store, &a, t0, opts.half_life_s * 1e9);
	if (ret)
		return ret;
	for (int d = 0; d < st.store.view.nr_doms; d++) {
		st.dom_load[d] = st.store.view.doms[d].load;
		st.dom_moved[d] = 0;
	}
	n = opts.no_balance ? 0 : lb_plan(&st.store.view, &p, st.moves);
	n = lb_write_decisions(&a, &st.store.view, st.moves, n, st.round);
	for (int i = 0; i < n; i++) {
		st.dom_moved[st.moves[i].from]--;
		st.dom_moved[st.moves[i].to]++;
	}
	st.decided += n;
	st.last_moves = n;
	st.last_round_us = (now_ns() - t0) / 1e3;
	return 0;
}

static int lb_balance(struct tsr_ctx *ctx)
{
	return lb_one_dom(ctx) ? 0 : lb_balance_round(ctx);
}

/* lb_node_stats() with one domain: no loads kept, so only its use and the fact. */
static void lb_one_dom_stats(unsigned int n, FILE *out, json_t *nodes, json_t *doms)
{
	fprintf(out,
		"  lb: node%u one domain: nothing to balance, no loads kept | dom0 util=%.0f%%\n",
		n, st.dom_util[0] * 100);
	json_array_append_new(doms, json_pack("{siso}", "id", 0, "util_pct",
					      tsr_json_tenth(st.dom_util[0] * 100)));
	json_array_append_new(
		nodes, json_pack("{sisbso}", "node", (int)n, "loads_kept", 0, "domains", doms));
}

/* One node's load, its imbalance between domains and each domain's share. */
static void lb_node_stats(struct tsr_ctx *ctx, unsigned int n, FILE *out, json_t *nodes)
{
	const struct tsr_topo *topo = ctx->topo;
	double load = 0, hi = 0, lo = -1, imbalance;
	json_t *doms = json_array();
	int nd = 0;

	for (unsigned int dm = 0; dm < topo->nr_doms; dm++) {
		if (topo->dom_node[dm] != (int)n)
			continue;
		load += st.dom_load[dm];
		hi = st.dom_load[dm] > hi ? st.dom_load[dm] : hi;
		lo = lo < 0 || st.dom_load[dm] < lo ? st.dom_load[dm] : lo;
		nd++;
	}
	if (!nd) {
		json_decref(doms);
		return;
	}
	if (lb_one_dom(ctx)) {
		lb_one_dom_stats(n, out, nodes, doms);
		return;
	}
	imbalance = load > 0 ? 100 * (hi - lo) / (load / nd) : 0.0;
	fprintf(out, "  lb: node%u load=%.0f imbalance=%.1f%% |", n, load, imbalance);
	for (unsigned int dm = 0; dm < topo->nr_doms; dm++) {
		if (topo->dom_node[dm] != (int)n)
			continue;
		fprintf(out, " dom%u load=%.0f util=%.0f%% moved=%+d", dm, st.dom_load[dm],
			st.dom_util[dm] * 100, st.dom_moved[dm]);
		json_array_append_new(doms, json_pack("{sisososi}", "id", (int)dm, "load",
						      tsr_json_tenth(st.dom_load[dm]), "util_pct",
						      tsr_json_tenth(st.dom_util[dm] * 100),
						      "moved", st.dom_moved[dm]));
	}
	fputc('\n', out);
	json_array_append_new(nodes, json_pack("{sisososo}", "node", (int)n, "load",
					       tsr_json_tenth(load), "imbalance_pct",
					       tsr_json_tenth(imbalance), "domains", doms));
}

static void lb_stats(struct tsr_ctx *ctx, FILE *out, json_t *obj, double interval)
{
	static uint64_t last[10];
	uint64_t cur[10] = {
		st.decided,
		tsr_sum_cpus(ctx, lb.nr_applied),
		tsr_sum_cpus(ctx, lb.nr_dropped_gen),
		tsr_sum_cpus(ctx, lb.nr_dropped_mask),
		tsr_sum_cpus(ctx, lb.nr_steal_node),
		tsr_sum_cpus(ctx, lb.nr_steal_xnuma),
		tsr_sum_cpus(ctx, core.nr_dispatch),
		tsr_sum_cpus(ctx, lb.nr_steal_waited),
		tsr_sum_cpus(ctx, lb.nr_xnuma_kick),
		tsr_sum_cpus(ctx, lb.nr_fork_spread),
	};
	unsigned long long slice_us = ctx->skel->arena->tsr_tune.slice_ns / 1000;
	json_t *nodes = json_array();
	uint64_t d[10];

	tsr_deltas(last, cur, d, 10);
	fprintf(out,
		"  lb: round=%u (%.0f us) migrations decided=%llu applied=%llu dropped=%llu "
		"(exited %llu, cpumask %llu) steals node=%.1f%% xnuma=%.1f%% of dispatches "
		"(waited %llu, kicks %llu) new_spread=%llu slice=%lluus util=%.0f%%\n",
		st.round, st.last_round_us, (unsigned long long)d[0], (unsigned long long)d[1],
		(unsigned long long)(d[2] + d[3]), (unsigned long long)d[2],
		(unsigned long long)d[3], tsr_pct(d[4], d[6]), tsr_pct(d[5], d[6]),
		(unsigned long long)d[7], (unsigned long long)d[8], (unsigned long long)d[9],
		slice_us, st.overall_util * 100);
	json_object_update_new(
		obj,
		json_pack("{sIsosIsIsIsIsososIsIsIsIso}", "round", (json_int_t)st.round, "round_us",
			  tsr_json_tenth(st.last_round_us), "decided", (json_int_t)d[0], "applied",
			  (json_int_t)d[1], "dropped_exited", (json_int_t)d[2], "dropped_cpumask",
			  (json_int_t)d[3], "steal_node_pct", tsr_json_tenth(tsr_pct(d[4], d[6])),
			  "steal_xnuma_pct", tsr_json_tenth(tsr_pct(d[5], d[6])), "steal_waited",
			  (json_int_t)d[7], "xnuma_kicks", (json_int_t)d[8], "new_spread",
			  (json_int_t)d[9], "slice_us", (json_int_t)slice_us, "util_pct",
			  tsr_json_tenth(st.overall_util * 100)));
	for (unsigned int n = 0; n < ctx->topo->nr_nodes; n++)
		lb_node_stats(ctx, n, out, nodes);
	json_object_set_new(obj, "nodes", nodes);
	(void)interval;
}

static void lb_exit(struct tsr_ctx *ctx)
{
	(void)ctx;
	lb_view_store_free(&st.store);
}

const struct tsr_module tsr_module_lb = {
	.name = "lb",
	.summary = "domain load tracking, greedy stealing, userspace tuner and balancer",
	.opts = lb_opts,
	.configure = lb_configure,
	.init = lb_init,
	.tune = lb_tune,
	.balance = lb_balance,
	.stats = lb_stats,
	.exit = lb_exit,
	.idle_callbacks = lb_idle_callbacks,
	.tune_interval_us = lb_tune_interval_us,
	.balance_interval_us = lb_balance_interval_us,
};
