// SPDX-License-Identifier: GPL-2.0
/*
 * Back-propagation through the three layers, averaged over a mini-batch,
 * and Adam on every weight and bias. Randomness (initial weights, the
 * order of samples) comes from one splitmix64 stream seeded by the
 * options, and every sum runs in a fixed order: a run is reproducible.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "train.h"

#define BETA1 0.9f
#define BETA2 0.999f
#define EPS 1e-8f

static uint64_t next_u64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ z >> 27) * 0x94d049bb133111ebull;
	return z ^ z >> 31;
}

/* Uniform in [-1, 1). */
static float next_sym(uint64_t *s)
{
	return (float)((next_u64(s) >> 40) / (double)(1ull << 24)) * 2 - 1;
}

/* He-uniform weights for ReLU layers, zero biases. */
static void init_weights(struct mlp *m, uint64_t *rng)
{
	float l1 = sqrtf(6.0f / m->in), l2 = sqrtf(6.0f / m->h1), l3 = sqrtf(6.0f / m->h2);

	for (int j = 0; j < m->h1; j++)
		for (int i = 0; i < m->in; i++)
			m->w1[j][i] = l1 * next_sym(rng);
	for (int j = 0; j < m->h2; j++)
		for (int i = 0; i < m->h1; i++)
			m->w2[j][i] = l2 * next_sym(rng);
	for (int i = 0; i < m->h2; i++)
		m->w3[i] = l3 * next_sym(rng);
}

/* Gradient of the batch's mean loss for one sample @x with label @y, added into @g. */
static float backprop(const struct mlp *m, const float *x, float y, struct mlp *g, float scale)
{
	float z1[MLP_HIDDEN_MAX], a1[MLP_HIDDEN_MAX], z2[MLP_HIDDEN_MAX], a2[MLP_HIDDEN_MAX];
	float d2[MLP_HIDDEN_MAX], d1[MLP_HIDDEN_MAX], z3 = m->b3, p, d3;

	for (int j = 0; j < m->h1; j++) {
		z1[j] = m->b1[j];
		for (int i = 0; i < m->in; i++)
			z1[j] += m->w1[j][i] * x[i];
		a1[j] = z1[j] > 0 ? z1[j] : 0;
	}
	for (int j = 0; j < m->h2; j++) {
		z2[j] = m->b2[j];
		for (int i = 0; i < m->h1; i++)
			z2[j] += m->w2[j][i] * a1[i];
		a2[j] = z2[j] > 0 ? z2[j] : 0;
	}
	for (int i = 0; i < m->h2; i++)
		z3 += m->w3[i] * a2[i];
	p = 1.0f / (1.0f + expf(-z3));
	d3 = (p - y) * scale;
	for (int i = 0; i < m->h2; i++) {
		g->w3[i] += d3 * a2[i];
		d2[i] = z2[i] > 0 ? d3 * m->w3[i] : 0;
	}
	g->b3 += d3;
	for (int i = 0; i < m->h1; i++)
		d1[i] = 0;
	for (int j = 0; j < m->h2; j++) {
		if (!d2[j])
			continue;
		for (int i = 0; i < m->h1; i++) {
			g->w2[j][i] += d2[j] * a1[i];
			d1[i] += d2[j] * m->w2[j][i];
		}
		g->b2[j] += d2[j];
	}
	for (int j = 0; j < m->h1; j++) {
		if (z1[j] <= 0 || !d1[j])
			continue;
		for (int i = 0; i < m->in; i++)
			g->w1[j][i] += d1[j] * x[i];
		g->b1[j] += d1[j];
	}
	p = p < 1e-7f ? 1e-7f : p > 1 - 1e-7f ? 1 - 1e-7f : p;
	return -(y * logf(p) + (1 - y) * logf(1 - p));
}

struct adam {
	struct mlp m, v; /* first and second moment of every parameter */
	float lr_t; /* step size with this step's bias correction */
};

static void adam_step(float *p, const float *g, float *m, float *v, int n, float lr_t)
{
	for (int i = 0; i < n; i++) {
		m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
		v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
		p[i] -= lr_t * m[i] / (sqrtf(v[i]) + EPS);
	}
}

static void adam_apply(struct mlp *p, const struct mlp *g, struct adam *a)
{
	for (int j = 0; j < p->h1; j++)
		adam_step(p->w1[j], g->w1[j], a->m.w1[j], a->v.w1[j], p->in, a->lr_t);
	adam_step(p->b1, g->b1, a->m.b1, a->v.b1, p->h1, a->lr_t);
	for (int j = 0; j < p->h2; j++)
		adam_step(p->w2[j], g->w2[j], a->m.w2[j], a->v.w2[j], p->h1, a->lr_t);
	adam_step(p->b2, g->b2, a->m.b2, a->v.b2, p->h2, a->lr_t);
	adam_step(p->w3, g->w3, a->m.w3, a->v.w3, p->h2, a->lr_t);
	adam_step(&p->b3, &g->b3, &a->m.b3, &a->v.b3, 1, a->lr_t);
}

static void shuffle(int *idx, int n, uint64_t *rng)
{
	for (int i = n - 1; i > 0; i--) {
		int j = next_u64(rng) % (i + 1), t = idx[i];

		idx[i] = idx[j];
		idx[j] = t;
	}
}

/* One pass over @idx[0..n) in mini-batches; the mean loss. */
static double epoch(struct mlp *m, const struct mlmig_sample *s, const int *idx, int n,
		    const struct mlmig_train_opts *o, struct adam *a, long *step, struct mlp *g)
{
	double loss = 0;

	for (int start = 0; start < n; start += o->batch) {
		int b = n - start < o->batch ? n - start : o->batch;

		memset(g, 0, sizeof(*g));
		for (int k = 0; k < b; k++)
			loss += backprop(m, s[idx[start + k]].x, s[idx[start + k]].y, g, 1.0f / b);
		++*step;
		a->lr_t = o->lr * sqrtf(1 - powf(BETA2, *step)) / (1 - powf(BETA1, *step));
		adam_apply(m, g, a);
	}
	return n ? loss / n : 0;
}

static int check_opts(const struct mlmig_train_opts *o, uint32_t set)
{
	if (!mlmig_feature_count(set) || !mlp_shape_ok(MLMIG_INPUTS, o->hidden, o->hidden) ||
	    o->epochs < 1 || o->batch < 1 || !(o->lr > 0 && o->lr < 1) ||
	    !(o->val_share >= 0 && o->val_share <= 0.9))
		return -EINVAL;
	return 0;
}

int mlmig_train(const struct mlmig_sample *s, int n, uint32_t set, const struct mlmig_train_opts *o,
		struct mlp *out, struct mlmig_metrics *val, FILE *log)
{
	uint64_t rng = o->seed;
	struct adam *a = calloc(1, sizeof(*a));
	struct mlp *g = malloc(sizeof(*g));
	int *idx = malloc((n ? n : 1) * sizeof(*idx)), ntrain = n - (int)(n * o->val_share);
	struct mlmig_sample *held = NULL;
	long step = 0;
	int ret = check_opts(o, set);

	if (!ret && (!a || !g || !idx))
		ret = -ENOMEM;
	if (ret)
		goto out;
	memset(out, 0, sizeof(*out));
	*out = (struct mlp){
		.feature_set = set, .in = MLMIG_INPUTS, .h1 = o->hidden, .h2 = o->hidden
	};
	init_weights(out, &rng);
	for (int i = 0; i < n; i++)
		idx[i] = i;
	shuffle(idx, n, &rng);
	for (int e = 0; e < o->epochs; e++) {
		shuffle(idx, ntrain, &rng);
		double loss = epoch(out, s, idx, ntrain, o, a, &step, g);

		if (log)
			fprintf(log, "epoch %d: training loss %.4f\n", e + 1, loss);
	}
	mlp_prepare(out);
	held = malloc((n - ntrain ? n - ntrain : 1) * sizeof(*held));
	if (!held) {
		ret = -ENOMEM;
		goto out;
	}
	for (int i = ntrain; i < n; i++)
		held[i - ntrain] = s[idx[i]];
	if (n - ntrain)
		mlmig_evaluate(out, held, n - ntrain, o->threshold, val);
	else
		mlmig_evaluate(out, s, n, o->threshold, val);
out:
	free(held);
	free(idx);
	free(g);
	free(a);
	return ret;
}

void mlmig_evaluate(const struct mlp *m, const struct mlmig_sample *s, int n, float threshold,
		    struct mlmig_metrics *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < n; i++) {
		float p = mlp_forward(m, s[i].x), q;
		bool yes = p > threshold, truth = s[i].y > 0.5f;

		out->tp += yes && truth;
		out->fp += yes && !truth;
		out->tn += !yes && !truth;
		out->fn += !yes && truth;
		q = p < 1e-7f ? 1e-7f : p > 1 - 1e-7f ? 1 - 1e-7f : p;
		out->loss += -(s[i].y * logf(q) + (1 - s[i].y) * logf(1 - q));
	}
	if (n)
		out->loss /= n;
}

double mlmig_accuracy(const struct mlmig_metrics *m)
{
	long all = m->tp + m->fp + m->tn + m->fn;

	return all ? (double)(m->tp + m->tn) / all : 0;
}

double mlmig_precision(const struct mlmig_metrics *m)
{
	return m->tp + m->fp ? (double)m->tp / (m->tp + m->fp) : 0;
}

double mlmig_recall(const struct mlmig_metrics *m)
{
	return m->tp + m->fn ? (double)m->tp / (m->tp + m->fn) : 0;
}
