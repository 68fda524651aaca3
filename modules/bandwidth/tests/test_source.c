// SPDX-License-Identifier: GPL-2.0
/* Probing bandwidth sources on fake sysfs trees. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "modules/bandwidth/source.h"
#include "tests/unit/fake_sysfs.h"

static char *root;

static void mk(const char *rel)
{
	char dirfile[512];

	/* a directory: made by writing a file inside it */
	snprintf(dirfile, sizeof(dirfile), "%s/.keep", rel);
	fake_write(root, dirfile, "");
}

static void setup(void)
{
	root = fake_sysfs_new();
}

static void teardown(void)
{
	fake_sysfs_free(root);
}

TestSuite(source, .init = setup, .fini = teardown);

Test(source, nothing_but_the_feed)
{
	struct bw_source_probe p;
	char line[1024];

	bw_source_probe(root, &p);
	cr_expect_eq(bw_source_choose(&p, BW_NR_SOURCES, line, sizeof(line)), BW_SOURCE_FEED);
	cr_expect(strstr(line, "bandwidth source: pmu unavailable (no event sources in /sys),"),
		  "%s", line);
	cr_expect(strstr(line, "resctrl unavailable (resctrl not mounted"), "%s", line);
	cr_expect(strstr(line, "damon unavailable"), "%s", line);
	cr_expect(strstr(line, ", using feed"), "%s", line);
}

Test(source, event_sources_without_a_memory_pmu)
{
	struct bw_source_probe p;
	char line[1024];

	mk("/sys/bus/event_source/devices/cpu");
	mk("/sys/bus/event_source/devices/software");
	bw_source_probe(root, &p);
	bw_source_choose(&p, BW_NR_SOURCES, line, sizeof(line));
	cr_expect(strstr(line, "pmu unavailable (no cxl_pmu/uncore_imc events)"), "%s", line);
}

Test(source, memory_pmus_and_mbm_are_named)
{
	struct bw_source_probe p;

	mk("/sys/bus/event_source/devices/cxl_pmu_mem0.0");
	mk("/sys/bus/event_source/devices/uncore_imc_0");
	mk("/sys/fs/resctrl/info/L3_MON");
	fake_write(root, "/sys/fs/resctrl/info/L3_MON/mon_features",
		   "llc_occupancy\nmbm_total_bytes\n");
	bw_source_probe(root, &p);
	cr_expect(strstr(p.why[BW_SOURCE_PMU], "cxl_pmu_mem0.0"), "%s", p.why[BW_SOURCE_PMU]);
	cr_expect(strstr(p.why[BW_SOURCE_PMU], "uncore_imc_0"), "%s", p.why[BW_SOURCE_PMU]);
	cr_expect(strstr(p.why[BW_SOURCE_RESCTRL], "(MBM"), "%s", p.why[BW_SOURCE_RESCTRL]);
	/* a memory PMU counts a socket, not a task: only named --pmu-events make it usable */
	cr_expect_not(p.usable[BW_SOURCE_PMU]);
	cr_expect(p.usable[BW_SOURCE_RESCTRL]);
}

Test(source, mbm_comes_before_damon_and_the_feed)
{
	struct bw_source_probe p;
	char line[1024];

	fake_write(root, "/sys/fs/resctrl/info/L3_MON/mon_features", "mbm_local_bytes\n");
	bw_source_offer(BW_SOURCE_DAMON, true, "(an estimate)");
	bw_source_probe(root, &p);
	cr_expect_eq(bw_source_choose(&p, BW_NR_SOURCES, line, sizeof(line)), BW_SOURCE_RESCTRL);
	cr_expect_eq(bw_source_active(), BW_SOURCE_RESCTRL);
	cr_expect(strstr(line, "pmu unavailable"), "%s", line);
	cr_expect(strstr(line, "using resctrl (MBM"), "%s", line);
	/* asked for by name, a usable later source is taken */
	cr_expect_eq(bw_source_choose(&p, BW_SOURCE_DAMON, line, sizeof(line)), BW_SOURCE_DAMON);
	cr_expect(strstr(line, "using damon (an estimate) (--bw-source)"), "%s", line);
}

Test(source, damon_only_when_a_module_offers_it)
{
	struct bw_source_probe p;
	char line[1024];

	bw_source_probe(root, &p);
	cr_expect_not(p.usable[BW_SOURCE_DAMON]);
	cr_expect(strstr(p.why[BW_SOURCE_DAMON], "no module of this scheduler runs DAMON"), "%s",
		  p.why[BW_SOURCE_DAMON]);
	bw_source_offer(BW_SOURCE_DAMON, false, "unavailable (DAMON busy: 1 kdamond)");
	bw_source_probe(root, &p);
	cr_expect_not(p.usable[BW_SOURCE_DAMON]);
	cr_expect_str_eq(p.why[BW_SOURCE_DAMON], "unavailable (DAMON busy: 1 kdamond)");
	bw_source_offer(BW_SOURCE_DAMON, true, "(an estimate)");
	bw_source_probe(root, &p);
	cr_expect_eq(bw_source_choose(&p, BW_NR_SOURCES, line, sizeof(line)), BW_SOURCE_DAMON);
	cr_expect(strstr(line, "resctrl unavailable (resctrl not mounted"), "%s", line);
	cr_expect(strstr(line, "using damon (an estimate)"), "%s", line);
}

Test(source, a_named_source_that_is_not_there_is_refused)
{
	struct bw_source_probe p;
	char line[1024];

	bw_source_probe(root, &p);
	cr_expect_eq(bw_source_choose(&p, BW_SOURCE_RESCTRL, line, sizeof(line)), -ENOENT);
	cr_expect_str_eq(line, "bandwidth source: --bw-source resctrl: unavailable (resctrl not "
			       "mounted or no L3 monitoring)");
	cr_expect_eq(bw_source_by_name("auto"), BW_NR_SOURCES);
	cr_expect_eq(bw_source_by_name("feed"), BW_SOURCE_FEED);
	cr_expect_eq(bw_source_by_name("mbm"), -1);
}

Test(source, resctrl_without_bandwidth_monitoring)
{
	struct bw_source_probe p;

	mk("/sys/fs/resctrl/info/L3_MON");
	fake_write(root, "/sys/fs/resctrl/info/L3_MON/mon_features", "llc_occupancy\n");
	bw_source_probe(root, &p);
	cr_expect(strstr(p.why[BW_SOURCE_RESCTRL], "no mbm_* monitoring features"), "%s",
		  p.why[BW_SOURCE_RESCTRL]);
}
