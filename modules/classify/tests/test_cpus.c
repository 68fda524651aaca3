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
