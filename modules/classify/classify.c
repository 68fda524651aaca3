// SPDX-License-Identifier: GPL-2.0
/* classify, userspace half: the name lists and thresholds, and what each class holds. */
#include <string.h>
#include "framework/runner.h"
#include "cpus.h"
#include "names.h"

static struct {
	uint64_t slice_us;
	const char *vectordb, *bwtest;
	uint64_t intensive_mbps;
	uint64_t nr_cpus;
	bool no_scoring;
} opts = {
	.slice_us = 20000,
	.vectordb = "python,faiss,milvus,weaviate",
	.bwtest = "double_bandwidth,memtest,stress",
	.intensive_mbps = 70,
};

static int check_names(const char *list, char *why, size_t why_len)
{
	char names[CLS_MAX_NAMES][CLS_NAME_LEN];
	unsigned int n;

	return classify_parse_names(list, names, &n, why, why_len);
}

static const struct tsr_opt classify_opts[] = {
	{ "slice-us", 's', TSR_OPT_U64, &opts.slice_us, .min = 100, .max = 1000000, .metavar = "US",
	  .help = "Time slice in microseconds" },
	{ "vectordb-names", 0, TSR_OPT_STRING, &opts.vectordb, .metavar = "LIST",
	  .check = check_names,
	  .help = "Task names (prefixes, comma-separated) of VectorDB and ML workers" },
	{ "bwtest-names", 0, TSR_OPT_STRING, &opts.bwtest, .metavar = "LIST", .check = check_names,
	  .help = "Task names (prefixes, comma-separated) of bandwidth tests" },
	{ "intensive-mbps", 0, TSR_OPT_U64, &opts.intensive_mbps, .min = 1, .max = 1000000,
	  .metavar = "MBPS",
	  .help = "Read or write rate that makes a task read- or write-intensive (MB/s)" },
	{ "nr-cpus", 'n', TSR_OPT_U64, &opts.nr_cpus, .min = 0, .max = TSR_MAX_CPUS, .metavar = "N",
	  .help = "Place and dispatch onto N CPUs chosen by topology (0: all); a task allowed "
		  "only others still runs there" },
	{ "disable-cxl", 0, TSR_OPT_FLAG, &opts.no_scoring,
	  .help = "Place waking tasks by the kernel's idle pick, not by the seed's CPU score "
		  "(far memory, class, latency, cache)" },
	{ 0 },
};

static const char *const class_names[CLS_NR] = { "fallback", "read", "write", "vectordb" };

static int set_names(const char *opt, const char *list, volatile char (*dst)[CLS_NAME_LEN],
		     volatile __u32 *nr)
{
	char names[CLS_MAX_NAMES][CLS_NAME_LEN], err[256];
	unsigned int n;

	if (classify_parse_names(list, names, &n, err, sizeof(err))) {
		fprintf(stderr, "%s: --%s: %s\n", tsr_sched_name, opt, err);
		return -TSR_ESAID;
	}
	for (unsigned int i = 0; i < CLS_MAX_NAMES; i++)
		for (int j = 0; j < CLS_NAME_LEN; j++)
			dst[i][j] = names[i][j];
	*nr = n;
	return 0;
}

static int classify_configure(struct tsr_ctx *ctx)
{
	typeof(ctx->skel->rodata) ro = ctx->skel->rodata;

	ro->tsr_slice_ns = opts.slice_us * 1000;
	ro->classify_intensive_mbps = opts.intensive_mbps;
	ro->classify_limited = opts.nr_cpus > 0;
	ro->classify_no_scoring = opts.no_scoring;
	if (set_names("vectordb-names", opts.vectordb, ro->classify_vdb_names,
		      &ro->classify_nr_vdb_names) ||
	    set_names("bwtest-names", opts.bwtest, ro->classify_bwt_names,
		      &ro->classify_nr_bwt_names))
		return -EINVAL;
	return 0;
}

/* The CPUs nearest far memory, for the score; said in one line. */
static void init_scoring(struct tsr_ctx *ctx)
{
	struct tsr_cpumask *near = &ctx->skel->arena->classify_near_far_cpus;
	unsigned int cpus[TSR_MAX_CPUS], n = 0;
	char list[512];

	if (opts.no_scoring) {
		fprintf(stderr, "%s: classify: CPU scoring off (-c): the kernel's idle pick\n",
			tsr_sched_name);
		return;
	}
	if (!classify_near_far_cpus(ctx->topo, near)) {
		fprintf(stderr,
			"%s: classify: CPU scoring on, no far memory (no +50 for VectorDB)\n",
			tsr_sched_name);
		return;
	}
	for (unsigned int cpu = 0; cpu < ctx->topo->nr_cpu_ids && cpu < TSR_MAX_CPUS; cpu++)
		if (tsr_cpumask_test(near, cpu))
			cpus[n++] = cpu;
	classify_cpu_list(cpus, n, list, sizeof(list));
	fprintf(stderr, "%s: classify: CPU scoring on, nearest far memory (+50 for VectorDB): %s\n",
		tsr_sched_name, list);
}

/* -n: the CPUs, into the arena mask BPF builds its kernel mask from at attach. */
static int classify_init(struct tsr_ctx *ctx)
{
	unsigned int cpus[TSR_MAX_CPUS], n;
	char list[512];

	init_scoring(ctx);
	if (!opts.nr_cpus)
		return 0;
	n = classify_pick_cpus(ctx->topo, opts.nr_cpus, cpus);
	tsr_cpumask_zero(&ctx->skel->arena->classify_use_cpus);
	for (unsigned int i = 0; i < n; i++)
		tsr_cpumask_set(&ctx->skel->arena->classify_use_cpus, cpus[i]);
	classify_cpu_list(cpus, n, list, sizeof(list));
	fprintf(stderr, "%s: classify: placing on %u of %u CPUs: %s%s\n", tsr_sched_name, n,
		ctx->topo->nr_cpus, list, n < opts.nr_cpus ? " (all there are)" : "");
	return 0;
}

/* Tasks per class and per mark now, and what waits in each queue. */
static void classify_stats(struct tsr_ctx *ctx, FILE *out, json_t *obj, double interval_s)
{
	struct tsr_slab *slab = &ctx->skel->arena->tsr_task_slab;
	unsigned int in_class[CLS_NR] = { 0 }, bwtest = 0, latency = 0, promoted = 0;

	tsr_slab_for_each_live(slab, idx)
	{
		const struct classify_task *c =
			&((struct tsr_task *)tsr_slab_obj(slab, idx))->classify;

		in_class[c->cls & (CLS_NR - 1)]++;
		bwtest += !!(c->flags & CLS_F_BWTEST);
		latency += !!(c->flags & CLS_F_LATENCY);
		promoted += !!(c->flags & CLS_F_PROMOTED);
	}
	json_t *tasks = json_object(), *queued = json_object();

	fprintf(out, "  classify: tasks");
	for (int k = CLS_NR - 1; k >= 0; k--) {
		fprintf(out, " %s=%u", class_names[k], in_class[k]);
		json_object_set_new(tasks, class_names[k], json_integer(in_class[k]));
	}
	fprintf(out, " bwtest=%u latency=%u kworker_promoted=%u; queued", bwtest, latency,
		promoted);
	for (int k = CLS_NR - 1; k >= 0; k--) {
		__u64 n = ctx->skel->arena->classify_queued_now[k];

		fprintf(out, " %s=%llu", class_names[k], (unsigned long long)n);
		json_object_set_new(queued, class_names[k], json_integer((json_int_t)n));
	}
	fprintf(out, "\n");
	json_object_update_new(obj, json_pack("{sosisisiso}", "tasks", tasks, "bwtest", bwtest,
					      "latency", latency, "kworker_promoted", promoted,
					      "queued", queued));
}

static const struct tsr_stat classify_stat_decls[] = {
	TSR_STAT_CPU_RATE("q_vectordb", classify.nr_queued[CLS_VECTORDB],
			  "tasks queued in the VectorDB class"),
	TSR_STAT_CPU_RATE("q_read", classify.nr_queued[CLS_READ],
			  "tasks queued in the read-intensive class"),
	TSR_STAT_CPU_RATE("q_write", classify.nr_queued[CLS_WRITE],
			  "tasks queued in the write-intensive class"),
	TSR_STAT_CPU_RATE("q_fallback", classify.nr_queued[CLS_FALLBACK],
			  "tasks queued in the fallback class"),
	TSR_STAT_CPU_RATE("promote", classify.nr_promote,
			  "kernel workers promoted for serving a boosted task"),
	TSR_STAT_CPU_RATE("scored", classify.nr_scored,
			  "wake-ups placed on the best-scoring idle CPU"),
	TSR_STAT_CPU_RATE("scored_near_far", classify.nr_scored_near_far,
			  "VectorDB wake-ups placed on a CPU nearest far memory"),
	{ 0 },
};

const struct tsr_module tsr_module_classify = {
	.name = "classify",
	.summary = "task classes (VectorDB, read/write-intensive, ...) as deadline-ordered queues",
	.opts = classify_opts,
	.stat_decls = classify_stat_decls,
	.configure = classify_configure,
	.init = classify_init,
	.stats = classify_stats,
};
