/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bipartite relaxation of pairing jobs: every job picks one partner
 * (or itself, to stay unpaired), and a pick need not be returned. Its best
 * total bounds twice the best pairing's total, and its duals price every
 * pair at or above its score. Where every pick is returned, the pairs are
 * an optimal pairing and the duals prove it; elsewhere the duals start the
 * exact algorithm close to its end.
 */
#ifndef SMT_RELAX_H
#define SMT_RELAX_H

#include <stdint.h>

/*
 * Solve the relaxation of the n*n score table @w (only positive scores
 * count; the diagonal is read as 0): pick[v] is v's partner (v itself
 * when unpaired); price[v] >= 0 and price[i] + price[j] >= 2 * w[i*n+j]
 * for every pair, with equality on a pair picked both ways; the prices
 * sum to the picks' total. 0, or -ENOMEM.
 */
int smt_relax(int n, const int64_t *w, int64_t *price, int *pick);

#endif /* SMT_RELAX_H */
