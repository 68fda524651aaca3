// SPDX-License-Identifier: GPL-2.0
/*
 * Quantisation: each layer's weights scaled by the largest power of two
 * that keeps them within 16 bits; a bias is scaled like the sum it joins.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "quant.h"

#define SHIFT_MAX 20

/* The shift that fits the largest of @n weights (row stride @stride) in 16 bits. */
static int shift_for(const float *w, int rows, int cols, int stride)
{
	float maxabs = 0;
	int s = SHIFT_MAX;

	for (int j = 0; j < rows; j++)
		for (int i = 0; i < cols; i++)
			maxabs = fmaxf(maxabs, fabsf(w[j * stride + i]));
	while (s > 0 && maxabs * (float)(1 << s) > 32767)
		s--;
	return s;
}

static __s16 q16(float w, int shift)
{
	return (__s16)lrintf(w * (float)(1 << shift));
}

static __s64 q64(double v, int shift)
{
	return llrint(v * (double)(1ll << (shift + MLMIG_Q_SHIFT)));
}

int mlmig_quantize(const struct mlp *m, double p, struct mlmig_qmodel *q)
{
	__u32 seq = q->seq;
	int s1, s2, s3;

	if (m->in > MLMIG_Q_IN || m->h1 > MLMIG_Q_HIDDEN || m->h2 > MLMIG_Q_HIDDEN)
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	q->seq = seq;
	q->in = m->in;
	q->h1 = m->h1;
	q->h2 = m->h2;
	q->feature_set = m->feature_set;
	s1 = shift_for(&m->w1[0][0], m->h1, m->in, MLP_IN_MAX);
	s2 = shift_for(&m->w2[0][0], m->h2, m->h1, MLP_HIDDEN_MAX);
	s3 = shift_for(m->w3, 1, m->h2, 0);
	q->shift[0] = s1;
	q->shift[1] = s2;
	q->shift[2] = s3;
	for (int j = 0; j < m->h1; j++) {
		for (int i = 0; i < m->in; i++)
			q->w1[j][i] = q16(m->w1[j][i], s1);
		q->b1[j] = q64(m->b1[j], s1);
	}
	for (int j = 0; j < m->h2; j++) {
		for (int i = 0; i < m->h1; i++)
			q->w2[j][i] = q16(m->w2[j][i], s2);
		q->b2[j] = q64(m->b2[j], s2);
		q->w3[j] = q16(m->w3[j], s3);
	}
	q->b3 = q64(m->b3, s3);
	/* score > p  <=>  sum > logit(p) */
	if (p <= 0)
		q->threshold = INT64_MIN;
	else if (p >= 1)
		q->threshold = INT64_MAX;
	else
		q->threshold = q64(log(p / (1 - p)), s3);
	return 0;
}

int mlmig_q_publish(struct mlmig_qmodel *q, const struct mlp *m, double p)
{
	__u32 seq = q->seq | 1;
	int ret;

	__atomic_store_n(&q->seq, seq, __ATOMIC_RELEASE);
	ret = mlmig_quantize(m, p, q);
	__atomic_store_n(&q->seq, ret ? 0 : seq + 1, __ATOMIC_RELEASE);
	return ret;
}

__s32 mlmig_q_inputs_one(float x)
{
	return (__s32)lrintf(x * (1 << MLMIG_Q_SHIFT));
}

void mlmig_q_inputs(const float *x, int n, __s32 *xq)
{
	for (int i = 0; i < MLMIG_Q_IN; i++)
		xq[i] = i < n ? mlmig_q_inputs_one(x[i]) : 0;
}

/* ReLU of a sum, back at the activations' scale, saturated to 32 bits. */
static __s32 activation(__s64 acc, __u32 shift)
{
	if (acc <= 0)
		return 0;
	acc >>= shift;
	return acc > INT32_MAX ? INT32_MAX : (__s32)acc;
}

bool mlmig_q_decide(const struct mlmig_qmodel *q, const __s32 *xq, __s64 *z)
{
	__s32 a1[MLMIG_Q_HIDDEN], a2[MLMIG_Q_HIDDEN];
	__s64 sum = q->b3;

	for (__u32 j = 0; j < q->h1; j++) {
		__s64 acc = q->b1[j];

		for (__u32 i = 0; i < q->in; i++)
			acc += (__s64)q->w1[j][i] * xq[i];
		a1[j] = activation(acc, q->shift[0]);
	}
	for (__u32 j = 0; j < q->h2; j++) {
		__s64 acc = q->b2[j];

		for (__u32 i = 0; i < q->h1; i++)
			acc += (__s64)q->w2[j][i] * a1[i];
		a2[j] = activation(acc, q->shift[1]);
	}
	for (__u32 i = 0; i < q->h2; i++)
		sum += (__s64)q->w3[i] * a2[i];
	if (z)
		*z = sum;
	return sum > q->threshold;
}
