// SPDX-License-Identifier: GPL-2.0
/* Physical cores shared out among pairs: whole cores, in runs, as even as the count allows. */
#include <criterion/criterion.h>
#include <string.h>
#include "modules/smt_pair/assign.h"

static struct tsr_topo topo;
static struct tsr_cpumask cpus[8];

/* @cores cores of two threads each: CPUs 2c and 2c+1 are siblings. */
static void smt_machine(int cores)
{
	memset(&topo, 0, sizeof(topo));
	topo.nr_cores = cores;
	topo.nr_cpu_ids = 2 * cores + 1;
	for (int c = 0; c < 2 * cores; c++)
		topo.cpu_core[c] = c / 2;
	topo.cpu_core[2 * cores] = -1; /* one offline CPU: in no core */
}

static int nr_cpus(const struct tsr_cpumask *m)
{
	int n = 0;

	for (int i = 0; i < TSR_CPUMASK_WORDS; i++)
		n += __builtin_popcountll(m->bits[i]);
	return n;
}

Test(assign, two_pairs_on_four_cores_get_two_whole_cores_each)
{
	smt_machine(4);
	cr_assert_eq(smt_assign_cores(&topo, 2, cpus), 2);
	cr_expect_eq(cpus[0].bits[0], 0x0f, "pair 0: CPUs 0-3 (cores 0, 1)");
	cr_expect_eq(cpus[1].bits[0], 0xf0, "pair 1: CPUs 4-7 (cores 2, 3)");
}

Test(assign, uneven_counts_differ_by_at_most_one_core)
{
	smt_machine(4);
	cr_assert_eq(smt_assign_cores(&topo, 3, cpus), 3);
	cr_expect_eq(nr_cpus(&cpus[0]) + nr_cpus(&cpus[1]) + nr_cpus(&cpus[2]), 8);
	for (int k = 0; k < 3; k++) {
		cr_expect(nr_cpus(&cpus[k]) == 2 || nr_cpus(&cpus[k]) == 4, "pair %d", k);
		for (int c = 0; c < 8; c += 2) /* siblings stay together */
			cr_expect_eq(!!(cpus[k].bits[0] & 1ULL << c),
				     !!(cpus[k].bits[0] & 2ULL << c));
	}
	cr_expect_eq(cpus[0].bits[0] & 1ULL << 8, 0, "the offline CPU is nobody's");
}

Test(assign, pairs_beyond_the_core_count_get_none)
{
	smt_machine(2);
	cr_assert_eq(smt_assign_cores(&topo, 3, cpus), 2);
	cr_expect_eq(cpus[0].bits[0], 0x3);
	cr_expect_eq(cpus[1].bits[0], 0xc);
	cr_expect_eq(nr_cpus(&cpus[2]), 0);
	cr_expect_eq(smt_assign_cores(&topo, 0, cpus), 0);
}
