// SPDX-License-Identifier: GPL-2.0
/* Arena cpumask operations, at word boundaries and at the 1024-CPU limit. */
#include <criterion/criterion.h>
#include "arena/cpumask.h"

static const int edge[] = { 0, 1, 63, 64, 65, 127, 128, 511, 512, 1022, 1023 };
#define NR_EDGE (int)(sizeof(edge) / sizeof(edge[0]))

Test(cpumask, set_test_clear_at_edges)
{
	struct tsr_cpumask m = { 0 };

	for (int i = 0; i < NR_EDGE; i++) {
		cr_expect_not(tsr_cpumask_test(&m, edge[i]));
		tsr_cpumask_set(&m, edge[i]);
		cr_expect(tsr_cpumask_test(&m, edge[i]), "cpu %d", edge[i]);
	}
	cr_expect_eq(tsr_cpumask_weight(&m), NR_EDGE);
	tsr_cpumask_clear(&m, 64);
	cr_expect_not(tsr_cpumask_test(&m, 64));
	cr_expect(tsr_cpumask_test(&m, 63) && tsr_cpumask_test(&m, 65), "neighbours untouched");
	tsr_cpumask_set(&m, 1024);
	cr_expect_not(tsr_cpumask_test(&m, 1024), "beyond the limit is ignored");
	cr_expect_eq(tsr_cpumask_weight(&m), NR_EDGE - 1);
}

Test(cpumask, iteration_visits_every_cpu_in_order)
{
	struct tsr_cpumask m = { 0 };
	int n = 0, prev = -1;

	for (int i = 0; i < NR_EDGE; i++)
		tsr_cpumask_set(&m, edge[i]);
	for (int c = tsr_cpumask_first(&m); c >= 0; c = tsr_cpumask_next(&m, c + 1)) {
		cr_assert_eq(c, edge[n], "got %d, want %d", c, edge[n]);
		cr_assert_gt(c, prev);
		prev = c;
		n++;
	}
	cr_expect_eq(n, NR_EDGE);
	cr_expect_eq(tsr_cpumask_next(&m, 1024), -1);
	tsr_cpumask_zero(&m);
	cr_expect_eq(tsr_cpumask_first(&m), -1);
}

Test(cpumask, and_or_andnot)
{
	struct tsr_cpumask a = { 0 }, b = { 0 }, r = { 0 };

	tsr_cpumask_set(&a, 3);
	tsr_cpumask_set(&a, 700);
	tsr_cpumask_set(&b, 700);
	tsr_cpumask_set(&b, 1023);
	cr_expect(tsr_cpumask_and(&r, &a, &b));
	cr_expect_eq(tsr_cpumask_weight(&r), 1);
	cr_expect(tsr_cpumask_test(&r, 700));
	tsr_cpumask_or(&r, &a, &b);
	cr_expect_eq(tsr_cpumask_weight(&r), 3);
	cr_expect(tsr_cpumask_andnot(&r, &a, &b));
	cr_expect_eq(tsr_cpumask_first(&r), 3);
	cr_expect_eq(tsr_cpumask_weight(&r), 1);
	tsr_cpumask_zero(&b);
	tsr_cpumask_set(&b, 3);
	tsr_cpumask_set(&b, 700);
	cr_expect_not(tsr_cpumask_andnot(&r, &a, &b), "empty result reported");
	tsr_cpumask_copy(&r, &a);
	cr_expect_eq(tsr_cpumask_weight(&r), 2);
}

Test(cpumask, atomic_ops)
{
	struct tsr_cpumask m = { 0 };

	cr_expect_not(tsr_cpumask_test_and_set_atomic(&m, 640));
	cr_expect(tsr_cpumask_test_and_set_atomic(&m, 640));
	tsr_cpumask_set_atomic(&m, 1023);
	cr_expect_eq(tsr_cpumask_weight(&m), 2);
	tsr_cpumask_clear_atomic(&m, 640);
	cr_expect_not(tsr_cpumask_test(&m, 640));
	cr_expect(tsr_cpumask_test(&m, 1023));
}

Test(cpumask, full_mask_weight)
{
	struct tsr_cpumask m;

	memset(&m, 0xff, sizeof(m));
	cr_expect_eq(tsr_cpumask_weight(&m), 1024);
	cr_expect_eq(tsr_cpumask_next(&m, 1023), 1023);
}
