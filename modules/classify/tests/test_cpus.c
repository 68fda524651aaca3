// SPDX-License-Identifier: GPL-2.0
/* Choosing -n/--nr-cpus CPUs by topology, and printing them. */
#include <criterion/criterion.h>
#include <string.h>
#include "modules/classify/cpus.h"

static struct tsr_topo topo;

/* @nr CPUs, @threads per core, @cores_per_dom cores per domain; CPU c is thread c % threads of core c / threads */
static void make(unsigned int nr, unsigned int threads, unsigned int cores_per_dom)
{
	memset(&topo, 0, sizeof(topo));
	topo.nr_cpu_ids = nr;
	for (unsigned int c = 0; c < TSR_MAX_CPUS; c++)
		topo.cpu_core[c] = -1;
	for (unsigned int c = 0; c < nr; c++) {
		topo.cpu_core[c] = c / threads;
		topo.cpu_dom[c] = c / threads / cores_per_dom;
	}
}

Test(cpus, one_thread_of_each_core_first)
{
	unsigned int out[8];
	char buf[64];

	make(8, 2, 2); /* cores {0,1} {2,3} | {4,5} {6,7} */
	cr_assert_eq(classify_pick_cpus(&topo, 4, out), 4);
	classify_cpu_list(out, 4, buf, sizeof(buf));
	cr_expect_str_eq(buf, "0,2,4,6");
	cr_assert_eq(classify_pick_cpus(&topo, 6, out), 6);
	classify_cpu_list(out, 6, buf, sizeof(buf));
	cr_expect_str_eq(buf, "0-4,6", "then the second threads, domain by domain");
}

Test(cpus, offline_cpus_are_never_chosen_and_n_is_capped)
{
	unsigned int out[8];
	char buf[64];

	make(4, 1, 4);
	topo.cpu_core[1] = -1;
	cr_expect_eq(classify_pick_cpus(&topo, 8, out), 3);
	classify_cpu_list(out, 3, buf, sizeof(buf));
	cr_expect_str_eq(buf, "0,2-3");
}

/* 8 CPUs on nodes 0 and 1 (4 each), node 2 memory only at @d0 from node 0 and @d1 from node 1 */
static void with_far_node(unsigned int d0, unsigned int d1)
{
	make(8, 2, 2);
	topo.nr_nodes = 3;
	topo.node_has_cpu = 0x3;
	topo.node_has_memory = 0x7;
	for (unsigned int c = 0; c < 8; c++)
		topo.cpu_node[c] = c / 4;
	for (unsigned int a = 0; a < 3; a++)
		for (unsigned int b = 0; b < 3; b++)
			topo.node_distance[a][b] = a == b ? 10 : 20;
	topo.node_distance[0][2] = topo.node_distance[2][0] = d0;
	topo.node_distance[1][2] = topo.node_distance[2][1] = d1;
}

static void near_list(char *buf, size_t len)
{
	struct tsr_cpumask m;
	unsigned int cpus[8], n = 0;

	classify_near_far_cpus(&topo, &m);
	for (unsigned int c = 0; c < 8; c++)
		if (tsr_cpumask_test(&m, c))
			cpus[n++] = c;
	classify_cpu_list(cpus, n, buf, len);
}

Test(cpus, the_cpus_nearest_far_memory)
{
	struct tsr_cpumask m;
	char buf[64];

	with_far_node(20, 30);
	near_list(buf, sizeof(buf));
	cr_expect_str_eq(buf, "0-3", "node 0 is nearest the CPU-less node");
	with_far_node(30, 20);
	near_list(buf, sizeof(buf));
	cr_expect_str_eq(buf, "4-7");
	with_far_node(20, 20);
	near_list(buf, sizeof(buf));
	cr_expect_str_eq(buf, "0-7", "every node at the least distance");
	topo.cpu_core[5] = -1;
	near_list(buf, sizeof(buf));
	cr_expect_str_eq(buf, "0-4,6-7", "offline CPUs are left out");
	with_far_node(20, 30);
	topo.node_has_cpu = 0x7; /* node 2 has CPUs after all: no far memory */
	cr_expect_eq(classify_near_far_cpus(&topo, &m), 0);
	make(4, 1, 4); /* no NUMA */
	topo.nr_nodes = 1;
	topo.node_has_cpu = topo.node_has_memory = 1;
	cr_expect_eq(classify_near_far_cpus(&topo, &m), 0);
}
