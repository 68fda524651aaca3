// SPDX-License-Identifier: GPL-2.0
/*
 * The steal filter in BPF (host kernel): the features BPF computes from the
 * arena are mlmig_features()'s of the same loads (to 1/1024), and the
 * steal_ok hook answers with the steal model, counting what it vetoes.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include TSR_COMPOSE_H
#include "tests/lib/host_task.h"
#include "modules/mlmig/mlfeatures.h"
#include "modules/mlmig/quant.h"
#include "steal_test.skel.h"

struct steal_args {
	__u32 src, dst;
	__s32 cpu;
	__s32 x[MLMIG_Q_IN];
	__s32 ok;
};

static struct steal_test *skel;
static struct tsr_task *task;

/* Two domains of 4 and 2 CPUs on two nodes; CPU 5 is in domain 1. */
static void setup(void)
{
	struct tsr_topo *topo;

	skel = steal_test__open_and_load();
	cr_assert_not_null(skel, "loading: %s (root and BPF arenas needed)", strerror(errno));
	task = tsr_test_task_record(&skel->arena->tsr_task_slab, skel->progs.tsr_alloc_pages);
	cr_assert_not_null(task);
	topo = &skel->arena->tsr_topo;
	topo->nr_doms = 2;
	topo->dom_node[0] = 0;
	topo->dom_node[1] = 1;
	for (int cpu = 0; cpu < 6; cpu++)
		topo->cpu_dom[cpu] = cpu < 4 ? 0 : 1;
	skel->arena->tsr_doms[0].core.nr_cpus = 4;
	skel->arena->tsr_doms[1].core.nr_cpus = 2;
}

static void teardown(void)
{
	steal_test__destroy(skel);
}

TestSuite(steal, .init = setup, .fini = teardown);

static struct steal_args run(__u32 src, __u32 dst, __s32 cpu)
{
	struct steal_args a = { .src = src, .dst = dst, .cpu = cpu };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.steal_check), &opts), 0);
	return a;
}

static double urand(double max)
{
	return rand() / (double)RAND_MAX * max;
}

/* A decayed average read back as it is (last_ns 0): @load in weights of 100 a nice-0 task. */
static void set_load(struct tsr_ravg *r, double load)
{
	r->last_ns = 0;
	r->avg = (__u64)(load * TSR_RAVG_ONE);
}

Test(steal, features_are_the_balancers_of_the_same_loads)
{
	struct mlmig_steal_view *v = &skel->arena->mlmig_view;
	const double interval_s = 0.5;
	int worst = 0;

	srand(3);
	for (int k = 0; k < 2000; k++) {
		__u32 src = k & 1, dst = !src, round = 100 + rand() % 50;
		double load[2] = { urand(900), urand(900) }, tload = urand(200);
		/* a move stamped one round ahead of the view's round counts as just made */
		int idle = rand() % 7, last = rand() % 3 ? round + 1 - rand() % 40 : 0;
		struct mlmig_candidate c;
		float x[MLMIG_INPUTS];
		__s32 want[MLMIG_Q_IN];
		struct steal_args got;
		__u32 set = k % 3 ? MLMIG_FEATURES_TESSERA : MLMIG_FEATURES_SEED;

		set_load(&skel->arena->tsr_doms[0].lb.load, load[0]);
		set_load(&skel->arena->tsr_doms[1].lb.load, load[1]);
		set_load(&task->lb.load, tload);
		task->lb.us_last_round = last;
		/* what mlmig_balance writes: its measured CPUs, the round, a CPU per domain */
		c = (struct mlmig_candidate){
			.cpu = src ? 4 : 0,
			.nr_cpu_ids = 6,
			.nr_idle = idle,
			.nr_busy = 6 - idle,
			.src_load = load[src] / (100.0 * (src ? 2 : 4)),
			.dst_load = load[dst] / (100.0 * (dst ? 2 : 4)),
			.task_load = tload / (100.0 * (src ? 2 : 4)),
			.since_migration_s =
				last ? ((__u32)last > round ? 0 : round - last) * interval_s : -1,
			.cross_node = 1,
		};
		mlmig_features(set, &c, x);
		mlmig_q_inputs(x, MLMIG_INPUTS, want);
		v->x_idle = want[1];
		v->x_busy = want[2];
		v->x_cpu[0] = 0;
		v->x_cpu[1] = mlmig_q_inputs_one(4.0f / 6);
		v->round = round;
		v->since_per_round = lrint(interval_s / MLMIG_RECENT_S * (1 << MLMIG_SINCE_SHIFT));
		skel->arena->mlmig_steal_q.feature_set = set;
		got = run(src, dst, dst ? 4 : 0);
		for (int i = 0; i < MLMIG_Q_IN; i++) {
			int d = abs(got.x[i] - want[i]);

			cr_assert_leq(d, 2, "case %d feature %d: BPF %d, balancer %d", k, i,
				      got.x[i], want[i]);
			worst = d > worst ? d : worst;
		}
	}
	cr_log_info("largest difference: %d/1024", worst);
}

Test(steal, the_hook_asks_the_steal_model_and_counts_vetoes)
{
	struct mlp m = {
		.feature_set = MLMIG_FEATURES_TESSERA, .in = MLMIG_INPUTS, .h1 = 2, .h2 = 2
	};
	struct tsr_cpu *cpus = skel->arena->tsr_cpus;
	__u64 asked = 0, vetoed = 0;

	set_load(&skel->arena->tsr_doms[0].lb.load, 300);
	set_load(&skel->arena->tsr_doms[1].lb.load, 0);
	cr_expect_eq(run(0, 1, 4).ok, 1, "no steal model: every steal made");
	cr_assert_eq(mlmig_q_publish(&skel->arena->mlmig_steal_q, &m, 1), 0);
	cr_expect_eq(run(0, 1, 4).ok, 0, "threshold 1: no steal");
	cr_assert_eq(mlmig_q_publish(&skel->arena->mlmig_steal_q, &m, 0), 0);
	cr_expect_eq(run(0, 1, 4).ok, 1, "threshold 0: every steal");
	for (int cpu = 0; cpu < TSR_MAX_CPUS; cpu++) {
		asked += cpus[cpu].mlmig.nr_steal_asked;
		vetoed += cpus[cpu].mlmig.nr_steal_vetoed;
	}
	cr_expect_eq(asked, 2, "asked twice with a model (%llu)", (unsigned long long)asked);
	cr_expect_eq(vetoed, 1, "vetoed once (%llu)", (unsigned long long)vetoed);
	skel->arena->mlmig_steal_q.seq |= 1; /* being rewritten */
	cr_expect_eq(run(0, 1, 4).ok, 1, "a model being written vetoes nothing");
}
