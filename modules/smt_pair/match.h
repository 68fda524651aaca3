/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pairing jobs for SMT co-scheduling: given a symmetric table of pair
 * scores, choose disjoint pairs with the largest total score. Scores are
 * integers (the caller scales its real-valued scores); a pair whose score
 * is not positive is never chosen, and a job may stay unpaired.
 */
#ifndef SMT_MATCH_H
#define SMT_MATCH_H

#include <stdint.h>

/* Jobs the pairing takes at most (the arena's job table holds as many). */
#define SMT_MATCH_MAX 4096

/*
 * Maximum-weight matching (Edmonds' blossom algorithm with dual
 * variables, O(n^3)): @w is n*n, w[i * n + j] the score of pairing i with
 * j (only i < j is read). On return mate[i] is i's partner or -1. 0 on
 * success, -EINVAL for a bad n, -ENOMEM, -EPROTO if the result could not
 * be proven optimal (a bug: it is checked against the LP dual every time).
 */
int smt_match_optimal(int n, const int64_t *w, int *mate);

/*
 * The seed's heuristic: pairs by descending score while both jobs are
 * free, then swaps between pairs (and with unpaired jobs) while one
 * raises the total. Same contract as smt_match_optimal(); never better.
 */
int smt_match_greedy(int n, const int64_t *w, int *mate);

/*
 * What both algorithms do first: -EINVAL for a bad @n, else every job
 * unpaired, and 1 when there are at least two jobs to pair (0: done).
 */
int smt_match_begin(int n, int *mate);

/* Total score of the pairs in @mate. */
int64_t smt_match_total(int n, const int64_t *w, const int *mate);

/*
 * Whether to move from pairing @cur to @next, both scored on today's
 * table: only when @next gains more than @permille thousandths of @cur's
 * total (and at least 1), so scores that barely move do not flap pairs.
 */
int smt_match_worth_changing(int n, const int64_t *w, const int *cur, const int *next,
			     int permille);

#endif /* SMT_MATCH_H */
