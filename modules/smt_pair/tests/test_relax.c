// SPDX-License-Identifier: GPL-2.0
/* The pairing's relaxation: the best assignment (brute force), prices that price every pair. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "modules/smt_pair/match.h"
#include "modules/smt_pair/relax.h"

#define MAXN 8 /* brute force over every assignment */

static int64_t gain(int n, const int64_t *w, int i, int j)
{
	return i != j && w[i * n + j] > 0 ? w[i * n + j] : 0;
}

/* Best total of an assignment of rows @row.. to the columns not in @used. */
static int64_t best_assignment(int n, const int64_t *w, int row, unsigned int used)
{
	int64_t best = INT64_MIN;

	if (row == n)
		return 0;
	for (int j = 0; j < n; j++) {
		int64_t s;

		if (used & 1u << j)
			continue;
		s = gain(n, w, row, j) + best_assignment(n, w, row + 1, used | 1u << j);
		if (s > best)
			best = s;
	}
	return best;
}

/* Everything relax.h promises, on one table; the picks' total returned. */
static int64_t check_relax(int n, const int64_t *w, const char *what, int k)
{
	int64_t price[64], sum = 0, total = 0;
	int pick[64];
	unsigned long long taken = 0;

	cr_assert_eq(smt_relax(n, w, price, pick), 0);
	for (int i = 0; i < n; i++) {
		cr_assert(pick[i] >= 0 && pick[i] < n, "%s %d: pick %d of %d", what, k, pick[i], i);
		cr_assert(!(taken & 1ull << pick[i]), "%s %d: column %d picked twice", what, k,
			  pick[i]);
		taken |= 1ull << pick[i];
		cr_assert_geq(price[i], 0, "%s %d: price[%d] %lld", what, k, i,
			      (long long)price[i]);
		sum += price[i];
		total += gain(n, w, i, pick[i]);
		for (int j = 0; j < n; j++)
			cr_assert_geq(price[i] + price[j], 2 * gain(n, w, i, j),
				      "%s %d: pair %d-%d priced under its score", what, k, i, j);
		if (pick[pick[i]] == i)
			cr_assert_eq(price[i] + price[pick[i]], 2 * gain(n, w, i, pick[i]),
				     "%s %d: mutual pick %d-%d not tight", what, k, i, pick[i]);
	}
	cr_assert_eq(sum, total, "%s %d: prices sum to %lld, picks to %lld", what, k,
		     (long long)sum, (long long)total);
	return total;
}

static void symmetric(int n, int64_t *w)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			w[i * n + j] = w[j * n + i];
}

Test(relax, best_assignment_on_small_tables)
{
	int64_t w[MAXN * MAXN];

	srand(7);
	for (int k = 0; k < 1000; k++) {
		int n = 1 + k % MAXN, kind = k % 4;
		int64_t got;

		for (int i = 0; i < n * n; i++)
			w[i] = kind == 0 ? rand() % 1000000 :
			       kind == 1 ? (rand() % 3) * 500000 : /* exact ties */
			       kind == 2 ? rand() % 200 - 100 : /* many pairs not worth pairing */
					   (int64_t)rand() << 20; /* huge */
		symmetric(n, w);
		got = check_relax(n, w, "small", k);
		cr_assert_eq(got, best_assignment(n, w, 0, 0), "small %d (n=%d, kind %d)", k, n,
			     kind);
	}
}

/* Bounds twice the best pairing, and equals it when the picks pair up. */
Test(relax, bounds_the_pairing)
{
	int64_t w[40 * 40];
	int mate[40];

	srand(8);
	for (int k = 0; k < 200; k++) {
		int n = 2 + k % 39;
		int64_t relaxed, paired;

		for (int i = 0; i < n * n; i++)
			w[i] = k % 2 ? rand() % 5 : rand() % 1000000;
		symmetric(n, w);
		relaxed = check_relax(n, w, "bound", k);
		cr_assert_eq(smt_match_optimal(n, w, mate), 0);
		paired = smt_match_total(n, w, mate);
		cr_assert_geq(relaxed, 2 * paired, "bound %d: relaxation %lld under 2 x %lld", k,
			      (long long)relaxed, (long long)paired);
	}
}

/* A triangle of equal scores: the relaxation picks around it (3 x 10), a pairing takes one edge. */
Test(relax, odd_cycle_is_a_relaxation_not_a_pairing)
{
	int64_t w[9] = { 0, 10, 10, 10, 0, 10, 10, 10, 0 };
	int64_t price[3];
	int pick[3], mate[3];

	cr_assert_eq(smt_relax(3, w, price, pick), 0);
	cr_assert_eq(check_relax(3, w, "triangle", 0), 30);
	cr_assert_eq(smt_match_optimal(3, w, mate), 0);
	cr_assert_eq(smt_match_total(3, w, mate), 10);
}

/* Ties everywhere at n = 64: the price war the row reductions' budget ends. */
Test(relax, ties_at_size_stay_exact)
{
	static int64_t w[64 * 64];

	srand(9);
	for (int k = 0; k < 20; k++) {
		for (int i = 0; i < 64 * 64; i++)
			w[i] = 2000000 - rand() % (k % 2 ? 2 : 1000);
		symmetric(64, w);
		check_relax(64, w, "ties", k);
	}
}
