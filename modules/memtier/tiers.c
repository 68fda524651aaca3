// SPDX-License-Identifier: GPL-2.0
/* Reading memory tiers from sysfs (tiers.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "framework/read_line.h"
#include "tiers.h"

#define NODE_DIR "/sys/devices/system/node"

/*
 * A kernel list ("0-3,8") of ids below MT_MAX_NODES (or @max) into @set;
 * how many, or -EINVAL for anything else.
 */
static int parse_list(const char *s, bool *set, int max)
{
	int n = 0;

	while (*s) {
		char *end;
		long lo = strtol(s, &end, 10), hi = lo;

		if (end == s || lo < 0)
			return -EINVAL;
		if (*end == '-') {
			s = end + 1;
			hi = strtol(s, &end, 10);
			if (end == s || hi < lo)
				return -EINVAL;
		}
		for (long i = lo; i <= hi; i++) {
			if (i < max && set)
				set[i] = true;
			n++;
		}
		if (*end == ',')
			end++;
		else if (*end)
			return -EINVAL;
		s = end;
	}
	return n;
}

static int bad(char *err, size_t len, const char *path, const char *value)
{
	snprintf(err, len, "memtier: %s: '%s' is not what the kernel writes there", path, value);
	return -EINVAL;
}

static int read_node(const char *root, int id, struct mt_tiers *t, char *err, size_t len)
{
	struct mt_node *n = &t->node[id];
	char path[PATH_MAX], buf[512];
	int cpus, i = 0;

	n->present = true;
	n->tier = n->cxl_region = n->nearest_cpu_node = -1;
	snprintf(path, sizeof(path), "%s" NODE_DIR "/node%d/cpulist", root, id);
	if (!tsr_read_line(path, buf, sizeof(buf))) {
		cpus = parse_list(buf, NULL, 0);
		if (cpus < 0)
			return bad(err, len, path, buf);
		n->nr_cpus = cpus;
		n->has_cpu = cpus > 0;
	}
	snprintf(path, sizeof(path), "%s" NODE_DIR "/node%d/distance", root, id);
	if (!tsr_read_line(path, buf, sizeof(buf))) {
		for (char *s = buf, *end; *s; s = end) {
			long d = strtol(s, &end, 10);

			if (end == s || d < 0 || d > 255 || i >= MT_MAX_NODES)
				return bad(err, len, path, buf);
			t->distance[id][i++] = d;
			while (*end == ' ')
				end++;
		}
	}
	snprintf(path, sizeof(path), "%s" NODE_DIR "/node%d/access0/initiators/read_latency", root,
		 id);
	if (!tsr_read_line(path, buf, sizeof(buf))) {
		char *end;
		unsigned long ns = strtoul(buf, &end, 10);

		if (end == buf || *end)
			return bad(err, len, path, buf);
		n->read_latency_ns = ns;
	}
	return 0;
}

static int read_nodes(const char *root, struct mt_tiers *t, char *err, size_t len)
{
	bool mem[MT_MAX_NODES] = { false };
	char path[PATH_MAX], buf[512];
	struct dirent *e;
	DIR *d;
	int ret = 0;

	snprintf(path, sizeof(path), "%s" NODE_DIR, root);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d)) && !ret) {
		char *end;
		long id;

		if (strncmp(e->d_name, "node", 4))
			continue;
		id = strtol(e->d_name + 4, &end, 10);
		if (end == e->d_name + 4 || *end || id < 0 || id >= MT_MAX_NODES)
			continue;
		t->numa = true;
		if (id + 1 > t->nr_nodes)
			t->nr_nodes = id + 1;
		ret = read_node(root, id, t, err, len);
	}
	closedir(d);
	if (ret || !t->numa)
		return ret;
	snprintf(path, sizeof(path), "%s" NODE_DIR "/has_memory", root);
	if (tsr_read_line(path, buf, sizeof(buf))) {
		for (int i = 0; i < t->nr_nodes; i++)
			t->node[i].has_memory = t->node[i].present;
		return 0;
	}
	if (parse_list(buf, mem, MT_MAX_NODES) < 0)
		return bad(err, len, path, buf);
	for (int i = 0; i < t->nr_nodes; i++)
		t->node[i].has_memory = mem[i] && t->node[i].present;
	return 0;
}

/* The kernel's memory tiers: /sys/devices/virtual/memory_tiering/memory_tierK/nodelist. */
static int read_memory_tiers(const char *root, struct mt_tiers *t, char *err, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX + 300], buf[512];
	struct dirent *e;
	DIR *d;
	int ret = 0;

	snprintf(dir, sizeof(dir), "%s/sys/devices/virtual/memory_tiering", root);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((e = readdir(d)) && !ret) {
		bool in[MT_MAX_NODES] = { false };
		char *end;
		long tier;

		if (strncmp(e->d_name, "memory_tier", 11))
			continue;
		tier = strtol(e->d_name + 11, &end, 10);
		if (end == e->d_name + 11 || *end)
			continue;
		snprintf(path, sizeof(path), "%s/%s/nodelist", dir, e->d_name);
		if (tsr_read_line(path, buf, sizeof(buf)))
			continue;
		if (parse_list(buf, in, MT_MAX_NODES) < 0) {
			ret = bad(err, len, path, buf);
			break;
		}
		for (int i = 0; i < t->nr_nodes; i++)
			if (in[i])
				t->node[i].tier = tier;
	}
	closedir(d);
	return ret;
}

/* The node a CXL region's memory became: its DAX device's target_node. */
static int region_node(const char *rdir, int region)
{
	char dir[PATH_MAX + 400], path[PATH_MAX + 800], buf[64];
	struct dirent *e;
	int node = -1;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/dax_region%d", rdir, region);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d)) && node < 0) {
		if (strncmp(e->d_name, "dax", 3) || !strchr(e->d_name, '.'))
			continue;
		snprintf(path, sizeof(path), "%s/%s/target_node", dir, e->d_name);
		if (!tsr_read_line(path, buf, sizeof(buf)))
			node = atoi(buf);
	}
	closedir(d);
	return node;
}

static void read_cxl_regions(const char *root, struct mt_tiers *t)
{
	char dir[PATH_MAX], rdir[PATH_MAX + 300];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/sys/bus/cxl/devices", root);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *end;
		long region;
		int node;

		if (strncmp(e->d_name, "region", 6))
			continue;
		region = strtol(e->d_name + 6, &end, 10);
		if (end == e->d_name + 6 || *end)
			continue;
		snprintf(rdir, sizeof(rdir), "%s/%s", dir, e->d_name);
		node = region_node(rdir, region);
		if (node >= 0 && node < t->nr_nodes && t->node[node].present) {
			t->node[node].cxl = true;
			t->node[node].cxl_region = region;
		}
	}
	closedir(d);
}

static void find_nearest(struct mt_tiers *t)
{
	for (int i = 0; i < t->nr_nodes; i++) {
		struct mt_node *n = &t->node[i];

		if (!n->present || n->has_cpu)
			continue;
		for (int c = 0; c < t->nr_nodes; c++) {
			if (!t->node[c].present || !t->node[c].has_cpu || !t->distance[i][c])
				continue;
			if (n->nearest_cpu_node < 0 ||
			    t->distance[i][c] < t->distance[i][n->nearest_cpu_node])
				n->nearest_cpu_node = c;
		}
	}
}

int mt_detect(const char *root, struct mt_tiers *t, char *err, size_t err_len)
{
	int ret;

	memset(t, 0, sizeof(*t));
	ret = read_nodes(root, t, err, err_len);
	if (ret)
		return ret;
	if (!t->numa) {
		t->nr_nodes = 1;
		t->node[0] = (struct mt_node){ .present = true,
					       .has_cpu = true,
					       .has_memory = true,
					       .tier = -1,
					       .cxl_region = -1,
					       .nearest_cpu_node = -1 };
		return 0;
	}
	ret = read_memory_tiers(root, t, err, err_len);
	if (ret)
		return ret;
	read_cxl_regions(root, t);
	find_nearest(t);
	return 0;
}

unsigned int mt_nr_far(const struct mt_tiers *t)
{
	unsigned int n = 0;

	for (int i = 0; i < t->nr_nodes; i++)
		n += t->node[i].present && t->node[i].has_memory && !t->node[i].has_cpu;
	return n;
}

void mt_describe(const struct mt_tiers *t, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	if (!t->numa) {
		snprintf(buf, len, "no NUMA nodes in sysfs: one node, no far memory");
		return;
	}
	for (int i = 0; i < t->nr_nodes && used < len; i++) {
		const struct mt_node *n = &t->node[i];

		if (!n->present)
			continue;
		used += snprintf(buf + used, len - used, "%snode %d: ", used ? "; " : "", i);
		if (n->has_cpu)
			used += snprintf(buf + used, len - used, "%u CPUs", n->nr_cpus);
		else if (n->has_memory)
			used += snprintf(buf + used, len - used, "memory only");
		else
			used += snprintf(buf + used, len - used, "no CPUs, no memory");
		if (n->cxl && used < len)
			used += snprintf(buf + used, len - used, ", CXL region%d", n->cxl_region);
		if (n->tier >= 0 && used < len)
			used += snprintf(buf + used, len - used, ", tier %d", n->tier);
		if (n->read_latency_ns && used < len)
			used += snprintf(buf + used, len - used, ", read latency %u ns",
					 n->read_latency_ns);
		if (n->nearest_cpu_node >= 0 && used < len)
			used += snprintf(buf + used, len - used,
					 ", nearest CPUs node %d (distance %u)",
					 n->nearest_cpu_node, t->distance[i][n->nearest_cpu_node]);
	}
}

int mt_far_node_for(const struct mt_tiers *t, int cpu_node)
{
	int best = -1;

	for (int n = 0; n < t->nr_nodes && n < MT_MAX_NODES; n++) {
		const struct mt_node *far = &t->node[n];
		unsigned int d, bd;

		if (!far->present || far->has_cpu || !far->has_memory)
			continue;
		if (best < 0) {
			best = n;
			continue;
		}
		d = cpu_node >= 0 && cpu_node < MT_MAX_NODES ? t->distance[cpu_node][n] : 0;
		bd = cpu_node >= 0 && cpu_node < MT_MAX_NODES ? t->distance[cpu_node][best] : 0;
		if (d < bd || (d == bd && far->cxl && !t->node[best].cxl))
			best = n;
	}
	return best;
}
