/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The migration model: a multilayer perceptron of three layers (ReLU,
 * ReLU, sigmoid) that scores a candidate migration from its features; a
 * score above the threshold means migrate. Plain C and libm.
 */
#ifndef MLMIG_MLP_H
#define MLMIG_MLP_H

#include <stdint.h>

#define MLP_IN_MAX 16 /* inputs a model may take */
#define MLP_HIDDEN_MAX 128 /* neurons of a hidden layer at most */
#define MLP_LAYERS 3 /* hidden, hidden, output (one neuron) */

/* The seeds' network: 10 inputs, two hidden layers of 64 */
#define MLP_SEED_IN 10
#define MLP_SEED_HIDDEN 64

struct mlp {
	uint32_t feature_set; /* what the inputs mean (features.h) */
	int in, h1, h2; /* layer widths; the output is one neuron */
	float w1[MLP_HIDDEN_MAX][MLP_IN_MAX], b1[MLP_HIDDEN_MAX];
	float w2[MLP_HIDDEN_MAX][MLP_HIDDEN_MAX], b2[MLP_HIDDEN_MAX];
	float w3[MLP_HIDDEN_MAX], b3;
};

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
