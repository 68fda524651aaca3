/* SPDX-License-Identifier: GPL-2.0 */
/* Which physical cores each pair of jobs gets. */
#ifndef SMT_ASSIGN_H
#define SMT_ASSIGN_H

#include <stdint.h>
#include "../../arena/topo.h"

/*
 * Share the physical cores of @topo among @nr_pairs pairs, each getting a
 * run of whole cores (both hardware threads), as evenly as the count
 * allows; pairs beyond the core count get none. @cpus[k] receives the CPUs
 * of pair k. Returns the number of pairs that got cores.
 */
int smt_assign_cores(const struct tsr_topo *topo, int nr_pairs, struct tsr_cpumask *cpus);

#endif /* SMT_ASSIGN_H */
