// SPDX-License-Identifier: GPL-2.0
/* Fake sysfs trees: the files tsr_topo_discover() reads, for described machines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fake_sysfs.h"

static void mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
}

void fake_write(const char *root, const char *rel, const char *content)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdirs(path);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		abort();
	}
	fprintf(f, "%s\n", content);
	fclose(f);
}

void fake_remove(const char *root, const char *rel)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

char *fake_sysfs_new(void)
{
	char *root = strdup("/tmp/tsr-fake-sysfs.XXXXXX");

	if (!mkdtemp(root))
		abort();
	return root;
}

void fake_sysfs_free(char *root)
{
	char cmd[1100];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", root);
	free(root);
}

/* Append CPU ids [first, first + n) with @stride to a list string. */
static void list_range(char *buf, size_t len, int first, int n, int stride)
{
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t l = strlen(buf);

		snprintf(buf + l, len - l, "%s%d", i ? "," : "", (first + i) * stride);
	}
}

/* cpu<cpu>/cache/index<idx>: a unified cache of @level shared by @peers */
static void write_cache(const char *root, int cpu, int idx, int level, const char *peers)
{
	char rel[256], lvl[8];

	snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/cache/index%d/level", cpu, idx);
	snprintf(lvl, sizeof(lvl), "%d", level);
	fake_write(root, rel, lvl);
	snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/cache/index%d/type", cpu, idx);
	fake_write(root, rel, "Unified");
	snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/cache/index%d/shared_cpu_list", cpu,
		 idx);
	fake_write(root, rel, peers);
}

void fake_machine(const char *root, const struct fake_machine *m)
{
	int nr = m->sockets * m->cores * m->threads, stride = m->id_stride ?: 1;
	int per_socket = m->cores * m->threads;
	char rel[256], buf[4096];

	snprintf(buf, sizeof(buf), "0-%d", (nr - 1) * stride);
	fake_write(root, "devices/system/cpu/possible", buf);
	list_range(buf, sizeof(buf), 0, nr, stride);
	fake_write(root, "devices/system/cpu/online", m->online ? m->online : buf);
	for (int i = 0; i < nr; i++) {
		int cpu = i * stride, socket = i / per_socket, core = (i % per_socket) / m->threads;
		int first = socket * per_socket + core * m->threads;

		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/topology/thread_siblings_list",
			 cpu);
		list_range(buf, sizeof(buf), first, m->threads, stride);
		fake_write(root, rel, buf);
		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/topology/core_id", cpu);
		snprintf(buf, sizeof(buf), "%d", core);
		fake_write(root, rel, buf);
		if (m->l2_per_core) {
			list_range(buf, sizeof(buf), first, m->threads, stride);
			write_cache(root, cpu, 0, 2, buf);
		}
		if (m->l3_per_socket) {
			list_range(buf, sizeof(buf), socket * per_socket, per_socket, stride);
			write_cache(root, cpu, 1, 3, buf);
		}
	}
	if (!m->nodes)
		return;
	int all_nodes = m->nodes + m->mem_only_nodes, per_node = nr / m->nodes;

	for (int n = 0; n < all_nodes; n++) {
		size_t l = 0;

		snprintf(rel, sizeof(rel), "devices/system/node/node%d/cpulist", n);
		if (n < m->nodes)
			list_range(buf, sizeof(buf), n * per_node, per_node, stride);
		else
			buf[0] = '\0';
		fake_write(root, rel, buf);
		for (int o = 0; o < all_nodes; o++)
			l += snprintf(buf + l, sizeof(buf) - l, "%s%d", o ? " " : "",
				      o == n			       ? 10 :
				      (o >= m->nodes || n >= m->nodes) ? 30 :
									 20);
		snprintf(rel, sizeof(rel), "devices/system/node/node%d/distance", n);
		fake_write(root, rel, buf);
	}
	snprintf(buf, sizeof(buf), "0-%d", all_nodes - 1);
	fake_write(root, "devices/system/node/has_memory", buf);
	snprintf(buf, sizeof(buf), "0-%d", m->nodes - 1);
	fake_write(root, "devices/system/node/has_cpu", buf);
}
