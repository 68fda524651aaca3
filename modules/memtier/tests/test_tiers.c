// SPDX-License-Identifier: GPL-2.0
/* Memory tiers read from fake sysfs trees. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "modules/memtier/tiers.h"
#include "tests/unit/fake_sysfs.h"

static char *root;

static void setup(void)
{
	root = fake_sysfs_new();
}

static void teardown(void)
{
	fake_sysfs_free(root);
}

TestSuite(tiers, .init = setup, .fini = teardown);

/* Node @n of a fake tree: its CPUs and its distance line. */
static void fake_node(int n, const char *cpulist, const char *distance)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", n);
	fake_write(root, path, cpulist);
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/distance", n);
	fake_write(root, path, distance);
}

/* node 0 with CPUs 0-3, node 1 memory only */
static void two_nodes(void)
{
	fake_write(root, "/sys/devices/system/node/node0/cpulist", "0-3");
	fake_write(root, "/sys/devices/system/node/node0/distance", "10 20");
	fake_write(root, "/sys/devices/system/node/node1/cpulist", "");
	fake_write(root, "/sys/devices/system/node/node1/distance", "20 10");
	fake_write(root, "/sys/devices/system/node/has_memory", "0-1");
}

Test(tiers, a_cpu_less_node_without_cxl_is_far_memory_but_not_cxl)
{
	struct mt_tiers t;
	char err[256], desc[1024];

	two_nodes();
	cr_assert_eq(mt_detect(root, &t, err, sizeof(err)), 0, "%s", err);
	cr_expect(t.numa);
	cr_expect_eq(t.nr_nodes, 2);
	cr_expect_eq(t.node[0].nr_cpus, 4);
	cr_expect_not(t.node[1].has_cpu);
	cr_expect(t.node[1].has_memory);
	cr_expect_not(t.node[1].cxl);
	cr_expect_eq(t.node[1].nearest_cpu_node, 0);
	cr_expect_eq(mt_nr_far(&t), 1);
	mt_describe(&t, desc, sizeof(desc));
	cr_expect_str_eq(desc,
			 "node 0: 4 CPUs; node 1: memory only, nearest CPUs node 0 (distance 20)");
}

Test(tiers, a_cxl_region_marks_its_node)
{
	struct mt_tiers t;
	char err[256], desc[1024];

	two_nodes();
	fake_write(root, "/sys/bus/cxl/devices/region0/dax_region0/dax0.0/target_node", "1");
	fake_write(root, "/sys/bus/cxl/devices/region3/size",
		   "0"); /* a region not onlined: no node */
	fake_write(root, "/sys/devices/virtual/memory_tiering/memory_tier4/nodelist", "0");
	fake_write(root, "/sys/devices/virtual/memory_tiering/memory_tier22/nodelist", "1");
	fake_write(root, "/sys/devices/system/node/node1/access0/initiators/read_latency", "250");
	cr_assert_eq(mt_detect(root, &t, err, sizeof(err)), 0, "%s", err);
	cr_expect(t.node[1].cxl);
	cr_expect_eq(t.node[1].cxl_region, 0);
	cr_expect_not(t.node[0].cxl);
	cr_expect_eq(t.node[0].tier, 4);
	cr_expect_eq(t.node[1].tier, 22);
	cr_expect_eq(t.node[1].read_latency_ns, 250);
	mt_describe(&t, desc, sizeof(desc));
	cr_expect_str_eq(desc, "node 0: 4 CPUs, tier 4; node 1: memory only, CXL region0, tier 22, "
			       "read latency 250 ns, nearest CPUs node 0 (distance 20)");
}

Test(tiers, the_nearest_cpu_node_by_distance)
{
	struct mt_tiers t;
	char err[256];

	fake_node(0, "0-1", "10 21 30");
	fake_node(1, "2-3", "21 10 14");
	fake_node(2, "", "30 14 10");
	cr_assert_eq(mt_detect(root, &t, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(t.node[2].nearest_cpu_node, 1);
	cr_expect(t.node[2].has_memory, "no has_memory file: every node has memory");
	cr_expect_eq(mt_far_node_for(&t, 0), 2, "the only far node, however far");
	cr_expect_eq(mt_far_node_for(&t, 1), 2);
}

Test(tiers, the_far_node_for_a_cpu_node)
{
	struct mt_tiers t;
	char err[256];

	fake_node(0, "0-1", "10 20 20 30");
	fake_node(1, "2-3", "20 10 30 20");
	fake_node(2, "", "20 30 10 30");
	fake_node(3, "", "30 20 30 10");
	cr_assert_eq(mt_detect(root, &t, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(mt_far_node_for(&t, 0), 2);
	cr_expect_eq(mt_far_node_for(&t, 1), 3);
	t.distance[1][2] = 20;
	t.node[2].cxl = true;
	cr_expect_eq(mt_far_node_for(&t, 1), 2, "a tie goes to CXL memory");
	t.node[2].has_cpu = t.node[3].has_cpu = true;
	cr_expect_eq(mt_far_node_for(&t, 0), -1, "no far memory");
}

Test(tiers, no_numa_is_one_node_and_no_far_memory)
{
	struct mt_tiers t;
	char err[256], desc[256];

	cr_assert_eq(mt_detect(root, &t, err, sizeof(err)), 0);
	cr_expect_not(t.numa);
	cr_expect_eq(t.nr_nodes, 1);
	cr_expect_eq(mt_nr_far(&t), 0);
	mt_describe(&t, desc, sizeof(desc));
	cr_expect_str_eq(desc, "no NUMA nodes in sysfs: one node, no far memory");
}

Test(tiers, garbage_is_one_line_naming_the_file)
{
	struct mt_tiers t;
	char err[512];

	two_nodes();
	fake_write(root, "/sys/devices/system/node/node1/distance", "20 ten");
	cr_expect_eq(mt_detect(root, &t, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "node1/distance: '20 ten' is not what the kernel writes there"), "%s",
		  err);
	cr_expect_null(strchr(err, '\n'));
	fake_write(root, "/sys/devices/system/node/node1/distance", "20 10");
	fake_write(root, "/sys/devices/system/node/has_memory", "0-x");
	cr_expect_eq(mt_detect(root, &t, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "has_memory: '0-x'"), "%s", err);
}
