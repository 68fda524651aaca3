// SPDX-License-Identifier: GPL-2.0
/* The network's forward pass: hand-computed outputs, batch equals single. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "modules/mlmig/mlfeatures.h"
#include "modules/mlmig/mlp.h"

static struct mlp m;

/*
 * 2 inputs, 2 and 2 hidden: h1 = relu(x0 - x1), relu(x1 - x0 + 0.5);
 * h2 = relu(h1a + h1b), relu(-h1a); z = 2*h2a - h2b - 1.
 */
static void tiny(void)
{
	memset(&m, 0, sizeof(m));
	m.in = 2;
	m.h1 = 2;
	m.h2 = 2;
	m.w1[0][0] = 1;
	m.w1[0][1] = -1;
	m.w1[1][0] = -1;
	m.w1[1][1] = 1;
	m.b1[1] = 0.5f;
	m.w2[0][0] = 1;
	m.w2[0][1] = 1;
	m.w2[1][0] = -1;
	m.w3[0] = 2;
	m.w3[1] = -1;
	m.b3 = -1;
}

Test(mlp, forward_matches_hand_computed_outputs)
{
	float a[2] = { 0.9f, 0.2f }, b[2] = { 0.2f, 0.9f }, c[2] = { 0.5f, 0.5f };

	tiny();
	mlp_prepare(&m);
	/* a: h1 = 0.7, 0; h2 = 0.7, 0; z = 0.4 */
	cr_expect_float_eq(mlp_forward(&m, a), 1 / (1 + expf(-0.4f)), 1e-6);
	/* b: h1 = 0, 1.2; h2 = 1.2, 0; z = 1.4 */
	cr_expect_float_eq(mlp_forward(&m, b), 1 / (1 + expf(-1.4f)), 1e-6);
	/* c: h1 = 0, 0.5; h2 = 0.5, 0; z = 0 */
	cr_expect_float_eq(mlp_forward(&m, c), 0.5f, 1e-6);
}

static void random_model(int in, int h1, int h2, unsigned seed)
{
	srand(seed);
	memset(&m, 0, sizeof(m));
	m.in = in;
	m.h1 = h1;
	m.h2 = h2;
	for (int j = 0; j < h1; j++) {
		for (int i = 0; i < in; i++)
			m.w1[j][i] = rand() / (float)RAND_MAX - 0.5f;
		m.b1[j] = rand() / (float)RAND_MAX - 0.5f;
	}
	for (int j = 0; j < h2; j++) {
		for (int i = 0; i < h1; i++)
			m.w2[j][i] = (rand() / (float)RAND_MAX - 0.5f) / 4;
		m.b2[j] = rand() / (float)RAND_MAX - 0.5f;
		m.w3[j] = rand() / (float)RAND_MAX - 0.5f;
	}
}

/* A batch and one at a time: the same scores, bit for bit. */
Test(mlp, a_batch_gives_the_single_scores_bit_for_bit)
{
	enum { N = 100 };
	float *x = malloc(N * MLMIG_INPUTS * sizeof(float)), out[N];

	random_model(MLP_SEED_IN, MLP_SEED_HIDDEN, MLP_SEED_HIDDEN, 7);
	for (int i = 0; i < N * MLMIG_INPUTS; i++)
		x[i] = rand() / (float)RAND_MAX;
	mlp_prepare(&m);
	mlp_forward_batch(&m, x, N, out);
	for (int s = 0; s < N; s++) {
		float one = mlp_forward(&m, x + s * MLMIG_INPUTS);

		cr_assert(!memcmp(&one, &out[s], sizeof(one)), "sample %d: %a vs %a", s, one,
			  out[s]);
	}
	free(x);
}

Test(mlp, shapes_outside_the_limits_are_refused)
{
	cr_expect(mlp_shape_ok(10, 64, 64));
	cr_expect(mlp_shape_ok(1, 1, 1));
	cr_expect_not(mlp_shape_ok(0, 64, 64));
	cr_expect_not(mlp_shape_ok(MLP_IN_MAX + 1, 64, 64));
	cr_expect_not(mlp_shape_ok(10, MLP_HIDDEN_MAX + 1, 64));
	cr_expect_not(mlp_shape_ok(10, 64, 0));
}

Test(features, scaled_to_unit_range_and_padded)
{
	struct mlmig_candidate c = { .cpu = 4,
				     .nr_cpu_ids = 8,
				     .nr_idle = 2,
				     .nr_busy = 6,
				     .src_load = 0.9,
				     .dst_load = 0.2,
				     .task_load = 0.3,
				     .since_migration_s = -1,
				     .cross_node = 1 };
	float f[MLMIG_INPUTS];

	mlmig_features(MLMIG_FEATURES_SEED, &c, f);
	cr_expect_float_eq(f[0], 0.5f, 1e-6);
	cr_expect_float_eq(f[1], 0.25f, 1e-6);
	cr_expect_float_eq(f[2], 0.75f, 1e-6);
	cr_expect_float_eq(f[3], 0.9f, 1e-6);
	cr_expect_float_eq(f[4], 0.2f, 1e-6);
	for (int i = 5; i < MLMIG_INPUTS; i++)
		cr_expect_eq(f[i], 0, "seed set: input %d not padding", i);
	mlmig_features(MLMIG_FEATURES_TESSERA, &c, f);
	cr_expect_float_eq(f[5], 0.3f / 0.9f, 1e-6); /* its share of the source's load */
	cr_expect_eq(f[6], 1); /* never moved */
	cr_expect_eq(f[7], 1); /* across nodes */
	cr_expect_float_eq(f[8], 0.6f / 0.7f, 1e-6); /* share of the gap it closes */
	c.src_load = 7; /* out of range in: clamped */
	c.since_migration_s = 2.5;
	mlmig_features(MLMIG_FEATURES_TESSERA, &c, f);
	cr_expect_eq(f[3], 1);
	cr_expect_float_eq(f[6], 0.25f, 1e-6);
	cr_expect_eq(mlmig_feature_set_by_name("tessera"), MLMIG_FEATURES_TESSERA);
	cr_expect_eq(mlmig_feature_set_by_name("other"), 0);
	cr_expect_eq(mlmig_feature_count(99), 0);
}
