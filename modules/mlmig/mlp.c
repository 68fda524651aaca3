// SPDX-License-Identifier: GPL-2.0
/*
 * Forward passes. Every neuron sums its inputs in index order starting
 * from its bias, single or batched, so a batch gives bit for bit the
 * scores of one-at-a-time passes; the batch runs each weight over up to
 * BATCH samples at once, which the compiler can vectorise.
 */
#include <math.h>
#include "mlp.h"

#define BATCH 32

int mlp_shape_ok(int in, int h1, int h2)
{
	return in >= 1 && in <= MLP_IN_MAX && h1 >= 1 && h1 <= MLP_HIDDEN_MAX && h2 >= 1 &&
	       h2 <= MLP_HIDDEN_MAX;
}

static float relu(float v)
{
	return v > 0 ? v : 0;
}

static float sigmoid(float v)
{
	return 1.0f / (1.0f + expf(-v));
}

float mlp_forward(const struct mlp *m, const float *x)
{
	float a1[MLP_HIDDEN_MAX], a2[MLP_HIDDEN_MAX], z = m->b3;

	for (int j = 0; j < m->h1; j++) {
		float s = m->b1[j];

		for (int i = 0; i < m->in; i++)
			s += m->w1[j][i] * x[i];
		a1[j] = relu(s);
	}
	for (int j = 0; j < m->h2; j++) {
		float s = m->b2[j];

		for (int i = 0; i < m->h1; i++)
			s += m->w2[j][i] * a1[i];
		a2[j] = relu(s);
	}
	for (int i = 0; i < m->h2; i++)
		z += m->w3[i] * a2[i];
	return sigmoid(z);
}

/* One dense ReLU layer over @n (<= BATCH) samples: in[i][s] -> out[j][s]. */
static void layer_batch(int nin, int nout, const float *w, int wstride, const float *b,
			const float (*in)[BATCH], float (*out)[BATCH], int n)
{
	for (int j = 0; j < nout; j++) {
		float acc[BATCH];

		for (int s = 0; s < n; s++)
			acc[s] = b[j];
		for (int i = 0; i < nin; i++) {
			float wji = w[j * wstride + i];

			for (int s = 0; s < n; s++)
				acc[s] += wji * in[i][s];
		}
		for (int s = 0; s < n; s++)
			out[j][s] = relu(acc[s]);
	}
}

static void forward_chunk(const struct mlp *m, const float *x, int n, float *out)
{
	static __thread float in[MLP_IN_MAX][BATCH], a1[MLP_HIDDEN_MAX][BATCH],
		a2[MLP_HIDDEN_MAX][BATCH];
	float z[BATCH];

	for (int s = 0; s < n; s++)
		for (int i = 0; i < m->in; i++)
			in[i][s] = x[s * m->in + i];
	layer_batch(m->in, m->h1, &m->w1[0][0], MLP_IN_MAX, m->b1, in, a1, n);
	layer_batch(m->h1, m->h2, &m->w2[0][0], MLP_HIDDEN_MAX, m->b2, a1, a2, n);
	for (int s = 0; s < n; s++)
		z[s] = m->b3;
	for (int i = 0; i < m->h2; i++)
		for (int s = 0; s < n; s++)
			z[s] += m->w3[i] * a2[i][s];
	for (int s = 0; s < n; s++)
		out[s] = sigmoid(z[s]);
}

void mlp_forward_batch(const struct mlp *m, const float *x, int n, float *out)
{
	for (int done = 0; done < n; done += BATCH)
		forward_chunk(m, x + (long)done * m->in, n - done < BATCH ? n - done : BATCH,
			      out + done);
}
