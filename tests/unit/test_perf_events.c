// SPDX-License-Identifier: GPL-2.0
/* Naming perf events: perf's names, raw configs and a PMU's sysfs events. */
#include <criterion/criterion.h>
#include <string.h>
#include <linux/perf_event.h>
#include "framework/perf_events.h"
#include "fake_sysfs.h"

static char *root;
static char err[512];
static struct tsr_perf_event ev;

static void setup(void)
{
	root = fake_sysfs_new();
	err[0] = 0;
}

static void teardown(void)
{
	fake_sysfs_free(root);
}

TestSuite(perf, .init = setup, .fini = teardown);

#define DEV "/sys/bus/event_source/devices"

Test(perf, perfs_own_names)
{
	cr_assert_eq(tsr_perf_parse(root, "software:cpu-clock", &ev, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect_eq(ev.type, PERF_TYPE_SOFTWARE);
	cr_expect_eq(ev.config, PERF_COUNT_SW_CPU_CLOCK);
	cr_expect_str_eq(ev.name, "software:cpu-clock");
	cr_assert_eq(tsr_perf_parse(root, "hardware:cache-misses", &ev, err, sizeof(err)), 0);
	cr_expect_eq(ev.type, PERF_TYPE_HARDWARE);
	cr_expect_eq(ev.config, PERF_COUNT_HW_CACHE_MISSES);
	cr_assert_eq(tsr_perf_parse(root, "raw:0x01b7", &ev, err, sizeof(err)), 0);
	cr_expect_eq(ev.type, PERF_TYPE_RAW);
	cr_expect_eq(ev.config, 0x1b7);
}

Test(perf, a_pmus_sysfs_event)
{
	fake_write(root, DEV "/uncore_imc_0/type", "17");
	fake_write(root, DEV "/uncore_imc_0/format/event", "config:0-7");
	fake_write(root, DEV "/uncore_imc_0/format/umask", "config:8-15");
	fake_write(root, DEV "/uncore_imc_0/format/split", "config:16-17,20-21");
	fake_write(root, DEV "/uncore_imc_0/events/cas_count_read", "event=0x04,umask=0x03");
	fake_write(root, DEV "/uncore_imc_0/events/odd", "event=0x1,split=0xf");
	cr_assert_eq(tsr_perf_parse(root, "uncore_imc_0:cas_count_read", &ev, err, sizeof(err)), 0,
		     "%s", err);
	cr_expect_eq(ev.type, 17);
	cr_expect_eq(ev.config, 0x0304);
	cr_assert_eq(tsr_perf_parse(root, "uncore_imc_0:odd", &ev, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(ev.config, 0x1 | 0x3 << 16 | 0x3 << 20,
		     "split bit ranges take the bits in order");
	cr_assert_eq(tsr_perf_parse(root, "uncore_imc_0:0x55", &ev, err, sizeof(err)), 0);
	cr_expect_eq(ev.config, 0x55, "a number is the config itself");
}

Test(perf, bad_names_are_one_line)
{
	cr_expect_eq(tsr_perf_parse(root, "cpu-clock", &ev, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "is not KIND:EVENT"), "%s", err);
	cr_expect_eq(tsr_perf_parse(root, "software:bogus", &ev, err, sizeof(err)), -ENOENT);
	cr_expect(strstr(err, "has no software event 'bogus' (accepted: cpu-clock"), "%s", err);
	cr_expect_eq(tsr_perf_parse(root, "raw:12x", &ev, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "has '12x', not a number"), "%s", err);
	cr_expect_eq(tsr_perf_parse(root, "cxl_pmu_mem0.0:x", &ev, err, sizeof(err)), -ENOENT);
	cr_expect(strstr(err, "names no PMU 'cxl_pmu_mem0.0'"), "%s", err);
	fake_write(root, DEV "/p/type", "9");
	fake_write(root, DEV "/p/events/e", "event=0x1,flag=3");
	fake_write(root, DEV "/p/format/event", "config:0-7");
	fake_write(root, DEV "/p/format/flag", "config1:0-1");
	cr_expect_eq(tsr_perf_parse(root, "p:missing", &ev, err, sizeof(err)), -ENOENT);
	cr_expect(strstr(err, "names no event missing"), "%s", err);
	cr_expect_eq(tsr_perf_parse(root, "p:e", &ev, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "config1/config2 not supported"), "%s", err);
	fake_write(root, DEV "/p/events/g", "event=zz");
	cr_expect_eq(tsr_perf_parse(root, "p:g", &ev, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "'zz' is not a number"), "%s", err);
	fake_write(root, DEV "/p/format/event", "config:7-0");
	fake_write(root, DEV "/p/events/h", "event=1");
	cr_expect_eq(tsr_perf_parse(root, "p:h", &ev, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "cannot read bit ranges"), "%s", err);
}
