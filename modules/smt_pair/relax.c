// SPDX-License-Identifier: GPL-2.0
/*
 * The relaxation as an assignment problem (rows pick columns; both are
 * the jobs), solved by Jonker and Volgenant's method on costs that are
 * minus the scores: column reduction, reduction transfer and two passes
 * of augmenting row reduction assign most rows cheaply, and shortest
 * augmenting paths assign the rest. Only column prices are kept; a row's
 * dual is its cost less its column's price.
 */
#include <errno.h>
#include <stdlib.h>
#include "relax.h"

/* Row reductions per row in one pass: ties can start a long price war, which the paths end sooner. */
#define RELAX_REDUCTIONS_PER_ROW 8

struct lap {
	int n;
	int64_t *cost; /* n*n, symmetric: minus each positive score, 0 elsewhere */
	int64_t *v; /* column prices */
	int *col_of, *row_of; /* a row's column, a column's row; -1 when none */
	int *free_rows, nfree;
	int *mins; /* per row: columns whose least cost it holds (column reduction) */
	int64_t *d; /* per column: the length of the shortest path to it */
	int *pred, *cols; /* a column's row on that path; columns, done ones first */
};

static void lap_free(struct lap *l)
{
	free(l->cost);
	free(l->v);
	free(l->col_of);
	free(l->row_of);
	free(l->free_rows);
	free(l->mins);
	free(l->d);
	free(l->pred);
	free(l->cols);
}

static int lap_init(struct lap *l, int n, const int64_t *w)
{
	l->n = n;
	l->nfree = 0;
	l->cost = malloc((size_t)n * n * sizeof(*l->cost));
	l->v = malloc(n * sizeof(*l->v));
	l->col_of = malloc(n * sizeof(int));
	l->row_of = malloc(n * sizeof(int));
	l->free_rows = malloc(n * sizeof(int));
	l->mins = calloc(n, sizeof(int));
	l->d = malloc(n * sizeof(*l->d));
	l->pred = malloc(n * sizeof(int));
	l->cols = malloc(n * sizeof(int));
	if (!l->cost || !l->v || !l->col_of || !l->row_of || !l->free_rows || !l->mins || !l->d ||
	    !l->pred || !l->cols)
		return -ENOMEM;
	for (size_t k = 0; k < (size_t)n * n; k++)
		l->cost[k] = w[k] > 0 && k / n != k % n ? -w[k] : 0;
	for (int v = 0; v < n; v++)
		l->col_of[v] = l->row_of[v] = -1;
	return 0;
}

/* Each column's price at its least cost (column j is row j: the table is symmetric). */
static void column_reduction(struct lap *l)
{
	for (int j = l->n - 1; j >= 0; j--) {
		const int64_t *c = l->cost + (size_t)j * l->n;
		int imin = 0;

		for (int i = 1; i < l->n; i++)
			if (c[i] < c[imin])
				imin = i;
		l->v[j] = c[imin];
		if (++l->mins[imin] == 1) {
			l->col_of[imin] = j;
			l->row_of[j] = imin;
		} else if (l->v[j] < l->v[l->col_of[imin]]) {
			l->row_of[l->col_of[imin]] = -1;
			l->col_of[imin] = j;
			l->row_of[j] = imin;
		}
	}
}

/* A row holding one column lowers its price by the row's next-best margin. */
static void reduction_transfer(struct lap *l)
{
	for (int i = 0; i < l->n; i++) {
		const int64_t *c = l->cost + (size_t)i * l->n;
		int64_t least = INT64_MAX;
		int j1 = l->col_of[i];

		if (l->mins[i] == 0) {
			l->col_of[i] = -1;
			l->free_rows[l->nfree++] = i;
			continue;
		}
		if (l->mins[i] > 1)
			continue;
		for (int j = 0; j < l->n; j++)
			if (j != j1 && c[j] - l->v[j] < least)
				least = c[j] - l->v[j];
		l->v[j1] -= least;
	}
}

/*
 * One pass over the free rows: each takes its cheapest column, lowering
 * that column's price to where its second-cheapest ties, and the row it
 * displaces goes next (or to the next pass when nothing was lowered).
 */
static void augmenting_row_reduction(struct lap *l)
{
	long budget = (long)RELAX_REDUCTIONS_PER_ROW * l->n;
	int k = 0, todo = l->nfree;

	l->nfree = 0;
	while (k < todo && budget-- > 0) {
		int i = l->free_rows[k++], j1 = 0, j2 = 0, i0;
		const int64_t *c = l->cost + (size_t)i * l->n;
		int64_t least = c[0] - l->v[0], next = INT64_MAX;

		for (int j = 1; j < l->n; j++) {
			int64_t h = c[j] - l->v[j];

			if (h >= next)
				continue;
			if (h >= least) {
				next = h;
				j2 = j;
			} else {
				next = least;
				least = h;
				j2 = j1;
				j1 = j;
			}
		}
		i0 = l->row_of[j1];
		if (least < next) {
			l->v[j1] -= next - least;
		} else if (i0 >= 0) {
			j1 = j2;
			i0 = l->row_of[j2];
		}
		l->col_of[i] = j1;
		l->row_of[j1] = i;
		if (i0 < 0)
			continue;
		l->col_of[i0] = -1;
		if (least < next)
			l->free_rows[--k] = i0;
		else
			l->free_rows[l->nfree++] = i0;
	}
	/* out of budget: the rows not reached stay free */
	while (k < todo)
		l->free_rows[l->nfree++] = l->free_rows[k++];
}

/* Columns in cols[lo..n) at the least distance move to cols[lo..up); returns up, the least in @dmin. */
static int collect_nearest(struct lap *l, int lo, int64_t *dmin)
{
	int up = lo;

	*dmin = l->d[l->cols[up++]];
	for (int k = up; k < l->n; k++) {
		int j = l->cols[k];
		int64_t h = l->d[j];

		if (h > *dmin)
			continue;
		if (h < *dmin) {
			up = lo;
			*dmin = h;
		}
		l->cols[k] = l->cols[up];
		l->cols[up++] = j;
	}
	return up;
}

/*
 * The row holding column cols[@at], reached at distance @dmin, relaxes
 * the columns not yet done; those that tie @dmin join the nearest set
 * (cols[..*up)). A free one among them ends the path: returns it, or -1.
 */
static int scan_row(struct lap *l, int at, int *up, int64_t dmin)
{
	int *cols = l->cols, *pred = l->pred, *row_of = l->row_of, j1 = cols[at];
	int i = row_of[j1], n = l->n, top = *up;
	const int64_t *c = l->cost + (size_t)i * n, *v = l->v;
	int64_t *d = l->d, h = c[j1] - v[j1] - dmin;

	for (int k = top; k < n; k++) {
		int j = cols[k];
		int64_t dj = c[j] - v[j] - h;

		if (dj >= d[j])
			continue;
		pred[j] = i;
		d[j] = dj;
		if (dj != dmin)
			continue;
		if (row_of[j] < 0)
			return j;
		cols[k] = cols[top];
		cols[top++] = j;
	}
	*up = top;
	return -1;
}

/*
 * Shortest augmenting path from free row @fr (Dijkstra over columns on
 * reduced costs), then prices of the columns it finished and the
 * assignment along the path.
 */
static void augment(struct lap *l, int fr)
{
	const int64_t *cf = l->cost + (size_t)fr * l->n;
	int lo = 0, up = 0, last = -1, end = -1, n = l->n;
	int64_t dmin = 0;

	for (int j = 0; j < n; j++) {
		l->d[j] = cf[j] - l->v[j];
		l->pred[j] = fr;
		l->cols[j] = j;
	}
	while (end < 0) {
		if (up == lo) {
			last = lo - 1;
			up = collect_nearest(l, lo, &dmin);
			for (int k = lo; k < up && end < 0; k++)
				if (l->row_of[l->cols[k]] < 0)
					end = l->cols[k];
			if (end >= 0)
				break;
		}
		end = scan_row(l, lo++, &up, dmin);
	}
	for (int k = 0; k <= last; k++) {
		int j = l->cols[k];

		l->v[j] += l->d[j] - dmin;
	}
	for (;;) {
		int i = l->pred[end], j = end;

		l->row_of[j] = i;
		end = l->col_of[i];
		l->col_of[i] = j;
		if (i == fr)
			break;
	}
}

int smt_relax(int n, const int64_t *w, int64_t *price, int *pick)
{
	struct lap l = { 0 };
	int err = n > 0 ? lap_init(&l, n, w) : 0;

	if (err || n <= 0)
		goto out;
	column_reduction(&l);
	reduction_transfer(&l);
	for (int pass = 0; pass < 2; pass++)
		augmenting_row_reduction(&l);
	for (int f = 0; f < l.nfree; f++)
		augment(&l, l.free_rows[f]);
	for (int i = 0; i < n; i++) {
		int j = l.col_of[i];

		pick[i] = j;
		/* the row's dual is cost - v[j]; both duals negated, since costs are */
		price[i] = -(l.cost[(size_t)i * n + j] - l.v[j]) - l.v[i];
	}
out:
	lap_free(&l);
	return err;
}
