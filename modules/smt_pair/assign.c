// SPDX-License-Identifier: GPL-2.0
/* Physical cores shared out among pairs: by demand, kept where pairs stay. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "assign.h"

static int want(const struct smt_claim *c)
{
	return c->want > 1 ? c->want : 1;
}

/*
 * How many cores each pair gets: its want when all fit; else one each in
 * order while cores last, then one at a time to the pair furthest below its
 * want in proportion (ties to the earlier pair).
 */
static void core_shares(const struct smt_claim *claims, int nr, int cores, int *share)
{
	long total = 0;
	int left = cores;

	for (int k = 0; k < nr; k++) {
		total += want(&claims[k]);
		share[k] = 0;
	}
	if (total <= cores) {
		for (int k = 0; k < nr; k++)
			share[k] = want(&claims[k]);
		return;
	}
	for (int k = 0; k < nr && left; k++, left--)
		share[k] = 1;
	while (left) {
		int best = -1;

		/* furthest below: smallest share/want, compared as cross products */
		for (int k = 0; k < nr; k++) {
			if (!share[k] || share[k] >= want(&claims[k]))
				continue;
			if (best < 0 || (long)share[k] * want(&claims[best]) <
						(long)share[best] * want(&claims[k]))
				best = k;
		}
		if (best < 0)
			return;
		share[best]++;
		left--;
	}
}

static const struct smt_holding *held(const struct smt_claim *c, const struct smt_holding *prev,
				      int nr_prev)
{
	for (int j = 0; j < nr_prev; j++)
		if (prev[j].claim.a == c->a && prev[j].claim.b == c->b)
			return &prev[j];
	return NULL;
}

static void give_core(const struct tsr_topo *topo, int core, struct tsr_cpumask *m)
{
	for (unsigned int cpu = 0; cpu < topo->nr_cpu_ids && cpu < TSR_MAX_CPUS; cpu++)
		if (topo->cpu_core[cpu] == core)
			tsr_cpumask_set(m, cpu);
}

/* Keep up to @n of the cores @h held that are still free; returns how many; @first gets the lowest. */
static int keep_cores(const struct tsr_topo *topo, const struct smt_holding *h, int n, bool *used,
		      struct tsr_cpumask *m, int *first)
{
	int kept = 0;

	for (unsigned int cpu = 0; cpu < topo->nr_cpu_ids && cpu < TSR_MAX_CPUS && kept < n;
	     cpu++) {
		int core = topo->cpu_core[cpu];

		if (core < 0 || core >= (int)topo->nr_cores || used[core] ||
		    !tsr_cpumask_test(&h->cpus, cpu))
			continue;
		used[core] = true;
		give_core(topo, core, m);
		if (!kept++)
			*first = core;
	}
	return kept;
}

int smt_assign_cores(const struct tsr_topo *topo, const struct smt_claim *claims, int nr,
		     const struct smt_holding *prev, int nr_prev, struct tsr_cpumask *cpus)
{
	int cores = topo->nr_cores, given = 0, *share, *have, *from;
	bool *used;

	for (int k = 0; k < nr; k++)
		memset(&cpus[k], 0, sizeof(cpus[k]));
	if (nr <= 0 || cores <= 0)
		return 0;
	share = calloc(nr, sizeof(*share));
	have = calloc(nr, sizeof(*have));
	from = calloc(nr, sizeof(*from));
	used = calloc(cores, sizeof(*used));
	if (!share || !have || !from || !used) {
		given = -ENOMEM;
		goto out;
	}
	core_shares(claims, nr, cores, share);
	/* pairs that stay keep their cores first, so newcomers cannot take them */
	for (int k = 0; k < nr; k++) {
		const struct smt_holding *h = held(&claims[k], prev, nr_prev);

		if (h)
			have[k] = keep_cores(topo, h, share[k], used, &cpus[k], &from[k]);
	}
	/* then the rest, each from its kept cores onward (wrapping), newcomers from core 0 */
	for (int k = 0; k < nr; k++) {
		for (int i = 0; i < cores && have[k] < share[k]; i++) {
			int core = (from[k] + i) % cores;

			if (used[core])
				continue;
			used[core] = true;
			give_core(topo, core, &cpus[k]);
			have[k]++;
		}
		given += have[k] > 0;
	}
out:
	free(share);
	free(have);
	free(from);
	free(used);
	return given;
}
