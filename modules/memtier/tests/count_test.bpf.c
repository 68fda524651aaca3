// SPDX-License-Identifier: GPL-2.0
/*
 * memtier's count of DAMON's aggregations under the host's verifier: the
 * bytes an aggregation reports, found by kdamond thread, counted and, when
 * DAMON is the bandwidth source, charged to the watched task. Driven by
 * test_count.c (the tracepoint itself needs a kdamond of ours to fire).
 */
#include "tests/lib/host_task.bpf.h"

char _license[] SEC("license") = "GPL";

struct count_args {
	s32 tid;
	u64 bytes;
};

SEC("syscall")
int count_op(struct count_args *a)
{
	memtier_count(a->tid, a->bytes);
	return 0;
}
