// SPDX-License-Identifier: GPL-2.0
/*
 * jobs, userspace half: what a job is (a process group, or a cgroup with
 * --job-by cgroup), the perf counters BPF reads at context switches
 * (hardware cycles and instructions; software stand-ins on request; none
 * where the machine has no PMU, said in one line), the long-running
 * announcements drained from the arena, and the job table in --stats.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "framework/perf_events.h"
#include "framework/runner.h"
#include "name.h"
#include "table.h"

static struct {
	double long_running_s;
	const char *ipc_events;
	const char *job_by;
} opts = { .long_running_s = 3600, .ipc_events = "hardware", .job_by = "pgid" };

static const struct tsr_opt jobs_opts[] = {
	{ "long-running-s", 0, TSR_OPT_DOUBLE, &opts.long_running_s, .dmin = 0.1, .dmax = 1e7,
	  .metavar = "SECS", .help = "CPU time after which a job is announced as long-running" },
	{ "ipc-events", 0, TSR_OPT_STRING, &opts.ipc_events, .choices = "hardware|software|none",
	  .metavar = "KIND",
	  .help = "Counters charged to jobs as cycles and instructions: the PMU's, or cpu-clock "
		  "standing in for both (tests, machines without a PMU)" },
	{ "job-by", 0, TSR_OPT_STRING, &opts.job_by, .choices = "pgid|cgroup", .metavar = "KIND",
	  .help = "What makes a job: a process group, or a cgroup (v2) with all its processes" },
	{ 0 },
};

static struct tsr_perf_cpus counters[2]; /* cycles, instructions */
static struct bpf_link *switch_link;
static unsigned int nr_announced;

static int jobs_configure(struct tsr_ctx *ctx)
{
	unsigned int cpus = ctx->skel->rodata->tsr_nr_cpu_ids;

	ctx->skel->data->jobs_long_running_ns = opts.long_running_s * 1e9;
	jobs_are_cgroups = !strcmp(opts.job_by, "cgroup");
	ctx->skel->rodata->jobs_by_cgroup = jobs_are_cgroups;
	if (bpf_map__set_max_entries(ctx->skel->maps.jobs_cycles, cpus) ||
	    bpf_map__set_max_entries(ctx->skel->maps.jobs_instructions, cpus))
		return -EINVAL;
	return 0;
}

static void close_counters(void)
{
	tsr_perf_close_cpus(&counters[0]);
	tsr_perf_close_cpus(&counters[1]);
}

/* Per-CPU counters into the BPF arrays; -errno of the first that fails to open, said in @err. */
static int open_counters(struct tsr_ctx *ctx, bool hardware, char *err, size_t err_len)
{
	int maps[2] = { bpf_map__fd(ctx->skel->maps.jobs_cycles),
			bpf_map__fd(ctx->skel->maps.jobs_instructions) };
	const char *names[2] = { hardware ? "hardware:cycles" : "software:cpu-clock",
				 hardware ? "hardware:instructions" : "software:cpu-clock" };

	for (int k = 0; k < 2; k++) {
		struct tsr_perf_event ev;
		int ret = tsr_perf_parse("", names[k], &ev, err, err_len);

		ret = ret   ?:
			      tsr_perf_open_cpus(&counters[k], &ev, ctx->topo, maps[k], err,
						 err_len);
		if (ret)
			return ret;
	}
	return 0;
}

static int jobs_init(struct tsr_ctx *ctx)
{
	bool hardware = !strcmp(opts.ipc_events, "hardware");
	char err[256];
	int ret;

	ret = tsr_queue_init(&ctx->skel->arena->jobs_announce,
			     ctx->skel->arena->jobs_announce_cells, JOBS_ANNOUNCE_LEN);
	if (ret)
		return ret;
	switch_link = bpf_program__attach(ctx->skel->progs.jobs_sched_switch);
	if (!switch_link) {
		fprintf(stderr, "%s: jobs: cannot attach the context-switch counter program: %s\n",
			tsr_sched_name, strerror(errno));
		return -TSR_ESAID;
	}
	if (!strcmp(opts.ipc_events, "none"))
		return 0;
	ret = open_counters(ctx, hardware, err, sizeof(err));
	if (ret) {
		close_counters();
		fprintf(stderr, "%s: jobs: no %s counters (perf_event_open %s): %s\n",
			tsr_sched_name, hardware ? "PMU" : "software", err,
			"cycles and instructions stay 0, run time is still counted");
		return 0;
	}
	ctx->skel->bss->jobs_counters_on = true;
	if (ctx->verbose)
		fprintf(stderr, "%s: jobs: %s counters on %u CPUs\n", tsr_sched_name,
			hardware ? "hardware" : "software (cpu-clock)", counters[0].nr);
	return 0;
}

/* "pgid 412 (memA)" or "cgroup db (id 5012)" */
static void job_label(const struct jobs_slot *s, const char *name, char *out, size_t len)
{
	if (jobs_are_cgroups)
		snprintf(out, len, "cgroup %s (id %llu)", name, (unsigned long long)s->key);
	else
		snprintf(out, len, "pgid %d (%s)", s->pgid, name);
}

/* Jobs BPF announced as long-running since the last look. */
static int jobs_balance(struct tsr_ctx *ctx)
{
	__u64 idx;

	while (!tsr_queue_pop(&ctx->skel->arena->jobs_announce, &idx)) {
		struct jobs_slot *s = &ctx->skel->arena->jobs_table[idx & (JOBS_MAX - 1)];
		char name[64], who[96];

		jobs_name(s, name, sizeof(name));
		nr_announced++;
		job_label(s, name, who, sizeof(who));
		fprintf(stderr, "%s: jobs: long-running: %s, %.1f s of CPU, %d workers\n",
			tsr_sched_name, who, s->runtime_ns / 1e9, s->workers);
	}
	return 0;
}

static uint64_t jobs_balance_interval_us(void)
{
	return 1000000;
}

/* Live jobs, the busiest first (at most 8 lines). */
/* Index of the live job with the most run time not yet in @shown, or -1. */
static int busiest_job(const struct jobs_slot *tab, const int *shown, int nshown)
{
	int best = -1;

	for (int i = 0; i < JOBS_MAX; i++) {
		bool seen = false;

		for (int j = 0; j < nshown; j++)
			seen |= shown[j] == i;
		if (!seen && tab[i].workers > 0 &&
		    (best < 0 || tab[i].runtime_ns > tab[best].runtime_ns))
			best = i;
	}
	return best;
}

/* One job's line, and its object in @top. */
static void job_stats(const struct jobs_slot *job, FILE *out, json_t *top)
{
	double ipc = job->cycles ? (double)job->instructions / job->cycles : 0.0;
	char name[64];
	json_t *o;

	jobs_name(job, name, sizeof(name));
	if (jobs_are_cgroups)
		fprintf(out, "    cgroup %-12s ", name);
	else
		fprintf(out, "    pgid %-7d ", job->pgid);
	fprintf(out,
		"workers %-4d runnable %-4d cpu_ms %-9.0f cycles %-13llu instructions %-13llu "
		"ipc %.2f\n",
		job->workers, job->runnable, job->runtime_ns / 1e6, (unsigned long long)job->cycles,
		(unsigned long long)job->instructions, ipc);
	o = json_pack("{sisisosIsIso}", "workers", job->workers, "runnable", job->runnable,
		      "cpu_ms", tsr_json_tenth(job->runtime_ns / 1e6), "cycles",
		      (json_int_t)job->cycles, "instructions", (json_int_t)job->instructions, "ipc",
		      json_real((long long)(ipc * 100 + 0.5) / 100.0));
	if (jobs_are_cgroups)
		json_object_set_new(o, "cgroup", json_string(name));
	else
		json_object_set_new(o, "pgid", json_integer(job->pgid));
	json_array_append_new(top, o);
}

/* How many jobs, and the eight with the most run time. */
static void jobs_stats(struct tsr_ctx *ctx, FILE *out, json_t *obj, double interval_s)
{
	struct jobs_slot *tab = ctx->skel->arena->jobs_table;
	int used = 0, live = 0, shown[8], nshown = 0;
	json_t *top = json_array();

	for (int i = 0; i < JOBS_MAX; i++) {
		used += tab[i].key != 0;
		live += tab[i].workers > 0;
	}
	fprintf(out, "  jobs: %d live, %d slots used of %d, %u long-running announced\n", live,
		used, JOBS_MAX, nr_announced);
	while (nshown < 8) {
		int best = busiest_job(tab, shown, nshown);

		if (best < 0)
			break;
		shown[nshown++] = best;
		job_stats(&tab[best], out, top);
	}
	json_object_update_new(obj, json_pack("{sisisisiso}", "live", live, "slots_used", used,
					      "slots", JOBS_MAX, "long_running_announced",
					      (int)nr_announced, "busiest", top));
}

static void jobs_exit(struct tsr_ctx *ctx)
{
	bpf_link__destroy(switch_link);
	switch_link = NULL;
	close_counters();
}

static void describe(struct jobs_slot *s, char *who, size_t len)
{
	char name[64];

	jobs_name(s, name, sizeof(name));
	job_label(s, name, who, len);
}

static int cmd_add(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err, size_t err_len)
{
	struct jobs_slot *tab = ctx->skel->arena->jobs_table;
	__u32 was = 0;
	char who[96];
	__u64 key;
	__s32 pgid;
	int idx = jobs_parse(argv[0], &key, &pgid, err, err_len);

	if (idx)
		return idx;
	idx = jobs_register(tab, key, pgid, &was);
	if (idx < 0) {
		snprintf(err, err_len, "%s: the %d slots it may take are all used", argv[0],
			 JOBS_PROBES);
		return idx;
	}
	describe(&tab[idx], who, sizeof(who));
	fprintf(out, "%s %s\n", who,
		was & JOBS_LONG_RUNNING ? "was already registered" : "registered");
	if (!(was & JOBS_LONG_RUNNING))
		fprintf(stderr, "%s: jobs: registered on request: %s\n", tsr_sched_name, who);
	return 0;
}

static int cmd_remove(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err,
		      size_t err_len)
{
	struct jobs_slot *tab = ctx->skel->arena->jobs_table;
	char who[96];
	__u64 key;
	__s32 pgid;
	int idx = jobs_parse(argv[0], &key, &pgid, err, err_len);

	if (idx)
		return idx;
	idx = jobs_unregister(tab, key);
	if (idx < 0) {
		snprintf(err, err_len, "%s: not a job the scheduler has seen", argv[0]);
		return idx;
	}
	describe(&tab[idx], who, sizeof(who));
	fprintf(out, "%s unregistered\n", who);
	fprintf(stderr, "%s: jobs: unregistered on request: %s\n", tsr_sched_name, who);
	return 0;
}

static int cmd_threshold(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err,
			 size_t err_len)
{
	volatile __u64 *ns = &ctx->skel->data->jobs_long_running_ns;
	double was = *ns / 1e9, secs;
	char *end;

	if (!argc) {
		fprintf(out, "%g s\n", was);
		return 0;
	}
	secs = strtod(argv[0], &end);
	if (*end || end == argv[0] || !(secs >= 0.1 && secs <= 1e7)) {
		snprintf(err, err_len, "threshold: '%s' is not a number of seconds (0.1..1e7)",
			 argv[0]);
		return -EINVAL;
	}
	*ns = secs * 1e9;
	fprintf(out, "%g s (was %g s)\n", secs, was);
	fprintf(stderr, "%s: jobs: long-running threshold now %g s\n", tsr_sched_name, secs);
	return 0;
}

static int cmd_list(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err,
		    size_t err_len)
{
	struct jobs_slot *tab = ctx->skel->arena->jobs_table;

	for (int i = 0; i < JOBS_MAX; i++) {
		const char *state = tab[i].flags & JOBS_LONG_RUNNING ? "long-running" :
				    tab[i].flags & JOBS_REMOVED	     ? "removed" :
								       "-";
		char who[96];

		if (tab[i].workers <= 0 && !tab[i].flags)
			continue;
		describe(&tab[i], who, sizeof(who));
		fprintf(out, "%-40s %-12s workers %-4d cpu_s %.1f\n", who, state, tab[i].workers,
			tab[i].runtime_ns / 1e9);
	}
	return 0;
}

static const struct tsr_cmd jobs_cmds[] = {
	{ "list", NULL, "every job with threads, and those registered or removed", 0, 0, cmd_list },
	{ "add", "PGID|CGROUP", "register a job as long-running now (paired if profiled)", 1, 1,
	  cmd_add },
	{ "remove", "PGID|CGROUP", "unregister a job: unpaired, never announced again", 1, 1,
	  cmd_remove },
	{ "threshold", "[SECS]", "show or set the long-running threshold", 0, 1, cmd_threshold },
	{ 0 },
};

const struct tsr_module tsr_module_jobs = {
	.name = "jobs",
	.summary = "process groups or cgroups as jobs: run time, cycles, instructions, "
		   "long-running detection",
	.opts = jobs_opts,
	.stat_decls = NULL,
	.cmds = jobs_cmds,
	.configure = jobs_configure,
	.init = jobs_init,
	.balance = jobs_balance,
	.balance_interval_us = jobs_balance_interval_us,
	.stats = jobs_stats,
	.exit = jobs_exit,
};
