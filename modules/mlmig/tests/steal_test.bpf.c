// SPDX-License-Identifier: GPL-2.0
/*
 * mlmig's steal_ok hook under the host's verifier, driven by test_steal.c:
 * the features BPF computes for a steal of the test task, and the hook's
 * answer.
 */
#include "tests/lib/host_task.bpf.h"

char _license[] SEC("license") = "GPL";

struct steal_args {
	u32 src, dst;
	s32 cpu; /* the CPU that steals (for the hook) */
	s32 x[MLMIG_Q_IN]; /* out: features of moving the task from src to dst */
	s32 ok; /* out: the hook's answer for cpu */
};

SEC("syscall")
int steal_check(struct steal_args *a)
{
	struct tsr_task __arena *t = tsr_test_task();
	s32 x[MLMIG_Q_IN];

	tsr_arena_use();
	mlmig_steal_features(t, a->src, a->dst, mlmig_steal_q.feature_set, x);
	for (int i = 0; i < MLMIG_Q_IN; i++)
		a->x[i] = x[i];
	a->ok = tsr_chain_steal_ok(NULL, t, a->cpu, a->src);
	return 0;
}
