// SPDX-License-Identifier: GPL-2.0
/* The arena object allocator, compiled for userspace over ordinary memory. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "arena/slab.h"

#define OBJ 24
#define NR 100

static struct tsr_slab slab;
static char *mem;

static void setup(void)
{
	mem = calloc(1, tsr_slab_bytes(OBJ, NR));
	cr_assert_eq(tsr_slab_init(&slab, mem, OBJ, NR), 0);
}

static void teardown(void)
{
	free(mem);
}

TestSuite(slab, .init = setup, .fini = teardown);

Test(slab, rejects_bad_geometry)
{
	struct tsr_slab s;

	cr_expect_eq(tsr_slab_init(&s, mem, 12, 4), -22, "size not a multiple of 8");
	cr_expect_eq(tsr_slab_init(&s, mem, 0, 4), -22);
	cr_expect_eq(tsr_slab_init(&s, NULL, 8, 4), -22);
}

Test(slab, hands_out_every_object_once_then_fails)
{
	char *seen[NR];

	for (int i = 0; i < NR; i++) {
		seen[i] = tsr_slab_alloc(&slab);
		cr_assert_not_null(seen[i], "object %d", i);
		cr_assert_eq((seen[i] - mem) % OBJ, 0);
		cr_assert_lt(seen[i], mem + OBJ * NR);
		for (int j = 0; j < i; j++)
			cr_assert_neq(seen[i], seen[j], "object handed out twice");
	}
	cr_expect_null(tsr_slab_alloc(&slab), "exhausted");
	cr_expect_eq(slab.nr_fails, 1);
	cr_expect_eq(slab.nr_live, NR);
	for (int i = 0; i < NR; i++)
		cr_assert_eq(tsr_slab_free(&slab, seen[i]), 0);
	cr_expect_eq(slab.nr_live, 0);
	cr_expect_not_null(tsr_slab_alloc(&slab), "usable again after frees");
}

Test(slab, reuses_the_last_freed_object_first)
{
	void *a = tsr_slab_alloc(&slab), *b = tsr_slab_alloc(&slab);

	cr_assert_eq(tsr_slab_free(&slab, a), 0);
	cr_expect_eq(tsr_slab_alloc(&slab), a);
	cr_assert_eq(tsr_slab_free(&slab, b), 0);
	cr_expect_eq(tsr_slab_alloc(&slab), b);
}

Test(slab, foreign_and_misaligned_pointers_are_refused)
{
	char other[OBJ];
	char *a = tsr_slab_alloc(&slab);

	cr_expect_eq(tsr_slab_free(&slab, other), -22);
	cr_expect_eq(tsr_slab_free(&slab, a + 8), -22);
	cr_expect_eq(tsr_slab_free(&slab, mem + OBJ * NR), -22, "one past the end");
	cr_expect_eq(slab.nr_bad_frees, 3);
	cr_expect_eq(slab.nr_live, 1, "bad frees change nothing");
}

Test(slab, counters_balance_over_many_cycles)
{
	void *p[NR];

	for (int round = 0; round < 1000; round++) {
		int n = 1 + round % NR;

		for (int i = 0; i < n; i++)
			p[i] = tsr_slab_alloc(&slab);
		for (int i = n - 1; i >= 0; i--)
			tsr_slab_free(&slab, p[(i * 7) % n == i ? i : i]);
	}
	cr_expect_eq(slab.nr_live, 0);
	cr_expect_eq(slab.nr_fails, 0);
}
