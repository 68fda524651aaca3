/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine topology as userspace writes it into the arena before attach:
 * CPUs, cores, cache domains, NUMA nodes (including memory-only nodes) and
 * node distances. BPF reads it with O(1) lookups. Written once per load;
 * BPF never writes it.
 */
#ifndef TSR_TOPO_H
#define TSR_TOPO_H

#include "cpumask.h"

#define TSR_MAX_DOMS 256
#define TSR_MAX_NODES 64
#define TSR_TOPO_VERSION 1

struct tsr_topo {
	__u32 version; /* TSR_TOPO_VERSION once filled in */
	__u32 nr_cpu_ids; /* highest possible CPU id + 1 */
	__u32 nr_cpus; /* online CPUs the scheduler uses */
	__u32 nr_cores;
	__u32 nr_doms;
	__u32 nr_nodes; /* highest node id + 1 */
	__u32 cache_level; /* cache level domains were built from; 0 = per node */
	__u32 pad;
	__u64 node_has_cpu; /* bit n: node n has CPUs */
	__u64 node_has_memory; /* bit n: node n has memory (CPU-less = far memory) */
	__s16 cpu_core[TSR_MAX_CPUS]; /* -1 for offline or absent CPUs */
	__s16 cpu_dom[TSR_MAX_CPUS];
	__s16 cpu_node[TSR_MAX_CPUS];
	__s16 cpu_sibling[TSR_MAX_CPUS]; /* first other SMT sibling, or -1 */
	__s16 dom_node[TSR_MAX_DOMS];
	__u8 node_distance[TSR_MAX_NODES][TSR_MAX_NODES];
	struct tsr_cpumask online;
	struct tsr_cpumask dom_cpus[TSR_MAX_DOMS];
	struct tsr_cpumask node_cpus[TSR_MAX_NODES];
};

#endif /* TSR_TOPO_H */
