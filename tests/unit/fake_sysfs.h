/* SPDX-License-Identifier: GPL-2.0 */
/* Fake sysfs trees for topology tests, built in a temporary directory. */
#ifndef TSR_FAKE_SYSFS_H
#define TSR_FAKE_SYSFS_H

struct fake_machine {
	int sockets, cores, threads; /* CPUs = sockets * cores * threads, ids in that order */
	int nodes; /* CPU nodes; sockets split evenly; 0 = no node directory */
	int mem_only_nodes; /* extra nodes with memory and no CPUs */
	int l3_per_socket; /* 1: one L3 per socket; 0: no cache directories */
	int l2_per_core; /* 1: one L2 per core */
	int id_stride; /* CPU id = index * stride (holes when > 1); 0 = 1 */
	const char *online; /* content of cpu/online, or NULL for every CPU */
};

/* A new empty tree; returns its root (static storage, valid until fake_sysfs_free). */
char *fake_sysfs_new(void);
/* Write @content to @root/@rel, creating directories. */
void fake_write(const char *root, const char *rel, const char *content);
/* Remove a file. */
void fake_remove(const char *root, const char *rel);
/* Populate @root as the described machine. */
void fake_machine(const char *root, const struct fake_machine *m);
/* Remove the tree. */
void fake_sysfs_free(char *root);

#endif
