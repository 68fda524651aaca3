// SPDX-License-Identifier: GPL-2.0
/*
 * tsr-jsoncheck: check statistics lines in tessera's JSON form
 * (docs/stats-json.md) for the guest tests.
 *
 *	tsr-jsoncheck PRINTED [WATCHED]
 *
 * Every line of PRINTED that starts with '{' must parse and carry the
 * schema's members with their types; every module named in "modules" must
 * have its object in "module_stats". With WATCHED (what a --monitor client
 * printed), each of its blocks must parse too and equal the block of
 * PRINTED with the same "t". Prints what it checked, or the first problem,
 * and exits 0 or 1.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MAX_BLOCKS 4096

struct member {
	const char *name;
	int type; /* JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_INTEGER, or -1: a number */
};

static const struct member top[] = {
	{ "schema", JSON_STRING },
	{ "scheduler", JSON_STRING },
	{ "t", -1 },
	{ "interval", -1 },
	{ "framework", JSON_OBJECT },
	{ "heap", JSON_OBJECT },
	{ "domains", JSON_ARRAY },
	{ "nodes", JSON_ARRAY },
	{ "modules", JSON_ARRAY },
	{ "module_stats", JSON_OBJECT },
	{ NULL, 0 },
};

static const struct member framework[] = {
	{ "tasks", JSON_INTEGER },
	{ "task_records", JSON_INTEGER },
	{ "no_record", JSON_INTEGER },
	{ "arena_pages", JSON_INTEGER },
	{ "alloc_fail", JSON_INTEGER },
	{ "grow_fail", JSON_INTEGER },
	{ "select_per_s", -1 },
	{ "direct_pct", -1 },
	{ "enqueue_per_s", -1 },
	{ "fallback_pct", -1 },
	{ "dispatch_per_s", -1 },
	{ "kept_per_s", -1 },
	{ "migrated_per_s", -1 },
	{ "migrated_by_per_s", JSON_OBJECT },
	{ "migrated_cross_node_per_s", -1 },
	{ "rescued", JSON_INTEGER },
	{ "rcu_boost", JSON_INTEGER },
	{ "online_cpus", JSON_INTEGER },
	{ "cpus", JSON_INTEGER },
	{ NULL, 0 },
};

static const struct member migrated_by[] = {
	{ "wake", -1 }, { "pick", -1 }, { "moved", -1 }, { "steal", -1 }, { NULL, 0 },
};

static const char *has_members(json_t *obj, const struct member *m)
{
	static char why[128];

	for (; m->name; m++) {
		json_t *v = json_object_get(obj, m->name);

		if (!v || (m->type < 0 ? !json_is_number(v) : (int)json_typeof(v) != m->type)) {
			snprintf(why, sizeof(why), "\"%s\" is %s", m->name,
				 v ? "of the wrong type" : "missing");
			return why;
		}
	}
	return NULL;
}

static const struct member node[] = {
	{ "id", JSON_INTEGER },
	{ "domains", JSON_ARRAY },
	{ "cpus", JSON_INTEGER },
	{ "online", JSON_INTEGER },
	{ NULL, 0 },
};

/* What the stats hook of each module that has one sets (docs/stats-json.md). */
static const struct {
	const char *module;
	struct member m[8];
} hook_members[] = {
	{ "lb",
	  { { "round", JSON_INTEGER },
	    { "round_us", -1 },
	    { "decided", JSON_INTEGER },
	    { "applied", JSON_INTEGER },
	    { "steal_node_pct", -1 },
	    { "slice_us", JSON_INTEGER },
	    { "nodes", JSON_ARRAY } } },
	{ "bandwidth", { { "source", JSON_STRING }, { "limited_tasks", JSON_INTEGER } } },
	{ "classify",
	  { { "tasks", JSON_OBJECT }, { "queued", JSON_OBJECT }, { "latency", JSON_INTEGER } } },
	{ "memtier",
	  { { "far_nodes", JSON_INTEGER },
	    { "watched", JSON_INTEGER },
	    { "cxl_migrations", JSON_INTEGER },
	    { "migrated_mb", -1 } } },
	{ "mlmig", { { "offered", JSON_INTEGER }, { "vetoed_pct", -1 } } },
	{ "jobs", { { "live", JSON_INTEGER }, { "busiest", JSON_ARRAY } } },
	{ "smt_pair",
	  { { "jobs", JSON_INTEGER },
	    { "pairing", JSON_STRING },
	    { "pairs", JSON_ARRAY },
	    { "co_run", JSON_ARRAY } } },
};

/* A module's object: the members its stats hook sets, if it has one. */
static const char *check_module(const char *name, json_t *m)
{
	static char why[200];

	if (!json_is_object(m)) {
		snprintf(why, sizeof(why), "module_stats has no object for %s", name);
		return why;
	}
	for (size_t k = 0; k < sizeof(hook_members) / sizeof(hook_members[0]); k++) {
		const char *bad;

		if (strcmp(hook_members[k].module, name))
			continue;
		bad = has_members(m, hook_members[k].m);
		if (!bad)
			return NULL;
		snprintf(why, sizeof(why), "module_stats.%s: %s", name, bad);
		return why;
	}
	return NULL;
}

/* Every node is of the schema, and the nodes hold the domains' CPUs. */
static const char *check_nodes(json_t *nodes, json_t *doms)
{
	static char why[160];
	int node_cpus = 0, dom_cpus = 0;
	json_t *n, *d;
	size_t i;

	if (!json_array_size(nodes))
		return "\"nodes\" is empty";
	json_array_foreach(nodes, i, n)
	{
		const char *bad = has_members(n, node);

		if (bad) {
			snprintf(why, sizeof(why), "nodes[%zu]: %s", i, bad);
			return why;
		}
		node_cpus += json_integer_value(json_object_get(n, "cpus"));
	}
	json_array_foreach(doms, i, d) dom_cpus += json_integer_value(json_object_get(d, "cpus"));
	if (node_cpus != dom_cpus) {
		snprintf(why, sizeof(why), "the nodes hold %d CPUs, the domains %d", node_cpus,
			 dom_cpus);
		return why;
	}
	return NULL;
}

/* The schema's checks of one block; NULL or what is wrong. */
static const char *check_block(json_t *b)
{
	static char why[160];
	const char *bad = has_members(b, top);
	json_t *name, *doms;
	size_t i;

	if (bad)
		return bad;
	if (strcmp(json_string_value(json_object_get(b, "schema")), "tessera-stats/1"))
		return "\"schema\" is not tessera-stats/1";
	bad = has_members(json_object_get(b, "framework"), framework) ?:
									has_members(
										json_object_get(json_object_get(b, "framework"), "migrated_by_per_s"),
										migrated_by);
	if (bad) {
		snprintf(why, sizeof(why), "framework: %s", bad);
		return why;
	}
	json_array_foreach(json_object_get(b, "modules"), i, name)
	{
		const char *s = json_string_value(name) ?: "(not a string)";

		bad = check_module(s, json_object_get(json_object_get(b, "module_stats"), s));
		if (bad)
			return bad;
	}
	doms = json_object_get(b, "domains");
	if (!json_array_size(doms) ||
	    !json_is_integer(json_object_get(json_array_get(doms, 0), "online")))
		return "\"domains\" is empty or without \"online\"";
	return check_nodes(json_object_get(b, "nodes"), doms);
}

/* Parse the blocks of @path into @b; how many (at least one), or -1 with the problem said. */
static int read_blocks(const char *path, json_t **b, int max)
{
	char line[1 << 16];
	int n = 0, lineno = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f) && n < max) {
		json_error_t err;
		const char *bad;

		lineno++;
		if (line[0] != '{')
			continue;
		b[n] = json_loads(line, 0, &err);
		if (!b[n]) {
			printf("%s:%d: not JSON: %s\n", path, lineno, err.text);
			fclose(f);
			return -1;
		}
		bad = check_block(b[n]);
		if (bad) {
			printf("%s:%d: %s\n", path, lineno, bad);
			fclose(f);
			return -1;
		}
		n++;
	}
	fclose(f);
	if (!n) {
		printf("%s: no JSON blocks\n", path);
		return -1;
	}
	return n;
}

int main(int argc, char **argv)
{
	static json_t *printed[MAX_BLOCKS], *watched[MAX_BLOCKS];
	int np, nw, same = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: tsr-jsoncheck PRINTED [WATCHED]\n");
		return 2;
	}
	np = read_blocks(argv[1], printed, MAX_BLOCKS);
	if (np < 0)
		return 1;
	if (argc == 2) {
		printf("%d blocks, each of the schema\n", np);
		return 0;
	}
	nw = read_blocks(argv[2], watched, MAX_BLOCKS);
	if (nw < 0)
		return 1;
	for (int w = 0; w < nw; w++) {
		double t = json_number_value(json_object_get(watched[w], "t"));
		int p = 0;

		while (p < np && json_number_value(json_object_get(printed[p], "t")) != t)
			p++;
		if (p == np)
			continue;
		if (!json_equal(printed[p], watched[w])) {
			printf("the block at t=%.1f differs between %s and %s\n", t, argv[1],
			       argv[2]);
			return 1;
		}
		same++;
	}
	if (!same) {
		printf("no block of %s was printed in %s\n", argv[2], argv[1]);
		return 1;
	}
	printf("%d and %d blocks of the schema; the %d watched ones also printed are equal\n", np,
	       nw, same);
	return 0;
}
