/* SPDX-License-Identifier: GPL-2.0 */
/*
 * General allocator for variable-size objects in the arena: one slab per
 * power-of-two size class from 16 to 2048 bytes. For module state and for
 * the decision records userspace writes for BPF (both sides allocate and
 * free; the free finds the class from the object's slot header).
 */
#ifndef TSR_HEAP_H
#define TSR_HEAP_H

#include "slab.h"

#define TSR_HEAP_MIN_SHIFT 4 /* 16 bytes */
#define TSR_HEAP_CLASSES 8 /* 16 .. 2048 bytes */
#define TSR_HEAP_MAX_SIZE (1u << (TSR_HEAP_MIN_SHIFT + TSR_HEAP_CLASSES - 1))

struct tsr_heap {
	struct tsr_slab cls[TSR_HEAP_CLASSES];
};

/* Size class for @size bytes, or -1 when larger than TSR_HEAP_MAX_SIZE. */
static inline int tsr_heap_class(__u32 size)
{
	int c;

	for (c = 0; c < TSR_HEAP_CLASSES; c++)
		if (size <= (1u << (TSR_HEAP_MIN_SHIFT + c)))
			return c;
	return -1;
}

/* Geometry of every class: chunks of about 16 KiB, up to @max_chunks each. */
static inline int tsr_heap_setup(struct tsr_heap __arena *h, __u32 max_chunks)
{
	int c, ret;

	for (c = 0; c < TSR_HEAP_CLASSES; c++) {
		__u32 size = 1u << (TSR_HEAP_MIN_SHIFT + c);
		__u32 shift = 14 - (TSR_HEAP_MIN_SHIFT + c); /* 16 KiB of payload per chunk */

		ret = tsr_slab_setup(&h->cls[c], c, size, shift < 2 ? 2 : shift, max_chunks);
		if (ret)
			return ret;
	}
	return 0;
}

static inline void __arena *tsr_heap_alloc(struct tsr_heap __arena *h, __u32 size)
{
	int c = tsr_heap_class(size);

	if (c < 0)
		return NULL;
	return tsr_slab_alloc(&h->cls[c & (TSR_HEAP_CLASSES - 1)]);
}

/* 0, or -EINVAL / -EALREADY as tsr_slab_free(). */
static inline int tsr_heap_free(struct tsr_heap __arena *h, void __arena *p)
{
	__u16 c;

	if (!p)
		return -EINVAL;
	c = tsr_slot_of(p)->slab_id;
	if (c >= TSR_HEAP_CLASSES)
		return -EINVAL;
	return tsr_slab_free(&h->cls[c], p);
}

#endif /* TSR_HEAP_H */
