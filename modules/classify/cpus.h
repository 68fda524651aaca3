/* SPDX-License-Identifier: GPL-2.0 */
/* The CPUs a scheduler limited to n of them (-n/--nr-cpus) places and dispatches onto. */
#ifndef TSR_CLASSIFY_CPUS_H
#define TSR_CLASSIFY_CPUS_H

#include <stddef.h>
#include "../../arena/topo.h"

/*
 * Up to @n online CPUs of @topo into @out, spread by topology: one thread of
 * every core first (cores in domain order), then every core's second
 * thread, and so on. Returns how many were chosen.
 */
unsigned int classify_pick_cpus(const struct tsr_topo *topo, unsigned int n, unsigned int *out);

/* "0,2,4-7" into @buf for the CPUs in @cpus (any order). */
void classify_cpu_list(const unsigned int *cpus, unsigned int n, char *buf, size_t len);

#endif /* TSR_CLASSIFY_CPUS_H */
