// SPDX-License-Identifier: GPL-2.0
/* Pairing: the optimal matching against brute force, greedy never better, no flapping. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "modules/smt_pair/match.h"

#define MAXN 12

static int64_t memo[1 << MAXN];
static char known[1 << MAXN];

/* Best total over the jobs not in @used (bitmask DP: exact for n <= 12). */
static int64_t brute(int n, const int64_t *w, unsigned used)
{
	int64_t best, s;
	int i = 0;

	if (used == (1u << n) - 1)
		return 0;
	if (known[used])
		return memo[used];
	while (used & (1u << i))
		i++;
	best = brute(n, w, used | 1u << i);
	for (int j = i + 1; j < n; j++) {
		if ((used & (1u << j)) || w[i * n + j] <= 0)
			continue;
		s = w[i * n + j] + brute(n, w, used | 1u << i | 1u << j);
		if (s > best)
			best = s;
	}
	known[used] = 1;
	memo[used] = best;
	return best;
}

static int64_t brute_best(int n, const int64_t *w)
{
	memset(known, 0, sizeof(known));
	return brute(n, w, 0);
}

/* A pairing is symmetric, pairs nobody with themselves, uses only positive pairs. */
static void check_valid(int n, const int64_t *w, const int *mate)
{
	for (int i = 0; i < n; i++) {
		if (mate[i] < 0)
			continue;
		cr_assert(mate[i] < n && mate[i] != i, "job %d paired with %d", i, mate[i]);
		cr_assert_eq(mate[mate[i]], i, "pairing not symmetric at %d", i);
		cr_assert_gt(w[i < mate[i] ? i * n + mate[i] : mate[i] * n + i], 0,
			     "pair %d-%d has no positive score", i, mate[i]);
	}
}

static void symmetric(int n, int64_t *w)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			w[i * n + j] = w[j * n + i];
}

/* Both algorithms on one instance: optimal equals brute force, greedy never above it. */
static void check_instance(int n, int64_t *w, const char *what, int k)
{
	int mate[MAXN], gmate[MAXN];
	int64_t want, got, greedy;

	symmetric(n, w);
	cr_assert_eq(smt_match_optimal(n, w, mate), 0);
	cr_assert_eq(smt_match_greedy(n, w, gmate), 0);
	check_valid(n, w, mate);
	check_valid(n, w, gmate);
	want = brute_best(n, w);
	got = smt_match_total(n, w, mate);
	greedy = smt_match_total(n, w, gmate);
	cr_assert_eq(got, want, "%s instance %d (n=%d): optimal %lld, brute force %lld", what, k, n,
		     (long long)got, (long long)want);
	cr_assert_leq(greedy, got, "%s instance %d: greedy %lld above optimal %lld", what, k,
		      (long long)greedy, (long long)got);
}

Test(match, optimal_equals_brute_force_on_random_instances)
{
	int64_t w[MAXN * MAXN];

	srand(1);
	for (int k = 0; k < 1000; k++) {
		int n = 1 + k % MAXN;

		for (int i = 0; i < n * n; i++)
			w[i] = rand() % 1000000;
		check_instance(n, w, "random", k);
	}
}

Test(match, optimal_equals_brute_force_on_adversarial_instances)
{
	int64_t w[MAXN * MAXN];

	srand(2);
	for (int k = 0; k < 1000; k++) {
		int n = 2 + k % (MAXN - 1), kind = k % 5;

		for (int i = 0; i < n * n; i++) {
			switch (kind) {
			case 0: /* few distinct values: ties everywhere */
				w[i] = rand() % 3;
				break;
			case 1: /* many pairs with no positive score */
				w[i] = rand() % 4 ? -(rand() % 100) : rand() % 100;
				break;
			case 2: /* one great pair blocks two good ones: greedy's trap */
				w[i] = 10 + rand() % 5;
				break;
			case 3: /* odd cycles of heavy edges: blossoms */
				w[i] = 1;
				break;
			default: /* huge scores */
				w[i] = (int64_t)rand() << 20;
			}
		}
		if (kind == 2 && n >= 4) {
			w[0 * n + 1] = 30; /* greedy takes 0-1 ... */
			w[0 * n + 2] = 29;
			w[1 * n + 3] = 29; /* ... optimal takes 0-2 and 1-3 */
			w[2 * n + 3] = 0;
		}
		if (kind == 3)
			for (int i = 0; i + 1 < n; i++) {
				w[i * n + i + 1] = 100 + rand() % 50;
				if (i + 2 < n)
					w[i * n + i + 2] = 100 + rand() % 50;
			}
		check_instance(n, w, "adversarial", k);
	}
}

Test(match, greedy_falls_into_the_trap_and_optimal_does_not)
{
	int64_t w[16] = { 0 };
	int mate[4];

	w[0 * 4 + 1] = 30;
	w[0 * 4 + 2] = 29;
	w[1 * 4 + 3] = 29;
	symmetric(4, w);
	cr_assert_eq(smt_match_optimal(4, w, mate), 0);
	cr_assert_eq(smt_match_total(4, w, mate), 58);
	cr_assert_eq(mate[0], 2);
	cr_assert_eq(mate[1], 3);
}

Test(match, large_instances_are_valid_and_beat_greedy)
{
	int n = 256, *mate = malloc(n * sizeof(int)), *gmate = malloc(n * sizeof(int));
	int64_t *w = malloc((size_t)n * n * sizeof(*w));

	srand(3);
	for (int i = 0; i < n * n; i++)
		w[i] = rand() % 1000000;
	symmetric(n, w);
	cr_assert_eq(smt_match_optimal(n, w, mate), 0);
	cr_assert_eq(smt_match_greedy(n, w, gmate), 0);
	check_valid(n, w, mate);
	check_valid(n, w, gmate);
	cr_assert_geq(smt_match_total(n, w, mate), smt_match_total(n, w, gmate));
	for (int i = 0; i < n; i++) /* every score positive and n even: everyone paired */
		cr_assert_geq(mate[i], 0, "job %d left unpaired", i);
	free(w);
	free(mate);
	free(gmate);
}

Test(match, bad_sizes_are_refused)
{
	int mate[1];
	int64_t w[1] = { 0 };

	cr_assert_eq(smt_match_optimal(-1, w, mate), -EINVAL);
	cr_assert_eq(smt_match_optimal(SMT_MATCH_MAX + 1, w, mate), -EINVAL);
	cr_assert_eq(smt_match_greedy(-1, w, mate), -EINVAL);
	cr_assert_eq(smt_match_optimal(1, w, mate), 0);
	cr_assert_eq(mate[0], -1);
}

Test(match, small_gains_do_not_flap_pairs)
{
	int64_t w[16] = { 0 };
	int cur[4] = { 1, 0, 3, 2 }, next[4] = { 2, 3, 0, 1 };

	w[0 * 4 + 1] = 1000; /* current pairs: 0-1, 2-3: 2000 */
	w[2 * 4 + 3] = 1000;
	w[0 * 4 + 2] = 1005; /* the other pairing: 2010, half a percent better */
	w[1 * 4 + 3] = 1005;
	symmetric(4, w);
	cr_assert_not(smt_match_worth_changing(4, w, cur, next, 20), "0.5 %% gain flapped at 2 %%");
	cr_assert(smt_match_worth_changing(4, w, cur, next, 2), "0.5 %% gain kept at 0.2 %%");
	cr_assert_not(smt_match_worth_changing(4, w, cur, cur, 0), "no gain is no change");
}

/*
 * 17 "stars" that everyone scores highest (so every job's 16 best pairs
 * are stars) and 23 others that score 1 with each other: the optimum pairs
 * the stars among themselves and the others among themselves, with pairs
 * outside every job's best 16, so the sparse first solve must grow.
 * Optimal: 8 star pairs (800) + 1 star with another (50) + 11 other pairs
 * (11) = 861.
 */
Test(match, pairs_outside_every_jobs_best_list_are_found)
{
	int n = 40, stars = 17, mate[40];
	int64_t w[40 * 40];

	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			w[i * n + j] = i == j		      ? 0 :
				       i < stars && j < stars ? 100 :
				       i < stars || j < stars ? 50 :
								1;
	cr_assert_eq(smt_match_optimal(n, w, mate), 0);
	check_valid(n, w, mate);
	cr_assert_eq(smt_match_total(n, w, mate), 861);
}
