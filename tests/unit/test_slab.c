// SPDX-License-Identifier: GPL-2.0
/* The arena object allocator, compiled for userspace over ordinary memory. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include "arena/slab.h"

#define OBJ 24
#define SHIFT 4 /* 16 objects per chunk */
#define CHUNKS 4

static struct tsr_slab slab;
static char *mem[CHUNKS];

static int add_chunk(int i)
{
	mem[i] = calloc(tsr_slab_chunk_pages(&slab), TSR_PAGE_SIZE);
	return tsr_slab_add_chunk(&slab, mem[i]);
}

static void setup(void)
{
	memset(&slab, 0, sizeof(slab));
	memset(mem, 0, sizeof(mem));
	cr_assert_eq(tsr_slab_setup(&slab, 7, OBJ, SHIFT, CHUNKS), 0);
	cr_assert_eq(add_chunk(0), 0);
}

static void teardown(void)
{
	for (int i = 0; i < CHUNKS; i++)
		free(mem[i]);
}

TestSuite(slab, .init = setup, .fini = teardown);

Test(slab, geometry)
{
	struct tsr_slab s = { 0 };

	cr_expect_eq(slab.slot_size, 40, "16-byte header + 24 rounded to 8");
	cr_expect_eq(slab.nr_objs, 16);
	cr_expect_eq(tsr_slab_chunk_pages(&slab), 1);
	cr_expect_eq(tsr_slab_setup(&s, 0, 0, 4, 4), -EINVAL, "zero size");
	cr_expect_eq(tsr_slab_setup(&s, 0, 8, 17, 4), -EINVAL, "chunk too big");
	cr_expect_eq(tsr_slab_setup(&s, 0, 8, 4, TSR_SLAB_MAX_CHUNKS + 1), -EINVAL);
	cr_expect_eq(tsr_slab_add_chunk(&s, mem[0]), -EINVAL, "not set up");
}

Test(slab, hands_out_every_object_once_then_fails)
{
	char *seen[16];

	for (int i = 0; i < 16; i++) {
		seen[i] = tsr_slab_alloc(&slab);
		cr_assert_not_null(seen[i], "object %d", i);
		cr_assert_eq((seen[i] - mem[0] - 16) % 40, 0);
		for (int j = 0; j < i; j++)
			cr_assert_neq(seen[i], seen[j], "object handed out twice");
	}
	cr_expect_null(tsr_slab_alloc(&slab), "exhausted");
	cr_expect_eq(slab.nr_fails, 1);
	cr_expect_eq(slab.nr_live, 16);
	for (int i = 0; i < 16; i++)
		cr_assert_eq(tsr_slab_free(&slab, seen[i]), 0);
	cr_expect_eq(slab.nr_live, 0);
	cr_expect_not_null(tsr_slab_alloc(&slab), "usable again after frees");
}

Test(slab, growth_adds_chunks_until_the_limit)
{
	for (int i = 0; i < 16; i++)
		cr_assert_not_null(tsr_slab_alloc(&slab));
	cr_assert_null(tsr_slab_alloc(&slab));
	cr_assert_eq(add_chunk(1), 0);
	cr_expect_eq(slab.nr_objs, 32);
	cr_expect_eq(tsr_slab_nr_free(&slab), 16);
	for (int i = 0; i < 16; i++) {
		char *p = tsr_slab_alloc(&slab);

		cr_assert(p > mem[1] && p < mem[1] + TSR_PAGE_SIZE, "comes from the new chunk");
	}
	cr_assert_eq(add_chunk(2), 0);
	cr_assert_eq(add_chunk(3), 0);
	char *extra = calloc(1, TSR_PAGE_SIZE);

	cr_expect_eq(tsr_slab_add_chunk(&slab, extra), -ENOSPC);
	free(extra);
}

Test(slab, slot_lookup_is_consistent)
{
	cr_assert_eq(add_chunk(1), 0);
	for (unsigned int i = 0; i < slab.nr_objs; i++) {
		struct tsr_slot_hdr *h = tsr_slab_slot(&slab, i);

		cr_assert_eq(h->idx, i);
		cr_assert_eq(tsr_slot_of(tsr_slab_obj(&slab, i)), h);
	}
}

Test(slab, reuses_the_last_freed_object_first)
{
	void *a = tsr_slab_alloc(&slab), *b = tsr_slab_alloc(&slab);

	cr_assert_eq(tsr_slab_free(&slab, a), 0);
	cr_expect_eq(tsr_slab_alloc(&slab), a);
	cr_assert_eq(tsr_slab_free(&slab, b), 0);
	cr_expect_eq(tsr_slab_alloc(&slab), b);
}

Test(slab, generations_tell_live_from_recycled)
{
	void *a = tsr_slab_alloc(&slab);
	__u32 g = tsr_slab_gen(a);

	cr_expect_eq(g & 1, 1, "odd while allocated");
	cr_expect(tsr_slab_same_gen(a, g));
	cr_assert_eq(tsr_slab_free(&slab, a), 0);
	cr_expect_eq(tsr_slab_gen(a) & 1, 0, "even once freed");
	cr_expect_not(tsr_slab_same_gen(a, g), "a freed object is not the one we knew");
	cr_assert_eq(tsr_slab_alloc(&slab), a, "same slot reused");
	cr_expect_not(tsr_slab_same_gen(a, g), "a recycled object is not the one we knew");
	cr_expect_eq(tsr_slab_gen(a), g + 2);
}

Test(slab, double_free_is_caught)
{
	void *a = tsr_slab_alloc(&slab);

	cr_assert_eq(tsr_slab_free(&slab, a), 0);
	cr_expect_eq(tsr_slab_free(&slab, a), -114);
	cr_expect_eq(slab.nr_double_frees, 1);
	cr_expect_eq(slab.nr_live, 0, "a double free changes nothing");
	/* the free stack is intact: 16 distinct objects still come out */
	for (int i = 0; i < 16; i++)
		cr_assert_not_null(tsr_slab_alloc(&slab));
	cr_expect_null(tsr_slab_alloc(&slab));
}

Test(slab, foreign_and_misaligned_pointers_are_refused)
{
	struct tsr_slab other = { 0 };
	char *a = tsr_slab_alloc(&slab);
	char buf[64] = { 0 };
	char *omem;

	cr_expect_eq(tsr_slab_free(&slab, buf + 16), -EINVAL, "not a slot");
	cr_expect_eq(tsr_slab_free(&slab, a + 8), -EINVAL, "inside an object");
	cr_expect_eq(tsr_slab_free(&slab, NULL), -EINVAL);
	tsr_slab_setup(&other, 7, OBJ, SHIFT, CHUNKS);
	omem = calloc(1, TSR_PAGE_SIZE);
	tsr_slab_add_chunk(&other, omem);
	cr_expect_eq(tsr_slab_free(&slab, tsr_slab_alloc(&other)), -EINVAL, "same id, other slab");
	free(omem);
	cr_expect_eq(slab.nr_bad_frees, 4);
	cr_expect_eq(slab.nr_live, 1, "bad frees change nothing");
}

static void *hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200000; i++) {
		void *p = tsr_slab_alloc(&slab);

		if (p) {
			*(volatile __u64 *)p = i;
			tsr_slab_free(&slab, p);
		}
	}
	return NULL;
}

Test(slab, concurrent_alloc_free_balances)
{
	pthread_t t[4];

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	cr_expect_eq(slab.nr_live, 0);
	cr_expect_eq(slab.nr_double_frees, 0);
	cr_expect_eq(slab.nr_bad_frees, 0);
	/* every object is back on the free stack exactly once */
	for (int i = 0; i < 16; i++)
		cr_assert_not_null(tsr_slab_alloc(&slab));
	cr_expect_null(tsr_slab_alloc(&slab));
}

Test(slab, userspace_walk_sees_exactly_the_live_objects)
{
	void *p[16];
	int n = 0;

	cr_assert_eq(add_chunk(1), 0);
	for (int i = 0; i < 16; i++)
		p[i] = tsr_slab_alloc(&slab);
	for (int i = 0; i < 16; i += 2)
		tsr_slab_free(&slab, p[i]);
	tsr_slab_for_each_live(&slab, idx)
	{
		void *obj = tsr_slab_obj(&slab, idx);
		int found = 0;

		for (int i = 1; i < 16; i += 2)
			found |= obj == p[i];
		cr_assert(found, "slot %ld is not one of the live objects", idx);
		n++;
	}
	cr_expect_eq(n, 8);
	cr_expect_eq(tsr_slab_next_live(&slab, slab.nr_objs), -1);
}
