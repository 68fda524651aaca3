/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a module's userspace half sees of the running scheduler: the
 * skeleton (rodata before load, the arena and bss after), the topology and
 * the framework settings. Compiled once per scheduler, like the skeleton.
 */
#ifndef TSR_RUNNER_H
#define TSR_RUNNER_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include TSR_COMPOSE_H
#include TSR_SKEL_H
#include "module.h"

/* sched_ext_ops.flags a runner or a module's configure hook may set (the kernel's values) */
#define SCX_OPS_ENQ_LAST 2ULL
#define SCX_OPS_SWITCH_PARTIAL 8ULL

struct tsr_ctx {
	struct tsr *skel;
	const struct tsr_topo *topo; /* as discovered at configure, the arena copy from init on */
	const char *prog;
	int verbose;
};

/*
 * Offer @n planned migrations to every module's migration filter, in the
 * scheduler's module order: allow[i] stays true for those none vetoed.
 */
void tsr_filter_migrations(struct tsr_ctx *ctx, const struct tsr_migration *c, int n, bool *allow);

/* Whether any module of this scheduler filters migrations. */
bool tsr_filters_migrations(void);

/* Sum a per-CPU counter (a field path inside struct tsr_cpu) over every possible CPU. */
#define tsr_sum_cpus(ctx, field)                                             \
	({                                                                   \
		uint64_t __sum = 0;                                          \
		for (uint32_t __c = 0; __c < (ctx)->topo->nr_cpu_ids; __c++) \
			__sum += (ctx)->skel->arena->tsr_cpus[__c].field;    \
		__sum;                                                       \
	})

/*
 * Interval deltas of @n counters: d[i] = cur[i] - last[i], then last = cur.
 * A counter that went backwards (the BPF side was reloaded) counts from 0.
 */
static inline void tsr_deltas(uint64_t *last, const uint64_t *cur, uint64_t *d, int n)
{
	for (int i = 0; i < n; i++) {
		d[i] = cur[i] >= last[i] ? cur[i] - last[i] : cur[i];
		last[i] = cur[i];
	}
}

/* Seconds on the monotonic clock: the runner's timers and the modules' intervals. */
static inline double tsr_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Percentage of @part in @whole, 0 when @whole is 0. */
static inline double tsr_pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

#endif /* TSR_RUNNER_H */
