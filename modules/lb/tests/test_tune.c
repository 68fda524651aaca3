// SPDX-License-Identifier: GPL-2.0
/* The tuner's arithmetic: /proc/stat parsing, domain utilization, decisions. */
#include <criterion/criterion.h>
#include <errno.h>
#include "modules/lb/tune.h"

static const char *stat_a = "cpu  40 0 20 300 0 0 0 0 0 0\n"
			    "cpu0 10 0 5 85 0 0 0 0 0 0\n"
			    "cpu1 10 0 5 85 0 0 0 0 0 0\n"
			    "cpu2 10 0 5 65 20 0 0 0 0 0\n"
			    "cpu3 10 0 5 85 0 0 0 0 0 0\n"
			    "intr 12345\nctxt 999\n";
static const char *stat_b = "cpu  0 0 0 0 0 0 0 0 0 0\n"
			    "cpu0 110 0 5 85 0 0 0 0 0 0\n" /* +100 busy of 100 */
			    "cpu1 60 0 5 135 0 0 0 0 0 0\n" /* +50 of 100 */
			    "cpu2 10 0 5 165 20 0 0 0 0 0\n" /* idle */
			    "cpu3 10 0 5 185 0 0 0 0 0 0\n"; /* idle */

Test(tune, parses_per_cpu_lines_only)
{
	struct lb_cpu_time t[8] = { 0 };

	cr_assert_eq(lb_parse_proc_stat(stat_a, t, 8), 4);
	cr_expect_eq(t[0].total, 100);
	cr_expect_eq(t[0].busy, 15);
	cr_expect_eq(t[2].busy, 15, "iowait is not busy");
	cr_expect_eq(lb_parse_proc_stat("cpu0 x y\n", t, 8), -EINVAL);
	cr_expect_eq(lb_parse_proc_stat("nothing here\n", t, 8), -EINVAL);
}

Test(tune, domain_utilization_and_decisions)
{
	struct lb_cpu_time a[TSR_MAX_CPUS] = { 0 }, b[TSR_MAX_CPUS] = { 0 };
	static struct tsr_topo topo;
	double util[TSR_MAX_DOMS], all;
	struct lb_tune_params p = { .slice_under_ns = 20000000,
				    .slice_over_ns = 1000000,
				    .over_util = 0.99,
				    .greedy_under = 0.9,
				    .kick_under = 0.5 };
	struct lb_tune_out out;

	topo.nr_doms = 2;
	tsr_cpumask_set(&topo.dom_cpus[0], 0);
	tsr_cpumask_set(&topo.dom_cpus[0], 1);
	tsr_cpumask_set(&topo.dom_cpus[1], 2);
	tsr_cpumask_set(&topo.dom_cpus[1], 3);
	lb_parse_proc_stat(stat_a, a, TSR_MAX_CPUS);
	lb_parse_proc_stat(stat_b, b, TSR_MAX_CPUS);
	all = lb_dom_util(&topo, a, b, util);
	cr_expect_float_eq(util[0], 0.75, 1e-9);
	cr_expect_float_eq(util[1], 0.0, 1e-9);
	cr_expect_float_eq(all, 0.375, 1e-9);
	lb_tune_decide(&p, 2, util, all, &out);
	cr_expect_eq(out.slice_ns, 20000000, "under-utilized host: long slice");
	cr_expect_eq(out.greedy_ok[0], true);
	cr_expect_eq(out.kick_ok[0], false);
	cr_expect_eq(out.greedy_ok[1], true);
	cr_expect_eq(out.kick_ok[1], true);
	lb_tune_decide(&p, 2, util, 0.995, &out);
	cr_expect_eq(out.slice_ns, 1000000, "over-utilized host: short slice");
}
