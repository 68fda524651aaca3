// SPDX-License-Identifier: GPL-2.0
/* Idle and busy CPUs counted from two readings of a /proc/stat. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "modules/mlmig/cpustat.h"

static void write_stat(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(cpustat, cpus_counted_idle_or_busy_over_the_interval)
{
	static struct cpustat s;
	char path[] = "/tmp/tsr-cpustat-XXXXXX";

	cr_assert_geq(mkstemp(path), 0);
	write_stat(path, "cpu  40 0 40 100 0 0 0 0 0 0\n"
			 "cpu0 10 0 10 50 0 0 0 0 0 0\n"
			 "cpu1 30 0 30 50 0 0 0 0 0 0\n"
			 "intr 5\n");
	cr_assert_eq(cpustat_update(&s, path), 0);
	cr_expect_eq(s.nr_idle, 1, "cpu0 idle since boot");
	cr_expect_eq(s.nr_busy, 1);
	/* next interval: cpu0 ran 90 of 100 jiffies, cpu1 10 */
	write_stat(path, "cpu  140 0 40 200 0 0 0 0 0 0\n"
			 "cpu0 100 0 10 60 0 0 0 0 0 0\n"
			 "cpu1 30 0 40 140 0 0 0 0 0 0\n");
	cr_assert_eq(cpustat_update(&s, path), 0);
	cr_expect_eq(s.nr_busy, 1);
	cr_expect_eq(s.nr_idle, 1);
	cr_expect_eq(s.busy[0], 110);
	cr_expect_eq(s.idle[1], 140);
	unlink(path);
	cr_expect_lt(cpustat_update(&s, path), 0);
}
