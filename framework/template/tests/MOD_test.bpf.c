// SPDX-License-Identifier: GPL-2.0
/* MOD's hooks as syscall programs on the host; driven by test_MOD.c. */
#include "tests/lib/host_task.bpf.h"

char _license[] SEC("license") = "GPL";

__u64 MOD_test_slice;

SEC("syscall")
int MOD_run(void *ctx)
{
	struct task_struct *p = bpf_get_current_task_btf();
	struct tsr_task __arena *t = tsr_test_task();

	MOD_charge(p, t, 1000);
	MOD_charge(p, t, 2000);
	MOD_test_slice = MOD_slice(p, t, 20000000);
	return 0;
}
