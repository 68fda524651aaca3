// SPDX-License-Identifier: GPL-2.0
/* Physical cores handed out to pairs in runs, in core order. */
#include <string.h>
#include "assign.h"

int smt_assign_cores(const struct tsr_topo *topo, int nr_pairs, struct tsr_cpumask *cpus)
{
	int cores = topo->nr_cores, given = nr_pairs < cores ? nr_pairs : cores;

	for (int k = 0; k < nr_pairs; k++)
		memset(&cpus[k], 0, sizeof(cpus[k]));
	if (given <= 0)
		return 0;
	for (unsigned int cpu = 0; cpu < topo->nr_cpu_ids && cpu < TSR_MAX_CPUS; cpu++) {
		int core = topo->cpu_core[cpu];

		if (core < 0 || core >= cores)
			continue;
		/* core c goes to pair c * given / cores: runs of equal length, +-1 */
		tsr_cpumask_set(&cpus[core * given / cores], cpu);
	}
	return given;
}
