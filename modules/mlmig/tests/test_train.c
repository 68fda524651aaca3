// SPDX-License-Identifier: GPL-2.0
/* Training: learns a separable rule, is reproducible, refuses bad options. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "modules/mlmig/train.h"

/*
 * Move when the source is busier than the destination by more than 0.2 (a
 * margin of 0.05 either side kept empty: separable).
 */
static int synthetic(struct mlmig_sample *s, int n)
{
	int k = 0;

	srand(3);
	while (k < n) {
		float gap;

		for (int i = 0; i < MLMIG_INPUTS; i++)
			s[k].x[i] = rand() / (float)RAND_MAX;
		gap = s[k].x[3] - s[k].x[4];
		if (gap > 0.15f && gap < 0.25f)
			continue;
		s[k++].y = gap > 0.2f;
	}
	return k;
}

Test(train, a_separable_rule_is_learnt_and_the_run_is_reproducible, .timeout = 120)
{
	enum { N = 3000 };
	struct mlmig_sample *s = malloc(N * sizeof(*s));
	struct mlmig_train_opts o = MLMIG_TRAIN_DEFAULTS;
	struct mlp *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct mlmig_metrics va, vb;

	synthetic(s, N);
	o.epochs = 40;
	cr_assert_eq(mlmig_train(s, N, MLMIG_FEATURES_SEED, &o, a, &va, NULL), 0);
	cr_expect_geq(mlmig_accuracy(&va), 0.99,
		      "validation accuracy %.4f (tp %ld fp %ld tn %ld fn %ld)", mlmig_accuracy(&va),
		      va.tp, va.fp, va.tn, va.fn);
	cr_expect_eq(va.tp + va.fp + va.tn + va.fn, N / 5, "a fifth held out");
	cr_assert_eq(mlmig_train(s, N, MLMIG_FEATURES_SEED, &o, b, &vb, NULL), 0);
	cr_expect(!memcmp(a, b, sizeof(*a)), "two runs with the same seed differ");
	o.seed = 2;
	cr_assert_eq(mlmig_train(s, N, MLMIG_FEATURES_SEED, &o, b, &vb, NULL), 0);
	cr_expect(memcmp(a, b, sizeof(*a)), "another seed gave the same model");
	free(s);
	free(a);
	free(b);
}

Test(train, options_out_of_range_are_refused)
{
	struct mlmig_sample s[4] = { 0 };
	struct mlmig_train_opts o = MLMIG_TRAIN_DEFAULTS;
	struct mlmig_metrics v;
	struct mlp *m = malloc(sizeof(*m));

	o.hidden = 0;
	cr_expect_eq(mlmig_train(s, 4, MLMIG_FEATURES_SEED, &o, m, &v, NULL), -EINVAL);
	o = MLMIG_TRAIN_DEFAULTS;
	o.lr = 0;
	cr_expect_eq(mlmig_train(s, 4, MLMIG_FEATURES_SEED, &o, m, &v, NULL), -EINVAL);
	o = MLMIG_TRAIN_DEFAULTS;
	cr_expect_eq(mlmig_train(s, 4, 77, &o, m, &v, NULL), -EINVAL);
	free(m);
}

Test(train, metrics_count_each_kind_of_answer)
{
	struct mlmig_metrics m = { .tp = 6, .fp = 2, .tn = 10, .fn = 2 };

	cr_expect_float_eq(mlmig_accuracy(&m), 0.8, 1e-12);
	cr_expect_float_eq(mlmig_precision(&m), 0.75, 1e-12);
	cr_expect_float_eq(mlmig_recall(&m), 0.75, 1e-12);
}
