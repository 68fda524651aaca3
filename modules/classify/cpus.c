// SPDX-License-Identifier: GPL-2.0
/* Choosing the CPUs of -n/--nr-cpus (cpus.h). */
#include <stdio.h>
#include <stdlib.h>
#include "cpus.h"

struct ranked {
	unsigned int rank, dom, cpu;
};

static int by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->dom != y->dom)
		return x->dom < y->dom ? -1 : 1;
	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

unsigned int classify_pick_cpus(const struct tsr_topo *topo, unsigned int n, unsigned int *out)
{
	struct ranked r[TSR_MAX_CPUS];
	unsigned int nr = 0, i;

	for (unsigned int cpu = 0; cpu < topo->nr_cpu_ids && cpu < TSR_MAX_CPUS; cpu++) {
		unsigned int rank = 0;

		if (topo->cpu_core[cpu] < 0)
			continue;
		/* its thread's place in its core: the online CPUs of the core before it */
		for (unsigned int o = 0; o < cpu; o++)
			rank += topo->cpu_core[o] == topo->cpu_core[cpu];
		r[nr++] = (struct ranked){ rank, (unsigned int)topo->cpu_dom[cpu], cpu };
	}
	qsort(r, nr, sizeof(r[0]), by_rank);
	for (i = 0; i < n && i < nr; i++)
		out[i] = r[i].cpu;
	return i;
}

static int by_cpu(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

void classify_cpu_list(const unsigned int *cpus, unsigned int n, char *buf, size_t len)
{
	unsigned int sorted[TSR_MAX_CPUS];
	size_t used = 0;

	buf[0] = 0;
	if (n > TSR_MAX_CPUS)
		n = TSR_MAX_CPUS;
	for (unsigned int i = 0; i < n; i++)
		sorted[i] = cpus[i];
	qsort(sorted, n, sizeof(sorted[0]), by_cpu);
	for (unsigned int i = 0; i < n && used < len;) {
		unsigned int j = i;

		while (j + 1 < n && sorted[j + 1] == sorted[j] + 1)
			j++;
		if (j == i)
			used += snprintf(buf + used, len - used, "%s%u", i ? "," : "", sorted[i]);
		else
			used += snprintf(buf + used, len - used, "%s%u-%u", i ? "," : "", sorted[i],
					 sorted[j]);
		i = j + 1;
	}
}

unsigned int classify_near_far_cpus(const struct tsr_topo *topo, struct tsr_cpumask *out)
{
	unsigned int nodes = topo->nr_nodes < TSR_MAX_NODES ? topo->nr_nodes : TSR_MAX_NODES;
	__u64 near = 0;
	unsigned int n = 0;

	for (unsigned int far = 0; far < nodes; far++) {
		unsigned int best = ~0U;

		if (!(topo->node_has_memory >> far & 1) || topo->node_has_cpu >> far & 1)
			continue;
		for (unsigned int m = 0; m < nodes; m++)
			if (topo->node_has_cpu >> m & 1 && topo->node_distance[m][far] < best)
				best = topo->node_distance[m][far];
		for (unsigned int m = 0; m < nodes; m++)
			if (topo->node_has_cpu >> m & 1 && topo->node_distance[m][far] == best)
				near |= 1ULL << m;
	}
	tsr_cpumask_zero(out);
	for (unsigned int cpu = 0; cpu < topo->nr_cpu_ids && cpu < TSR_MAX_CPUS; cpu++) {
		int node = topo->cpu_node[cpu];

		if (topo->cpu_core[cpu] >= 0 && node >= 0 && near >> node & 1) {
			tsr_cpumask_set(out, cpu);
			n++;
		}
	}
	return n;
}
