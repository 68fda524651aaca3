/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tuner's arithmetic: CPU busy time from /proc/stat, domain
 * utilization between two snapshots, and what follows from it (the slice,
 * which domains take direct greedy placement, which get kicked).
 */
#ifndef TSR_LB_TUNE_H
#define TSR_LB_TUNE_H

#include <stdbool.h>
#include <stdint.h>
#include "arena/topo.h"

struct lb_cpu_time {
	uint64_t busy; /* jiffies not idle nor iowait */
	uint64_t total; /* all jiffies */
};

/* Per-CPU times from /proc/stat text into @t[cpu]; returns CPUs seen or -EINVAL. */
int lb_parse_proc_stat(const char *text, struct lb_cpu_time *t, int max_cpus);

/*
 * Utilization (0..1) of each domain between snapshots @prev and @cur (mean
 * of its online CPUs), into @dom_util; returns the mean over all online CPUs.
 */
double lb_dom_util(const struct tsr_topo *topo, const struct lb_cpu_time *prev,
		   const struct lb_cpu_time *cur, double *dom_util);

struct lb_tune_params {
	uint64_t slice_under_ns;
	uint64_t slice_over_ns;
	double over_util; /* mean utilization at or above which the host is over-utilized */
	double greedy_under; /* domains below this utilization take direct greedy placement */
	double kick_under; /* domains below this get idle CPUs kicked for remote work */
};

struct lb_tune_out {
	uint64_t slice_ns;
	bool greedy_ok[TSR_MAX_DOMS];
	bool kick_ok[TSR_MAX_DOMS];
};

void lb_tune_decide(const struct lb_tune_params *p, int nr_doms, const double *dom_util,
		    double overall, struct lb_tune_out *out);

#endif /* TSR_LB_TUNE_H */
