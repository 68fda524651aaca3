// SPDX-License-Identifier: GPL-2.0
/* The compatibility formula against hand-computed examples, and its clamps. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "modules/smt_pair/score.h"

static struct smt_model model(double intercept)
{
	struct smt_model m = { .intercept = intercept, .nr_res = 2 };

	m.coef[0] = 0.5; /* min_base_slowdown */
	m.coef[1] = 1.0;
	m.coef[2] = 2.0;
	strcpy(m.res[0], "r1");
	m.act[0] = SMT_ACT_SEQUENTIAL;
	strcpy(m.res[1], "r2");
	m.act[1] = SMT_ACT_PARALLEL;
	return m;
}

static struct smt_profile profile(int id, double single, double l3, const double r1[4],
				  const double r2[4])
{
	struct smt_profile p = {
		.job_id = id, .single_ipc = single, .l3_cache_ipc = l3, .nr_res = 2
	};

	snprintf(p.name, sizeof(p.name), "job%d", id);
	p.res[0] = (struct smt_resource){ "r1", r1[0], r1[1], r1[2], r1[3] };
	p.res[1] = (struct smt_resource){ "r2", r2[0], r2[1], r2[2], r2[3] };
	return p;
}

/* sensitivity, intensity, usage, base_slowdown */
static const double a1[4] = { 0.5, 0.4, 0.7, 0.2 }, a2[4] = { 0.3, 0.6, 0.5, 0.1 };
static const double b1[4] = { 0.2, 0.8, 0.6, 0.3 }, b2[4] = { 0.4, 0.2, 0.4, 0.25 };

Test(score, activations)
{
	cr_assert_float_eq(smt_activation(SMT_ACT_SEQUENTIAL, 0.3, 0.4), 0, 1e-12);
	cr_assert_float_eq(smt_activation(SMT_ACT_SEQUENTIAL, 0.7, 0.6), 0.3, 1e-12);
	cr_assert_float_eq(smt_activation(SMT_ACT_PARALLEL, 0.5, 0.4), 0.09, 1e-12);
	cr_assert_float_eq(smt_activation(SMT_ACT_PARALLEL, 1, 1), 1, 1e-12);
}

/*
 * By hand: A beside B: contention r1 = 0.5 * 0.8 * max(0, 0.7 + 0.6 - 1) =
 * 0.12, r2 = 0.3 * 0.2 * (0.5 * 0.4 * 0.9 / 2) = 0.0054; slowdown = 0.1 +
 * 0.5 * 0.1 + 0.12 + 2 * 0.0054 = 0.2808; scale 1.8 / 2 = 0.9; compat =
 * 0.9 * 0.7192 = 0.64728. B beside A: 0.2 * 0.4 * 0.3 = 0.024, 0.4 * 0.6 *
 * 0.09 = 0.0216; slowdown 0.1 + 0.125 + 0.024 + 0.0432 = 0.2922; compat
 * 0.7078. Score 1.35508.
 */
Test(score, hand_computed_pair)
{
	struct smt_model m = model(0.1);
	struct smt_profile a = profile(1, 2.0, 1.8, a1, a2), b = profile(2, 1.0, 1.0, b1, b2);
	struct smt_side sa, sb;
	char err[SMT_ERR_LEN];
	double s;

	cr_assert_eq(smt_side(&m, &a, &b, &sa, err, sizeof(err)), 0);
	cr_assert_float_eq(sa.features[0], 0.1, 1e-12);
	cr_assert_float_eq(sa.features[1], 0.12, 1e-12);
	cr_assert_float_eq(sa.features[2], 0.0054, 1e-12);
	cr_assert_float_eq(sa.slowdown, 0.2808, 1e-12);
	cr_assert_float_eq(sa.scale, 0.9, 1e-12);
	cr_assert_float_eq(sa.compat, 0.64728, 1e-12);
	cr_assert_eq(smt_side(&m, &b, &a, &sb, err, sizeof(err)), 0);
	cr_assert_float_eq(sb.slowdown, 0.2922, 1e-12);
	cr_assert_float_eq(sb.compat, 0.7078, 1e-12);
	cr_assert_eq(smt_pair_score(&m, &a, &b, &s, err, sizeof(err)), 0);
	cr_assert_float_eq(s, 1.35508, 1e-12);
}

Test(score, clamps)
{
	struct smt_profile a = profile(1, 2.0, 1.8, a1, a2), b = profile(2, 1.0, 1.0, b1, b2);
	struct smt_profile fast = profile(3, 1.0, 1.5, a1, a2); /* L3-shared run faster: noise */
	struct smt_model m = model(-5); /* predicts a speed-up */
	struct smt_side s;
	char err[SMT_ERR_LEN];

	cr_assert_eq(smt_side(&m, &a, &b, &s, err, sizeof(err)), 0);
	cr_assert_float_eq(s.slowdown, 0, 1e-12, "a negative slowdown is clamped to 0");
	cr_assert_float_eq(s.compat, 0.9, 1e-12);
	cr_assert_eq(smt_side(&m, &fast, &b, &s, err, sizeof(err)), 0);
	cr_assert_float_eq(s.scale, 1.5, 1e-12);
	cr_assert_float_eq(s.compat, 1, 1e-12, "compat is clamped to 1");
	m = model(5); /* predicts more than no progress */
	cr_assert_eq(smt_side(&m, &a, &b, &s, err, sizeof(err)), 0);
	cr_assert_float_eq(s.slowdown, 1, 1e-12);
	cr_assert_float_eq(s.compat, 0, 1e-12);
}

Test(score, table_is_symmetric_and_scaled)
{
	struct smt_model m = model(0.1);
	struct smt_profile p[3] = { profile(1, 2.0, 1.8, a1, a2), profile(2, 1.0, 1.0, b1, b2),
				    profile(3, 1.0, 0.5, b1, a2) };
	int64_t w[9];
	char err[SMT_ERR_LEN];

	cr_assert_eq(smt_score_table(&m, p, 3, w, err, sizeof(err)), 0);
	cr_assert_eq(w[0 * 3 + 1], 1355080);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(w[i * 3 + i], 0);
		for (int j = 0; j < 3; j++)
			cr_assert_eq(w[i * 3 + j], w[j * 3 + i]);
	}
}

Test(score, missing_resource_is_named)
{
	struct smt_model m = model(0.1);
	struct smt_profile a = profile(1, 2.0, 1.8, a1, a2), b = profile(7, 1.0, 1.0, b1, b2);
	char err[SMT_ERR_LEN];
	double s;

	strcpy(b.res[1].name, "other");
	cr_assert_eq(smt_pair_score(&m, &a, &b, &s, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "job 7") && strstr(err, "'r2'"), "%s", err);
}
