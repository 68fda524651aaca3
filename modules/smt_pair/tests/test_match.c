// SPDX-License-Identifier: GPL-2.0
/* Pairing: the optimal matching against brute force, greedy never better, no flapping. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "modules/smt_pair/match.h"

#define MAXN 12 /* brute force on every instance */
#define MAXN_DP 20 /* the same exact search, on fewer instances */

static int64_t memo[1 << MAXN_DP];
static char known[1 << MAXN_DP];

/* Best total over the jobs not in @used (bitmask DP: exact, 2^n states). */
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
	memset(known, 0, (size_t)1 << n);
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
	int mate[MAXN_DP], gmate[MAXN_DP];
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

/* Many exact ties at a few scores: the tables where a matching can reach the bound of every job's best pair */
Test(match, optimal_equals_brute_force_on_tied_instances)
{
	int64_t w[MAXN * MAXN];

	srand(3);
	for (int k = 0; k < 1000; k++) {
		int n = 1 + k % MAXN;

		for (int i = 0; i < n * n; i++)
			w[i] = (rand() % 3) * 500000;
		check_instance(n, w, "tied", k);
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

/* One score of a table of kind @kind for @n jobs with uses @u (see below). */
static int64_t score_of(int kind, int n, const double *u, int i, int j)
{
	double over = u[i] + u[j] - 1;

	switch (kind) {
	case 0: /* uniform */
		return rand() % 2000000;
	case 1: /* ties everywhere */
		return rand() % 3;
	case 2: /* the seed's shape: every pair whose use fits gets the top score */
		return (int64_t)(1e6 * (2 - (over > 0 ? over : 0))) - rand() % 1000;
	case 3: /* most pairs without a positive score */
		return rand() % 4 ? -(rand() % 100) : rand() % 100;
	default: /* heavy odd cycles over light noise: nested blossoms */
		return (j == i + 1 || j == i + 2) && (i / 5) % 2 == 0 ? 1000 + rand() % 10 :
									rand() % 10;
	}
}

static void fill(int n, int kind, int64_t *w)
{
	double *u = malloc(n * sizeof(*u));

	for (int i = 0; i < n; i++)
		u[i] = rand() / (double)RAND_MAX;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			w[i * n + j] = score_of(kind, n, u, i, j);
	for (int i = 0; i < n; i++)
		w[i * n + i] = 0;
	free(u);
}

Test(match, optimal_equals_exact_search_up_to_20_jobs)
{
	static int64_t w[MAXN_DP * MAXN_DP];

	srand(4);
	for (int k = 0; k < 120; k++) {
		int n = MAXN + 1 + k % (MAXN_DP - MAXN);

		fill(n, k % 5, w);
		check_instance(n, w, "exact search", k);
	}
}

/*
 * Beyond what an exact search can check, each result comes with its LP
 * proof (smt_match_optimal fails with -EPROTO without one): every kind of
 * table, sizes where the sparse first graph misses pairs the optimum needs.
 */
Test(match, large_tables_are_proven_optimal)
{
	static const int sizes[] = { 17, 33, 64, 128, 256 };
	int64_t *w = malloc(256 * 256 * sizeof(*w));
	int *mate = malloc(256 * sizeof(int)), *gmate = malloc(256 * sizeof(int));

	srand(5);
	for (int s = 0; s < 5; s++)
		for (int kind = 0; kind < 5; kind++)
			for (int rep = 0; rep < (sizes[s] > 100 ? 1 : 4); rep++) {
				int n = sizes[s];

				fill(n, kind, w);
				symmetric(n, w);
				cr_assert_eq(smt_match_optimal(n, w, mate), 0,
					     "n=%d kind %d rep %d", n, kind, rep);
				cr_assert_eq(smt_match_greedy(n, w, gmate), 0);
				check_valid(n, w, mate);
				cr_assert_geq(smt_match_total(n, w, mate),
					      smt_match_total(n, w, gmate), "n=%d kind %d", n,
					      kind);
			}
	free(w);
	free(mate);
	free(gmate);
}

/*
 * Small integer scores, mostly zero: many ties and many trees growing at
 * once, where an early version picked the wrong dual change (found by a
 * search over 20,000 such tables; each result here must carry its proof).
 */
Test(match, small_integer_tables_are_proven_optimal)
{
	int64_t *w = malloc(60 * 60 * sizeof(*w));
	int mate[60];

	srand(6);
	for (int k = 0; k < 3000; k++) {
		int n = 10 + k % 50, kind = k % 3;

		for (int i = 0; i < n; i++)
			for (int j = i; j < n; j++)
				w[i * n + j] = i == j	  ? 0 :
					       kind == 0  ? rand() % 5 :
					       kind == 1  ? (rand() % 3 ? 0 : rand() % 4) :
					       rand() % 2 ? 100 + rand() % 3 :
							    rand() % 3;
		symmetric(n, w);
		cr_assert_eq(smt_match_optimal(n, w, mate), 0, "instance %d (n=%d, kind %d)", k, n,
			     kind);
		check_valid(n, w, mate);
		if (n <= MAXN_DP)
			cr_assert_eq(smt_match_total(n, w, mate), brute_best(n, w), "instance %d",
				     k);
	}
	free(w);
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
