/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The migration model: a multilayer perceptron of three layers (ReLU,
 * ReLU, sigmoid) that scores a candidate migration from its features; a
 * score above the threshold means migrate. Plain C and libm.
 */
#ifndef MLMIG_MLP_H
#define MLMIG_MLP_H

#include <stdbool.h>
#include <stdint.h>

#define MLP_IN_MAX 16 /* inputs a model may take */
#define MLP_HIDDEN_MAX 128 /* neurons of a hidden layer at most */
#define MLP_LAYERS 3 /* hidden, hidden, output (one neuron) */

/* The seeds' network: 10 inputs, two hidden layers of 64 */
#define MLP_SEED_IN 10
#define MLP_SEED_HIDDEN 64

struct mlp {
	uint32_t feature_set; /* what the inputs mean (mlfeatures.h) */
	int in, h1, h2; /* layer widths; the output is one neuron */
	float w1[MLP_HIDDEN_MAX][MLP_IN_MAX], b1[MLP_HIDDEN_MAX]; /* w1[neuron][input] */
	float w2[MLP_HIDDEN_MAX][MLP_HIDDEN_MAX], b2[MLP_HIDDEN_MAX];
	float w3[MLP_HIDDEN_MAX], b3;
	/* mlp_prepare(): the weights input by input, so a pass runs over neurons at once */
	bool ready;
	float t1[MLP_IN_MAX][MLP_HIDDEN_MAX], t2[MLP_HIDDEN_MAX][MLP_HIDDEN_MAX];
};

/*
 * Lay out @m's weights for fast passes: after any change to them (a pass
 * on a model never prepared prepares it first).
 */
void mlp_prepare(struct mlp *m);

/* Whether @in, @h1, @h2 are widths a model may have. */
int mlp_shape_ok(int in, int h1, int h2);

/* The score of one input vector (m->in values), in [0, 1]. */
float mlp_forward(const struct mlp *m, const float *x);

/*
 * The scores of @n input vectors, each m->in values, rows of @x; the same
 * values as mlp_forward() on each, a layer at a time over the batch.
 */
void mlp_forward_batch(const struct mlp *m, const float *x, int n, float *out);

#endif /* MLMIG_MLP_H */
