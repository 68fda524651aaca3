// SPDX-License-Identifier: GPL-2.0
/*
 * Forward passes. Every neuron sums its inputs in index order starting
 * from its bias, however the loops run, so a batch gives bit for bit the
 * scores of one-at-a-time passes. Prepared, a pass runs each input over all neurons at once (and a
 * batch over four samples per weight loaded), which vectorises; on a CPU
 * with AVX2 and FMA (x86-64-v3, picked at run time) every multiply-add is
 * fused, in every path alike.
 */
#pragma GCC optimize("O3")
#include <math.h>
#include <string.h>
#include "mlp.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define VECTOR_CLONES
#endif

int mlp_shape_ok(int in, int h1, int h2)
{
	return in >= 1 && in <= MLP_IN_MAX && h1 >= 1 && h1 <= MLP_HIDDEN_MAX && h2 >= 1 &&
	       h2 <= MLP_HIDDEN_MAX;
}

void mlp_prepare(struct mlp *m)
{
	for (int j = 0; j < m->h1; j++)
		for (int i = 0; i < m->in; i++)
			m->t1[i][j] = m->w1[j][i];
	for (int j = 0; j < m->h2; j++)
		for (int i = 0; i < m->h1; i++)
			m->t2[i][j] = m->w2[j][i];
	m->ready = true;
}

static float sigmoid(float v)
{
	return 1.0f / (1.0f + expf(-v));
}

/* Eight floats, one per neuron: each lane sums its own neuron's inputs in order. */
typedef float v8f __attribute__((vector_size(32)));
/* load8 is always inlined: no vector crosses a call, whatever the ABI says about them */
#pragma GCC diagnostic ignored "-Wpsabi"

static inline __attribute__((always_inline)) v8f load8(const float *p)
{
	v8f v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * out[j] = relu(b[j] + sum over i of t[i][j] * x[i]), for j < nout, i < nin
 * in order: 32 neurons at a time in four vectors kept over all inputs,
 * then 8, then one by one.
 */
static inline __attribute__((always_inline)) void
layer(int nin, int nout, const float *t, int stride, const float *b, const float *x, float *out)
{
	int jb = 0;

	for (; jb + 32 <= nout; jb += 32) {
		v8f a0 = load8(b + jb), a1 = load8(b + jb + 8), a2 = load8(b + jb + 16),
		    a3 = load8(b + jb + 24);

		for (int i = 0; i < nin; i++) {
			const float *row = t + (long)i * stride + jb;

			a0 += load8(row) * x[i];
			a1 += load8(row + 8) * x[i];
			a2 += load8(row + 16) * x[i];
			a3 += load8(row + 24) * x[i];
		}
		memcpy(out + jb, &a0, sizeof(a0));
		memcpy(out + jb + 8, &a1, sizeof(a1));
		memcpy(out + jb + 16, &a2, sizeof(a2));
		memcpy(out + jb + 24, &a3, sizeof(a3));
	}
	for (; jb + 8 <= nout; jb += 8) {
		v8f a = load8(b + jb);

		for (int i = 0; i < nin; i++)
			a += load8(t + (long)i * stride + jb) * x[i];
		memcpy(out + jb, &a, sizeof(a));
	}
	for (; jb < nout; jb++) {
		float a = b[jb];

		for (int i = 0; i < nin; i++)
			a += t[(long)i * stride + jb] * x[i];
		out[jb] = a;
	}
	for (int j = 0; j < nout; j++)
		out[j] = out[j] > 0 ? out[j] : 0;
}

/*
 * The output neuron's score from the last hidden layer. Its sum runs in
 * eight lanes (lane k takes inputs k, k + 8, ... in order), added up in a
 * fixed tree, then the inputs past the last eight, then the bias: a short
 * chain, and the same order in every pass.
 */
static inline __attribute__((always_inline)) float output(const struct mlp *m, const float *a2)
{
	v8f lanes = { 0 };
	float z;
	int i = 0;

	for (; i + 8 <= m->h2; i += 8)
		lanes += load8(m->w3 + i) * load8(a2 + i);
	z = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) +
	    ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
	for (; i < m->h2; i++)
		z += m->w3[i] * a2[i];
	return sigmoid(z + m->b3);
}

VECTOR_CLONES float mlp_forward(const struct mlp *m, const float *x)
{
	float a1[MLP_HIDDEN_MAX], a2[MLP_HIDDEN_MAX];

	/* the laid-out weights are a cache of the model's own: filling them changes no score */
	if (!m->ready)
		mlp_prepare((struct mlp *)m);
	layer(m->in, m->h1, &m->t1[0][0], MLP_HIDDEN_MAX, m->b1, x, a1);
	layer(m->h1, m->h2, &m->t2[0][0], MLP_HIDDEN_MAX, m->b2, a1, a2);
	return output(m, a2);
}

#define GROUP 4 /* samples that share each weight loaded */

/*
 * layer() for GROUP samples at once (inputs x[s], outputs out[s]): 16
 * neurons of every sample per pass, each weight vector loaded once for
 * all of them; the sums are those of layer(), in the same order.
 */
static inline __attribute__((always_inline)) void layer_group(int nin, int nout, const float *t,
							      int stride, const float *b,
							      const float *const *x,
							      float *const *out)
{
	int jb = 0;

	for (; jb + 16 <= nout; jb += 16) {
		v8f lo[GROUP], hi[GROUP];

		for (int s = 0; s < GROUP; s++) {
			lo[s] = load8(b + jb);
			hi[s] = load8(b + jb + 8);
		}
		for (int i = 0; i < nin; i++) {
			const float *row = t + (long)i * stride + jb;
			v8f w0 = load8(row), w1 = load8(row + 8);

			for (int s = 0; s < GROUP; s++) {
				lo[s] += w0 * x[s][i];
				hi[s] += w1 * x[s][i];
			}
		}
		for (int s = 0; s < GROUP; s++) {
			memcpy(out[s] + jb, &lo[s], sizeof(lo[s]));
			memcpy(out[s] + jb + 8, &hi[s], sizeof(hi[s]));
		}
	}
	for (; jb < nout; jb++)
		for (int s = 0; s < GROUP; s++) {
			float a = b[jb];

			for (int i = 0; i < nin; i++)
				a += t[(long)i * stride + jb] * x[s][i];
			out[s][jb] = a;
		}
	for (int s = 0; s < GROUP; s++)
		for (int j = 0; j < nout; j++)
			out[s][j] = out[s][j] > 0 ? out[s][j] : 0;
}

static inline __attribute__((always_inline)) void forward_group(const struct mlp *m, const float *x,
								float *out)
{
	float a1[GROUP][MLP_HIDDEN_MAX], a2[GROUP][MLP_HIDDEN_MAX];
	const float *in[GROUP], *h1[GROUP];
	float *o1[GROUP], *o2[GROUP];

	for (int s = 0; s < GROUP; s++) {
		in[s] = x + (long)s * m->in;
		o1[s] = a1[s];
		h1[s] = a1[s];
		o2[s] = a2[s];
	}
	layer_group(m->in, m->h1, &m->t1[0][0], MLP_HIDDEN_MAX, m->b1, in, o1);
	layer_group(m->h1, m->h2, &m->t2[0][0], MLP_HIDDEN_MAX, m->b2, h1, o2);
	for (int s = 0; s < GROUP; s++)
		out[s] = output(m, a2[s]);
}

VECTOR_CLONES void mlp_forward_batch(const struct mlp *m, const float *x, int n, float *out)
{
	int s = 0;

	if (!m->ready)
		mlp_prepare((struct mlp *)m);
	for (; s + GROUP <= n; s += GROUP)
		forward_group(m, x + (long)s * m->in, out + s);
	for (; s < n; s++)
		out[s] = mlp_forward(m, x + (long)s * m->in);
}
