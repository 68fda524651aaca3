// SPDX-License-Identifier: GPL-2.0
/*
 * The seed's pairing heuristic: the best-scoring pairs first while both
 * jobs are free, then local search by swapping partners between two pairs
 * or with an unpaired job while that raises the total.
 */
#include <errno.h>
#include <stdlib.h>
#include "match.h"

struct cand {
	int64_t w;
	int i, j;
};

static int by_score_desc(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->w != y->w)
		return x->w < y->w ? 1 : -1;
	if (x->i != y->i)
		return x->i - y->i;
	return x->j - y->j;
}

static int64_t pw(int n, const int64_t *w, int a, int b)
{
	int64_t s;

	if (a < 0 || b < 0)
		return 0;
	s = a < b ? w[a * n + b] : w[b * n + a];
	return s > 0 ? s : 0;
}

static void pair_up(int *mate, int a, int b)
{
	if (a >= 0)
		mate[a] = b;
	if (b >= 0)
		mate[b] = a;
}

/*
 * Re-pair a, b, c, d (pairs a-b and c-d, b or d may be -1: unpaired) the
 * best of the three ways; whether that raised the total.
 */
static int improve_quad(int n, const int64_t *w, int *mate, int a, int b, int c, int d)
{
	int64_t now = pw(n, w, a, b) + pw(n, w, c, d);
	int64_t ac = pw(n, w, a, c) + pw(n, w, b, d), ad = pw(n, w, a, d) + pw(n, w, b, c);

	if (ac > now && ac >= ad) {
		pair_up(mate, a, c);
		pair_up(mate, b, d);
		return 1;
	}
	if (ad > now) {
		pair_up(mate, a, d);
		pair_up(mate, b, c);
		return 1;
	}
	return 0;
}

/* One pass of swaps over every two jobs; whether anything changed. */
static int swap_pass(int n, const int64_t *w, int *mate)
{
	int changed = 0;

	for (int a = 0; a < n; a++) {
		for (int c = a + 1; c < n; c++) {
			int b = mate[a], d = mate[c];

			if (b == c)
				continue;
			/* an unpaired job with a paired one: a-b + c alone -> a-c + b alone, ... */
			changed |= improve_quad(n, w, mate, a, b, c, d);
		}
	}
	return changed;
}

int smt_match_greedy(int n, const int64_t *w, int *mate)
{
	struct cand *c;
	int nc = 0, ret = smt_match_begin(n, mate);

	if (ret <= 0)
		return ret;
	c = malloc((size_t)n * (n - 1) / 2 * sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (w[i * n + j] > 0)
				c[nc++] = (struct cand){ w[i * n + j], i, j };
	qsort(c, nc, sizeof(*c), by_score_desc);
	for (int k = 0; k < nc; k++)
		if (mate[c[k].i] < 0 && mate[c[k].j] < 0)
			pair_up(mate, c[k].i, c[k].j);
	free(c);
	/* every pass raises the total, so this ends; the cap bounds the time */
	for (int pass = 0; pass < 64 && swap_pass(n, w, mate); pass++)
		;
	return 0;
}
