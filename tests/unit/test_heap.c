// SPDX-License-Identifier: GPL-2.0
/* Size-class heap over userspace memory. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "arena/heap.h"

static struct tsr_heap heap;
static char *mem[TSR_HEAP_CLASSES];

static void setup(void)
{
	memset(&heap, 0, sizeof(heap));
	cr_assert_eq(tsr_heap_setup(&heap, 4), 0);
	for (int c = 0; c < TSR_HEAP_CLASSES; c++) {
		mem[c] = calloc(tsr_slab_chunk_pages(&heap.cls[c]), TSR_PAGE_SIZE);
		cr_assert_eq(tsr_slab_add_chunk(&heap.cls[c], mem[c]), 0);
	}
}

static void teardown(void)
{
	for (int c = 0; c < TSR_HEAP_CLASSES; c++)
		free(mem[c]);
}

TestSuite(heap, .init = setup, .fini = teardown);

Test(heap, classes_are_powers_of_two)
{
	cr_expect_eq(tsr_heap_class(1), 0);
	cr_expect_eq(tsr_heap_class(16), 0);
	cr_expect_eq(tsr_heap_class(17), 1);
	cr_expect_eq(tsr_heap_class(2048), 7);
	cr_expect_eq(tsr_heap_class(2049), -1);
}

Test(heap, allocations_fit_and_free_into_their_class)
{
	__u32 sizes[] = { 1, 16, 17, 100, 500, 2048 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *p = tsr_heap_alloc(&heap, sizes[i]);
		int c = tsr_heap_class(sizes[i]);

		cr_assert_not_null(p, "size %u", sizes[i]);
		memset(p, 0xab, sizes[i]);
		cr_expect_eq(tsr_slot_of(p)->slab_id, c);
		cr_expect_eq(heap.cls[c].nr_live, 1);
		cr_assert_eq(tsr_heap_free(&heap, p), 0);
		cr_expect_eq(heap.cls[c].nr_live, 0);
	}
}

Test(heap, too_big_and_foreign_are_refused)
{
	char buf[64] = { 0 };

	cr_expect_null(tsr_heap_alloc(&heap, 4096));
	cr_expect_eq(tsr_heap_free(&heap, buf + 16), -EINVAL);
	cr_expect_eq(tsr_heap_free(&heap, NULL), -EINVAL);
}

Test(heap, a_chunk_holds_about_16k)
{
	for (int c = 0; c < TSR_HEAP_CLASSES; c++) {
		__u64 payload = (__u64)heap.cls[c].obj_size << heap.cls[c].chunk_shift;

		cr_expect(payload >= 8192 && payload <= 16384, "class %d: %llu bytes", c,
			  (unsigned long long)payload);
	}
}

Test(heap, exhaustion_of_one_class_leaves_others)
{
	int n = 1 << heap.cls[7].chunk_shift;

	for (int i = 0; i < n; i++)
		cr_assert_not_null(tsr_heap_alloc(&heap, 2048));
	cr_expect_null(tsr_heap_alloc(&heap, 2048));
	cr_expect_not_null(tsr_heap_alloc(&heap, 1024));
}
