// SPDX-License-Identifier: GPL-2.0
/* The tuner's arithmetic (see tune.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tune.h"

int lb_parse_proc_stat(const char *text, struct lb_cpu_time *t, int max_cpus)
{
	int seen = 0;

	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		unsigned long long v[10] = { 0 };
		int cpu, n;

		if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
			continue;
		n = sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &cpu,
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
		if (n < 5 || cpu < 0)
			return -EINVAL;
		if (cpu >= max_cpus)
			continue;
		/* guest and guest_nice are already counted in user and nice */
		t[cpu].total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
		t[cpu].busy = t[cpu].total - v[3] - v[4];
		seen++;
	}
	return seen ? seen : -EINVAL;
}

static double cpu_util(const struct lb_cpu_time *prev, const struct lb_cpu_time *cur)
{
	uint64_t total = cur->total - prev->total, busy = cur->busy - prev->busy;

	if (cur->total <= prev->total)
		return 0;
	return busy > total ? 1.0 : (double)busy / total;
}

double lb_dom_util(const struct tsr_topo *topo, const struct lb_cpu_time *prev,
		   const struct lb_cpu_time *cur, double *dom_util)
{
	double all = 0;
	int nr_all = 0;

	for (unsigned int d = 0; d < topo->nr_doms; d++) {
		double sum = 0;
		int n = 0;

		for (int cpu = 0; cpu < TSR_MAX_CPUS; cpu++) {
			if (!tsr_cpumask_test(&topo->dom_cpus[d], cpu))
				continue;
			sum += cpu_util(&prev[cpu], &cur[cpu]);
			n++;
		}
		dom_util[d] = n ? sum / n : 0;
		all += sum;
		nr_all += n;
	}
	return nr_all ? all / nr_all : 0;
}

void lb_tune_decide(const struct lb_tune_params *p, int nr_doms, const double *dom_util,
		    double overall, struct lb_tune_out *out)
{
	out->slice_ns = overall >= p->over_util ? p->slice_over_ns : p->slice_under_ns;
	for (int d = 0; d < nr_doms; d++) {
		out->greedy_ok[d] = dom_util[d] < p->greedy_under;
		out->kick_ok[d] = dom_util[d] < p->kick_under;
	}
}
