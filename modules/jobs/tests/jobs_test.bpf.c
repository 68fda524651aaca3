// SPDX-License-Identifier: GPL-2.0
/*
 * The jobs module's table under the host's verifier: a task joins and
 * leaves process groups and cgroups, run time is charged, long-running jobs are
 * announced once. Driven by test_jobs.c.
 */
#include "tests/lib/host_task.bpf.h"
#include "modules/jobs/jobs.bpf.h"

char _license[] SEC("license") = "GPL";

struct jobs_args {
	s32 pgid; /* > 0: join it; 0: leave; < 0: charge run time only */
	u64 key; /* with pgid > 0: join this job key (a cgroup's id) instead */
	s32 runnable; /* 1: the task becomes runnable, -1: it stops being runnable */
	u64 ran_ns;
	u32 slot; /* out: the task's slot + 1 */
	u64 no_slot; /* out: this CPU's nr_no_slot */
};

SEC("syscall")
int jobs_op(struct jobs_args *a)
{
	struct tsr_task __arena *t = tsr_test_task();

	if (a->pgid >= 0)
		jobs_join(t, a->key ?: (u64)a->pgid, a->pgid);
	if (a->runnable > 0)
		jobs_count_runnable(t);
	else if (a->runnable < 0)
		jobs_uncount_runnable(t);
	if (a->ran_ns)
		jobs_charge(NULL, t, a->ran_ns);
	a->slot = t->jobs.slot;
	a->no_slot = tsr_this_cpu()->jobs.nr_no_slot;
	return 0;
}
