// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of pairing n jobs for SMT co-scheduling (modules/smt_pair): the
 * optimal maximum-weight matching against the seed's greedy pairing, on
 * two kinds of score tables in the score's own range (0..2 in millionths):
 * uniformly random, and shaped like the seed's formula on one sequential
 * resource (2 - max(0, uA + uB - 1), so every pair whose use fits gets
 * the top score, ties broken by a little noise: many near-ties, where a
 * job's best pairs are not the ones the optimum needs).
 * Prints the median of the repetitions and the totals each reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "modules/smt_pair/match.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

typedef int (*match_fn)(int n, const int64_t *w, int *mate);

/* Median ms of @reps runs of @fn; the total it reached in @total. */
static double time_it(match_fn fn, int n, const int64_t *w, int *mate, int reps, int64_t *total)
{
	double ms[16];

	for (int r = 0; r < reps; r++) {
		double t0 = now_ms();

		if (fn(n, w, mate)) {
			fprintf(stderr, "bench_match: matching failed at n=%d\n", n);
			exit(1);
		}
		ms[r] = now_ms() - t0;
	}
	qsort(ms, reps, sizeof(ms[0]), cmp);
	*total = smt_match_total(n, w, mate);
	return ms[reps / 2];
}

/* Scores of one kind: 0 uniform, 1 seed-shaped (see the top). */
static void fill(int n, int kind, int64_t *w)
{
	double *u = malloc(n * sizeof(*u));

	srand(n);
	for (int i = 0; i < n; i++)
		u[i] = rand() / (double)RAND_MAX;
	for (int i = 0; i < n; i++)
		for (int j = 0; j <= i; j++) {
			double over = u[i] + u[j] - 1;
			int64_t x = kind ? (int64_t)(1e6 * (2 - (over > 0 ? over : 0))) -
						    rand() % 1000 :
					   rand() % 2000000;

			w[i * n + j] = w[j * n + i] = i == j ? 0 : x;
		}
	free(u);
}

int main(int argc, char **argv)
{
	static const struct {
		int n, kind;
	} cases[] = { { 16, 0 }, { 64, 0 }, { 256, 0 }, { 1024, 0 },
		      { 16, 1 }, { 64, 1 }, { 256, 1 } };
	static const char *const kinds[] = { "uniform", "seed-shaped" };
	int reps = argc > 1 ? atoi(argv[1]) : 5;

	if (reps < 1 || reps > 16) {
		fprintf(stderr, "bench_match: repetitions '%s' out of range (1..16)\n", argv[1]);
		return 2;
	}
	printf("%12s %6s %14s %14s %8s %16s\n", "scores", "jobs", "optimal ms", "greedy ms",
	       "ratio", "greedy/optimal score");
	for (unsigned int s = 0; s < sizeof(cases) / sizeof(cases[0]); s++) {
		int n = cases[s].n, *mate = malloc(n * sizeof(*mate));
		int64_t *w = malloc((size_t)n * n * sizeof(*w)), opt_total, greedy_total;
		double opt, greedy;

		fill(n, cases[s].kind, w);
		opt = time_it(smt_match_optimal, n, w, mate, reps, &opt_total);
		greedy = time_it(smt_match_greedy, n, w, mate, reps, &greedy_total);
		printf("%12s %6d %14.2f %14.2f %8.2f %16.4f\n", kinds[cases[s].kind], n, opt,
		       greedy, opt / greedy, (double)greedy_total / opt_total);
		fflush(stdout);
		free(mate);
		free(w);
	}
	printf("(target: 256 jobs optimal under 5 ms; medians of %d runs)\n", reps);
	return 0;
}
