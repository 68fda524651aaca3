// SPDX-License-Identifier: GPL-2.0
/*
 * mlmig's fixed-point forward pass under the host's verifier, driven by
 * test_qmodel.c: the decision and output sum for inputs userspace gives.
 */
#include "tests/lib/host_task.bpf.h"

char _license[] SEC("license") = "GPL";

struct qmodel_args {
	s32 x[MLMIG_Q_IN];
	s64 sum; /* out */
	s32 decision; /* out: 1 migrate, 0 stay, -1 no model */
};

SEC("syscall")
int qmodel_decide(struct qmodel_args *a)
{
	s32 x[MLMIG_Q_IN];

	tsr_arena_use();
	for (int i = 0; i < MLMIG_Q_IN; i++)
		x[i] = a->x[i];
	a->decision = mlmig_q_decide(x, &a->sum);
	return 0;
}
