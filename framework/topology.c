// SPDX-License-Identifier: GPL-2.0
/* sysfs topology discovery: CPUs, cores, cache domains, NUMA nodes. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "topology.h"

struct walk {
	const struct tsr_topo_opts *opts;
	char *err;
	size_t errlen;
};

static int fail(struct walk *w, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->err, w->errlen, fmt, ap);
	va_end(ap);
	return ret;
}

static bool path_exists(struct walk *w, const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", w->opts->sysfs_root, rel);
	return stat(path, &st) == 0;
}

/* Read a small sysfs file, without the trailing newline. */
static int read_file(struct walk *w, const char *rel, char *buf, size_t len)
{
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", w->opts->sysfs_root, rel);
	f = fopen(path, "r");
	if (!f)
		return fail(w, -errno, "topology: cannot read %s: %s", path, strerror(errno));
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return 0;
}

static int read_int(struct walk *w, const char *rel, long *out)
{
	char buf[64], *end;
	int ret = read_file(w, rel, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*out = strtol(buf, &end, 10);
	if (!buf[0] || *end || errno)
		return fail(w, -EINVAL, "topology: %s/%s: '%s' is not a number",
			    w->opts->sysfs_root, rel, buf);
	return 0;
}

static int read_cpulist(struct walk *w, const char *rel, struct tsr_cpumask *mask)
{
	char buf[8192];
	int ret = read_file(w, rel, buf, sizeof(buf));

	if (ret)
		return ret;
	ret = tsr_parse_cpulist(buf, mask);
	if (ret == -ERANGE)
		return fail(w, ret, "topology: %s/%s: '%s' names a CPU beyond %d",
			    w->opts->sysfs_root, rel, buf, TSR_MAX_CPUS - 1);
	if (ret)
		return fail(w, ret, "topology: %s/%s: '%s' is not a CPU list", w->opts->sysfs_root,
			    rel, buf);
	return 0;
}

int tsr_parse_cpulist(const char *s, struct tsr_cpumask *mask)
{
	memset(mask, 0, sizeof(*mask));
	while (*s && isspace((unsigned char)*s))
		s++;
	while (*s) {
		unsigned long a, b;
		char *end;

		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		a = b = strtoul(s, &end, 10);
		s = end;
		if (*s == '-') {
			if (!isdigit((unsigned char)s[1]))
				return -EINVAL;
			b = strtoul(s + 1, &end, 10);
			s = end;
		}
		if (a > b)
			return -EINVAL;
		if (b >= TSR_MAX_CPUS)
			return -ERANGE;
		for (unsigned long c = a; c <= b; c++)
			tsr_cpumask_set(mask, c);
		if (*s == ',')
			s++;
		else if (*s && !isspace((unsigned char)*s))
			return -EINVAL;
		while (*s && isspace((unsigned char)*s))
			s++;
	}
	return 0;
}

static int first_cpu(const struct tsr_cpumask *m)
{
	for (int i = 0; i < TSR_CPUMASK_WORDS; i++)
		if (m->bits[i])
			return i * 64 + __builtin_ctzll(m->bits[i]);
	return -1;
}

static void mask_and(struct tsr_cpumask *dst, const struct tsr_cpumask *a,
		     const struct tsr_cpumask *b)
{
	for (int i = 0; i < TSR_CPUMASK_WORDS; i++)
		dst->bits[i] = a->bits[i] & b->bits[i];
}

#define for_each_cpu(cpu, mask)                      \
	for (int cpu = 0; cpu < TSR_MAX_CPUS; cpu++) \
		if (tsr_cpumask_test(mask, cpu))

static int discover_cpus(struct walk *w, struct tsr_topo *t)
{
	struct tsr_cpumask possible;
	char rel[128];
	int ret, last = -1;

	ret = read_cpulist(w, "devices/system/cpu/possible", &possible);
	if (ret)
		return ret;
	for_each_cpu(cpu, &possible) last = cpu;
	if (last < 0)
		return fail(w, -EINVAL, "topology: %s/devices/system/cpu/possible is empty",
			    w->opts->sysfs_root);
	t->nr_cpu_ids = last + 1;
	if (path_exists(w, "devices/system/cpu/online")) {
		ret = read_cpulist(w, "devices/system/cpu/online", &t->online);
		if (ret)
			return ret;
		mask_and(&t->online, &t->online, &possible);
	} else {
		t->online = possible;
	}
	t->nr_cpus = tsr_cpumask_weight(&t->online);
	if (!t->nr_cpus)
		return fail(w, -EINVAL, "topology: no online CPU under %s", w->opts->sysfs_root);

	for_each_cpu(cpu, &t->online)
	{
		struct tsr_cpumask sib;
		int first, other = -1;

		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/topology/thread_siblings_list",
			 cpu);
		ret = read_cpulist(w, rel, &sib);
		if (ret)
			return ret;
		mask_and(&sib, &sib, &t->online);
		tsr_cpumask_set(&sib, cpu);
		first = first_cpu(&sib);
		if (first == cpu)
			t->cpu_core[cpu] = t->nr_cores++;
		else
			t->cpu_core[cpu] = t->cpu_core[first];
		for_each_cpu(s, &sib) if (s != cpu && other < 0) other = s;
		t->cpu_sibling[cpu] = other;
	}
	return 0;
}

static int discover_nodes(struct walk *w, struct tsr_topo *t)
{
	char rel[128], buf[1024];
	int ret;

	if (!path_exists(w, "devices/system/node")) {
		/* no NUMA support: one node with every CPU and the memory */
		t->nr_nodes = 1;
		t->node_has_cpu = t->node_has_memory = 1;
		t->node_cpus[0] = t->online;
		t->node_distance[0][0] = 10;
		for_each_cpu(cpu, &t->online) t->cpu_node[cpu] = 0;
		return 0;
	}
	for (int n = 0; n < TSR_MAX_NODES; n++) {
		struct tsr_cpumask cpus;
		char *tok, *save;
		int m = 0;

		snprintf(rel, sizeof(rel), "devices/system/node/node%d", n);
		if (!path_exists(w, rel))
			continue;
		snprintf(rel, sizeof(rel), "devices/system/node/node%d/cpulist", n);
		ret = read_cpulist(w, rel, &cpus);
		if (ret)
			return ret;
		mask_and(&t->node_cpus[n], &cpus, &t->online);
		if (tsr_cpumask_weight(&t->node_cpus[n]))
			t->node_has_cpu |= 1ULL << n;
		t->nr_nodes = n + 1;
		for_each_cpu(cpu, &t->node_cpus[n]) t->cpu_node[cpu] = n;

		snprintf(rel, sizeof(rel), "devices/system/node/node%d/distance", n);
		ret = read_file(w, rel, buf, sizeof(buf));
		if (ret)
			return ret;
		for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save), m++) {
			char *end;
			long d = strtol(tok, &end, 10);

			if (*end || d < 0 || d > 255 || m >= TSR_MAX_NODES)
				return fail(w, -EINVAL,
					    "topology: %s/%s: '%s' is not a distance (0..255)",
					    w->opts->sysfs_root, rel, tok);
			t->node_distance[n][m] = d;
		}
	}
	if (!t->nr_nodes)
		return fail(w, -EINVAL, "topology: no node%%d under %s/devices/system/node",
			    w->opts->sysfs_root);
	if (path_exists(w, "devices/system/node/has_memory")) {
		struct tsr_cpumask mem;

		ret = read_cpulist(w, "devices/system/node/has_memory", &mem);
		if (ret)
			return ret;
		t->node_has_memory = mem.bits[0];
	} else {
		t->node_has_memory = (t->nr_nodes >= 64) ? ~0ULL : (1ULL << t->nr_nodes) - 1;
	}
	return 0;
}

/* CPUs sharing @cpu's data or unified cache at @level; -ENOENT when it has none. */
static int cache_peers(struct walk *w, int cpu, unsigned int level, struct tsr_cpumask *peers)
{
	char rel[160], type[32];
	long lvl;
	int ret;

	for (int idx = 0; idx < 16; idx++) {
		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/cache/index%d", cpu, idx);
		if (!path_exists(w, rel))
			continue;
		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/cache/index%d/level", cpu,
			 idx);
		ret = read_int(w, rel, &lvl);
		if (ret)
			return ret;
		if (lvl != (long)level)
			continue;
		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/cache/index%d/type", cpu, idx);
		if (path_exists(w, rel)) {
			ret = read_file(w, rel, type, sizeof(type));
			if (ret)
				return ret;
			if (!strcmp(type, "Instruction"))
				continue;
		}
		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/cache/index%d/shared_cpu_list",
			 cpu, idx);
		return read_cpulist(w, rel, peers);
	}
	return -ENOENT;
}

static int add_domain(struct walk *w, struct tsr_topo *t, const struct tsr_cpumask *cpus, int node)
{
	int d = t->nr_doms;

	if (d == TSR_MAX_DOMS)
		return fail(w, -E2BIG, "topology: more than %d domains", TSR_MAX_DOMS);
	t->dom_cpus[d] = *cpus;
	t->dom_node[d] = node;
	for_each_cpu(cpu, cpus) t->cpu_dom[cpu] = d;
	t->nr_doms++;
	return 0;
}

static int discover_domains(struct walk *w, struct tsr_topo *t)
{
	unsigned int level = w->opts->cache_level;
	int ret;

	t->cache_level = level;
	for_each_cpu(cpu, &t->online)
	{
		struct tsr_cpumask peers;
		int node = t->cpu_node[cpu];

		if (t->cpu_dom[cpu] >= 0)
			continue;
		if (!level) {
			peers = t->node_cpus[node];
		} else {
			ret = cache_peers(w, cpu, level, &peers);
			if (ret == -ENOENT)
				return fail(w, -ENOENT,
					    "topology: cpu%d has no level-%u cache in %s (try a "
					    "different cache level, or 0 for one domain per node)",
					    cpu, level, w->opts->sysfs_root);
			if (ret)
				return ret;
		}
		/* a domain never spans nodes, and holds online CPUs only */
		mask_and(&peers, &peers, &t->node_cpus[node]);
		tsr_cpumask_set(&peers, cpu);
		for_each_cpu(c, &peers) if (t->cpu_dom[c] >= 0) tsr_cpumask_clear(&peers, c);
		ret = add_domain(w, t, &peers, node);
		if (ret)
			return ret;
	}
	return 0;
}

int tsr_topo_discover(struct tsr_topo *t, const struct tsr_topo_opts *opts, char *err,
		      size_t errlen)
{
	struct walk w = { .opts = opts, .err = err, .errlen = errlen };
	int ret;

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < TSR_MAX_CPUS; i++)
		t->cpu_core[i] = t->cpu_dom[i] = t->cpu_node[i] = t->cpu_sibling[i] = -1;
	for (int i = 0; i < TSR_MAX_DOMS; i++)
		t->dom_node[i] = -1;
	ret = discover_cpus(&w, t);
	if (!ret)
		ret = discover_nodes(&w, t);
	if (!ret) {
		for_each_cpu(cpu, &t->online) if (t->cpu_node[cpu] < 0)
		{
			/* CPU absent from every node's cpulist: treat as node 0 */
			t->cpu_node[cpu] = 0;
			tsr_cpumask_set(&t->node_cpus[0], cpu);
			t->node_has_cpu |= 1;
		}
		ret = discover_domains(&w, t);
	}
	if (!ret)
		t->version = TSR_TOPO_VERSION;
	return ret;
}

void tsr_topo_print(const struct tsr_topo *t, FILE *out)
{
	fprintf(out, "topology: %u CPUs online (ids < %u), %u cores, %u nodes, %u domains (%s%u)\n",
		t->nr_cpus, t->nr_cpu_ids, t->nr_cores, t->nr_nodes, t->nr_doms,
		t->cache_level ? "cache level " : "per node", t->cache_level);
	for (unsigned int d = 0; d < t->nr_doms; d++) {
		fprintf(out, "  dom%u node%d cpus", d, t->dom_node[d]);
		for_each_cpu(cpu, &t->dom_cpus[d]) fprintf(out, " %d", cpu);
		fputc('\n', out);
	}
	for (unsigned int n = 0; n < t->nr_nodes; n++)
		if (!(t->node_has_cpu >> n & 1) && (t->node_has_memory >> n & 1))
			fprintf(out, "  node%u: memory only (far memory tier)\n", n);
}
