/* SPDX-License-Identifier: GPL-2.0 */
/* How many CPUs were idle and how many busy since the last look (/proc/stat). */
#ifndef MLMIG_CPUSTAT_H
#define MLMIG_CPUSTAT_H

#define CPUSTAT_MAX 1024

struct cpustat {
	unsigned long long busy[CPUSTAT_MAX], idle[CPUSTAT_MAX]; /* jiffies at the last look */
	int nr_idle, nr_busy; /* CPUs idle (or busy) more than half of the last interval */
};

/*
 * Read @path (a /proc/stat) and count the CPUs idle or busy since the
 * last call; the first call counts from boot. 0 or -errno.
 */
int cpustat_update(struct cpustat *s, const char *path);

#endif /* MLMIG_CPUSTAT_H */
