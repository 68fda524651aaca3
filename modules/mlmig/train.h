/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Training the migration model from labelled candidates: binary cross
 * entropy, Adam, mini-batches, a fixed seed (the same data and options
 * give the same model, bit for bit), a validation share held out.
 */
#ifndef MLMIG_TRAIN_H
#define MLMIG_TRAIN_H

#include <stdint.h>
#include <stdio.h>
#include "mlfeatures.h"
#include "mlp.h"

struct mlmig_sample {
	float x[MLMIG_INPUTS];
	float y; /* 1: the move was good, 0: it was not */
};

struct mlmig_train_opts {
	int hidden; /* width of both hidden layers */
	int epochs;
	int batch;
	float lr;
	uint64_t seed;
	double val_share; /* held out for validation, 0..0.9 */
	float threshold; /* a score above it means migrate */
};

#define MLMIG_TRAIN_DEFAULTS                                                                  \
	(struct mlmig_train_opts)                                                             \
	{                                                                                     \
		.hidden = MLP_SEED_HIDDEN, .epochs = 30, .batch = 32, .lr = 1e-3f, .seed = 1, \
		.val_share = 0.2, .threshold = 0.5f                                           \
	}

struct mlmig_metrics {
	long tp, fp, tn, fn;
	double loss; /* mean binary cross entropy */
};

double mlmig_accuracy(const struct mlmig_metrics *m);
double mlmig_precision(const struct mlmig_metrics *m);
double mlmig_recall(const struct mlmig_metrics *m);

/* How @m decides @n samples at @threshold. */
void mlmig_evaluate(const struct mlp *m, const struct mlmig_sample *s, int n, float threshold,
		    struct mlmig_metrics *out);

/*
 * Train a model of @set on @n samples (shuffled with the seed, the last
 * val_share of them held out) into @out; @val gets its metrics on the held
 * out ones (on all when none is held out). A line per epoch to @log if not
 * NULL. 0, or -EINVAL for options out of range.
 */
int mlmig_train(const struct mlmig_sample *s, int n, uint32_t set, const struct mlmig_train_opts *o,
		struct mlp *out, struct mlmig_metrics *val, FILE *log);

#endif /* MLMIG_TRAIN_H */
