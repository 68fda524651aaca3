/* SPDX-License-Identifier: GPL-2.0 */
/* Which physical cores each pair of jobs gets. */
#ifndef SMT_ASSIGN_H
#define SMT_ASSIGN_H

#include <stdint.h>
#include "../../arena/topo.h"

/* A pair of jobs asking for cores: its two job slots and what it can fill. */
struct smt_claim {
	int a, b; /* job slots, a < b: the pair's identity across re-pairings */
	int want; /* cores it can use: its busier job's busy threads, one of each job per core */
};

/* What a pair held at the previous assignment. */
struct smt_holding {
	struct smt_claim claim;
	struct tsr_cpumask cpus;
};

/*
 * Share the physical cores of @topo among @nr pairs (@claims): whole cores
 * (both hardware threads), as many as a pair wants (at least one), and when
 * cores are short every pair one before any gets a second, the rest in
 * proportion to what each asked; pairs beyond the core count get none. A
 * pair that also held cores at the previous assignment (@prev, @nr_prev:
 * the same two jobs) keeps them, up to its new share, so re-pairing others
 * never moves it; new cores go next to a pair's kept ones. @cpus[k]
 * receives the CPUs of pair k. Returns the number of pairs that got cores
 * (the first ones), or -ENOMEM.
 */
int smt_assign_cores(const struct tsr_topo *topo, const struct smt_claim *claims, int nr,
		     const struct smt_holding *prev, int nr_prev, struct tsr_cpumask *cpus);

#endif /* SMT_ASSIGN_H */
