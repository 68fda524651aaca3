// SPDX-License-Identifier: GPL-2.0
/* Topology discovery against fake sysfs trees, and CPU-list parsing. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "framework/topology.h"
#include "fake_sysfs.h"

static char *root;
static struct tsr_topo topo;
static char err[512];

static void setup(void)
{
	root = fake_sysfs_new();
	err[0] = '\0';
}

static void teardown(void)
{
	fake_sysfs_free(root);
}

static int discover(unsigned int level)
{
	struct tsr_topo_opts o = { .sysfs_root = root, .cache_level = level };

	return tsr_topo_discover(&topo, &o, err, sizeof(err));
}

/* Two CPUs, one core each, one node, one L3: the base for the malformed-file cases. */
static void small_machine(void)
{
	struct fake_machine m = {
		.sockets = 1, .cores = 2, .threads = 1, .nodes = 1, .l3_per_socket = 1
	};

	fake_machine(root, &m);
}

TestSuite(topology, .init = setup, .fini = teardown);

Test(topology, smt2_two_sockets_two_nodes)
{
	struct fake_machine m = { .sockets = 2,
				  .cores = 2,
				  .threads = 2,
				  .nodes = 2,
				  .l3_per_socket = 1,
				  .l2_per_core = 1 };

	fake_machine(root, &m);
	cr_assert_eq(discover(3), 0, "%s", err);
	cr_expect_eq(topo.nr_cpus, 8);
	cr_expect_eq(topo.nr_cpu_ids, 8);
	cr_expect_eq(topo.nr_cores, 4);
	cr_expect_eq(topo.nr_nodes, 2);
	cr_expect_eq(topo.nr_doms, 2);
	cr_expect_eq(topo.cpu_sibling[0], 1);
	cr_expect_eq(topo.cpu_sibling[1], 0);
	cr_expect_eq(topo.cpu_core[2], topo.cpu_core[3]);
	cr_expect_neq(topo.cpu_core[1], topo.cpu_core[2]);
	cr_expect_eq(topo.cpu_dom[3], 0);
	cr_expect_eq(topo.cpu_dom[4], 1);
	cr_expect_eq(topo.cpu_node[7], 1);
	cr_expect_eq(topo.dom_node[1], 1);
	cr_expect_eq(tsr_cpumask_weight(&topo.dom_cpus[0]), 4);
	cr_expect_eq(topo.node_distance[0][1], 20);
	cr_expect_eq(topo.node_distance[1][1], 10);
	cr_expect_eq(topo.version, TSR_TOPO_VERSION);
}

Test(topology, cache_level_2_gives_a_domain_per_core)
{
	struct fake_machine m = { .sockets = 2,
				  .cores = 2,
				  .threads = 2,
				  .nodes = 2,
				  .l3_per_socket = 1,
				  .l2_per_core = 1 };

	fake_machine(root, &m);
	cr_assert_eq(discover(2), 0, "%s", err);
	cr_expect_eq(topo.nr_doms, 4);
	cr_expect_eq(topo.cpu_dom[0], topo.cpu_dom[1]);
	cr_expect_neq(topo.cpu_dom[1], topo.cpu_dom[2]);
	cr_expect_eq(topo.dom_node[3], 1);
}

Test(topology, cache_level_0_gives_a_domain_per_node)
{
	struct fake_machine m = {
		.sockets = 1, .cores = 4, .threads = 1, .nodes = 2, .l3_per_socket = 1
	};

	fake_machine(root, &m);
	cr_assert_eq(discover(0), 0, "%s", err);
	cr_expect_eq(topo.nr_doms, 2);
	cr_expect_eq(topo.cache_level, 0);
}

Test(topology, domain_never_spans_nodes)
{
	/* one L3 for all 4 CPUs, but 2 nodes: the L3 domain splits per node */
	struct fake_machine m = {
		.sockets = 1, .cores = 4, .threads = 1, .nodes = 2, .l3_per_socket = 1
	};

	fake_machine(root, &m);
	cr_assert_eq(discover(3), 0, "%s", err);
	cr_expect_eq(topo.nr_doms, 2);
	cr_expect_neq(topo.cpu_dom[1], topo.cpu_dom[2]);
}

Test(topology, no_smt)
{
	struct fake_machine m = {
		.sockets = 1, .cores = 4, .threads = 1, .nodes = 1, .l3_per_socket = 1
	};

	fake_machine(root, &m);
	cr_assert_eq(discover(3), 0, "%s", err);
	cr_expect_eq(topo.nr_cores, 4);
	for (int c = 0; c < 4; c++)
		cr_expect_eq(topo.cpu_sibling[c], -1);
}

Test(topology, holes_in_cpu_ids)
{
	struct fake_machine m = { .sockets = 1,
				  .cores = 4,
				  .threads = 1,
				  .nodes = 1,
				  .l3_per_socket = 1,
				  .id_stride = 2 };

	fake_machine(root, &m);
	/* possible is 0-6 but only even CPUs exist and are online */
	fake_write(root, "devices/system/cpu/online", "0,2,4,6");
	cr_assert_eq(discover(3), 0, "%s", err);
	cr_expect_eq(topo.nr_cpus, 4);
	cr_expect_eq(topo.nr_cpu_ids, 7);
	cr_expect_eq(topo.cpu_dom[1], -1);
	cr_expect_eq(topo.cpu_core[3], -1);
	cr_expect_eq(topo.cpu_dom[6], 0);
}

Test(topology, offline_cpus_are_left_out)
{
	struct fake_machine m = { .sockets = 2,
				  .cores = 2,
				  .threads = 2,
				  .nodes = 2,
				  .l3_per_socket = 1,
				  .online = "0-2,4-7" };

	fake_machine(root, &m);
	cr_assert_eq(discover(3), 0, "%s", err);
	cr_expect_eq(topo.nr_cpus, 7);
	cr_expect_eq(topo.cpu_dom[3], -1);
	cr_expect_eq(topo.cpu_sibling[2], -1, "sibling 3 is offline");
	cr_expect_not(tsr_cpumask_test(&topo.dom_cpus[0], 3));
	cr_expect_eq(tsr_cpumask_weight(&topo.dom_cpus[0]), 3);
}

Test(topology, memory_only_node)
{
	struct fake_machine m = { .sockets = 2,
				  .cores = 2,
				  .threads = 1,
				  .nodes = 2,
				  .mem_only_nodes = 1,
				  .l3_per_socket = 1 };

	fake_machine(root, &m);
	cr_assert_eq(discover(3), 0, "%s", err);
	cr_expect_eq(topo.nr_nodes, 3);
	cr_expect_eq(topo.node_has_cpu, 0x3);
	cr_expect_eq(topo.node_has_memory, 0x7);
	cr_expect_eq(topo.node_distance[0][2], 30);
	cr_expect_eq(tsr_cpumask_weight(&topo.node_cpus[2]), 0);
}

Test(topology, no_numa_directory_means_one_node)
{
	struct fake_machine m = {
		.sockets = 1, .cores = 2, .threads = 1, .nodes = 0, .l3_per_socket = 1
	};

	fake_machine(root, &m);
	cr_assert_eq(discover(3), 0, "%s", err);
	cr_expect_eq(topo.nr_nodes, 1);
	cr_expect_eq(topo.cpu_node[1], 0);
}

Test(topology, malformed_cpulist_is_named)
{
	small_machine();
	fake_write(root, "devices/system/cpu/cpu1/topology/thread_siblings_list", "1-x");
	cr_expect_eq(discover(3), -EINVAL);
	cr_expect(strstr(err, "cpu1/topology/thread_siblings_list"), "%s", err);
	cr_expect(strstr(err, "'1-x'"), "%s", err);
}

Test(topology, malformed_distance_is_named)
{
	small_machine();
	fake_write(root, "devices/system/node/node0/distance", "10 abc");
	cr_expect_eq(discover(3), -EINVAL);
	cr_expect(strstr(err, "node0/distance") && strstr(err, "'abc'"), "%s", err);
}

Test(topology, malformed_cache_level_is_named)
{
	small_machine();
	fake_write(root, "devices/system/cpu/cpu0/cache/index1/level", "three");
	cr_expect_eq(discover(3), -EINVAL);
	cr_expect(strstr(err, "index1/level") && strstr(err, "'three'"), "%s", err);
}

Test(topology, missing_cache_level_is_an_error)
{
	small_machine();
	cr_expect_eq(discover(4), -ENOENT);
	cr_expect(strstr(err, "no level-4 cache"), "%s", err);
}

Test(topology, missing_file_is_named)
{
	small_machine();
	fake_remove(root, "devices/system/cpu/possible");
	cr_expect_eq(discover(3), -ENOENT);
	cr_expect(strstr(err, "devices/system/cpu/possible"), "%s", err);
}

Test(topology, cpu_beyond_limit)
{
	fake_write(root, "devices/system/cpu/possible", "0-1024");
	cr_expect_eq(discover(3), -ERANGE);
	cr_expect(strstr(err, "beyond 1023"), "%s", err);
}

Test(cpulist, parses_ranges_and_singles)
{
	struct tsr_cpumask m;

	cr_assert_eq(tsr_parse_cpulist("0-2,5,63-65\n", &m), 0);
	cr_expect_eq(tsr_cpumask_weight(&m), 7);
	cr_expect(tsr_cpumask_test(&m, 63) && tsr_cpumask_test(&m, 64));
	cr_expect(!tsr_cpumask_test(&m, 3));
	cr_expect_eq(m.bits[0], 0x8000000000000027ULL);
	cr_expect_eq(m.bits[1], 0x3ULL);
}

Test(cpulist, word_boundaries_and_the_last_cpu)
{
	struct tsr_cpumask m;

	cr_assert_eq(tsr_parse_cpulist("1023", &m), 0);
	cr_expect(tsr_cpumask_test(&m, 1023));
	cr_expect_eq(m.bits[15], 1ULL << 63);
	cr_assert_eq(tsr_parse_cpulist("0-1023", &m), 0);
	cr_expect_eq(tsr_cpumask_weight(&m), 1024);
	cr_expect(!tsr_cpumask_test(&m, 1024), "out of range reads false");
}

Test(cpulist, empty_is_empty)
{
	struct tsr_cpumask m;

	cr_assert_eq(tsr_parse_cpulist("", &m), 0);
	cr_expect_eq(tsr_cpumask_weight(&m), 0);
}

Test(cpulist, rejects_garbage)
{
	struct tsr_cpumask m;

	cr_expect_eq(tsr_parse_cpulist("3-1", &m), -EINVAL);
	cr_expect_eq(tsr_parse_cpulist("a", &m), -EINVAL);
	cr_expect_eq(tsr_parse_cpulist("1-", &m), -EINVAL);
	cr_expect_eq(tsr_parse_cpulist("1;2", &m), -EINVAL);
	cr_expect_eq(tsr_parse_cpulist("2000", &m), -ERANGE);
}
