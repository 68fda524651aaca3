// SPDX-License-Identifier: GPL-2.0
/* Per-CPU idle and busy time from the kernel's counters. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cpustat.h"

int cpustat_update(struct cpustat *s, const char *path)
{
	unsigned long long v[10];
	char line[512];
	FILE *f = fopen(path, "r");
	int cpu;

	if (!f)
		return -errno;
	s->nr_idle = s->nr_busy = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long busy, idle, dbusy, didle;

		/* "cpu  ..." is the sum of all: only "cpuN ..." lines count */
		if (strncmp(line, "cpu", 3) || !isdigit((unsigned char)line[3]) ||
		    sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 9 ||
		    cpu < 0 || cpu >= CPUSTAT_MAX)
			continue;
		/* user nice system idle iowait irq softirq steal */
		idle = v[3] + v[4];
		busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
		dbusy = busy - s->busy[cpu];
		didle = idle - s->idle[cpu];
		s->busy[cpu] = busy;
		s->idle[cpu] = idle;
		if (didle > dbusy)
			s->nr_idle++;
		else
			s->nr_busy++;
	}
	fclose(f);
	return 0;
}
