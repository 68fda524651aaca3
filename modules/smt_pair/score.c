// SPDX-License-Identifier: GPL-2.0
/*
 * The seed's compatibility formula. Where the clamps apply, and why:
 * - a predicted slowdown is clamped to [0, 1]: the linear model can
 *   extrapolate below 0 (a "speed-up" from a co-runner) or past 1 (less
 *   than no progress), neither of which a job can have;
 * - each job's compatibility, scale * (1 - slowdown), is clamped to
 *   [0, 1]: it is the share of its L3-shared speed the job keeps, and the
 *   scale factor can exceed 1 when a profile measured a faster L3-shared
 *   run (noise);
 * - the pair's symbiotic score is the sum of the two, so 0..2, and is not
 *   clamped again: clamping the sum to [0, 1] would give every pair whose
 *   jobs each keep half their speed the same score, and the pairing could
 *   no longer tell good pairs from the best ones.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "score.h"

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

double smt_activation(enum smt_activation act, double ua, double ub)
{
	double s;

	if (act == SMT_ACT_PARALLEL)
		return ua * ub * (ua + ub) / 2;
	s = ua + ub - 1;
	return s > 0 ? s : 0;
}

static const struct smt_resource *find_res(const struct smt_profile *p, const char *name)
{
	for (int i = 0; i < p->nr_res; i++)
		if (!strcmp(p->res[i].name, name))
			return &p->res[i];
	return NULL;
}

static double min_base_slowdown(const struct smt_profile *p)
{
	double m = p->res[0].base_slowdown;

	for (int i = 1; i < p->nr_res; i++)
		if (p->res[i].base_slowdown < m)
			m = p->res[i].base_slowdown;
	return m;
}

int smt_side(const struct smt_model *m, const struct smt_profile *a, const struct smt_profile *b,
	     struct smt_side *out, char *err, size_t err_len)
{
	double slow = m->intercept;

	memset(out, 0, sizeof(*out));
	out->features[0] = a->nr_res ? min_base_slowdown(a) : 0;
	for (int i = 0; i < m->nr_res; i++) {
		const struct smt_resource *ra = find_res(a, m->res[i]),
					  *rb = find_res(b, m->res[i]);

		if (!ra || !rb) {
			snprintf(err, err_len,
				 "profile of job %d (%s) has no resource '%s' the model uses",
				 ra ? b->job_id : a->job_id, ra ? b->name : a->name, m->res[i]);
			return -EINVAL;
		}
		out->features[1 + i] = ra->sensitivity * rb->intensity *
				       smt_activation(m->act[i], ra->usage, rb->usage);
	}
	for (int j = 0; j <= m->nr_res; j++)
		slow += m->coef[j] * out->features[j];
	out->slowdown = clamp01(slow);
	out->scale = a->l3_cache_ipc / a->single_ipc;
	out->compat = clamp01(out->scale * (1 - out->slowdown));
	return 0;
}

int smt_pair_score(const struct smt_model *m, const struct smt_profile *a,
		   const struct smt_profile *b, double *score, char *err, size_t err_len)
{
	struct smt_side sa, sb;
	int ret = smt_side(m, a, b, &sa, err, err_len);

	if (!ret)
		ret = smt_side(m, b, a, &sb, err, err_len);
	if (!ret)
		*score = sa.compat + sb.compat;
	return ret;
}

int smt_score_table(const struct smt_model *m, const struct smt_profile *p, int n, int64_t *w,
		    char *err, size_t err_len)
{
	for (int i = 0; i < n; i++) {
		w[i * n + i] = 0;
		for (int j = i + 1; j < n; j++) {
			double s;
			int ret = smt_pair_score(m, &p[i], &p[j], &s, err, err_len);

			if (ret)
				return ret;
			w[i * n + j] = w[j * n + i] = (int64_t)(s * SMT_SCORE_UNIT + 0.5);
		}
	}
	return 0;
}
