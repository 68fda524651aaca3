// SPDX-License-Identifier: GPL-2.0
/*
 * Maximum-weight matching on a general graph (Edmonds' blossom algorithm
 * with vertex and blossom duals, as in Galil's survey, O(n^3), started
 * from the bipartite relaxation's solution), and the seed's greedy
 * pairing with swaps. Vertices are jobs, edges the pairs
 * with a positive score. All arithmetic is on integers: edge weights are
 * doubled so that every dual and every halved slack stays integral.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "match.h"
#include "relax.h"

/* Pairs per job in the first, sparse graph. */
#define SMT_MATCH_SPARSE 16

struct mw {
	int n, m;
	int *ei, *ej;
	int64_t *ew;
	int *endpoint; /* endpoint[p]: vertex of endpoint p; edge k has 2k and 2k+1 */
	int *nb_start, *nb; /* remote endpoints of v's edges: nb[nb_start[v] .. nb_start[v+1]) */
	int *mate; /* remote endpoint of v's matched edge, or -1 */
	int *label; /* per vertex and blossom: 0 free, 1 S, 2 T (bit 4: seen by scan) */
	int *labelend; /* endpoint through which it got its label, or -1 */
	int *inblossom; /* top-level blossom of each vertex */
	int *parent; /* enclosing blossom, or -1 */
	int **childs, **endps, *nchilds; /* sub-blossoms around the cycle and their edges */
	int *base;
	int *root; /* per labelled top-level blossom: the free vertex its tree grew from */
	char *gone; /* scratch while trees come apart: per vertex, its tree did */
	int *bestedge; /* least-slack edge to an S-blossom, or -1 */
	unsigned int *seen_in; /* the forest's version when bestedge was last known to be good */
	unsigned int version; /* grows whenever trees come apart */
	int **bestedges, *nbestedges; /* per S-blossom: least-slack edge to each other S-blossom */
	int *unused, nunused;
	int64_t *dual;
	bool *allow;
	int *queue, nqueue, cap_queue;
	int *scratch, *bestto, *leafbuf;
};

static int64_t slack(const struct mw *g, int k)
{
	return g->dual[g->ei[k]] + g->dual[g->ej[k]] - 2 * g->ew[k];
}

/* Python-style index into a cycle of @len entries. */
static int cyc(int j, int len)
{
	j %= len;
	return j < 0 ? j + len : j;
}

/*
 * Walking blossom children from index @i back to the base (index 0) the
 * way that crosses an even number of edges: forwards from i - len when i
 * is odd, backwards from i when even. Returns the starting index; @trick
 * picks which endpoint of each cycle edge comes first.
 */
static int cycle_start(int i, int len, int *jstep, int *trick)
{
	*jstep = i & 1 ? 1 : -1;
	*trick = i & 1 ? 0 : 1;
	return i & 1 ? i - len : i;
}

/* Appends the vertices inside blossom @b to @out; returns the new count. */
static int leaves(const struct mw *g, int b, int *out, int cnt)
{
	if (b < g->n) {
		out[cnt++] = b;
		return cnt;
	}
	for (int i = 0; i < g->nchilds[b]; i++)
		cnt = leaves(g, g->childs[b][i], out, cnt);
	return cnt;
}

static int queue_push(struct mw *g, int v)
{
	if (g->nqueue == g->cap_queue) {
		int cap = g->cap_queue * 2;
		int *q = realloc(g->queue, cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		g->queue = q;
		g->cap_queue = cap;
	}
	g->queue[g->nqueue++] = v;
	return 0;
}

static int assign_label(struct mw *g, int w, int t, int p)
{
	int b = g->inblossom[w], base, cnt, err;

	g->label[w] = g->label[b] = t;
	g->labelend[w] = g->labelend[b] = p;
	g->bestedge[w] = g->bestedge[b] = -1;
	g->root[b] = p == -1 ? w : g->root[g->inblossom[g->endpoint[p]]];
	if (t == 1) {
		/* an S-blossom's vertices are all scanned; leafbuf is free (no caller holds it) */
		if (b < g->n)
			return queue_push(g, b);
		cnt = leaves(g, b, g->leafbuf, 0);
		for (int i = 0; i < cnt; i++) {
			err = queue_push(g, g->leafbuf[i]);
			if (err)
				return err;
		}
		return 0;
	}
	/* T: the base's mate becomes S */
	base = g->base[b];
	return assign_label(g, g->endpoint[g->mate[base]], 1, g->mate[base] ^ 1);
}

/*
 * Trace back from S-vertices @v and @w towards the roots: the base of the
 * new blossom when the paths meet, -1 when they reach two roots (an
 * augmenting path).
 */
static int scan_blossom(struct mw *g, int v, int w)
{
	int npath = 0, found = -1, b;

	while (v != -1 || w != -1) {
		b = g->inblossom[v];
		if (g->label[b] & 4) {
			found = g->base[b];
			break;
		}
		g->scratch[npath++] = b;
		g->label[b] = 5;
		if (g->labelend[b] == -1) {
			v = -1;
		} else {
			v = g->endpoint[g->labelend[b]];
			b = g->inblossom[v];
			v = g->endpoint[g->labelend[b]];
		}
		if (w != -1) {
			int t = v;

			v = w;
			w = t;
		}
	}
	for (int i = 0; i < npath; i++)
		g->label[g->scratch[i]] = 1;
	return found;
}

static int *copy_ints(const int *src, int cnt)
{
	int *dst = malloc((cnt ? cnt : 1) * sizeof(*dst));

	if (dst)
		memcpy(dst, src, cnt * sizeof(*dst));
	return dst;
}

/* Consider edge @k from blossom @b's members to other S-blossoms for bestto[]. */
static void best_to(struct mw *g, int b, int k)
{
	int i = g->ei[k], j = g->ej[k], bj;

	if (g->inblossom[j] == b) {
		j = i;
	}
	bj = g->inblossom[j];
	if (bj != b && g->label[bj] == 1 &&
	    (g->bestto[bj] == -1 || slack(g, k) < slack(g, g->bestto[bj])))
		g->bestto[bj] = k;
}

/* The least-slack edges from new blossom @b (children @path) to other S-blossoms. */
static int collect_best_edges(struct mw *g, int b, const int *path, int npath, int *lv)
{
	int cnt = 0;

	for (int i = 0; i < 2 * g->n; i++)
		g->bestto[i] = -1;
	for (int c = 0; c < npath; c++) {
		int bv = path[c];

		if (!g->bestedges[bv]) {
			int nl = leaves(g, bv, lv, 0);

			for (int l = 0; l < nl; l++)
				for (int q = g->nb_start[lv[l]]; q < g->nb_start[lv[l] + 1]; q++)
					best_to(g, b, g->nb[q] / 2);
		} else {
			for (int q = 0; q < g->nbestedges[bv]; q++)
				best_to(g, b, g->bestedges[bv][q]);
		}
		free(g->bestedges[bv]);
		g->bestedges[bv] = NULL;
		g->nbestedges[bv] = 0;
		g->bestedge[bv] = -1;
	}
	for (int i = 0; i < 2 * g->n; i++)
		if (g->bestto[i] != -1)
			lv[cnt++] = g->bestto[i];
	g->bestedges[b] = copy_ints(lv, cnt);
	if (!g->bestedges[b])
		return -ENOMEM;
	g->nbestedges[b] = cnt;
	g->bestedge[b] = -1;
	for (int i = 0; i < cnt; i++)
		if (g->bestedge[b] == -1 || slack(g, lv[i]) < slack(g, g->bestedge[b]))
			g->bestedge[b] = lv[i];
	return 0;
}

/* A new blossom with base @base_v through edge @k between two S-vertices. */
static int add_blossom(struct mw *g, int base_v, int k)
{
	int v = g->ei[k], w = g->ej[k];
	int bb = g->inblossom[base_v], bv = g->inblossom[v], bw = g->inblossom[w];
	int b = g->unused[--g->nunused], np = 0, ne = 0, nl, err;
	int *path = malloc(2 * g->n * sizeof(*path));
	int *ends = malloc(2 * g->n * sizeof(*ends));
	int *lv = malloc(2 * g->n * sizeof(*lv));

	err = -ENOMEM;
	if (!path || !ends || !lv)
		goto out;
	g->base[b] = base_v;
	g->root[b] = g->root[bb];
	g->parent[b] = -1;
	g->parent[bb] = b;
	/* from v's side back to the base, then reversed */
	while (bv != bb) {
		g->parent[bv] = b;
		path[np++] = bv;
		ends[ne++] = g->labelend[bv];
		bv = g->inblossom[g->endpoint[g->labelend[bv]]];
	}
	path[np++] = bb;
	for (int i = 0; i < np / 2; i++) {
		int t = path[i];

		path[i] = path[np - 1 - i];
		path[np - 1 - i] = t;
	}
	for (int i = 0; i < ne / 2; i++) {
		int t = ends[i];

		ends[i] = ends[ne - 1 - i];
		ends[ne - 1 - i] = t;
	}
	ends[ne++] = 2 * k;
	while (bw != bb) {
		g->parent[bw] = b;
		path[np++] = bw;
		ends[ne++] = g->labelend[bw] ^ 1;
		bw = g->inblossom[g->endpoint[g->labelend[bw]]];
	}
	g->childs[b] = copy_ints(path, np);
	g->endps[b] = copy_ints(ends, ne);
	if (!g->childs[b] || !g->endps[b])
		goto out;
	g->nchilds[b] = np;
	g->label[b] = 1;
	g->labelend[b] = g->labelend[bb];
	g->dual[b] = 0;
	nl = leaves(g, b, lv, 0);
	for (int i = 0; i < nl; i++) {
		if (g->label[g->inblossom[lv[i]]] == 2) {
			err = queue_push(g, lv[i]);
			if (err)
				goto out;
		}
		g->inblossom[lv[i]] = b;
	}
	err = collect_best_edges(g, b, path, np, lv);
out:
	free(path);
	free(ends);
	free(lv);
	return err;
}

static void free_blossom(struct mw *g, int b)
{
	free(g->childs[b]);
	free(g->endps[b]);
	free(g->bestedges[b]);
	g->childs[b] = g->endps[b] = g->bestedges[b] = NULL;
	g->nchilds[b] = g->nbestedges[b] = 0;
	g->label[b] = g->labelend[b] = -1;
	g->base[b] = -1;
	g->bestedge[b] = -1;
	g->unused[g->nunused++] = b;
}

/* Relabel the children of expanded T-blossom @b along the path through it. */
static int relabel_expanded(struct mw *g, int b, int *lv)
{
	int len = g->nchilds[b], *ch = g->childs[b], *ep = g->endps[b];
	int entry = g->inblossom[g->endpoint[g->labelend[b] ^ 1]];
	int j = 0, jstep, trick, p, bv, err;

	while (ch[j] != entry)
		j++;
	j = cycle_start(j, len, &jstep, &trick);
	p = g->labelend[b];
	while (j != 0) {
		g->label[g->endpoint[p ^ 1]] = 0;
		g->label[g->endpoint[ep[cyc(j - trick, len)] ^ trick ^ 1]] = 0;
		err = assign_label(g, g->endpoint[p ^ 1], 2, p);
		if (err)
			return err;
		g->allow[ep[cyc(j - trick, len)] / 2] = true;
		j += jstep;
		p = ep[cyc(j - trick, len)] ^ trick;
		g->allow[p / 2] = true;
		j += jstep;
	}
	bv = ch[cyc(j, len)];
	g->label[g->endpoint[p ^ 1]] = g->label[bv] = 2;
	g->labelend[g->endpoint[p ^ 1]] = g->labelend[bv] = p;
	g->bestedge[bv] = -1;
	j += jstep;
	while (ch[cyc(j, len)] != entry) {
		int nl, v = -1;

		bv = ch[cyc(j, len)];
		j += jstep;
		if (g->label[bv] == 1)
			continue;
		nl = leaves(g, bv, lv, 0);
		for (int i = 0; i < nl; i++)
			if (g->label[lv[i]] != 0) {
				v = lv[i];
				break;
			}
		if (v >= 0) {
			g->label[v] = 0;
			g->label[g->endpoint[g->mate[g->base[bv]]]] = 0;
			err = assign_label(g, v, 2, g->labelend[v]);
			if (err)
				return err;
		}
	}
	return 0;
}

static int expand_blossom(struct mw *g, int b, bool endstage)
{
	int *lv = malloc(g->n * sizeof(*lv)), err = 0;

	if (!lv)
		return -ENOMEM;
	for (int i = 0; i < g->nchilds[b]; i++) {
		int s = g->childs[b][i];

		g->parent[s] = -1;
		g->root[s] = g->root[b];
		if (s < g->n) {
			g->inblossom[s] = s;
		} else if (endstage && g->dual[s] == 0) {
			err = expand_blossom(g, s, endstage);
			if (err)
				goto out;
		} else {
			int nl = leaves(g, s, lv, 0);

			for (int l = 0; l < nl; l++)
				g->inblossom[lv[l]] = s;
		}
	}
	if (!endstage && g->label[b] == 2)
		err = relabel_expanded(g, b, lv);
	free_blossom(g, b);
out:
	free(lv);
	return err;
}

static void rotate(int *a, int len, int by)
{
	int *tmp = malloc(len * sizeof(*tmp));

	if (!tmp) { /* in place, slowly: never fails */
		for (int r = 0; r < by; r++) {
			int first = a[0];

			memmove(a, a + 1, (len - 1) * sizeof(*a));
			a[len - 1] = first;
		}
		return;
	}
	memcpy(tmp, a + by, (len - by) * sizeof(*a));
	memcpy(tmp + len - by, a, by * sizeof(*a));
	memcpy(a, tmp, len * sizeof(*a));
	free(tmp);
}

/* Swap matched and unmatched edges inside blossom @b so that @v becomes its base. */
static void augment_blossom(struct mw *g, int b, int v)
{
	int t = v, i, j, jstep, trick, len = g->nchilds[b];

	while (g->parent[t] != b)
		t = g->parent[t];
	if (t >= g->n)
		augment_blossom(g, t, v);
	for (i = 0; g->childs[b][i] != t; i++)
		;
	j = cycle_start(i, len, &jstep, &trick);
	while (j != 0) {
		int p;

		j += jstep;
		t = g->childs[b][cyc(j, len)];
		p = g->endps[b][cyc(j - trick, len)] ^ trick;
		if (t >= g->n)
			augment_blossom(g, t, g->endpoint[p]);
		j += jstep;
		t = g->childs[b][cyc(j, len)];
		if (t >= g->n)
			augment_blossom(g, t, g->endpoint[p ^ 1]);
		g->mate[g->endpoint[p]] = p ^ 1;
		g->mate[g->endpoint[p ^ 1]] = p;
	}
	rotate(g->childs[b], len, i);
	rotate(g->endps[b], len, i);
	g->base[b] = g->base[g->childs[b][0]];
}

/*
 * Flip the tree path from S-vertex @s up to its root: @s takes endpoint
 * @p as its mate (-1: none), each T-vertex above the S-vertex over it,
 * the root the T-vertex below it.
 */
static void flip_to_root(struct mw *g, int s, int p)
{
	for (;;) {
		int bs = g->inblossom[s], t, bt, j;

		if (bs >= g->n)
			augment_blossom(g, bs, s);
		g->mate[s] = p;
		if (g->labelend[bs] == -1)
			return;
		t = g->endpoint[g->labelend[bs]];
		bt = g->inblossom[t];
		s = g->endpoint[g->labelend[bt]];
		j = g->endpoint[g->labelend[bt] ^ 1];
		if (bt >= g->n)
			augment_blossom(g, bt, j);
		g->mate[j] = g->labelend[bt];
		p = g->labelend[bt] ^ 1;
	}
}

static void augment_matching(struct mw *g, int k)
{
	flip_to_root(g, g->ei[k], 2 * k + 1);
	flip_to_root(g, g->ej[k], 2 * k);
}

static int dissolve_trees(struct mw *g, int r1, int r2);

/*
 * Edge to endpoint @p seen from S-vertex @v: label, grow a blossom or
 * augment when it is tight, else remember it as the least-slack edge it
 * may become. 1 after an augmentation, 0, or negative errno.
 */
static int scan_edge(struct mw *g, int v, int p)
{
	int k = p / 2, w = g->endpoint[p], bv = g->inblossom[v], bw = g->inblossom[w];
	int64_t ks = 0;

	if (bv == bw)
		return 0;
	if (!g->allow[k]) {
		ks = g->dual[v] + g->dual[w] - 2 * g->ew[k]; /* slack(g, k) */
		if (ks <= 0)
			g->allow[k] = true;
	}
	if (g->allow[k]) {
		if (g->label[bw] == 0 && g->mate[g->base[bw]] == -1) {
			/* a free vertex whose dual reached 0 (retired): the path to it augments */
			int r = g->root[bv];

			augment_matching(g, k);
			return dissolve_trees(g, r, r) ?: 1;
		}
		if (g->label[bw] == 0)
			return assign_label(g, w, 2, p ^ 1);
		if (g->label[bw] == 1) {
			int base = scan_blossom(g, v, w), r1, r2;

			if (base >= 0)
				return add_blossom(g, base, k);
			r1 = g->root[bv];
			r2 = g->root[bw];
			augment_matching(g, k);
			return dissolve_trees(g, r1, r2) ?: 1;
		}
		if (g->label[w] == 0) {
			g->label[w] = 2;
			g->labelend[w] = p ^ 1;
		}
	} else if (g->label[bw] == 1) {
		if (g->bestedge[bv] == -1 || ks < slack(g, g->bestedge[bv]))
			g->bestedge[bv] = k;
	} else if (g->label[w] == 0) {
		if (g->bestedge[w] == -1 || ks < slack(g, g->bestedge[w]))
			g->bestedge[w] = k;
	}
	return 0;
}

/* Grow the forest from the queued S-vertices until none is left; 0 or negative errno. */
static int scan_queue(struct mw *g)
{
	while (g->nqueue) {
		int v = g->queue[--g->nqueue];

		/* queued before its tree came apart */
		if (g->label[g->inblossom[v]] != 1)
			continue;
		for (int q = g->nb_start[v]; q < g->nb_start[v + 1]; q++) {
			int ret = scan_edge(g, v, g->nb[q]);

			if (ret < 0)
				return ret;
			if (ret == 1 && g->label[g->inblossom[v]] != 1)
				break; /* v's own tree was augmented */
		}
	}
	return 0;
}

/* Forget @b's labels and least-slack edges (it left the forest). */
static void unlabel(struct mw *g, int b)
{
	g->label[b] = 0;
	g->labelend[b] = -1;
	g->bestedge[b] = -1;
	if (b >= g->n) {
		free(g->bestedges[b]);
		g->bestedges[b] = NULL;
		g->nbestedges[b] = 0;
	}
}

/* Whether top-level blossom @b is in the tree of @r1 or @r2. */
static bool in_trees(const struct mw *g, int b, int r1, int r2)
{
	return g->label[b] && (g->root[b] == r1 || g->root[b] == r2);
}

/*
 * After an augmentation between the trees of @r1 and @r2: those two come
 * apart (everything in them is matched now), the others keep growing. As
 * after a stage of the textbook algorithm for the two trees: labels
 * gone, S-blossoms without dual expanded; then edges that were tight
 * towards them are not any more, and the vertices they held (and those
 * inside T-blossoms they had reached) are offered to the trees that
 * remain, as if these scanned them now.
 */
static int dissolve_trees(struct mw *g, int r1, int r2)
{
	int n = g->n, err;

	g->version++;
	for (int v = 0; v < n; v++)
		g->gone[v] = in_trees(g, g->inblossom[v], r1, r2);
	for (int b = n; b < 2 * n; b++) {
		if (g->base[b] < 0 || g->parent[b] != -1 || !in_trees(g, b, r1, r2) ||
		    g->label[b] != 1 || g->dual[b] != 0)
			continue;
		err = expand_blossom(g, b, true);
		if (err)
			return err;
	}
	for (int v = 0; v < n; v++) {
		if (g->gone[v] != 1)
			continue;
		for (int b = v; b != -1; b = g->parent[b])
			unlabel(g, b);
		for (int q = g->nb_start[v]; q < g->nb_start[v + 1]; q++) {
			int p = g->nb[q], y = g->endpoint[p];

			g->allow[p / 2] = false;
			/* reached inside a T-blossom through v: not any more, looked at again below */
			if (g->label[y] == 2 && g->labelend[y] == (p ^ 1) && !g->gone[y]) {
				g->label[y] = 0;
				g->labelend[y] = -1;
				g->bestedge[y] = -1;
				g->gone[y] = 2;
			}
		}
	}
	for (int v = 0; v < n; v++) {
		if (!g->gone[v])
			continue;
		for (int q = g->nb_start[v]; q < g->nb_start[v + 1]; q++) {
			int p = g->nb[q], y = g->endpoint[p];

			/* S-vertices of the trees that remain look at v again */
			if (g->label[g->inblossom[v]] == 1 || g->label[g->inblossom[y]] != 1)
				continue;
			err = scan_edge(g, y, p ^ 1);
			if (err < 0)
				return err;
		}
	}
	return 0;
}

/* Whether edge @k leads from top-level blossom @top to another, S-labelled one. */
static bool leads_to_s(const struct mw *g, int k, int top)
{
	int i = g->inblossom[g->ei[k]], j = g->inblossom[g->ej[k]];
	int o = i == top ? j : i;

	return o != top && g->label[o] == 1;
}

/*
 * The least-slack edge to an S-blossom of @slot (a vertex in the top-level
 * blossom @top, or @top itself), found again when the one it had leads to
 * a tree that came apart. Over every edge of its vertices, not only those
 * listed when it formed: an edge seen from the other side first is listed
 * on that side only.
 */
static void refresh_bestedge(struct mw *g, int slot, int top)
{
	int k = g->bestedge[slot], nl, *lv = g->leafbuf;

	/* only trees coming apart take S-labels away */
	if (g->seen_in[slot] == g->version)
		return;
	g->seen_in[slot] = g->version;
	if (k == -1 || leads_to_s(g, k, top))
		return;
	g->bestedge[slot] = -1;
	if (slot >= g->n) {
		free(g->bestedges[slot]);
		g->bestedges[slot] = NULL;
		g->nbestedges[slot] = 0;
	}
	nl = leaves(g, slot, lv, 0);
	for (int l = 0; l < nl; l++)
		for (int q = g->nb_start[lv[l]]; q < g->nb_start[lv[l] + 1]; q++) {
			int e = g->nb[q] / 2;

			if (leads_to_s(g, e, top) &&
			    (g->bestedge[slot] == -1 || slack(g, e) < slack(g, g->bestedge[slot])))
				g->bestedge[slot] = e;
		}
}

enum delta_kind { DELTA_DONE = 1, DELTA_RETIRE, DELTA_FREE_EDGE, DELTA_SS_EDGE, DELTA_EXPAND };

/* The largest dual change that keeps every slack non-negative, and what limits it. */
static enum delta_kind pick_delta(struct mw *g, int64_t *delta, int *what)
{
	enum delta_kind kind = DELTA_DONE;
	int n = g->n;

	/* first the smallest S-vertex dual: a change of edges only beats it when strictly smaller */
	*delta = 0;
	for (int v = 0; v < n; v++)
		if (g->label[g->inblossom[v]] == 1 && (kind == DELTA_DONE || g->dual[v] < *delta)) {
			*delta = g->dual[v];
			kind = DELTA_RETIRE;
			*what = v;
		}
	if (kind == DELTA_DONE)
		return kind; /* no tree left */
	for (int v = 0; v < n; v++) {
		int64_t d;

		if (g->bestedge[v] == -1 || g->label[g->inblossom[v]] != 0)
			continue;
		refresh_bestedge(g, v, g->inblossom[v]);
		if (g->bestedge[v] == -1)
			continue;
		d = slack(g, g->bestedge[v]);
		if (d < *delta) {
			*delta = d;
			kind = DELTA_FREE_EDGE;
			*what = g->bestedge[v];
		}
	}
	for (int b = 0; b < 2 * n; b++) {
		int64_t d;

		if (g->parent[b] != -1 || (b >= n && g->base[b] < 0))
			continue;
		if (g->label[b] == 2 && b >= n && g->dual[b] < *delta) {
			*delta = g->dual[b];
			kind = DELTA_EXPAND;
			*what = b;
		}
		if (g->label[b] != 1 || g->bestedge[b] == -1)
			continue;
		refresh_bestedge(g, b, b);
		if (g->bestedge[b] == -1)
			continue;
		d = slack(g, g->bestedge[b]) / 2;
		if (d < *delta) {
			*delta = d;
			kind = DELTA_SS_EDGE;
			*what = g->bestedge[b];
		}
	}
	if (*delta < 0)
		*delta = 0;
	return kind;
}

static void apply_delta(struct mw *g, int64_t delta)
{
	for (int v = 0; v < g->n; v++) {
		int l = g->label[g->inblossom[v]];

		if (l == 1)
			g->dual[v] -= delta;
		else if (l == 2)
			g->dual[v] += delta;
	}
	for (int b = g->n; b < 2 * g->n; b++) {
		if (g->base[b] < 0 || g->parent[b] != -1)
			continue;
		if (g->label[b] == 1)
			g->dual[b] += delta;
		else if (g->label[b] == 2)
			g->dual[b] -= delta;
	}
}

/*
 * S-vertex @v's dual reached 0: the path from its tree's root to it is
 * flipped (the root matched, @v free; nothing changes when @v is the
 * root) and the tree comes apart. A free vertex at dual 0 stays out of
 * the forest (it is where the duals want it) until a tree reaches it
 * through a tight edge. Roots of a cold start reach 0 together, the
 * textbook's end; a warm start's roots start at different duals.
 */
static int retire(struct mw *g, int v)
{
	int r = g->root[g->inblossom[v]];

	flip_to_root(g, v, -1);
	return dissolve_trees(g, r, r);
}

/*
 * Every free vertex roots a tree; trees grow, and when two meet the path
 * between their roots is augmented and only those two trees come apart
 * (the textbook algorithm restarts every tree after each augmentation).
 * Ends when the duals say the matching is maximum: 0 or negative errno.
 */
static int grow_forest(struct mw *g)
{
	int err;

	g->nqueue = 0;
	for (int v = 0; v < g->n; v++) {
		if (g->mate[v] == -1 && g->label[g->inblossom[v]] == 0 && g->dual[v] > 0) {
			err = assign_label(g, v, 1, -1);
			if (err)
				return err;
		}
	}
	/* O(n) dual changes per augmentation: far more means a bug, not a hard table */
	for (long budget = 4L * (g->n + 2) * (g->n + 2) + 1000;; budget--) {
		int64_t delta;
		int what = -1, i;
		enum delta_kind kind;

		if (!budget)
			return -EPROTO;
		err = scan_queue(g);
		if (err)
			return err;
		kind = pick_delta(g, &delta, &what);
		apply_delta(g, delta);
		switch (kind) {
		case DELTA_DONE:
			return 0;
		case DELTA_RETIRE:
			err = retire(g, what);
			break;
		case DELTA_FREE_EDGE:
		case DELTA_SS_EDGE:
			/* the edge that became tight, from its S end (not all of that vertex's edges) */
			g->allow[what] = true;
			i = g->label[g->inblossom[g->ei[what]]] == 1 ? 0 : 1;
			err = scan_edge(g, i ? g->ej[what] : g->ei[what], 2 * what + !i);
			err = err < 0 ? err : 0;
			break;
		case DELTA_EXPAND:
			err = expand_blossom(g, what, false);
			break;
		}
		if (err)
			return err;
	}
}

static void mw_free(struct mw *g)
{
	for (int b = 0; g->childs && b < 2 * g->n; b++) {
		free(g->childs[b]);
		free(g->endps[b]);
		free(g->bestedges[b]);
	}
	free(g->ei);
	free(g->ej);
	free(g->ew);
	free(g->endpoint);
	free(g->nb_start);
	free(g->nb);
	free(g->mate);
	free(g->label);
	free(g->labelend);
	free(g->inblossom);
	free(g->parent);
	free(g->childs);
	free(g->endps);
	free(g->nchilds);
	free(g->base);
	free(g->root);
	free(g->gone);
	free(g->bestedge);
	free(g->seen_in);
	free(g->bestedges);
	free(g->nbestedges);
	free(g->unused);
	free(g->dual);
	free(g->allow);
	free(g->queue);
	free(g->scratch);
	free(g->bestto);
	free(g->leafbuf);
}

/*
 * Edges of the pairs with a positive score that @use marks (n*n), weights
 * doubled (see the top); duals 0, nothing matched.
 */
static int mw_init(struct mw *g, int n, const int64_t *w, const char *use)
{
	int m = 0, k = 0, n2 = 2 * n;

	memset(g, 0, sizeof(*g));
	g->n = n;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			m += w[i * n + j] > 0 && use[i * n + j];
	g->m = m;
	g->ei = calloc(m + 1, sizeof(int));
	g->ej = calloc(m + 1, sizeof(int));
	g->ew = calloc(m + 1, sizeof(int64_t));
	g->endpoint = calloc(2 * m + 1, sizeof(int));
	g->nb_start = calloc(n + 1, sizeof(int));
	g->nb = calloc(2 * m + 1, sizeof(int));
	g->mate = malloc(n * sizeof(int));
	g->label = calloc(n2, sizeof(int));
	g->labelend = malloc(n2 * sizeof(int));
	g->inblossom = malloc(n * sizeof(int));
	g->parent = malloc(n2 * sizeof(int));
	g->childs = calloc(n2, sizeof(int *));
	g->endps = calloc(n2, sizeof(int *));
	g->nchilds = calloc(n2, sizeof(int));
	g->base = malloc(n2 * sizeof(int));
	g->root = malloc(n2 * sizeof(int));
	g->gone = calloc(n, 1);
	g->bestedge = malloc(n2 * sizeof(int));
	g->seen_in = calloc(n2, sizeof(unsigned int));
	g->bestedges = calloc(n2, sizeof(int *));
	g->nbestedges = calloc(n2, sizeof(int));
	g->unused = malloc(n * sizeof(int));
	g->dual = calloc(n2, sizeof(int64_t));
	g->allow = calloc(m + 1, sizeof(bool));
	g->cap_queue = n2;
	g->queue = malloc(g->cap_queue * sizeof(int));
	g->scratch = malloc(n2 * sizeof(int));
	g->bestto = malloc(n2 * sizeof(int));
	g->leafbuf = malloc(n * sizeof(int));
	if (!g->ei || !g->ej || !g->ew || !g->endpoint || !g->nb_start || !g->nb || !g->mate ||
	    !g->label || !g->labelend || !g->inblossom || !g->parent || !g->childs || !g->endps ||
	    !g->nchilds || !g->base || !g->root || !g->gone || !g->seen_in || !g->bestedge ||
	    !g->bestedges || !g->nbestedges || !g->unused || !g->dual || !g->allow || !g->queue ||
	    !g->scratch || !g->bestto || !g->leafbuf)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		for (int j = i + 1; j < n; j++) {
			if (w[i * n + j] <= 0 || !use[i * n + j])
				continue;
			g->ei[k] = i;
			g->ej[k] = j;
			g->ew[k] = 2 * w[i * n + j];
			g->nb_start[i + 1]++;
			g->nb_start[j + 1]++;
			k++;
		}
	}
	for (int v = 0; v < n; v++)
		g->nb_start[v + 1] += g->nb_start[v];
	{
		int *fill = g->scratch; /* n2 >= n entries */

		memcpy(fill, g->nb_start, n * sizeof(int));
		for (k = 0; k < m; k++) {
			g->endpoint[2 * k] = g->ei[k];
			g->endpoint[2 * k + 1] = g->ej[k];
			g->nb[fill[g->ei[k]]++] = 2 * k + 1;
			g->nb[fill[g->ej[k]]++] = 2 * k;
		}
	}
	for (int v = 0; v < n; v++) {
		g->mate[v] = -1;
		g->inblossom[v] = v;
		g->unused[v] = n + v;
	}
	for (int b = 0; b < n2; b++) {
		g->labelend[b] = -1;
		g->parent[b] = -1;
		g->base[b] = b < n ? b : -1;
		g->bestedge[b] = -1;
	}
	g->nunused = n;
	return 0;
}

/* The edge of @g between @v and @u as @v's remote endpoint (@u's end), or -1. */
static int endpoint_to(const struct mw *g, int v, int u)
{
	for (int q = g->nb_start[v]; q < g->nb_start[v + 1]; q++)
		if (g->endpoint[g->nb[q]] == u)
			return g->nb[q];
	return -1;
}

static void unmatch(struct mw *g, int v)
{
	if (g->mate[v] == -1)
		return;
	g->mate[g->endpoint[g->mate[v]]] = -1;
	g->mate[v] = -1;
}

/*
 * Start @g (fresh from mw_init, more edges) where @prev's solution left
 * off: blossoms dissolved into their vertices' duals (feasible on every
 * edge; a pair that leaves a blossom with a dual is no longer tight and
 * comes apart), each edge @prev did not have raised to its score on a
 * free end where it has one, and free duals made even, as a cold start's
 * are (so that slacks between trees halve exactly). Pairs that were
 * optimal stay matched and only the rest is grown again.
 */
static void warm_start(struct mw *g, const struct mw *prev)
{
	int n = g->n;

	for (int v = 0; v < n; v++) {
		g->dual[v] = prev->dual[v];
		for (int b = prev->parent[v]; b != -1; b = prev->parent[b])
			g->dual[v] += prev->dual[b];
	}
	for (int v = 0; v < n; v++) {
		int u = prev->mate[v] >= 0 ? prev->endpoint[prev->mate[v]] : -1;

		g->mate[v] = u >= 0 ? endpoint_to(g, v, u) : -1;
	}
	for (int v = 0; v < n; v++)
		if (g->mate[v] >= 0 && slack(g, g->mate[v] / 2) != 0)
			unmatch(g, v);
	for (int k = 0; k < g->m; k++) {
		int64_t s = slack(g, k);
		int x = g->ei[k];

		if (s >= 0)
			continue;
		if (g->mate[x] >= 0 && g->mate[g->ej[k]] == -1)
			x = g->ej[k];
		unmatch(g, x);
		g->dual[x] -= s;
	}
	for (int v = 0; v < n; v++)
		if (g->mate[v] == -1)
			g->dual[v] += g->dual[v] & 1;
}

/*
 * A cold start from the relaxation (relax.h): its prices as the vertex
 * duals, feasible on every pair, and the pairs it picked both ways, tight
 * under them, matched. What is left free grows trees from there.
 */
static void relax_start(struct mw *g, const int64_t *price, const int *pick)
{
	for (int v = 0; v < g->n; v++) {
		int u = pick[v];

		g->dual[v] = 2 * price[v];
		if (u != v && pick[u] == v && g->mate[v] == -1)
			g->mate[v] = endpoint_to(g, v, u);
		if (g->mate[v] >= 0)
			g->mate[u] = g->mate[v] ^ 1;
	}
}

/*
 * Solve on the edges @use marks, from @prev's solution when there is
 * one, else from the relaxation's @price and @pick; the result (mates
 * and duals) stays in @g.
 */
static int solve(struct mw *g, const int64_t *w, const char *use, const struct mw *prev,
		 const int64_t *price, const int *pick, int n)
{
	int err = mw_init(g, n, w, use);

	if (err)
		return err;
	if (prev)
		warm_start(g, prev);
	else
		relax_start(g, price, pick);
	return grow_forest(g);
}

/*
 * Mark in @use each job's SMT_MATCH_SPARSE pairs of least slack under the
 * relaxation's prices (its best pairs when every price is 0), and its
 * pick: the pairs the exact duals, never far from those prices, need.
 */
static void mark_least_slack(int n, const int64_t *w, const int64_t *price, const int *pick,
			     char *use)
{
	for (int i = 0; i < n; i++) {
		const int64_t *row = w + (size_t)i * n;
		int64_t key[SMT_MATCH_SPARSE];
		int top[SMT_MATCH_SPARSE], cnt = 0;

		for (int j = 0; j < n; j++) {
			int64_t kj = 2 * row[j] - price[j]; /* minus the slack, less price[i] */
			int at;

			if (j == i || row[j] <= 0 ||
			    (cnt == SMT_MATCH_SPARSE && kj <= key[cnt - 1]))
				continue;
			at = cnt < SMT_MATCH_SPARSE ? cnt++ : cnt - 1;
			for (; at > 0 && key[at - 1] < kj; at--) {
				top[at] = top[at - 1];
				key[at] = key[at - 1];
			}
			top[at] = j;
			key[at] = kj;
		}
		for (int r = 0; r < cnt; r++)
			use[(size_t)i * n + top[r]] = use[(size_t)top[r] * n + i] = 1;
		use[(size_t)i * n + pick[i]] = use[(size_t)pick[i] * n + i] = 1;
	}
}

/* Mark every pair with a positive score in @use. */
static void mark_positive(int n, const int64_t *w, char *use)
{
	for (size_t k = 0; k < (size_t)n * n; k++)
		use[k] |= w[k] > 0 && k / n != k % n;
}

/* Twice the duals of the blossoms that hold both @i and @j (0 when none does). */
static int64_t shared_blossom_duals(const struct mw *g, int i, int j)
{
	for (int b = g->parent[i]; b != -1; b = g->parent[b]) {
		int c = g->parent[j];
		int64_t sum = 0;

		while (c != -1 && c != b)
			c = g->parent[c];
		if (c != b)
			continue;
		for (; b != -1; b = g->parent[b])
			sum += 2 * g->dual[b];
		return sum;
	}
	return 0;
}

/* Slack of the pair @i, @j (score @wij) under @g's duals, blossoms included. */
static int64_t pair_slack(const struct mw *g, int i, int j, int64_t wij)
{
	int64_t s = g->dual[i] + g->dual[j] - 4 * wij;

	return s >= 0 ? s : s + shared_blossom_duals(g, i, j);
}

/*
 * Pairs the duals of @g's solution price below their score, added to
 * @use: the solution is optimal on the whole table when there are none.
 */
static int add_underpriced(const struct mw *g, int n, const int64_t *w, char *use)
{
	int added = 0;

	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			int64_t wij = w[(size_t)i * n + j];

			/* vertex duals alone: blossom duals only add (>= 0, proven below) */
			if (use[(size_t)i * n + j] || wij <= 0 ||
			    g->dual[i] + g->dual[j] >= 4 * wij)
				continue;
			use[(size_t)i * n + j] = use[(size_t)j * n + i] = 1;
			added++;
		}
	return added;
}

/*
 * The rest of the proof that @g's matching is maximum (LP duality; every
 * pair priced at its score or above is checked by add_underpriced):
 * matched pairs exactly at their score, unmatched vertices at dual 0, no
 * negative dual, and a blossom with a dual holds as many pairs as it can.
 * A failure is a bug, reported rather than handed on as optimal.
 */
static bool proven_optimal(const struct mw *g)
{
	int n = g->n, *lv = g->leafbuf;

	for (int v = 0; v < n; v++) {
		int u = g->mate[v] >= 0 ? g->endpoint[g->mate[v]] : -1;

		if (g->dual[v] < 0 || (u < 0 && g->dual[v] != 0))
			return false;
		if (u >= 0 && pair_slack(g, v, u, g->ew[g->mate[v] / 2] / 2) != 0)
			return false;
	}
	for (int b = n; b < 2 * n; b++) {
		int nl, inside = 0;

		if (g->base[b] < 0 || g->dual[b] == 0)
			continue;
		if (g->dual[b] < 0)
			return false;
		nl = leaves(g, b, lv, 0);
		for (int l = 0; l < nl; l++) {
			int u = g->mate[lv[l]] >= 0 ? g->endpoint[g->mate[lv[l]]] : -1;

			for (int c = u >= 0 ? g->parent[u] : -1; c != -1; c = g->parent[c])
				if (c == b) {
					inside++;
					break;
				}
		}
		if (inside != nl - 1)
			return false;
	}
	return true;
}

/*
 * Whether @g's matching reaches the bound no matching can pass: each pair
 * scores at most the mean of its two jobs' best scores, so twice any
 * matching's total is at most the sum of every job's best positive score.
 * Reaching it proves the matching optimal for the whole table at once
 * (tables where many pairs tie at the top score, as the seed's do).
 */
static bool reaches_bound(const struct mw *g, int n, const int64_t *w)
{
	int64_t bound = 0, total = 0;

	for (int v = 0; v < n; v++) {
		int64_t best = 0;

		for (int j = 0; j < n; j++)
			if (j != v && w[(size_t)v * n + j] > best)
				best = w[(size_t)v * n + j];
		bound += best;
		if (g->mate[v] >= 0)
			total += w[(size_t)v * n + g->endpoint[g->mate[v]]];
	}
	return total == bound; /* total counts each pair from both ends: twice the matching's */
}

/*
 * Whether the relaxation's picks are already a pairing (every pick
 * returned) that its prices prove optimal: half of each price is a
 * vertex dual of the matching LP, feasible on every pair, and their sum
 * equals the pairing's total. Pairs with no positive score come apart.
 */
static bool relax_is_optimal(int n, const int64_t *w, const int64_t *price, const int *pick)
{
	int64_t sum = 0, total = 0;

	for (int i = 0; i < n; i++) {
		const int64_t *row = w + (size_t)i * n;

		if (pick[pick[i]] != i || price[i] < 0)
			return false;
		sum += price[i];
		if (pick[i] != i && row[pick[i]] > 0)
			total += 2 * row[pick[i]];
		for (int j = i + 1; j < n; j++)
			if (row[j] > 0 && price[i] + price[j] < 2 * row[j])
				return false;
	}
	return sum == total;
}

/*
 * The exact algorithm, started from the relaxation, on a sparse graph
 * first (each job's pairs of least slack), then grown by the pairs the
 * solution's duals price too low, each pass starting from the last one's
 * pairs and duals, until there are none: LP duality makes that solution
 * optimal for the whole table, at a fraction of the dense graph's cost.
 * The duals are checked to prove it before the pairs are handed on,
 * unless the matching already reaches the bound of reaches_bound(),
 * itself a proof.
 */
static int match_from_relaxation(int n, const int64_t *w, const int64_t *price, const int *pick,
				 int *mate)
{
	struct mw prev = { 0 };
	char *use;
	int err = 0;

	use = calloc((size_t)n * n, 1);
	if (!use)
		return -ENOMEM;
	mark_least_slack(n, w, price, pick, use);
	for (;;) {
		struct mw g = { 0 };
		bool bound = false;
		int added;

		if (!err)
			err = solve(&g, w, use, prev.n ? &prev : NULL, price, pick, n);
		mw_free(&prev);
		if (!err)
			bound = reaches_bound(&g, n, w);
		added = err || bound ? 0 : add_underpriced(&g, n, w, use);
		/* the sparse graph was far off: solve the whole table next */
		if (added > SMT_MATCH_SPARSE * n / 2)
			mark_positive(n, w, use);
		if (!err && !added && !bound && !proven_optimal(&g))
			err = -EPROTO;
		if (!err && !added)
			for (int v = 0; v < n; v++)
				mate[v] = g.mate[v] >= 0 ? g.endpoint[g.mate[v]] : -1;
		prev = g;
		if (err || !added)
			break;
	}
	mw_free(&prev);
	free(use);
	return err;
}

/*
 * The relaxation first (relax.h): on most tables, the seed's shape among
 * them, it is the answer and proves itself; elsewhere it starts the
 * exact algorithm close to the end.
 */
int smt_match_optimal(int n, const int64_t *w, int *mate)
{
	int64_t *price;
	int *pick, err;

	err = smt_match_begin(n, mate);
	if (err <= 0)
		return err;
	price = malloc(n * sizeof(*price));
	pick = malloc(n * sizeof(*pick));
	err = price && pick ? smt_relax(n, w, price, pick) : -ENOMEM;
	if (!err && relax_is_optimal(n, w, price, pick)) {
		for (int v = 0; v < n; v++)
			mate[v] = pick[v] != v && w[(size_t)v * n + pick[v]] > 0 ? pick[v] : -1;
	} else if (!err) {
		err = match_from_relaxation(n, w, price, pick, mate);
	}
	free(price);
	free(pick);
	return err;
}

int smt_match_begin(int n, int *mate)
{
	if (n < 0 || n > SMT_MATCH_MAX)
		return -EINVAL;
	for (int v = 0; v < n; v++)
		mate[v] = -1;
	return n >= 2;
}

int64_t smt_match_total(int n, const int64_t *w, const int *mate)
{
	int64_t sum = 0;

	for (int i = 0; i < n; i++)
		if (mate[i] > i)
			sum += w[i * n + mate[i]];
	return sum;
}

int smt_match_worth_changing(int n, const int64_t *w, const int *cur, const int *next, int permille)
{
	int64_t have = smt_match_total(n, w, cur), gain = smt_match_total(n, w, next) - have;
	int64_t need = have / 1000 * permille + have % 1000 * permille / 1000;

	return gain > (need > 0 ? need : 0);
}
