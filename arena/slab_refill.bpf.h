/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Growing a slab from BPF: only from sleepable programs (ops.init,
 * ops.init_task, syscall programs), never on a hot path. Needs the arena
 * map (framework/common.bpf.h).
 */
#ifndef TSR_SLAB_REFILL_BPF_H
#define TSR_SLAB_REFILL_BPF_H

#include "slab.h"

#define TSR_REFILL_TRIES 3 /* page allocations tried before counting a grow failure */

/*
 * Add a chunk when fewer than @min_free slots are free. Only one caller
 * grows at a time; the others return -EBUSY and use what is there.
 * 0 when nothing was needed or a chunk was added; -errno otherwise.
 */
static __always_inline int tsr_slab_refill(struct tsr_slab __arena *s, __u32 min_free)
{
	char __arena *mem = NULL;
	__u32 pages;
	int i, ret;

	if (tsr_slab_nr_free(s) >= min_free)
		return 0;
	if (s->nr_chunks >= s->max_chunks)
		return -ENOSPC;
	if (__sync_val_compare_and_swap(&s->growing, 0, 1) != 0)
		return -EBUSY;
	pages = tsr_slab_chunk_pages(s);
	for (i = 0; i < TSR_REFILL_TRIES && !mem; i++)
		mem = bpf_arena_alloc_pages(&arena, NULL, pages, NUMA_NO_NODE, 0);
	if (!mem) {
		__sync_fetch_and_add(&s->nr_grow_fails, 1);
		ret = -12;
	} else {
		ret = tsr_slab_add_chunk(s, mem);
		if (!ret)
			__sync_fetch_and_add(&s->nr_pages, pages);
	}
	__sync_lock_test_and_set(&s->growing, 0);
	return ret;
}

#endif /* TSR_SLAB_REFILL_BPF_H */
