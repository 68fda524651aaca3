// SPDX-License-Identifier: GPL-2.0
/*
 * Physical cores shared out among pairs: whole cores, by what each pair's
 * wants, fairly when short, and kept where a pair stays.
 */
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

/* pairs (0,1), (2,3), ... each wanting @want cores */
static struct smt_claim claims[8];

static const struct smt_claim *claims_of(int n, int want)
{
	for (int k = 0; k < n; k++)
		claims[k] = (struct smt_claim){ 2 * k, 2 * k + 1, want };
	return claims;
}

static int assign(int n)
{
	return smt_assign_cores(&topo, claims, n, NULL, 0, cpus);
}

Test(assign, two_pairs_wanting_two_cores_on_four_cores_get_two_whole_cores_each)
{
	smt_machine(4);
	claims_of(2, 2);
	cr_assert_eq(assign(2), 2);
	cr_expect_eq(cpus[0].bits[0], 0x0f, "pair 0: CPUs 0-3 (cores 0, 1)");
	cr_expect_eq(cpus[1].bits[0], 0xf0, "pair 1: CPUs 4-7 (cores 2, 3)");
}

Test(assign, a_pair_gets_no_more_cores_than_it_wants)
{
	smt_machine(4);
	claims_of(2, 1);
	cr_assert_eq(assign(2), 2);
	cr_expect_eq(cpus[0].bits[0], 0x03, "one busy thread a job: one core");
	cr_expect_eq(cpus[1].bits[0], 0x0c);
}

Test(assign, cores_follow_what_pairs_want)
{
	smt_machine(4);
	claims_of(2, 1);
	claims[0].want = 3;
	cr_assert_eq(assign(2), 2);
	cr_expect_eq(nr_cpus(&cpus[0]), 6, "three busy threads: three cores");
	cr_expect_eq(nr_cpus(&cpus[1]), 2);
	cr_expect_eq(cpus[0].bits[0] & cpus[1].bits[0], 0, "no core shared");
}

Test(assign, short_of_cores_every_pair_gets_one_then_shares_follow_demand)
{
	smt_machine(4);
	claims_of(3, 1);
	claims[0].want = 8;
	claims[1].want = 2;
	cr_assert_eq(assign(3), 3);
	/* one each, the fourth to the pair furthest below its want (1/8) */
	cr_expect_eq(nr_cpus(&cpus[0]), 4);
	cr_expect_eq(nr_cpus(&cpus[1]), 2);
	cr_expect_eq(nr_cpus(&cpus[2]), 2);
	for (int k = 0; k < 3; k++)
		for (int c = 0; c < 8; c += 2) /* siblings stay together */
			cr_expect_eq(!!(cpus[k].bits[0] & 1ULL << c),
				     !!(cpus[k].bits[0] & 2ULL << c));
	cr_expect_eq((cpus[0].bits[0] | cpus[1].bits[0] | cpus[2].bits[0]) & 1ULL << 8, 0,
		     "the offline CPU is nobody's");
}

Test(assign, pairs_beyond_the_core_count_get_none)
{
	smt_machine(2);
	claims_of(3, 4);
	cr_assert_eq(assign(3), 2);
	cr_expect_eq(cpus[0].bits[0], 0x3);
	cr_expect_eq(cpus[1].bits[0], 0xc);
	cr_expect_eq(nr_cpus(&cpus[2]), 0);
	cr_expect_eq(assign(0), 0);
}

Test(assign, a_pair_that_stays_keeps_its_cores_when_another_joins)
{
	struct smt_holding prev[1];

	smt_machine(4);
	/* pair (2,3) alone held cores 2 and 3 */
	prev[0].claim = (struct smt_claim){ 2, 3, 2 };
	memset(&prev[0].cpus, 0, sizeof(prev[0].cpus));
	prev[0].cpus.bits[0] = 0xf0;
	/* now (0,1) comes first in order, and (2,3) stays */
	claims_of(2, 2);
	cr_assert_eq(smt_assign_cores(&topo, claims, 2, prev, 1, cpus), 2);
	cr_expect_eq(cpus[1].bits[0], 0xf0, "the pair that stayed did not move");
	cr_expect_eq(cpus[0].bits[0], 0x0f, "the newcomer took the free cores");
}

Test(assign, a_pair_whose_share_shrinks_keeps_a_subset_and_grows_next_to_it)
{
	struct smt_holding prev[2];

	smt_machine(4);
	prev[0].claim = (struct smt_claim){ 0, 1, 4 };
	memset(&prev[0].cpus, 0, sizeof(prev[0].cpus));
	prev[0].cpus.bits[0] = 0xfc; /* cores 1-3 */
	prev[1].claim = (struct smt_claim){ 6, 7, 1 };
	memset(&prev[1].cpus, 0, sizeof(prev[1].cpus));
	prev[1].cpus.bits[0] = 0x03; /* core 0 */
	claims[0] = (struct smt_claim){ 0, 1, 4 };
	claims[1] = (struct smt_claim){ 2, 3, 1 };
	cr_assert_eq(smt_assign_cores(&topo, claims, 2, prev, 2, cpus), 2);
	/* (6,7) is gone: (0,1) keeps cores 1-3 and (2,3) gets core 0 */
	cr_expect_eq(cpus[0].bits[0], 0xfc);
	cr_expect_eq(cpus[1].bits[0], 0x03);
	/* a pair re-paired differently is new: (0,2) does not inherit (0,1)'s cores */
	claims[0] = (struct smt_claim){ 0, 2, 1 };
	claims[1] = (struct smt_claim){ 6, 7, 1 };
	cr_assert_eq(smt_assign_cores(&topo, claims, 2, prev, 2, cpus), 2);
	cr_expect_eq(cpus[1].bits[0], 0x03, "(6,7) stays on core 0");
	cr_expect_eq(cpus[0].bits[0], 0x0c, "(0,2) takes the first free core");
}
