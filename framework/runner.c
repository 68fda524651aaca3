// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace runner every composed scheduler shares: options, topology
 * discovery into the arena, load, attach, the timer loop that calls the
 * modules' userspace hooks, stats, exit information and restart.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runner.h"
#include "arena_pages.h"
#include "commands.h"
#include "control.h"
#include "exit_info.h"
#include "manpage.h"
#include "scx_sysfs.h"
#include "topology.h"

#ifndef TSR_VERSION
#define TSR_VERSION "0.0.0"
#endif
#define MAX_MODULES 32
#define EXIT_USAGE 2
/* Task records may take half the arena (the heap and modules' tables the rest). */
#define TSR_ARENA_TASKS ((uint64_t)TSR_ARENA_PAGES * TSR_PAGE_SIZE / 2 / sizeof(struct tsr_task))
#define TSR_MAX_TASKS_LIMIT (TSR_ARENA_TASKS < 4194304 ? TSR_ARENA_TASKS : 4194304)
/*
 * The guest tests hold every scheduler at this watchdog under stress and
 * weights cases (test_lifecycle.sh, test_weights.sh); a SCHED_IDLE task may
 * wait TSR_MAX_LEAD_NS per nice-0 task pinned beside it.
 */
#define TSR_WATCHDOG_MIN_MS 10000
/* Reloads the kernel may ask for (CPU hotplug) within RESTART_WINDOW_S before giving up */
#define RESTART_MAX 16
#define RESTART_WINDOW_S 60.0

struct runner_opts {
	double stats_s;
	double duration_s;
	uint64_t max_tasks;
	uint64_t watchdog_ms;
	uint64_t cache_level;
	bool partial;
	bool verbose;
	bool topology_only;
	bool bpf_stats;
	const char *sysfs_root;
	const char *control;
	const char *request;
	double monitor_s;
	const char *stats_format;
};

static struct runner_opts ro = {
	.max_tasks = 65536,
	.watchdog_ms = 30000,
	.cache_level = 3,
	.sysfs_root = "/sys",
	.control = TSR_CTL_DEFAULT_PATH,
	.stats_format = "text",
};

static bool stats_json(void)
{
	return !strcmp(ro.stats_format, "json");
}

static int check_stats_format(const char *v, char *why, size_t len)
{
	if (!strcmp(v, "text") || !strcmp(v, "json"))
		return 0;
	snprintf(why, len, "is not a format (accepted: text, json)");
	return -EINVAL;
}

static const struct tsr_opt runner_opts_table[] = {
	{ "stats", 0, TSR_OPT_DOUBLE, &ro.stats_s, .dmin = 0.01, .dmax = 3600, .zero_off = true,
	  .metavar = "SECS", .help = "Print statistics every SECS seconds (0: never)" },
	{ "stats-format", 0, TSR_OPT_STRING, &ro.stats_format, .metavar = "FORMAT",
	  .check = check_stats_format,
	  .help = "Statistics as text lines or as one JSON object a line (json: see "
		  "docs/stats-json.md), printed and watched" },
	{ "duration", 0, TSR_OPT_DOUBLE, &ro.duration_s, .dmin = 0, .dmax = 31536000,
	  .metavar = "SECS", .help = "Detach after SECS seconds (0: run until SIGINT/SIGTERM)" },
	{ "cache-level", 'c', TSR_OPT_U64, &ro.cache_level, .min = 0, .max = 4, .metavar = "N",
	  .help = "Build domains from CPUs sharing this cache level (0: one domain per NUMA node)" },
	{ "max-tasks", 0, TSR_OPT_U64, &ro.max_tasks, .min = 256, .max = TSR_MAX_TASKS_LIMIT,
	  .metavar = "N",
	  .help = "Per-task arena records at most (default: the kernel's threads-max; at most "
		  "what half the arena holds); tasks beyond get a fair share from the fallback "
		  "queue" },
	{ "watchdog-ms", 0, TSR_OPT_U64, &ro.watchdog_ms, .min = TSR_WATCHDOG_MIN_MS, .max = 30000,
	  .metavar = "MS", .help = "Kernel watchdog: a runnable task not run for MS ms aborts" },
	{ "partial", 0, TSR_OPT_FLAG, &ro.partial,
	  .help = "Schedule only tasks that chose SCHED_EXT, leave the rest to the kernel" },
	{ "sysfs-root", 0, TSR_OPT_STRING, &ro.sysfs_root, .metavar = "DIR",
	  .help = "Read topology and sched_ext state under DIR" },
	{ "topology", 0, TSR_OPT_FLAG, &ro.topology_only,
	  .help = "Print the discovered topology and exit without loading" },
	{ "bpf-stats", 0, TSR_OPT_FLAG, &ro.bpf_stats,
	  .help = "Measure each BPF callback's run time; print the mean cost at exit" },
	{ "control", 0, TSR_OPT_STRING, &ro.control, .metavar = "PATH",
	  .help = "The control socket the running scheduler serves (\"none\": serve none), or "
		  "the one a request or a statistics watcher asks" },
	{ "ctl", 0, TSR_OPT_STRING, &ro.request, .metavar = "REQUEST",
	  .help = "Ask the running scheduler (\"help\" lists what it answers), print the "
		  "answer and exit; loads nothing" },
	{ "monitor", 0, TSR_OPT_DOUBLE, &ro.monitor_s, .dmin = 0.1, .dmax = 3600, .zero_off = true,
	  .metavar = "SECS",
	  .help = "Print the running scheduler's statistics every SECS seconds; loads nothing" },
	{ "verbose", 'v', TSR_OPT_FLAG, &ro.verbose, .help = "Say more (libbpf debug output too)" },
	{ 0 },
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* While the BPF programs load, libbpf's messages (the verifier's log among them) go here. */
static FILE *load_log;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !ro.verbose)
		return 0;
	if (load_log && !ro.verbose)
		return vfprintf(load_log, fmt, args);
	return vfprintf(stderr, fmt, args);
}

/* What to do about a refused load: the kernel lacks sched_ext's types, or it is ours to fix. */
static const char *refusal_hint(int ret, const char *log)
{
	if (ret == -ESRCH || (log && strstr(log, "sched_ext_ops is not found")))
		return "this kernel's BTF has no sched_ext: run it in the guest with './tessera run'";
	return "a bug in tessera or a kernel it does not support: report it with the log";
}

/*
 * Load the BPF programs with libbpf's messages kept aside: on a refusal
 * they go to a file the one error line names (the verifier's log runs to
 * thousands of lines), on success they are dropped. 0 or -errno.
 */
static int load_programs(struct tsr *skel)
{
	char *buf = NULL, path[] = "/tmp/tessera-verifier-XXXXXX";
	size_t len = 0, lines = 0;
	bool saved;
	int ret, fd;

	load_log = open_memstream(&buf, &len);
	ret = tsr__load(skel);
	if (load_log)
		fclose(load_log);
	load_log = NULL;
	if (!ret || ro.verbose) {
		if (ret)
			fprintf(stderr, "%s: the kernel refused the BPF programs: %s\n",
				tsr_sched_name, strerror(-ret));
		free(buf);
		return ret;
	}
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	fd = buf ? mkstemp(path) : -1;
	saved = fd >= 0 && write(fd, buf, len) == (ssize_t)len;
	if (fd >= 0 && close(fd))
		saved = false;
	if (fd >= 0 && !saved)
		unlink(path);
	if (saved)
		fprintf(stderr,
			"%s: the kernel refused the BPF programs: %s (%s); the verifier's log "
			"(%zu lines) is in %s\n",
			tsr_sched_name, strerror(-ret), refusal_hint(ret, buf), lines, path);
	else
		fprintf(stderr,
			"%s: the kernel refused the BPF programs: %s (%s; run with -v for the "
			"verifier log)\n",
			tsr_sched_name, strerror(-ret), refusal_hint(ret, buf));
	free(buf);
	return ret;
}

static int nr_modules(void)
{
	int n = 0;

	while (tsr_modules[n])
		n++;
	return n;
}

/* As many task records as the kernel allows threads: tasks can never be more. */
static uint64_t default_max_tasks(void)
{
	unsigned long long n = 0;
	FILE *f = fopen("/proc/sys/kernel/threads-max", "r");

	if (f) {
		if (fscanf(f, "%llu", &n) != 1)
			n = 0;
		fclose(f);
	}
	if (!n)
		return 65536;
	return n < 256 ? 256 : n > TSR_MAX_TASKS_LIMIT ? TSR_MAX_TASKS_LIMIT : n;
}

/*
 * The option groups of this scheduler: the framework's and each module's,
 * copied so the composition's overrides (letters, renames, hidden options)
 * apply. Returns how many, or a negative errno.
 */
static int build_groups(struct tsr_opt_group *groups)
{
	static struct tsr_opt *tables[MAX_MODULES + 1];
	static char titles[MAX_MODULES][160];
	int n = 0;

	tables[n] = tsr_opts_copy(runner_opts_table);
	groups[n] = (struct tsr_opt_group){ "Framework options", tables[n] };
	if (!tables[n++])
		return -ENOMEM;
	for (int i = 0; tsr_modules[i] && n <= MAX_MODULES; i++, n++) {
		snprintf(titles[i], sizeof(titles[i]), "Module %s: %s", tsr_modules[i]->name,
			 tsr_modules[i]->summary ? tsr_modules[i]->summary : "");
		tables[n] = tsr_opts_copy(tsr_modules[i]->opts);
		groups[n] = (struct tsr_opt_group){ titles[i], tables[n] };
		if (!tables[n])
			return -ENOMEM;
	}
	return tsr_opts_override(tables, n, tsr_sched_overrides, stderr) ?: n;
}

static int parse_options(int argc, char **argv)
{
	struct tsr_opt_group groups[MAX_MODULES + 1];
	int nr_groups, nr_defaults = 0, n = 0, ret;
	char **args;

	nr_groups = build_groups(groups);
	if (nr_groups < 0) {
		fprintf(stderr, "%s: cannot set up the options: %s\n", tsr_sched_name,
			strerror(-nr_groups));
		return EXIT_USAGE;
	}
	if (tsr_opts_check_unique(groups, nr_groups, stderr))
		return EXIT_USAGE;
	/* the scheduler's own defaults first, so the command line overrides them */
	while (tsr_sched_defaults[nr_defaults])
		nr_defaults++;
	args = calloc(argc + nr_defaults + 1, sizeof(*args));
	if (!args) {
		fprintf(stderr, "%s: out of memory parsing %d arguments\n", tsr_sched_name, argc);
		return EXIT_USAGE;
	}
	args[n++] = argv[0];
	for (int i = 0; i < nr_defaults; i++)
		args[n++] = (char *)tsr_sched_defaults[i];
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	ro.max_tasks = default_max_tasks();
	ret = tsr_opts_parse(groups, nr_groups, n, args, tsr_sched_name, stderr);
	free(args);
	if (ret == TSR_PARSE_HELP) {
		tsr_opts_usage(groups, nr_groups, tsr_sched_name, tsr_sched_description, stdout);
		exit(0);
	}
	if (ret == TSR_PARSE_MAN) {
		struct tsr_man_info mi = { tsr_sched_name, tsr_sched_description,
					   tsr_sched_module_list, TSR_VERSION };

		tsr_man_write(&mi, groups, nr_groups, stdout);
		exit(0);
	}
	if (ret == TSR_PARSE_VERSION) {
		printf("%s %s (tessera; modules: %s)\n", tsr_sched_name, TSR_VERSION,
		       tsr_sched_module_list);
		exit(0);
	}
	return ret == TSR_PARSE_OK ? 0 : EXIT_USAGE;
}

static int check_layout(const struct tsr *skel)
{
	const volatile struct tsr_layout *l = &skel->rodata->tsr_layout;
	uintptr_t base = (uintptr_t)skel->arena;

	if (l->topo_version != TSR_TOPO_VERSION || l->slab_version != TSR_SLAB_VERSION) {
		fprintf(stderr,
			"%s: BPF was built with topology v%u and slab v%u, userspace with v%u and "
			"v%u: rebuild both\n",
			tsr_sched_name, l->topo_version, l->slab_version, TSR_TOPO_VERSION,
			TSR_SLAB_VERSION);
		return -EPROTO;
	}
	if (l->task != sizeof(struct tsr_task) || l->cpu != sizeof(struct tsr_cpu) ||
	    l->dom != sizeof(struct tsr_dom) || l->topo != sizeof(struct tsr_topo) ||
	    l->slab != sizeof(struct tsr_slab) || l->heap != sizeof(struct tsr_heap)) {
		fprintf(stderr,
			"%s: BPF and userspace disagree on the shared layout (task %u/%zu, cpu "
			"%u/%zu, dom %u/%zu, topo %u/%zu, slab %u/%zu, heap %u/%zu): rebuild both "
			"from the same headers\n",
			tsr_sched_name, l->task, sizeof(struct tsr_task), l->cpu,
			sizeof(struct tsr_cpu), l->dom, sizeof(struct tsr_dom), l->topo,
			sizeof(struct tsr_topo), l->slab, sizeof(struct tsr_slab), l->heap,
			sizeof(struct tsr_heap));
		return -EPROTO;
	}
	if (base < l->arena_user_base ||
	    base >= l->arena_user_base + l->arena_pages * TSR_PAGE_SIZE ||
	    bpf_map__max_entries(skel->maps.arena) != l->arena_pages) {
		fprintf(stderr,
			"%s: the arena is mapped at %#lx with %u pages, BPF expects %#llx with %llu "
			"pages: arena pointers would not be shared\n",
			tsr_sched_name, (unsigned long)base, bpf_map__max_entries(skel->maps.arena),
			(unsigned long long)l->arena_user_base, (unsigned long long)l->arena_pages);
		return -EPROTO;
	}
	return 0;
}

/*
 * Set up the per-task record slab and the heap. Enough task records for
 * twice the tasks alive now are added before attach; init_task grows the
 * slab from there, up to --max-tasks.
 */
static int setup_allocators(struct tsr *skel)
{
	struct tsr_slab *slab = &skel->arena->tsr_task_slab;
	int prog_fd = bpf_program__fd(skel->progs.tsr_alloc_pages);
	unsigned int shift = 8, chunks, want;
	struct sysinfo si;
	int ret;

	while ((ro.max_tasks >> shift) > TSR_SLAB_MAX_CHUNKS)
		shift++;
	chunks = (ro.max_tasks + (1u << shift) - 1) >> shift;
	ret = tsr_slab_setup(slab, TSR_SLAB_ID_TASKS, sizeof(struct tsr_task), shift, chunks);
	if (!ret)
		ret = tsr_heap_setup(&skel->arena->tsr_heap, TSR_SLAB_MAX_CHUNKS);
	if (ret)
		return ret;
	want = 2 * (sysinfo(&si) ? 1024 : si.procs) + skel->rodata->tsr_task_refill_min;
	want = (want + (1u << shift) - 1) >> shift;
	want = want < chunks ? want : chunks;
	ret = tsr_slab_grow_user(slab, prog_fd, want);
	if (ret)
		fprintf(stderr,
			"%s: cannot reserve arena pages for %u task records: %s (free memory, "
			"or give a smaller --max-tasks than %llu)\n",
			tsr_sched_name, want << shift, strerror(-ret),
			(unsigned long long)ro.max_tasks);
	return ret;
}

enum setup_hook { SETUP_CONFIGURE, SETUP_INIT };

/* Call every module's configure or init hook, in order; stop at the first error. */
static int modules_setup(struct tsr_ctx *ctx, enum setup_hook which)
{
	for (int i = 0; tsr_modules[i]; i++) {
		const struct tsr_module *m = tsr_modules[i];
		int (*hook)(struct tsr_ctx *) = which == SETUP_CONFIGURE ? m->configure : m->init;
		int ret = hook ? hook(ctx) : 0;

		if (ret) {
			if (ret != -TSR_ESAID)
				fprintf(stderr, "%s: module %s: %s failed: %s\n", tsr_sched_name,
					m->name, which == SETUP_CONFIGURE ? "configure" : "init",
					strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/* @prog's callback slot emptied, and the program not loaded. */
static void unattach(struct bpf_program **slot, const char *name, int verbose)
{
	if (!*slot)
		return;
	bpf_program__set_autoload(*slot, false);
	*slot = NULL;
	if (verbose)
		fprintf(stderr, "%s: %s not attached: no module needs it in this run\n",
			tsr_sched_name, name);
}

/*
 * Leave out the optional callbacks (enum tsr_callback) no module needs in
 * this run, e.g. vtime's load accounting with one domain: a callback
 * costs its call on every task state change even when every hook in its
 * chain returns at once.
 */
static void drop_idle_callbacks(struct tsr_ctx *ctx)
{
	unsigned int needed = tsr_fixed_callbacks;
	typeof(ctx->skel->struct_ops.tsr_ops) ops = ctx->skel->struct_ops.tsr_ops;

	for (int i = 0; tsr_modules[i]; i++) {
		const struct tsr_module *m = tsr_modules[i];
		unsigned int idle = m->idle_callbacks ? m->idle_callbacks(ctx) : 0;

		needed |= tsr_module_callbacks[i] & ~idle;
	}
	if (!(needed & TSR_CB_RUNNABLE))
		unattach(&ops->runnable, "runnable", ctx->verbose);
	if (!(needed & TSR_CB_RUNNING))
		unattach(&ops->running, "running", ctx->verbose);
	if (!(needed & TSR_CB_QUIESCENT))
		unattach(&ops->quiescent, "quiescent", ctx->verbose);
	if (!(needed & TSR_CB_TICK))
		unattach(&ops->tick, "tick", ctx->verbose);
	if (!(needed & TSR_CB_SET_CPUMASK))
		unattach(&ops->set_cpumask, "set_cpumask", ctx->verbose);
}

void tsr_filter_migrations(struct tsr_ctx *ctx, const struct tsr_migration *c, int n, bool *allow)
{
	for (int i = 0; i < n; i++)
		allow[i] = true;
	for (int i = 0; tsr_modules[i]; i++)
		if (tsr_modules[i]->filter_migrations)
			tsr_modules[i]->filter_migrations(ctx, c, n, allow);
}

bool tsr_filters_migrations(void)
{
	for (int i = 0; tsr_modules[i]; i++)
		if (tsr_modules[i]->filter_migrations)
			return true;
	return false;
}

static void modules_exit(struct tsr_ctx *ctx)
{
	for (int i = nr_modules() - 1; i >= 0; i--)
		if (tsr_modules[i]->exit)
			tsr_modules[i]->exit(ctx);
}

/* One line for the heap, once any module has used it. */
static void print_heap_stats(struct tsr_heap *heap, FILE *out, json_t *json)
{
	uint64_t live = 0, pages = 0, fails = 0, bad = 0;

	for (int c = 0; c < TSR_HEAP_CLASSES; c++) {
		live += heap->cls[c].nr_live;
		pages += heap->cls[c].nr_pages;
		fails += heap->cls[c].nr_fails + heap->cls[c].nr_grow_fails;
		bad += heap->cls[c].nr_bad_frees + heap->cls[c].nr_double_frees;
	}
	json_object_set_new(json, "heap",
			    json_pack("{sIsIsIsI}", "live", (json_int_t)live, "pages",
				      (json_int_t)pages, "fails", (json_int_t)fails, "bad_frees",
				      (json_int_t)bad));
	if (pages)
		fprintf(out, "  heap: live=%llu pages=%llu fails=%llu bad_frees=%llu\n",
			(unsigned long long)live, (unsigned long long)pages,
			(unsigned long long)fails, (unsigned long long)bad);
}

#define FW_STATS 14
static uint64_t stats_last[FW_STATS];
static struct tsr_stat_state stat_states[MAX_MODULES];
static double stats_last_time;

#define STATS_SCHEMA "tessera-stats/1"

/* The framework's counters: one text line, and the "framework" object of @json. */
static void print_framework_stats(struct tsr_ctx *ctx, double interval, double elapsed, FILE *out,
				  json_t *json)
{
	struct tsr_slab *slab = &ctx->skel->arena->tsr_task_slab;
	uint64_t cur[FW_STATS] = {
		tsr_sum_cpus(ctx, core.nr_select),
		tsr_sum_cpus(ctx, core.nr_direct),
		tsr_sum_cpus(ctx, core.nr_enqueue),
		tsr_sum_cpus(ctx, core.nr_enq_fallback),
		tsr_sum_cpus(ctx, core.nr_dispatch),
		tsr_sum_cpus(ctx, core.nr_keep_prev),
		tsr_sum_cpus(ctx, core.nr_rescued),
		tsr_sum_cpus(ctx, core.nr_rcu_boost),
		tsr_sum_cpus(ctx, core.nr_migrated),
		tsr_sum_cpus(ctx, core.nr_migrated_by[TSR_MIG_WAKE]),
		tsr_sum_cpus(ctx, core.nr_migrated_by[TSR_MIG_PICK]),
		tsr_sum_cpus(ctx, core.nr_migrated_by[TSR_MIG_MOVED]),
		tsr_sum_cpus(ctx, core.nr_migrated_by[TSR_MIG_STEAL]),
		tsr_sum_cpus(ctx, core.nr_migrated_nodes),
	};
	uint64_t d[FW_STATS];

	tsr_deltas(stats_last, cur, d, FW_STATS);
	fprintf(out,
		"%s t=%.1fs tasks=%llu/%u norec=%llu pages=%llu alloc_fail=%llu grow_fail=%llu "
		"select=%.0f/s direct=%.1f%% enqueue=%.0f/s fallback=%.1f%% dispatch=%.0f/s "
		"kept=%.0f/s migrated=%.0f/s (wake %.0f pick %.0f moved %.0f steal %.0f, "
		"cross-node %.0f) rescued=%llu rcu_boost=%llu online=%d/%u\n",
		tsr_sched_name, elapsed, (unsigned long long)slab->nr_live, slab->nr_objs,
		(unsigned long long)ctx->skel->bss->tsr_nr_norec,
		(unsigned long long)slab->nr_pages, (unsigned long long)slab->nr_fails,
		(unsigned long long)slab->nr_grow_fails, d[0] / interval, tsr_pct(d[1], d[0]),
		d[2] / interval, tsr_pct(d[3], d[2]), d[4] / interval, d[5] / interval,
		d[8] / interval, d[9] / interval, d[10] / interval, d[11] / interval,
		d[12] / interval, d[13] / interval, (unsigned long long)d[6],
		(unsigned long long)d[7], ctx->skel->bss->tsr_nr_online, ctx->topo->nr_cpus);
	json_object_set_new(
		json, "framework",
		json_pack("{sIsIsIsIsIsI"
			  "sososososososososo"
			  "sIsIsisI}",
			  "tasks", (json_int_t)slab->nr_live, "task_records",
			  (json_int_t)slab->nr_objs, "no_record",
			  (json_int_t)ctx->skel->bss->tsr_nr_norec, "arena_pages",
			  (json_int_t)slab->nr_pages, "alloc_fail", (json_int_t)slab->nr_fails,
			  "grow_fail", (json_int_t)slab->nr_grow_fails, "select_per_s",
			  tsr_json_tenth(d[0] / interval), "direct_pct",
			  tsr_json_tenth(tsr_pct(d[1], d[0])), "enqueue_per_s",
			  tsr_json_tenth(d[2] / interval), "fallback_pct",
			  tsr_json_tenth(tsr_pct(d[3], d[2])), "dispatch_per_s",
			  tsr_json_tenth(d[4] / interval), "kept_per_s",
			  tsr_json_tenth(d[5] / interval), "migrated_per_s",
			  tsr_json_tenth(d[8] / interval), "migrated_by_per_s",
			  json_pack("{sosososo}", "wake", tsr_json_tenth(d[9] / interval), "pick",
				    tsr_json_tenth(d[10] / interval), "moved",
				    tsr_json_tenth(d[11] / interval), "steal",
				    tsr_json_tenth(d[12] / interval)),
			  "migrated_cross_node_per_s", tsr_json_tenth(d[13] / interval), "rescued",
			  (json_int_t)d[6], "rcu_boost", (json_int_t)d[7], "online_cpus",
			  (int)ctx->skel->bss->tsr_nr_online, "cpus",
			  (json_int_t)ctx->topo->nr_cpus));
}

/* The domains: id, node and CPUs, and how many of those are online. */
static json_t *domains_json(struct tsr_ctx *ctx)
{
	json_t *doms = json_array();

	for (unsigned int d = 0; d < ctx->topo->nr_doms; d++) {
		const struct tsr_dom_core *dc = &ctx->skel->arena->tsr_doms[d].core;

		json_array_append_new(
			doms, json_pack("{sisisisi}", "id", (int)d, "node", ctx->topo->dom_node[d],
					"cpus", (int)dc->nr_cpus, "online", (int)dc->nr_online));
	}
	return doms;
}

/*
 * The NUMA nodes with CPUs or memory: their domains, CPUs (online) and
 * whether they only hold memory (a far tier, e.g. CXL).
 */
static json_t *nodes_json(struct tsr_ctx *ctx)
{
	const struct tsr_topo *topo = ctx->topo;
	json_t *nodes = json_array();

	for (unsigned int n = 0; n < topo->nr_nodes && n < TSR_MAX_NODES; n++) {
		json_t *doms = json_array();
		int cpus = 0, online = 0;

		if (!((topo->node_has_cpu | topo->node_has_memory) >> n & 1))
			continue;
		for (unsigned int d = 0; d < topo->nr_doms; d++) {
			const struct tsr_dom_core *dc = &ctx->skel->arena->tsr_doms[d].core;

			if (topo->dom_node[d] != (int)n)
				continue;
			json_array_append_new(doms, json_integer(d));
			cpus += dc->nr_cpus;
			online += dc->nr_online;
		}
		json_array_append_new(nodes,
				      json_pack("{sisosisisb}", "id", (int)n, "domains", doms,
						"cpus", cpus, "online", online, "memory_only",
						!(topo->node_has_cpu >> n & 1)));
	}
	return nodes;
}

/*
 * One module: its declared counters and its stats hook's members into
 * @obj, and what the hook prints, one text line each, as "lines" (free
 * text, not a schema).
 */
static void print_module_stats(struct tsr_ctx *ctx, int i, double interval, FILE *out, json_t *obj)
{
	const struct tsr_module *m = tsr_modules[i];
	const struct tsr_stats_src src = {
		.cpus = ctx->skel->arena->tsr_cpus,
		.cpu_size = sizeof(struct tsr_cpu),
		.nr_cpus = ctx->topo->nr_cpu_ids,
		.doms = ctx->skel->arena->tsr_doms,
		.dom_size = sizeof(struct tsr_dom),
		.nr_doms = ctx->topo->nr_doms,
		.dom_node = ctx->topo->dom_node,
		.nr_nodes = ctx->topo->nr_nodes,
	};
	char *buf = NULL, *line, *save;
	size_t len = 0;
	json_t *lines;
	FILE *mem;

	if (m->stat_decls)
		tsr_stats_print(m->name, m->stat_decls, &stat_states[i], &src, interval, out, obj);
	if (!m->stats)
		return;
	mem = open_memstream(&buf, &len);
	if (!mem)
		return;
	m->stats(ctx, mem, obj, interval);
	fclose(mem);
	fputs(buf, out);
	lines = json_array();
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		json_array_append_new(lines, json_string(line + strspn(line, " ")));
	json_object_set_new(obj, "lines", lines);
	free(buf);
}

/* One statistics block: the text lines into @out, the same values into @json. */
static void print_stats(struct tsr_ctx *ctx, double now, double start, FILE *out, json_t *json)
{
	double interval = now - stats_last_time, elapsed = now - start;
	struct tsr_slab *slab = &ctx->skel->arena->tsr_task_slab;
	json_t *mods = json_object(), *names = json_array();

	stats_last_time = now;
	json_object_set_new(json, "schema", json_string(STATS_SCHEMA));
	json_object_set_new(json, "scheduler", json_string(tsr_sched_name));
	json_object_set_new(json, "t", tsr_json_tenth(elapsed));
	json_object_set_new(json, "interval", json_real(((long long)(interval * 1000)) / 1000.0));
	print_framework_stats(ctx, interval, elapsed, out, json);
	print_heap_stats(&ctx->skel->arena->tsr_heap, out, json);
	if (slab->nr_bad_frees || slab->nr_double_frees)
		fprintf(out, "  task records: %llu bad frees, %llu double frees\n",
			(unsigned long long)slab->nr_bad_frees,
			(unsigned long long)slab->nr_double_frees);
	json_object_set_new(json, "domains", domains_json(ctx));
	json_object_set_new(json, "nodes", nodes_json(ctx));
	for (int i = 0; tsr_modules[i]; i++) {
		json_t *obj = json_object();

		json_array_append_new(names, json_string(tsr_modules[i]->name));
		print_module_stats(ctx, i, interval, out, obj);
		json_object_set_new(mods, tsr_modules[i]->name, obj);
	}
	json_object_set_new(json, "modules", names);
	json_object_set_new(json, "module_stats", mods);
}

static struct tsr_ctl_server *ctl_server;
static struct tsr_served served;

/*
 * The next statistics block: printed with --stats in --stats-format, kept
 * in both formats for the control socket.
 */
static void take_stats(struct tsr_ctx *ctx, double now, double start)
{
	char *buf = NULL, *line;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	json_t *json = json_object();

	if (!out || !json) {
		if (out)
			fclose(out);
		free(buf);
		json_decref(json);
		return;
	}
	print_stats(ctx, now, start, out, json);
	fclose(out);
	line = json_dumps(json, JSON_COMPACT | JSON_REAL_PRECISION(12));
	json_decref(json);
	if (ro.stats_s) {
		if (stats_json() && line)
			printf("%s\n", line);
		else if (!stats_json())
			fputs(buf, stdout);
		fflush(stdout);
	}
	free(served.stats);
	served.stats = buf;
	free(served.stats_json);
	served.stats_json = line;
}

/*
 * Mean run time of every scheduling callback and of the programs modules
 * attach beside them (e.g. the jobs module's context-switch counter), from
 * the kernel's BPF run-time statistics; the arena helpers userspace runs
 * itself are left out.
 */
static void print_bpf_stats(struct tsr *skel)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj)
	{
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		enum bpf_prog_type type = bpf_program__type(prog);

		if (type != BPF_PROG_TYPE_STRUCT_OPS && type != BPF_PROG_TYPE_TRACING)
			continue;
		if (bpf_program__fd(prog) < 0 ||
		    bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		if (type == BPF_PROG_TYPE_TRACING && !info.run_cnt)
			continue;
		fprintf(stderr, "%s: bpf %-16s runs=%llu mean_ns=%.0f insns=%u\n", tsr_sched_name,
			bpf_program__name(prog), (unsigned long long)info.run_cnt,
			info.run_cnt ? (double)info.run_time_ns / info.run_cnt : 0.0,
			info.xlated_prog_len / 8);
	}
}

static int sleep_until(double t)
{
	double dt = t - tsr_now_s();
	struct timespec ts;

	if (dt <= 0)
		return 0;
	ts.tv_sec = (time_t)dt;
	ts.tv_nsec = (long)((dt - ts.tv_sec) * 1e9);
	return nanosleep(&ts, NULL);
}

/* Until @t, answering the control socket meanwhile. */
static void wait_until(double t)
{
	if (!ctl_server) {
		sleep_until(t);
		return;
	}
	tsr_ctl_serve(ctl_server, t - tsr_now_s(), tsr_commands_answer, &served);
}

/* The timer loop: returns when a signal, the duration or a kernel-side exit ends the run. */
static int run_loop(struct tsr_ctx *ctx, double start)
{
	/* statistics are taken for the control socket too, printed only with --stats */
	double stats_every = ro.stats_s ? ro.stats_s : ctl_server ? 1.0 : 0;
	double next_tune[MAX_MODULES], next_bal[MAX_MODULES], next_stats = start + stats_every;
	int nr = nr_modules();

	for (int i = 0; i < nr; i++)
		next_tune[i] = next_bal[i] = start;
	while (!stop_signal && !ctx->skel->bss->tsr_exit_info.kind) {
		double t = tsr_now_s(), wake = t + 0.1;

		if (ro.duration_s && t - start >= ro.duration_s)
			break;
		for (int i = 0; i < nr; i++) {
			const struct tsr_module *m = tsr_modules[i];
			int ret = 0;

			if (m->tune && t >= next_tune[i]) {
				ret = m->tune(ctx);
				next_tune[i] = t + m->tune_interval_us() / 1e6;
			}
			if (!ret && m->balance && t >= next_bal[i]) {
				ret = m->balance(ctx);
				next_bal[i] = t + m->balance_interval_us() / 1e6;
			}
			if (ret) {
				fprintf(stderr, "%s: module %s failed: %s\n", tsr_sched_name,
					m->name, strerror(-ret));
				return ret;
			}
			if (m->tune && next_tune[i] < wake)
				wake = next_tune[i];
			if (m->balance && next_bal[i] < wake)
				wake = next_bal[i];
		}
		if (stats_every && t >= next_stats) {
			take_stats(ctx, t, start);
			next_stats = t + stats_every;
		}
		if (stats_every && next_stats < wake)
			wake = next_stats;
		if (ro.duration_s && start + ro.duration_s < wake)
			wake = start + ro.duration_s;
		wait_until(wake);
	}
	return 0;
}

enum run_result { RUN_DONE, RUN_RESTART, RUN_FAILED };

/* The kernel's CPU hotplug count when the topology was read; 0 if it has none. */
static uint64_t topo_hotplug_seq;

static enum run_result run_once(const struct tsr_topo *topo)
{
	struct tsr_ctx ctx = { .prog = tsr_sched_name, .verbose = ro.verbose };
	struct tsr_exit_info ei;
	struct bpf_link *link = NULL;
	enum run_result res = RUN_FAILED;
	double start;
	int ret;

	ctx.skel = tsr__open();
	if (!ctx.skel) {
		fprintf(stderr, "%s: cannot open the BPF object: %s\n", tsr_sched_name,
			strerror(errno));
		return RUN_FAILED;
	}
	ctx.skel->struct_ops.tsr_ops->timeout_ms = ro.watchdog_ms;
	/* the kernel refuses (and asks for a reload) if a CPU came or went since */
	ctx.skel->struct_ops.tsr_ops->hotplug_seq = topo_hotplug_seq;
	if (ro.partial)
		ctx.skel->struct_ops.tsr_ops->flags |= SCX_OPS_SWITCH_PARTIAL;
	ctx.skel->rodata->tsr_nr_cpu_ids = topo->nr_cpu_ids;
	ctx.skel->rodata->tsr_nr_doms_at_load = topo->nr_doms;
	ctx.topo = topo; /* the arena copy from init on */
	if (modules_setup(&ctx, SETUP_CONFIGURE))
		goto out;
	drop_idle_callbacks(&ctx);
	ret = load_programs(ctx.skel);
	if (ret)
		goto out;
	if (check_layout(ctx.skel))
		goto out;
	memcpy(&ctx.skel->arena->tsr_topo, topo, sizeof(*topo));
	ctx.topo = &ctx.skel->arena->tsr_topo;
	for (unsigned int d = 0; d < topo->nr_doms; d++) {
		ctx.skel->arena->tsr_doms[d].core.id = d;
		ctx.skel->arena->tsr_doms[d].core.node = topo->dom_node[d];
	}
	for (unsigned int cpu = 0; cpu < topo->nr_cpu_ids && cpu < TSR_MAX_CPUS; cpu++)
		if (topo->cpu_core[cpu] >= 0 && (unsigned int)topo->cpu_dom[cpu] < topo->nr_doms) {
			ctx.skel->arena->tsr_doms[topo->cpu_dom[cpu]].core.nr_cpus++;
			ctx.skel->arena->tsr_doms[topo->cpu_dom[cpu]].core.nr_online++;
		}
	ctx.skel->bss->tsr_nr_online = topo->nr_cpus;
	if (setup_allocators(ctx.skel) || modules_setup(&ctx, SETUP_INIT))
		goto out;
	link = bpf_map__attach_struct_ops(ctx.skel->maps.tsr_ops);
	if (!link) {
		ret = -errno;
		fprintf(stderr, "%s: attach failed: %s\n", tsr_sched_name, strerror(-ret));
		if (ctx.skel->bss->tsr_exit_info.kind)
			tsr_exit_print(&ctx.skel->bss->tsr_exit_info, tsr_sched_name, stderr);
		goto out_exit;
	}
	fprintf(stderr, "%s: attached (modules: %s; %u CPUs, %u domains)\n", tsr_sched_name,
		tsr_sched_module_list, topo->nr_cpus, topo->nr_doms);
	start = stats_last_time = tsr_now_s();
	memset(stats_last, 0, sizeof(stats_last));
	served.ctx = &ctx;
	ret = run_loop(&ctx, start);
	served.ctx = NULL;
	if (ro.bpf_stats)
		print_bpf_stats(ctx.skel);
	bpf_link__destroy(link);
	link = NULL;
	ei = ctx.skel->bss->tsr_exit_info;
	tsr_exit_print(&ei, tsr_sched_name, stderr);
	if (tsr_exit_wants_restart(&ei))
		res = RUN_RESTART;
	else if (!ret && !tsr_exit_is_error(&ei))
		res = RUN_DONE;
	if (ro.stats_s && res != RUN_FAILED)
		take_stats(&ctx, tsr_now_s(), start);
out_exit:
	modules_exit(&ctx);
out:
	bpf_link__destroy(link);
	tsr__destroy(ctx.skel);
	return res;
}

/* Read the topology, and before it the hotplug count it belongs to. */
static int discover(struct tsr_topo *topo)
{
	struct tsr_topo_opts to = { .sysfs_root = ro.sysfs_root, .cache_level = ro.cache_level };
	char err[512], seq[32];
	int ret;

	topo_hotplug_seq = 0;
	if (!tsr_scx_read(ro.sysfs_root, "hotplug_seq", seq, sizeof(seq)))
		topo_hotplug_seq = strtoull(seq, NULL, 10);
	ret = tsr_topo_discover(topo, &to, err, sizeof(err));

	if (ret)
		fprintf(stderr, "%s: %s\n", tsr_sched_name, err);
	return ret;
}

/* --ctl: one request to the running scheduler, its answer on stdout. */
static int ctl_client(const char *request)
{
	char err[512];

	if (tsr_ctl_request(ro.control, request, stdout, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", tsr_sched_name, err);
		return 1;
	}
	return 0;
}

/* --monitor: the running scheduler's statistics every @every_s, each new block once. */
static int monitor(double every_s)
{
	char *last = NULL, err[512];
	int ret = 0;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (int n = 0; !stop_signal; n++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);

		if (!out)
			return 1;
		ret = tsr_ctl_request(ro.control, stats_json() ? "stats json" : "stats", out, err,
				      sizeof(err));
		fclose(out);
		if (ret && !n && !strcmp(err, TSR_NO_STATS_YET)) {
			free(buf);
			sleep_until(tsr_now_s() + every_s);
			continue;
		}
		if (ret) {
			fprintf(stderr, n ? "%s: the scheduler stopped: %s\n" : "%s: %s\n",
				tsr_sched_name, err);
			free(buf);
			ret = n ? 0 : 1;
			break;
		}
		if (!last || strcmp(last, buf)) {
			fputs(buf, stdout);
			fflush(stdout);
		}
		free(last);
		last = buf;
		sleep_until(tsr_now_s() + every_s);
	}
	free(last);
	return ret;
}

/*
 * Serve the control socket unless told not to. A live scheduler already
 * there stops this one; a socket that cannot be made only costs the
 * control channel, said in one line.
 */
static int serve_control(void)
{
	char err[512];
	int ret;

	if (!strcmp(ro.control, "none"))
		return 0;
	ret = tsr_ctl_listen(ro.control, &ctl_server, err, sizeof(err));
	if (ret == -EADDRINUSE) {
		fprintf(stderr, "%s: %s\n", tsr_sched_name, err);
		return ret;
	}
	if (ret)
		fprintf(stderr, "%s: %s; running without a control socket\n", tsr_sched_name, err);
	return 0;
}

/* Run, reloading when the kernel asks (CPU hotplug); the process's exit status. */
static int run_reloading(struct tsr_topo *topo)
{
	double restart_at[RESTART_MAX] = { 0 };
	int restarts = 0;

	for (;;) {
		enum run_result res = run_once(topo);

		if (res != RUN_RESTART || stop_signal)
			return res == RUN_FAILED ? 1 : 0;
		/* restart_at is a ring of the last RESTART_MAX reload times */
		if (restarts >= RESTART_MAX &&
		    tsr_now_s() - restart_at[restarts % RESTART_MAX] < RESTART_WINDOW_S) {
			fprintf(stderr,
				"%s: the kernel asked for %d reloads within %.0f s, giving up\n",
				tsr_sched_name, RESTART_MAX + 1, RESTART_WINDOW_S);
			return 1;
		}
		restart_at[restarts++ % RESTART_MAX] = tsr_now_s();
		fprintf(stderr, "%s: reloading (restart %d)\n", tsr_sched_name, restarts);
		if (discover(topo))
			return 1;
	}
}

int main(int argc, char **argv)
{
	static struct tsr_topo topo;
	char err[512];
	int ret;

	ret = parse_options(argc, argv);
	if (ret)
		return ret;
	if (ro.request)
		return ctl_client(ro.request);
	if (ro.monitor_s)
		return monitor(ro.monitor_s);
	if (discover(&topo))
		return EXIT_USAGE;
	if (ro.verbose || ro.topology_only)
		tsr_topo_print(&topo, stderr);
	if (ro.topology_only)
		return 0;
	ret = tsr_scx_check_free(ro.sysfs_root, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s: %s\n", tsr_sched_name, err);
		return 1;
	}
	if (serve_control())
		return 1;
	libbpf_set_print(libbpf_print);
	/* the fd keeps run-time statistics on until we exit */
	if (ro.bpf_stats && bpf_enable_stats(BPF_STATS_RUN_TIME) < 0)
		fprintf(stderr, "%s: cannot enable BPF run-time statistics: %s\n", tsr_sched_name,
			strerror(errno));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/*
	 * The runner is the control plane: after a CPU hotplug it reloads while
	 * the kernel's default scheduler runs everything, and at nice 0 beside
	 * a loaded machine that reload took minutes in the soak (bench/soak).
	 */
	if (setpriority(PRIO_PROCESS, 0, -20) && ro.verbose)
		fprintf(stderr, "%s: cannot raise the runner's priority: %s\n", tsr_sched_name,
			strerror(errno));
	ret = run_reloading(&topo);
	tsr_ctl_close(ctl_server);
	free(served.stats);
	free(served.stats_json);
	return ret;
}
