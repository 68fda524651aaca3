// SPDX-License-Identifier: GPL-2.0
/*
 * memtier, userspace half: the memory tiers of this machine, found at start
 * and said in one line, answered on request ("memtier tiers") and counted
 * in the stats; and DAMON watching the tasks that matter most (every
 * VectorDB task, then the top ones by bandwidth), whose working set,
 * locality and access pattern go into their records.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "framework/runner.h"
#include "modules/bandwidth/source.h"
#include "damon.h"
#include "tiers.h"

static struct {
	bool no_damon, migrate;
	const char *damon_path;
	uint64_t damon_tasks;
	double interval_s;
} opts = { .damon_path = DAMON_ADMIN_DEFAULT, .damon_tasks = 4, .interval_s = 1 };

static const struct tsr_opt memtier_opts[] = {
	{ "disable-damon", 'd', TSR_OPT_FLAG, &opts.no_damon, .help = "Do not use DAMON" },
	{ "damon-path", 'D', TSR_OPT_STRING, &opts.damon_path, .metavar = "DIR",
	  .help = "DAMON's sysfs admin directory" },
	{ "damon-tasks", 0, TSR_OPT_U64, &opts.damon_tasks, .min = 1, .max = DAMON_MAX_TASKS,
	  .metavar = "N", .help = "Tasks DAMON watches: VectorDB ones first, then by bandwidth" },
	{ "damon-interval", 0, TSR_OPT_DOUBLE, &opts.interval_s, .dmin = 0.2, .dmax = 3600,
	  .metavar = "SECS", .help = "How often DAMON's regions are read" },
	{ "tier-migrate", 0, TSR_OPT_FLAG, &opts.migrate,
	  .help = "Have DAMOS move watched tasks' hot memory to the node they run on and their "
		  "cold memory (untouched for 5 s) to far memory" },
	{ 0 },
};

static struct mt_tiers tiers;
static struct damon_ctl damon;
static bool damon_off; /* not available, busy, or failed: said once */
static int damon_failed;
#define DAMON_START_TRIES 3 /* starts that failed in a row (a watched task may exit meanwhile) */
/*
 * Making the kdamonds again restarts every watched region's age, so cold
 * memory (DAMON_COLD_S untouched) is found only if the set holds that long:
 * a task is picked only once it has lived WATCH_MIN_AGE_S (a shell's
 * passing commands are not worth watching), a watched task that exits
 * changes nothing (its kdamond stops by itself), and with --tier-migrate
 * a free place is filled at most every WATCH_HOLD_S, at once only for a
 * VectorDB task (without it, a new writer is watched at once: the damon
 * bandwidth source needs its rate). The scheduler never watches itself.
 */
#define WATCH_MIN_AGE_S 1.0
#define WATCH_HOLD_S 60.0 /* DAMON took 10-31 s to find cold memory after a start in the guest */
static double damon_started_s;
static uint64_t nr_damon_starts;
static uint64_t nr_damon_updates;
static unsigned int next_read;
static double last_read_ms; /* how long the last read of a kdamond's regions took */
static char damon_err[512]; /* why DAMON is not available, said at init */
/*
 * With DAMON's aggregation tracepoint, the BPF half counts (and charges)
 * every aggregation's bytes; without it, one aggregation read back a
 * round is stretched over the time since the last (in the guest that ran
 * 0.4-2.5x the true rate of a task held back in bursts: which aggregation
 * a read caught decided it).
 */
static bool damon_every_aggr;
static struct bpf_link *aggr_link;
_Static_assert(DAMON_MAX_TASKS == MEMTIER_KDAMONDS, "one BPF slot a kdamond");

/* Whether this kernel has the tracepoint DAMON fires as each aggregation ends. */
static bool have_aggregated_tp(void)
{
	return libbpf_find_vmlinux_btf_id("damon_aggregated", BPF_TRACE_RAW_TP) > 0;
}

/* DAMON probed before the bandwidth source is chosen: its estimate is one. */
static int memtier_configure(struct tsr_ctx *ctx)
{
	const char *what = "(estimated from DAMON's access counts of the tasks memtier watches, "
			   "every aggregation's, charged as reads)";

	damon_off = opts.no_damon;
	if (!damon_off && damon_probe(opts.damon_path, damon_err, sizeof(damon_err)))
		damon_off = true;
	damon_every_aggr = !damon_off && have_aggregated_tp();
	bpf_program__set_autoload(ctx->skel->progs.memtier_damon_aggregated, damon_every_aggr);
	if (damon_err[0])
		what = "unavailable (memtier runs without DAMON, said below)";
	else if (damon_off)
		what = "unavailable (-d/--disable-damon)";
	else if (!damon_every_aggr)
		what = "(estimated from DAMON's access counts of the tasks memtier watches, one "
		       "aggregation a read: this kernel has no damon_aggregated tracepoint; "
		       "charged as reads)";
	bw_source_offer(BW_SOURCE_DAMON, !damon_off, what);
	return 0;
}

static int memtier_init(struct tsr_ctx *ctx)
{
	char err[512], desc[2048];
	int ret = mt_detect("", &tiers, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "%s: %s\n", tsr_sched_name, err);
		return -TSR_ESAID;
	}
	mt_describe(&tiers, desc, sizeof(desc));
	fprintf(stderr, "%s: memtier: %s\n", tsr_sched_name, desc);
	if (damon_err[0])
		fprintf(stderr, "%s: memtier: %s; running without it\n", tsr_sched_name, damon_err);
	if (damon_every_aggr) {
		aggr_link = bpf_program__attach(ctx->skel->progs.memtier_damon_aggregated);
		if (!aggr_link) {
			fprintf(stderr,
				"%s: memtier: cannot attach to DAMON's damon_aggregated tracepoint "
				"(%s): the damon source reads one aggregation a round\n",
				tsr_sched_name, strerror(errno));
			damon_every_aggr = false;
		}
	}
	if (opts.migrate && (damon_off || !mt_nr_far(&tiers))) {
		fprintf(stderr, "%s: memtier: --tier-migrate: nothing to do (%s)\n", tsr_sched_name,
			damon_off ? "no DAMON" : "no far memory");
		opts.migrate = false;
	}
	return 0;
}

/* How a task's bytes split: the seed's READ_HEAVY, WRITE_HEAVY or MIXED. */
static enum memtier_pattern pattern_of(uint64_t rd, uint64_t wr)
{
	if (!rd && !wr)
		return MT_PATTERN_UNKNOWN;
	if (rd > 2 * wr)
		return MT_READ_HEAVY;
	if (wr > 2 * rd)
		return MT_WRITE_HEAVY;
	return MT_MIXED;
}

/* Field @n of /proc/@pid/stat (counted as proc(5) does) into @v; 0 or -errno. */
static int stat_field(pid_t pid, int n, long long *v)
{
	char path[64], buf[1024], *p;
	int field = 2;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* fields after the name, which may hold spaces: state is field 3 */
	for (; p && *p; p++)
		if (*p == ' ' && ++field == n) {
			*v = atoll(p + 1);
			return 0;
		}
	return -EINVAL;
}

/* The node of the CPU task @pid last ran on (/proc/PID/stat field 39), -1 if unknown. */
static int node_of_task(const struct tsr_topo *topo, pid_t pid)
{
	long long cpu;

	if (stat_field(pid, 39, &cpu) || cpu < 0 || cpu >= topo->nr_cpu_ids || cpu >= TSR_MAX_CPUS)
		return -1;
	return topo->cpu_node[cpu];
}

#define PF_KTHREAD 0x00200000

/* A live task with an address space of its own to monitor: not a kernel thread. */
static bool user_task(pid_t pid)
{
	long long flags;

	return !stat_field(pid, 9, &flags) && !(flags & PF_KTHREAD);
}

/* Seconds task @pid has lived (/proc/PID/stat field 22 against /proc/uptime); -1 if unknown. */
static double task_age_s(pid_t pid)
{
	long long start;
	double up;
	FILE *f;
	int ok;

	if (stat_field(pid, 22, &start))
		return -1;
	f = fopen("/proc/uptime", "r");
	if (!f)
		return -1;
	ok = fscanf(f, "%lf", &up) == 1;
	fclose(f);
	return ok ? up - (double)start / sysconf(_SC_CLK_TCK) : -1;
}

/* A task picked for DAMON to watch. */
struct watch {
	long idx; /* its record's slot */
	uint32_t gen; /* the record's generation then */
	pid_t pid;
	uint64_t score; /* VectorDB first, then measured MB/s */
	double fed_s; /* when its bytes were last estimated (the damon source) */
};

static struct watch watched[DAMON_MAX_TASKS];

static int by_score(const void *a, const void *b)
{
	const struct watch *x = a, *y = b;

	return x->score > y->score ? -1 : x->score < y->score;
}

static int by_pid(const void *a, const void *b)
{
	const struct watch *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

#define VECTORDB_SCORE (1ULL << 40)

/*
 * With the damon source, rates exist only for watched tasks: the others
 * are ranked by their CPU use, below any measured rate.
 */
static uint64_t score_of(const struct tsr_task *t)
{
	uint64_t s = (t->bandwidth.rd_mbps + t->bandwidth.wr_mbps) << 10;

	if (!s && bw_source_active() == BW_SOURCE_DAMON)
		s = t->bandwidth.cpu_permille < 1023 ? t->bandwidth.cpu_permille : 1023;

	return t->classify.flags & CLS_F_VECTORDB ? s + VECTORDB_SCORE : s;
}

static bool in_set(const struct watch *w, int n, long idx)
{
	for (int i = 0; i < n; i++)
		if (w[i].idx == idx)
			return true;
	return false;
}

/*
 * The tasks to watch into @w, in pid order so that the same set compares
 * equal; how many. A watched task stays watched while it lives (rates
 * measured from a lumpy source come and go, and every change of the set
 * makes the kdamonds again); free places go to the busiest by bandwidth,
 * and a VectorDB task takes the place of one that is not.
 */
static int pick_tasks(struct tsr_slab *slab, struct watch *w)
{
	int max = opts.damon_tasks, n = 0, nc = 0;
	struct watch cand[256];

	for (int i = 0; i < damon.nr; i++) {
		struct tsr_task *t = tsr_slab_obj(slab, watched[i].idx);

		if (tsr_slab_same_gen(t, watched[i].gen) && t->core.pid == watched[i].pid) {
			w[n] = watched[i];
			w[n++].score = score_of(t);
		}
	}
	tsr_slab_for_each_live(slab, i)
	{
		struct tsr_task *t = tsr_slab_obj(slab, i);
		uint64_t s = score_of(t);

		if (s && t->core.pid > 0 && nc < 256 && !in_set(w, n, i))
			cand[nc++] = (struct watch){ i, tsr_slab_gen(t), t->core.pid, s };
	}
	qsort(cand, nc, sizeof(cand[0]), by_score);
	for (int c = 0; c < nc; c++) {
		int spot = n < max ? n : -1;

		for (int i = 0; spot < 0 && i < n; i++)
			if (cand[c].score >= VECTORDB_SCORE && w[i].score < VECTORDB_SCORE)
				spot = i;
		if (spot < 0)
			break;
		/* a kernel thread has no address space for DAMON to watch */
		if (cand[c].pid == getpid() || !user_task(cand[c].pid) ||
		    task_age_s(cand[c].pid) < WATCH_MIN_AGE_S)
			continue;
		n += spot == n;
		w[spot] = cand[c];
	}
	qsort(w, n, sizeof(w[0]), by_pid);
	return n;
}

/* Where DAMOS moves task @pid's memory: hot to its node, cold to the far node nearest it. */
static struct damon_migrate migrate_for(const struct tsr_topo *topo, pid_t pid)
{
	int node = node_of_task(topo, pid);

	return (struct damon_migrate){ node, mt_far_node_for(&tiers, node) };
}

/* DAMON's regions of watched task @i into its record. */
static void read_one(struct tsr_slab *slab, int i)
{
	struct tsr_task *t = tsr_slab_obj(slab, watched[i].idx);
	struct damon_usage u;
	double t0 = tsr_now_s();
	char err[512];

	if (!tsr_slab_same_gen(t, watched[i].gen) || damon_read(&damon, i, &u, err, sizeof(err)) ||
	    !u.nr_regions)
		return;
	last_read_ms = (tsr_now_s() - t0) * 1e3;
	if (bw_source_active() == BW_SOURCE_DAMON && !damon_every_aggr) {
		if (watched[i].fed_s)
			__sync_fetch_and_add(&t->bandwidth.fed_rd,
					     (uint64_t)(u.bytes_per_s * (t0 - watched[i].fed_s)));
		watched[i].fed_s = t0;
	}
	t->memtier.working_set_kb = u.working_set_kb;
	t->memtier.pattern = pattern_of(t->bandwidth.rd_mbps, t->bandwidth.wr_mbps);
	t->memtier.nr_updates++;
	t->classify.locality = u.locality;
	nr_damon_updates++;
}

/* Point the BPF half's slots at the kdamonds just made (@on) or at none (before they go). */
static void count_kdamonds(struct tsr_ctx *ctx, bool on)
{
	struct memtier_kdamond *k = ctx->skel->bss->memtier_kdamonds;

	for (int i = 0; i < DAMON_MAX_TASKS; i++)
		__atomic_store_n(&k[i].tid, 0, __ATOMIC_RELEASE);
	for (int i = 0; on && i < damon.nr; i++) {
		k[i].task_idx = watched[i].idx;
		k[i].task_gen = watched[i].gen;
		k[i].bytes = 0;
		__atomic_store_n(&k[i].tid, damon.thread[i], __ATOMIC_RELEASE);
	}
}

static bool watching(pid_t pid)
{
	for (int i = 0; i < damon.nr; i++)
		if (damon.pid[i] == pid)
			return true;
	return false;
}

/*
 * Whether to make the kdamonds again for @w: not when it only lacks tasks
 * that exited; with --tier-migrate, not for a free place filled within
 * WATCH_HOLD_S of the last start unless a VectorDB task takes it.
 */
static bool restart_for(const struct watch *w, int n)
{
	bool added = false, vectordb = false;

	for (int i = 0; i < n; i++) {
		if (watching(w[i].pid))
			continue;
		added = true;
		vectordb |= w[i].score >= VECTORDB_SCORE;
	}
	if (!added || !opts.migrate)
		return added;
	return vectordb || !damon.nr || tsr_now_s() - damon_started_s >= WATCH_HOLD_S;
}

/* Watch the tasks that matter now (making the kdamonds again when they changed), then read one. */
static int memtier_monitor(struct tsr_ctx *ctx)
{
	struct tsr_slab *slab = &ctx->skel->arena->tsr_task_slab;
	struct damon_migrate mig[DAMON_MAX_TASKS];
	struct watch w[DAMON_MAX_TASKS];
	pid_t pid[DAMON_MAX_TASKS];
	char err[512];
	int n;

	if (damon_off)
		return 0;
	n = pick_tasks(slab, w);
	ctx->skel->bss->memtier_damon_charges =
		damon_every_aggr && bw_source_active() == BW_SOURCE_DAMON;
	if (restart_for(w, n)) {
		count_kdamonds(ctx, false);
		damon_stop(&damon);
		for (int i = 0; i < n; i++) {
			pid[i] = w[i].pid;
			if (opts.migrate)
				mig[i] = migrate_for(ctx->topo, pid[i]);
		}
		if (n && damon_start(&damon, opts.damon_path, pid, opts.migrate ? mig : NULL, n,
				     5000, 200000, err, sizeof(err))) {
			damon_off = ++damon_failed == DAMON_START_TRIES;
			fprintf(stderr, "%s: memtier: %s; %s\n", tsr_sched_name, err,
				damon_off ? "running without it" : "trying again");
			return 0;
		}
		damon_failed = 0;
		damon_started_s = tsr_now_s();
		nr_damon_starts += n > 0;
		memcpy(watched, w, n * sizeof(w[0]));
		for (int i = 0; i < n; i++)
			watched[i].fed_s = tsr_now_s();
		count_kdamonds(ctx, true);
		return 0; /* regions come after an aggregation */
	}
	/*
	 * one task a round: asking a kdamond for its regions waits for it to
	 * answer (up to an aggregation), and this runs in the control loop
	 */
	if (!damon.nr)
		return 0;
	n = next_read++ % damon.nr;
	read_one(slab, n);
	if (opts.migrate) {
		damon_retarget(&damon, n, node_of_task(ctx->topo, damon.pid[n]));
		damon_update_migrated(&damon);
	}
	return 0;
}

static uint64_t memtier_interval_us(void)
{
	return opts.interval_s * 1e6;
}

static void memtier_exit(struct tsr_ctx *ctx)
{
	bpf_link__destroy(aggr_link);
	aggr_link = NULL;
	damon_stop(&damon);
}

static int cmd_tiers(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err,
		     size_t err_len)
{
	char desc[2048];

	mt_describe(&tiers, desc, sizeof(desc));
	fprintf(out, "%s\n", desc);
	return 0;
}

static const char *const pattern_names[] = { "unknown", "READ_HEAVY", "WRITE_HEAVY", "MIXED" };

/* The tasks DAMON watches, with what it found. */
static int cmd_damon(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err,
		     size_t err_len)
{
	struct tsr_slab *slab = &ctx->skel->arena->tsr_task_slab;

	if (damon_off) {
		fprintf(out, "DAMON off\n");
		return 0;
	}
	for (int i = 0; i < damon.nr; i++) {
		struct tsr_task *t = tsr_slab_obj(slab, watched[i].idx);

		if (!tsr_slab_same_gen(t, watched[i].gen))
			continue;
		fprintf(out, "pid %d working_set %llu KB locality %u pattern %s updates %u",
			(int)damon.pid[i], (unsigned long long)t->memtier.working_set_kb,
			t->classify.locality, pattern_names[t->memtier.pattern & 3],
			t->memtier.nr_updates);
		if (damon_every_aggr)
			fprintf(out, " counted %.0f MB",
				ctx->skel->bss->memtier_kdamonds[i].bytes / 1e6);
		fputc('\n', out);
	}
	return 0;
}

static const struct tsr_cmd memtier_cmds[] = {
	{ "tiers", NULL, "the memory tiers found at start, node by node", 0, 0, cmd_tiers },
	{ "damon", NULL, "the tasks DAMON watches: working set, locality, pattern", 0, 0,
	  cmd_damon },
	{ 0 },
};

static void memtier_stats(struct tsr_ctx *ctx, FILE *out, json_t *obj, double interval_s)
{
	unsigned int cxl = 0;

	for (int i = 0; i < tiers.nr_nodes; i++)
		cxl += tiers.node[i].cxl;
	fprintf(out,
		"  memtier: far_nodes=%u cxl_nodes=%u damon=%s watched=%d damon_starts=%llu "
		"damon_updates=%llu cxl_migrations=%llu migrated_mb=%.1f\n",
		mt_nr_far(&tiers), cxl, damon_off ? "off" : "on", damon.nr,
		(unsigned long long)nr_damon_starts, (unsigned long long)nr_damon_updates,
		damon.nr_migrated, damon.sz_migrated / 1048576.0);
	json_object_update_new(obj, json_pack("{sisisbsisIsIsIso}", "far_nodes", mt_nr_far(&tiers),
					      "cxl_nodes", cxl, "damon", !damon_off, "watched",
					      damon.nr, "damon_starts", (json_int_t)nr_damon_starts,
					      "damon_updates", (json_int_t)nr_damon_updates,
					      "cxl_migrations", (json_int_t)damon.nr_migrated,
					      "migrated_mb",
					      tsr_json_tenth(damon.sz_migrated / 1048576.0)));
}

const struct tsr_module tsr_module_memtier = {
	.name = "memtier",
	.summary = "memory tiers: CPU-less and CXL nodes, distances, HMAT latencies",
	.opts = memtier_opts,
	.cmds = memtier_cmds,
	.configure = memtier_configure,
	.init = memtier_init,
	.balance = memtier_monitor,
	.balance_interval_us = memtier_interval_us,
	.stats = memtier_stats,
	.exit = memtier_exit,
};
