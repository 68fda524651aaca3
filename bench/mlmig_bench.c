// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of a migration decision by the mlmig model (10-64-64-1), on this
 * host: the float network one at a time and in batches of 32 (targets:
 * under 1 us and under 10 us), the fixed-point reference in C, and the
 * fixed-point pass in BPF on the arena's weights, for that network and
 * for the steal model's 10-8-8-1 (needs root and BPF arenas; skipped with
 * a line saying why otherwise). Medians of 7 runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include TSR_COMPOSE_H
#include "modules/mlmig/mlfeatures.h"
#include "modules/mlmig/quant.h"
#include "mlmig_bench.skel.h"

#define N 4096
#define RUNS 7

struct mlmig_bench_args {
	__s32 x[MLMIG_Q_IN];
	__u32 loops;
	__u32 steal;
	__s32 migrate;
};

static struct mlp model;
static float inputs[N][MLMIG_INPUTS];
static volatile float sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v)
{
	qsort(v, RUNS, sizeof(*v), cmp);
	return v[RUNS / 2];
}

/* A network of random weights with hidden layers of @hidden into @m. */
static void random_model(struct mlp *m, int hidden)
{
	*m = (struct mlp){ .feature_set = MLMIG_FEATURES_TESSERA,
			   .in = MLMIG_INPUTS,
			   .h1 = hidden,
			   .h2 = hidden };
	for (int j = 0; j < m->h1; j++)
		for (int i = 0; i < m->in; i++)
			m->w1[j][i] = rand() / (float)RAND_MAX - 0.5f;
	for (int j = 0; j < m->h2; j++) {
		for (int i = 0; i < m->h1; i++)
			m->w2[j][i] = (rand() / (float)RAND_MAX - 0.5f) / 4;
		m->w3[j] = rand() / (float)RAND_MAX - 0.5f;
	}
	mlp_prepare(m);
}

static void random_inputs(void)
{
	for (int k = 0; k < N; k++)
		for (int i = 0; i < MLMIG_INPUTS; i++)
			inputs[k][i] = rand() / (float)RAND_MAX;
}

static double float_single(void)
{
	double t0 = now_ns();

	for (int k = 0; k < N; k++)
		sink += mlp_forward(&model, inputs[k]);
	return (now_ns() - t0) / N;
}

static double float_batch32(void)
{
	float out[32];
	double t0 = now_ns();

	for (int k = 0; k + 32 <= N; k += 32) {
		mlp_forward_batch(&model, &inputs[k][0], 32, out);
		sink += out[0];
	}
	return (now_ns() - t0) / (N / 32);
}

static double fixed_c(const struct mlmig_qmodel *q)
{
	static __s32 xq[N][MLMIG_Q_IN];
	double t0;

	for (int k = 0; k < N; k++)
		mlmig_q_inputs(inputs[k], MLMIG_INPUTS, xq[k]);
	t0 = now_ns();
	for (int k = 0; k < N; k++)
		sink += mlmig_q_decide(q, xq[k], NULL);
	return (now_ns() - t0) / N;
}

/* ns per decision in BPF (@steal: by the steal model's slot), or a negative errno. */
static double fixed_bpf(struct mlmig_bench *skel, bool steal)
{
	struct mlmig_bench_args a = { .loops = 1000, .steal = steal };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
	double t0;

	mlmig_q_inputs(inputs[0], MLMIG_INPUTS, a.x);
	t0 = now_ns();
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.mlmig_bench), &opts))
		return -errno;
	return (now_ns() - t0) / a.loops;
}

int main(void)
{
	double single[RUNS], batch[RUNS], fixed[RUNS], bpf[RUNS], bpf_steal[RUNS];
	static struct mlp small;
	struct mlmig_bench *skel;
	struct mlmig_qmodel q = { 0 };

	srand(1);
	random_model(&model, MLP_SEED_HIDDEN);
	random_model(&small, 8);
	random_inputs();
	mlmig_quantize(&model, 0.5, &q);
	for (int r = 0; r < RUNS; r++) {
		single[r] = float_single();
		batch[r] = float_batch32();
		fixed[r] = fixed_c(&q);
	}
	printf("%-44s %10s %10s %8s\n", "decision (10-64-64-1)", "ns", "target", "ratio");
	printf("%-44s %10.0f %10d %8.2f\n", "float, one at a time", median(single), 1000,
	       median(single) / 1000);
	printf("%-44s %10.0f %10d %8.2f\n", "float, a batch of 32", median(batch), 10000,
	       median(batch) / 10000);
	printf("%-44s %10.0f %10s %8s\n", "fixed point, C reference", median(fixed), "-", "-");
	skel = mlmig_bench__open_and_load();
	if (!skel) {
		printf("fixed point in BPF: not measured (%s: root and BPF arenas needed)\n",
		       strerror(errno));
		return 0;
	}
	mlmig_q_publish(&skel->arena->mlmig_q, &model, 0.5);
	mlmig_q_publish(&skel->arena->mlmig_steal_q, &small, 0.5);
	for (int r = 0; r < RUNS; r++) {
		bpf[r] = fixed_bpf(skel, false);
		bpf_steal[r] = fixed_bpf(skel, true);
	}
	if (bpf[0] < 0 || bpf_steal[0] < 0) {
		printf("fixed point in BPF: not measured (%s)\n",
		       strerror((int)-(bpf[0] < 0 ? bpf[0] : bpf_steal[0])));
	} else {
		printf("%-44s %10.0f %10s %8s\n", "fixed point, BPF (arena weights, 1000/run)",
		       median(bpf), "-", "-");
		printf("%-44s %10.0f %10s %8.3f\n", "steal model 10-8-8-1, BPF (ratio to 64-64)",
		       median(bpf_steal), "-", median(bpf_steal) / median(bpf));
	}
	mlmig_bench__destroy(skel);
	return 0;
}
