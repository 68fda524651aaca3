/* SPDX-License-Identifier: GPL-2.0 */
/* The CPUs a scheduler limited to n of them (-n/--nr-cpus) places and dispatches onto. */
#ifndef TSR_CLASSIFY_CPUS_H
#define TSR_CLASSIFY_CPUS_H

#include <stddef.h>
#include "../../arena/topo.h"
#include "../../arena/cpumask.h"

/*
 * Up to @n online CPUs of @topo into @out, spread by topology: one thread of
 * every core first (cores in domain order), then every core's second
 * thread, and so on. Returns how many were chosen.
 */
unsigned int classify_pick_cpus(const struct tsr_topo *topo, unsigned int n, unsigned int *out);

/* "0,2,4-7" into @buf for the CPUs in @cpus (any order). */
void classify_cpu_list(const unsigned int *cpus, unsigned int n, char *buf, size_t len);

/*
 * The online CPUs of the nodes nearest far memory (a node with memory and
 * no CPUs: CXL or any other CPU-less memory; all nodes at the least
 * distance from it) into @out; how many. None when there is no far memory.
 */
unsigned int classify_near_far_cpus(const struct tsr_topo *topo, struct tsr_cpumask *out);

#endif /* TSR_CLASSIFY_CPUS_H */
