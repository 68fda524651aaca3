// SPDX-License-Identifier: GPL-2.0
/*
 * bandwidth, userspace half: the limits, the source of per-task bytes
 * (per-CPU perf counters named with --pmu-events, resctrl's bandwidth
 * monitoring, memtier's DAMON estimate, or the feed through the control
 * socket), the rate each task reached over the last monitor interval, and
 * stats.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "framework/perf_events.h"
#include "framework/runner.h"
#include "resctrl.h"
#include "source.h"

static struct {
	uint64_t read_mbps, write_mbps;
	bool no_throttle;
	double monitor_s;
	uint64_t burst_ms;
	const char *pmu_events;
	uint64_t pmu_bytes;
	const char *source;
} opts = { .read_mbps = 1000,
	   .write_mbps = 1000,
	   .monitor_s = 1,
	   .burst_ms = 100,
	   .pmu_bytes = 64,
	   .source = "auto" };

/* --pmu-events READ[,WRITE]: the events, how many were given */
static struct tsr_perf_event pmu_ev[2];
static int nr_pmu_ev;
static struct tsr_perf_cpus pmu_cpus[2];

/* Split @list into at most two events; 0, or -errno with one line in @why. */
static int parse_pmu_events(const char *list, struct tsr_perf_event *ev, int *n, char *why,
			    size_t why_len)
{
	char copy[256], *save, *tok;

	*n = 0;
	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int ret;

		char sub[200];

		if (*n == 2) {
			snprintf(why, why_len, "has more than two events (READ[,WRITE])");
			return -EINVAL;
		}
		ret = tsr_perf_parse("", tok, &ev[*n], sub, sizeof(sub));
		if (ret) {
			/* the whole value is said before this: name the event only in a list */
			if (strchr(list, ','))
				snprintf(why, why_len, "'%s' %s", tok, sub);
			else
				snprintf(why, why_len, "%s", sub);
			return ret;
		}
		(*n)++;
	}
	if (!*n) {
		snprintf(why, why_len, "has no event (READ[,WRITE])");
		return -EINVAL;
	}
	return 0;
}

static int check_pmu_events(const char *list, char *why, size_t why_len)
{
	struct tsr_perf_event ev[2];
	int n;

	return parse_pmu_events(list, ev, &n, why, why_len);
}

static int check_source(const char *name, char *why, size_t why_len)
{
	if (bw_source_by_name(name) >= 0)
		return 0;
	snprintf(why, why_len, "is not a source (accepted: auto, pmu, resctrl, damon, feed)");
	return -EINVAL;
}

static const struct tsr_opt bandwidth_opts[] = {
	{ "read-bw", 'r', TSR_OPT_U64, &opts.read_mbps, .min = 1, .max = BW_MAX_MBPS,
	  .metavar = "MBPS", .help = "Most a task may read, in MB/s" },
	{ "write-bw", 'w', TSR_OPT_U64, &opts.write_mbps, .min = 1, .max = BW_MAX_MBPS,
	  .metavar = "MBPS", .help = "Most a task may write, in MB/s" },
	{ "disable-bw-ctrl", 'b', TSR_OPT_FLAG, &opts.no_throttle,
	  .help = "Measure bandwidth but never hold a task back for it" },
	{ "burst-ms", 0, TSR_OPT_U64, &opts.burst_ms, .min = 10, .max = 3000, .metavar = "MS",
	  .help = "How much of its rate a task may save up, in ms of it: at least the interval "
		  "at which the source reports, or refills it could not see are lost" },
	{ "monitor-interval", 'm', TSR_OPT_DOUBLE, &opts.monitor_s, .dmin = 0.1, .dmax = 3600,
	  .metavar = "SECS", .help = "Interval over which each task's bandwidth is measured" },
	{ "pmu-events", 0, TSR_OPT_STRING, &opts.pmu_events, .metavar = "READ[,WRITE]",
	  .check = check_pmu_events,
	  .help = "Per-CPU perf events counting memory reads (and writes), charged to the task "
		  "that runs: software:NAME, hardware:NAME, raw:CONFIG or PMU:EVENT" },
	{ "pmu-bytes", 0, TSR_OPT_U64, &opts.pmu_bytes, .min = 1, .max = 4096, .metavar = "BYTES",
	  .help = "Bytes one count of --pmu-events stands for (64: a cache line)" },
	{ "bw-source", 0, TSR_OPT_STRING, &opts.source, .metavar = "SOURCE", .check = check_source,
	  .help = "Where per-task bytes come from: auto (the first of pmu, resctrl, damon, feed "
		  "that works here), or one of them (refused at start if it does not)" },
	{ 0 },
};

static enum bw_source_kind source;
static double last_monitor_s;

static int bandwidth_configure(struct tsr_ctx *ctx)
{
	unsigned int cpus = ctx->skel->rodata->tsr_nr_cpu_ids;
	char why[256];

	ctx->skel->rodata->bandwidth_throttle = !opts.no_throttle;
	ctx->skel->rodata->bandwidth_rd_period = bw_per_period(opts.read_mbps);
	ctx->skel->rodata->bandwidth_wr_period = bw_per_period(opts.write_mbps);
	ctx->skel->rodata->bandwidth_burst = opts.burst_ms * 1000000ULL / BW_PERIOD_NS;
	/* a task alone on its CPU must pass through enqueue to be held back */
	if (!opts.no_throttle)
		ctx->skel->struct_ops.tsr_ops->flags |= SCX_OPS_ENQ_LAST;
	if (opts.pmu_events &&
	    parse_pmu_events(opts.pmu_events, pmu_ev, &nr_pmu_ev, why, sizeof(why))) {
		fprintf(stderr, "%s: --pmu-events: %s\n", tsr_sched_name, why);
		return -TSR_ESAID;
	}
	if (bpf_map__set_max_entries(ctx->skel->maps.bandwidth_pmu_rd, cpus) ||
	    bpf_map__set_max_entries(ctx->skel->maps.bandwidth_pmu_wr, cpus))
		return -EINVAL;
	return 0;
}

/*
 * The pmu source: --pmu-events opened on every CPU and turned on in BPF;
 * what it is, or why it cannot be, into @why.
 */
static bool open_pmu(struct tsr_ctx *ctx, char *why, size_t len)
{
	int maps[2] = { bpf_map__fd(ctx->skel->maps.bandwidth_pmu_rd),
			bpf_map__fd(ctx->skel->maps.bandwidth_pmu_wr) };
	char err[200];

	for (int k = 0; k < nr_pmu_ev; k++) {
		if (tsr_perf_open_cpus(&pmu_cpus[k], &pmu_ev[k], ctx->topo, maps[k], err,
				       sizeof(err))) {
			snprintf(why, len, "unavailable (perf_event_open %s)", err);
			tsr_perf_close_cpus(&pmu_cpus[0]);
			return false;
		}
	}
	ctx->skel->data->bandwidth_pmu_bytes = opts.pmu_bytes;
	ctx->skel->bss->bandwidth_pmu_rd_on = true;
	ctx->skel->bss->bandwidth_pmu_wr_on = nr_pmu_ev > 1;
	snprintf(why, len, "(reads %s%s%s, %lu bytes a count, %u CPUs)", pmu_ev[0].name,
		 nr_pmu_ev > 1 ? ", writes " : ", no write event",
		 nr_pmu_ev > 1 ? pmu_ev[1].name : "", (unsigned long)opts.pmu_bytes,
		 pmu_cpus[0].nr);
	return true;
}

static struct resctrl_mon mbm;

static int bandwidth_init(struct tsr_ctx *ctx)
{
	struct bw_source_probe probe;
	char line[2048];
	int k;

	bw_source_probe("", &probe);
	if (nr_pmu_ev)
		probe.usable[BW_SOURCE_PMU] =
			open_pmu(ctx, probe.why[BW_SOURCE_PMU], sizeof(probe.why[0]));
	if (probe.usable[BW_SOURCE_RESCTRL])
		probe.usable[BW_SOURCE_RESCTRL] =
			!resctrl_open(&mbm, "", probe.why[BW_SOURCE_RESCTRL], sizeof(probe.why[0]));
	k = bw_source_choose(&probe, bw_source_by_name(opts.source), line, sizeof(line));
	fprintf(stderr, "%s: %s\n", tsr_sched_name, line);
	if (k != BW_SOURCE_PMU) {
		ctx->skel->bss->bandwidth_pmu_rd_on = ctx->skel->bss->bandwidth_pmu_wr_on = false;
		tsr_perf_close_cpus(&pmu_cpus[0]);
		tsr_perf_close_cpus(&pmu_cpus[1]);
	}
	if (k != BW_SOURCE_RESCTRL)
		resctrl_close(&mbm);
	if (k < 0)
		return -TSR_ESAID;
	source = k;
	if (ctx->verbose)
		fprintf(stderr, "%s: bandwidth: read %lu MB/s, write %lu MB/s per task, %s\n",
			tsr_sched_name, (unsigned long)opts.read_mbps,
			(unsigned long)opts.write_mbps,
			opts.no_throttle ? "measured only" : "held to it");
	last_monitor_s = tsr_now_s();
	return 0;
}

static void bandwidth_exit(struct tsr_ctx *ctx)
{
	resctrl_close(&mbm);
	tsr_perf_close_cpus(&pmu_cpus[0]);
	tsr_perf_close_cpus(&pmu_cpus[1]);
}

static uint64_t mbps(uint64_t bytes, double secs)
{
	return secs > 0 ? (uint64_t)(bytes / secs / 1e6 + 0.5) : 0;
}

/* The task each resctrl group watches: its record slot and generation. */
static struct {
	long idx;
	uint32_t gen;
	uint64_t bytes; /* what its group counted in this monitor interval so far */
	unsigned int idle; /* monitor intervals in a row it moved under MBM_KEEP_BYTES */
} mbm_task[RESCTRL_MAX_GROUPS];

/*
 * A group whose task moved less than MBM_KEEP_BYTES in each of
 * MBM_IDLE_INTERVALS monitor intervals may go to another task: more than
 * the deepest debt (3 s), so that a task held back for its bytes keeps its
 * group.
 */
#define MBM_KEEP_BYTES 1000000
#define MBM_IDLE_INTERVALS 4

static bool mbm_watched(long idx)
{
	for (int i = 0; i < mbm.max_groups; i++)
		if (mbm.g[i].tid && mbm_task[i].idx == idx)
			return true;
	return false;
}

/* Charge what each group counted (as reads: MBM does not split them) and free the groups of gone tasks. */
static void mbm_charge(struct tsr_slab *slab)
{
	for (int i = 0; i < mbm.max_groups; i++) {
		struct tsr_task *t = tsr_slab_obj(slab, mbm_task[i].idx);
		unsigned long long bytes;

		if (!mbm.g[i].tid)
			continue;
		if (!tsr_slab_same_gen(t, mbm_task[i].gen) || t->core.pid != mbm.g[i].tid ||
		    resctrl_read(&mbm, i, &bytes) == -ENOENT) {
			resctrl_unwatch(&mbm, i);
			continue;
		}
		mbm_task[i].bytes += bytes;
		__sync_fetch_and_add(&t->bandwidth.fed_rd, bytes);
	}
}

static int by_cpu(const void *a, const void *b)
{
	uint64_t x = ((const uint64_t *)a)[0], y = ((const uint64_t *)b)[0];

	return x > y ? -1 : x < y;
}

/*
 * A group for another task: a free one, else (at most a quarter of them a
 * round) an idle one (MBM_IDLE_INTERVALS); -1 if none.
 */
static int mbm_spare_group(int *moved)
{
	for (int i = 0; i < mbm.max_groups; i++)
		if (!mbm.g[i].tid)
			return i;
	if (*moved > mbm.max_groups / 4)
		return -1;
	for (int i = 0; i < mbm.max_groups; i++)
		if (mbm_task[i].idle >= MBM_IDLE_INTERVALS) {
			resctrl_unwatch(&mbm, i);
			(*moved)++;
			return i;
		}
	return -1;
}

/*
 * Groups to the tasks that used most CPU over the interval and have none,
 * so that every busy task is measured in turn while the ones that move
 * memory stay watched.
 */
static void mbm_assign(struct tsr_slab *slab)
{
	uint64_t cand[256][2];
	int nc = 0, moved = 0;

	for (int i = 0; i < mbm.max_groups; i++) {
		mbm_task[i].idle = mbm_task[i].bytes < MBM_KEEP_BYTES ? mbm_task[i].idle + 1 : 0;
		mbm_task[i].bytes = 0;
	}
	tsr_slab_for_each_live(slab, idx)
	{
		struct tsr_task *t = tsr_slab_obj(slab, idx);

		if (t->bandwidth.cpu_permille && t->core.pid > 0 && nc < 256 && !mbm_watched(idx))
			cand[nc][0] = t->bandwidth.cpu_permille, cand[nc++][1] = idx;
	}
	qsort(cand, nc, sizeof(cand[0]), by_cpu);
	for (int c = 0; c < nc; c++) {
		struct tsr_task *t = tsr_slab_obj(slab, cand[c][1]);
		int g = mbm_spare_group(&moved);

		if (g < 0)
			return;
		mbm_task[g].idx = cand[c][1];
		mbm_task[g].gen = tsr_slab_gen(t);
		mbm_task[g].bytes = 0;
		mbm_task[g].idle = 0;
		resctrl_watch(&mbm, g, t->core.pid);
	}
}

/*
 * Each task's CPU use and rates over the interval just ended, for
 * classification and stats; with the resctrl source, its counts are read
 * more often (MBM_READ_US), so that the buckets see bytes soon after they
 * were moved.
 */
static int bandwidth_monitor(struct tsr_ctx *ctx)
{
	struct tsr_slab *slab = &ctx->skel->arena->tsr_task_slab;
	double now = tsr_now_s(), secs = now - last_monitor_s;

	if (source == BW_SOURCE_RESCTRL)
		mbm_charge(slab);
	if (secs < opts.monitor_s * 0.99)
		return 0;
	last_monitor_s = now;
	tsr_slab_for_each_live(slab, idx)
	{
		struct tsr_task *t = tsr_slab_obj(slab, idx);
		struct bandwidth_task *b = &t->bandwidth;
		uint64_t rd = b->rd_bytes, wr = b->wr_bytes, run = b->run_ns;

		b->rd_mbps = mbps(rd - b->mon_rd_bytes, secs);
		b->wr_mbps = mbps(wr - b->mon_wr_bytes, secs);
		b->cpu_permille = secs > 0 ? (run - b->mon_run_ns) / (secs * 1e6) : 0;
		b->mon_rd_bytes = rd;
		b->mon_wr_bytes = wr;
		b->mon_run_ns = run;
	}
	if (source == BW_SOURCE_RESCTRL)
		mbm_assign(slab);
	return 0;
}

#define MBM_READ_US 100000

static uint64_t bandwidth_monitor_interval_us(void)
{
	uint64_t us = opts.monitor_s * 1e6;

	return source == BW_SOURCE_RESCTRL && us > MBM_READ_US ? MBM_READ_US : us;
}

/* The live record of @pid, or NULL. */
static struct tsr_task *task_of_pid(struct tsr_ctx *ctx, long pid, uint32_t *gen)
{
	struct tsr_slab *slab = &ctx->skel->arena->tsr_task_slab;

	tsr_slab_for_each_live(slab, idx)
	{
		struct tsr_task *t = tsr_slab_obj(slab, idx);

		*gen = tsr_slab_gen(t);
		if (t->core.pid == pid && tsr_slab_same_gen(t, *gen))
			return t;
	}
	return NULL;
}

static int parse_count(const char *s, const char *what, long long max, long long *v, char *err,
		       size_t err_len)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno || *end || end == s || *v < 0 || *v > max) {
		snprintf(err, err_len, "feed: %s '%s' is not a whole number (accepted: 0..%lld)",
			 what, s, max);
		return -EINVAL;
	}
	return 0;
}

/* "feed PID READ WRITE": bytes a task read and wrote since its last report. */
static int cmd_feed(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err,
		    size_t err_len)
{
	long long pid, rd, wr;
	struct tsr_task *t;
	uint32_t gen;

	if (parse_count(argv[0], "PID", 4194304, &pid, err, err_len) ||
	    parse_count(argv[1], "READ_BYTES", 1LL << 50, &rd, err, err_len) ||
	    parse_count(argv[2], "WRITE_BYTES", 1LL << 50, &wr, err, err_len))
		return -EINVAL;
	t = task_of_pid(ctx, pid, &gen);
	if (!t) {
		snprintf(err, err_len, "feed: no task %lld with a record in this scheduler", pid);
		return -ESRCH;
	}
	__sync_fetch_and_add(&t->bandwidth.fed_rd, rd);
	__sync_fetch_and_add(&t->bandwidth.fed_wr, wr);
	fprintf(out, "ok\n");
	return 0;
}

/* Tasks that ever moved bytes or were held back. */
static int cmd_show(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err,
		    size_t err_len)
{
	struct tsr_slab *slab = &ctx->skel->arena->tsr_task_slab;

	fprintf(out, "source %s, limits read %lu write %lu MB/s%s\n", bw_source_name(source),
		(unsigned long)opts.read_mbps, (unsigned long)opts.write_mbps,
		opts.no_throttle ? " (measured only)" : "");
	tsr_slab_for_each_live(slab, idx)
	{
		struct tsr_task *t = tsr_slab_obj(slab, idx);
		const struct bandwidth_task *b = &t->bandwidth;

		if (!b->rd_bytes && !b->wr_bytes && !b->nr_throttled)
			continue;
		fprintf(out,
			"pid %d read %lu MB/s write %lu MB/s (%.0f and %.0f MB so far) tokens read "
			"%.1f write %.1f MB throttled %lu times\n",
			t->core.pid, (unsigned long)b->rd_mbps, (unsigned long)b->wr_mbps,
			b->rd_bytes / 1e6, b->wr_bytes / 1e6, b->rd.tokens / 1e6,
			b->wr.tokens / 1e6, (unsigned long)b->nr_throttled);
	}
	return 0;
}

static const struct tsr_cmd bandwidth_cmds[] = {
	{ "feed", "PID READ_BYTES WRITE_BYTES",
	  "report bytes a task read and wrote since its last report (the feed source)", 3, 3,
	  cmd_feed },
	{ "show", NULL, "tasks that moved bytes or were held back, with their rates", 0, 0,
	  cmd_show },
	{ 0 },
};

/* Tasks limited now (throttled in the last interval's measure) and the source. */
static void bandwidth_stats(struct tsr_ctx *ctx, FILE *out, json_t *obj, double interval_s)
{
	struct tsr_slab *slab = &ctx->skel->arena->tsr_task_slab;
	unsigned int over = 0;

	tsr_slab_for_each_live(slab, idx)
	{
		const struct bandwidth_task *b =
			&((struct tsr_task *)tsr_slab_obj(slab, idx))->bandwidth;

		over += b->rd_mbps > opts.read_mbps * 9 / 10 ||
			b->wr_mbps > opts.write_mbps * 9 / 10;
	}
	fprintf(out, "  bandwidth: source=%s limited_tasks=%u", bw_source_name(source), over);
	json_object_set_new(obj, "source", json_string(bw_source_name(source)));
	json_object_set_new(obj, "limited_tasks", json_integer(over));
	if (source == BW_SOURCE_RESCTRL) {
		int groups = 0;

		for (int i = 0; i < mbm.max_groups; i++)
			groups += !!mbm.g[i].tid;
		fprintf(out, " resctrl_groups=%d/%d", groups, mbm.max_groups);
		json_object_set_new(obj, "resctrl_groups", json_integer(groups));
		json_object_set_new(obj, "resctrl_group_limit", json_integer(mbm.max_groups));
	}
	fputc('\n', out);
}

static const struct tsr_stat bandwidth_stat_decls[] = {
	TSR_STAT_CPU_RATE("throttle", bandwidth.nr_throttle, "tasks held back for debt"),
	TSR_STAT_CPU_RATE("release", bandwidth.nr_release, "throttled tasks let out at refill"),
	TSR_STAT_CPU_RATE("cut", bandwidth.nr_cut, "running tasks stopped at a tick for debt"),
	TSR_STAT_CPU_RATE("kick", bandwidth.nr_kick, "CPUs woken by the refill timer"),
	TSR_STAT_CPU_RATE("timer", bandwidth.nr_timer,
			  "refill timer runs (100/s while throttling)"),
	{ 0 },
};

const struct tsr_module tsr_module_bandwidth = {
	.name = "bandwidth",
	.summary = "per-task read and write token buckets fed by a bandwidth source",
	.opts = bandwidth_opts,
	.cmds = bandwidth_cmds,
	.stat_decls = bandwidth_stat_decls,
	.configure = bandwidth_configure,
	.init = bandwidth_init,
	.balance = bandwidth_monitor,
	.balance_interval_us = bandwidth_monitor_interval_us,
	.stats = bandwidth_stats,
	.exit = bandwidth_exit,
};
