// SPDX-License-Identifier: GPL-2.0
/*
 * The fixed-point model in BPF (host kernel): the same sums and decisions
 * as quant.c's reference on every input, the float model's decision on at
 * least 99 % of held-out inputs, no decision from a model being written.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include TSR_COMPOSE_H
#include "modules/mlmig/mlfeatures.h"
#include "modules/mlmig/quant.h"
#include "modules/mlmig/train.h"
#include "qmodel_test.skel.h"

struct qmodel_args {
	__s32 x[MLMIG_Q_IN];
	__s64 sum;
	__s32 decision;
};

static struct qmodel_test *skel;
static struct mlp model;

/* Move when the source is busier than the destination by more than 0.2. */
static void train_model(void)
{
	enum { N = 2000 };
	static struct mlmig_sample s[N];
	struct mlmig_train_opts o = MLMIG_TRAIN_DEFAULTS;
	struct mlmig_metrics v;

	srand(9);
	for (int k = 0; k < N; k++) {
		for (int i = 0; i < MLMIG_INPUTS; i++)
			s[k].x[i] = rand() / (float)RAND_MAX;
		s[k].y = s[k].x[3] - s[k].x[4] > 0.2f;
	}
	o.epochs = 15;
	cr_assert_eq(mlmig_train(s, N, MLMIG_FEATURES_TESSERA, &o, &model, &v, NULL), 0);
}

static void setup(void)
{
	skel = qmodel_test__open_and_load();
	cr_assert_not_null(skel, "loading: %s (root and BPF arenas needed)", strerror(errno));
	train_model();
}

static void teardown(void)
{
	qmodel_test__destroy(skel);
}

TestSuite(qmodel, .init = setup, .fini = teardown);

static struct qmodel_args run(const __s32 *xq)
{
	struct qmodel_args a = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	memcpy(a.x, xq, sizeof(a.x));
	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.qmodel_decide), &opts), 0);
	return a;
}

/* The arena's model, written as userspace does: seq odd while writing. */
static void publish(double threshold)
{
	cr_assert_eq(mlmig_q_publish(&skel->arena->mlmig_q, &model, threshold), 0);
}

Test(qmodel, bpf_matches_the_reference_and_the_float_model)
{
	enum { N = 2000 };
	int same_as_float = 0;

	publish(0.5);
	srand(10);
	for (int k = 0; k < N; k++) {
		float x[MLMIG_INPUTS];
		__s32 xq[MLMIG_Q_IN];
		__s64 want_sum;
		bool want, flt;
		struct qmodel_args got;

		for (int i = 0; i < MLMIG_INPUTS; i++)
			x[i] = rand() / (float)RAND_MAX;
		mlmig_q_inputs(x, MLMIG_INPUTS, xq);
		want = mlmig_q_decide(&skel->arena->mlmig_q, xq, &want_sum);
		got = run(xq);
		cr_assert_eq(got.decision, want, "input %d: BPF %d, reference %d", k, got.decision,
			     want);
		cr_assert_eq(got.sum, want_sum, "input %d: sums differ", k);
		flt = mlp_forward(&model, x) > 0.5f;
		same_as_float += flt == want;
	}
	cr_expect_geq(same_as_float, N * 99 / 100, "fixed point agrees with float on %d of %d",
		      same_as_float, N);
}

Test(qmodel, no_decision_without_a_whole_model)
{
	__s32 xq[MLMIG_Q_IN] = { 0 };

	cr_expect_eq(run(xq).decision, -1, "no model yet");
	publish(0.5);
	cr_expect_geq(run(xq).decision, 0);
	skel->arena->mlmig_q.seq |= 1; /* being rewritten */
	cr_expect_eq(run(xq).decision, -1);
}

Test(qmodel, thresholds_at_the_ends_always_or_never_migrate)
{
	__s32 xq[MLMIG_Q_IN] = { 512, 512, 512, 1000, 10 };

	publish(0);
	cr_expect_eq(run(xq).decision, 1);
	publish(1);
	cr_expect_eq(run(xq).decision, 0);
}

Test(qmodel, a_network_wider_than_bpf_takes_is_refused)
{
	struct mlp *wide = calloc(1, sizeof(*wide));
	struct mlmig_qmodel q = { 0 };

	wide->in = MLMIG_INPUTS;
	wide->h1 = MLMIG_Q_HIDDEN + 1;
	wide->h2 = 8;
	cr_expect_eq(mlmig_quantize(wide, 0.5, &q), -EINVAL);
	free(wide);
}
