/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory tiers as sysfs describes them: NUMA nodes with and without CPUs,
 * node distances, HMAT latencies, the kernel's memory tiers, and which
 * memory-only nodes are CXL memory (a CXL region onlined as system RAM),
 * with the CPU node closest to each. Read under a root directory so that
 * tests can use fake trees.
 */
#ifndef TSR_MEMTIER_TIERS_H
#define TSR_MEMTIER_TIERS_H

#include <stdbool.h>
#include <stddef.h>

#define MT_MAX_NODES 64

struct mt_node {
	bool present;
	bool has_cpu, has_memory;
	bool cxl; /* memory of a CXL region */
	int cxl_region; /* that region's number, -1 if none */
	int tier; /* the kernel's memory tier id, -1 if it does not say */
	unsigned int nr_cpus;
	unsigned int read_latency_ns; /* HMAT, from the nearest initiator; 0 unknown */
	int nearest_cpu_node; /* memory-only: the CPU node at the least distance, -1 none */
};

struct mt_tiers {
	bool numa; /* sysfs describes NUMA nodes (else one node 0 with every CPU is assumed) */
	int nr_nodes; /* highest node id + 1 */
	struct mt_node node[MT_MAX_NODES];
	unsigned char distance[MT_MAX_NODES][MT_MAX_NODES]; /* 0 unknown */
};

/* Read the tiers under @root ("" for /). 0, or -errno with one line in @err naming the file. */
int mt_detect(const char *root, struct mt_tiers *t, char *err, size_t err_len);

/* One line per node into @buf: "node 1: memory only, CXL region0, tier 1, nearest CPUs node 0 (distance 20)". */
void mt_describe(const struct mt_tiers *t, char *buf, size_t len);

/* The nodes that are far memory: memory-only ones (CXL or not). */
unsigned int mt_nr_far(const struct mt_tiers *t);

/* The far node nearest CPU node @cpu_node (a CXL one on a tie), -1 if there is none. */
int mt_far_node_for(const struct mt_tiers *t, int cpu_node);

#endif /* TSR_MEMTIER_TIERS_H */
