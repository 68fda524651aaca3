// SPDX-License-Identifier: GPL-2.0
/* The fixed-point migration model in BPF, decisions in a loop: its cost per decision. */
#include "tests/lib/host_task.bpf.h"

char _license[] SEC("license") = "GPL";

struct mlmig_bench_args {
	s32 x[MLMIG_Q_IN];
	u32 loops;
	u32 steal; /* the steal model's slot, not the balancer's */
	s32 migrate; /* out: decisions to migrate */
};

SEC("syscall")
int mlmig_bench(struct mlmig_bench_args *a)
{
	s32 x[MLMIG_Q_IN];
	u32 k;

	tsr_arena_use();
	for (int i = 0; i < MLMIG_Q_IN; i++)
		x[i] = a->x[i];
	a->migrate = 0;
	bpf_for(k, 0, a->loops) {
		x[k % MLMIG_Q_IN] ^= 1; /* the inputs change: nothing to hoist */
		a->migrate += mlmig_q_run(a->steal ? &mlmig_steal_q : &mlmig_q, x, NULL) > 0;
	}
	return 0;
}
