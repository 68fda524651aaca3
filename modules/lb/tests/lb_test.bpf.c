// SPDX-License-Identifier: GPL-2.0
/*
 * The lb module's decision handling, run as syscall programs on the host:
 * a decision is applied once, survives later enqueues, and is dropped when
 * it was meant for an earlier incarnation of the record or the task's
 * cpumask no longer allows the target; and the load averages of a domain
 * and of a task, folded at most once per 1/1024 of a half-life. Driven by
 * test_lb.c.
 */
#include "tests/lib/host_task.bpf.h"
#include "modules/lb/lb.bpf.h"

char _license[] SEC("license") = "GPL";

struct lb_args {
	u32 enqueues; /* how many wake-up/enqueue passes to make */
	s32 dom_after; /* the task's domain afterwards */
	u64 applied, dropped_gen, dropped_mask;
};

/* What each wake-up and enqueue of the task does with its record in scx_wd40. */
SEC("syscall")
int lb_passes(struct lb_args *a)
{
	struct task_struct *p = bpf_get_current_task_btf();
	struct tsr_task __arena *t = tsr_test_task();
	struct tsr_cpu __arena *c = tsr_this_cpu();
	struct tsr_placement pl = {};
	int i;

	bpf_for(i, 0, a->enqueues) {
		lb_select_cpu(p, t, 0, 0, &pl);
		lb_enqueue(p, t, 0);
	}
	a->dom_after = t->core.dom;
	a->applied = c->lb.nr_applied;
	a->dropped_gen = c->lb.nr_dropped_gen;
	a->dropped_mask = c->lb.nr_dropped_mask;
	return 0;
}

struct lb_account_args {
	s64 delta; /* change of domain 0's runnable weight */
	u64 now; /* at this time */
};

/* One change of domain 0's runnable weight, as runnable and quiescent make. */
SEC("syscall")
int lb_account(struct lb_account_args *a)
{
	lb_dom_account(0, a->delta, a->now);
	return 0;
}

struct lb_toggle_args {
	u64 run_ns, sleep_ns; /* one cycle: runnable this long, then not */
	u64 cycles;
	u64 avg, last_ns; /* the task's average afterwards */
};

/*
 * A task's own load through @cycles wake-ups and sleeps, as runnable and
 * quiescent fold it (userspace resets the record and sets its weight).
 */
SEC("syscall")
int lb_toggle(struct lb_toggle_args *a)
{
	struct tsr_task __arena *t = tsr_test_task();
	u64 now = 1000000000ULL;
	int i;

	bpf_for(i, 0, a->cycles) {
		lb_task_load(t, now, true);
		now += a->run_ns;
		lb_task_load(t, now, false);
		now += a->sleep_ns;
	}
	a->avg = t->lb.load.avg;
	a->last_ns = t->lb.load.last_ns;
	return 0;
}
