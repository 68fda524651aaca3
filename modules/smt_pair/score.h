/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How well two jobs share a physical core: each one's predicted slowdown
 * beside the other (the trained model), its compatibility, and the pair's
 * symbiotic score, which the pairing maximises.
 */
#ifndef SMT_SCORE_H
#define SMT_SCORE_H

#include <stdint.h>
#include "model.h"

/* One direction of a pair: @a running beside @b. */
struct smt_side {
	double features[1 +
			SMT_MAX_RESOURCES]; /* min_base_slowdown, then contention per resource */
	double slowdown; /* predicted, clamped to [0, 1] */
	double scale; /* l3_cache_ipc / single_ipc */
	double compat; /* scale * (1 - slowdown), clamped to [0, 1] */
};

/* Contention on one resource from usages @ua and @ub. */
double smt_activation(enum smt_activation act, double ua, double ub);

/*
 * @a's side of the pair (@a, @b) under @m. -EINVAL, with the resource in
 * @err, when a profile lacks one of the model's resources.
 */
int smt_side(const struct smt_model *m, const struct smt_profile *a, const struct smt_profile *b,
	     struct smt_side *out, char *err, size_t err_len);

/* Symbiotic score of the pair: compat_a + compat_b, 0..2. */
int smt_pair_score(const struct smt_model *m, const struct smt_profile *a,
		   const struct smt_profile *b, double *score, char *err, size_t err_len);

/* Scores as the pairing takes them: micro-units, 0..2000000. */
#define SMT_SCORE_UNIT 1000000.0

/*
 * The n*n table of scaled pair scores of profiles @p under @m (the
 * diagonal is 0). 0, or -EINVAL naming the profile and resource in @err.
 */
int smt_score_table(const struct smt_model *m, const struct smt_profile *p, int n, int64_t *w,
		    char *err, size_t err_len);

#endif /* SMT_SCORE_H */
