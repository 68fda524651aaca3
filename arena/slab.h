/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-size object allocator in the arena: per-task, per-CPU and per-domain
 * records. Allocation and free are lock-free (a tagged index stack updated
 * with compare-and-swap) and never allocate pages, so they are safe from any
 * sched_ext callback. Backing memory is provided once by the owner
 * (tsr_slab_init); userspace can walk every slot of a slab directly.
 */
#ifndef TSR_SLAB_H
#define TSR_SLAB_H

#include "arena.h"

/* CAS attempts before an allocation or free gives up under contention. */
#define TSR_SLAB_RETRIES 64

struct tsr_slab {
	__u64 head; /* free stack: (tag << 32) | (index + 1); low half 0 = empty */
	__u64 nr_live; /* objects handed out and not yet freed */
	__u64 nr_allocs; /* successful allocations, ever */
	__u64 nr_fails; /* allocations that found no free object */
	__u64 nr_bad_frees; /* frees of pointers that are not ours */
	__u32 obj_size; /* bytes per object */
	__u32 nr_objs; /* capacity */
	char __arena *base; /* object 0 */
	__u32 __arena *next; /* per-object link of the free stack (index + 1) */
};

/* Bytes of arena memory a slab of @nr_objs objects of @obj_size needs. */
static inline __u64 tsr_slab_bytes(__u32 obj_size, __u32 nr_objs)
{
	return (__u64)obj_size * nr_objs + (__u64)sizeof(__u32) * nr_objs;
}

#ifndef __bpf__
/*
 * Lay out a slab over @mem (tsr_slab_bytes() long) and put every object on
 * the free stack. Userspace does this before attach: a loop over every
 * object is cheap here and costly for the verifier. Returns 0 or -EINVAL.
 */
static inline int tsr_slab_init(struct tsr_slab __arena *s, char __arena *mem, __u32 obj_size,
				__u32 nr_objs)
{
	__u32 i;

	if (!mem || !obj_size || !nr_objs || obj_size % 8)
		return -22;
	s->obj_size = obj_size;
	s->nr_objs = nr_objs;
	s->base = mem;
	s->next = (__u32 __arena *)(mem + (__u64)obj_size * nr_objs);
	for (i = 0; i < nr_objs; i++)
		s->next[i] = i + 1 < nr_objs ? i + 2 : 0;
	s->nr_live = 0;
	s->nr_allocs = 0;
	s->nr_fails = 0;
	s->nr_bad_frees = 0;
	s->head = 1;
	return 0;
}
#endif

static inline void __arena *tsr_slab_alloc(struct tsr_slab __arena *s)
{
	__u64 old, new;
	__u32 idx;
	int i;

	for (i = 0; i < TSR_SLAB_RETRIES; i++) {
		old = s->head;
		idx = (__u32)old;
		if (!idx || idx > s->nr_objs)
			break;
		new = (((old >> 32) + 1) << 32) | s->next[idx - 1];
		if (__sync_val_compare_and_swap(&s->head, old, new) != old)
			continue;
		__sync_fetch_and_add(&s->nr_live, 1);
		__sync_fetch_and_add(&s->nr_allocs, 1);
		return s->base + (__u64)(idx - 1) * s->obj_size;
	}
	__sync_fetch_and_add(&s->nr_fails, 1);
	return NULL;
}

/* Index + 1 of @p in @s, or 0 when @p is not the start of one of its objects. */
static inline __u32 tsr_slab_index(struct tsr_slab __arena *s, void __arena *p)
{
	__u64 off = (char __arena *)p - s->base;

	if ((char __arena *)p < s->base || off % s->obj_size || off / s->obj_size >= s->nr_objs)
		return 0;
	return off / s->obj_size + 1;
}

/* Returns 0, or -EINVAL for a pointer this slab did not hand out. */
static inline int tsr_slab_free(struct tsr_slab __arena *s, void __arena *p)
{
	__u32 idx = tsr_slab_index(s, p);
	__u64 old, new;
	int i;

	if (!idx) {
		__sync_fetch_and_add(&s->nr_bad_frees, 1);
		return -22;
	}
	for (i = 0; i < TSR_SLAB_RETRIES; i++) {
		old = s->head;
		s->next[idx - 1] = (__u32)old;
		new = (((old >> 32) + 1) << 32) | idx;
		if (__sync_val_compare_and_swap(&s->head, old, new) == old) {
			__sync_fetch_and_sub(&s->nr_live, 1);
			return 0;
		}
	}
	return -16;
}

#endif /* TSR_SLAB_H */
