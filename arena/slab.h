/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-size object allocator in the arena, for per-task, per-CPU and
 * per-domain records and the size classes of the general heap.
 *
 * Objects live in chunks of 2^chunk_shift slots; a chunk is added ahead of
 * need from a context that may allocate arena pages (userspace before
 * attach, a sleepable BPF callback, or a syscall program). Allocation and
 * free never allocate pages: they pop and push a lock-free stack of slot
 * indices (CAS on a tagged head), so they are safe in every sched_ext
 * callback and from userspace at the same time.
 *
 * Every slot starts with a header: its index, a generation that is odd
 * while the object is allocated (so a reader can tell a live object from a
 * freed or recycled one), and a magic/slab id that catches foreign pointers
 * and double frees.
 */
#ifndef TSR_SLAB_H
#define TSR_SLAB_H

#include "arena.h"

#define TSR_SLAB_MAX_CHUNKS 512
#define TSR_SLOT_MAGIC 0x7e55
#define TSR_SLAB_VERSION 2

struct tsr_slot_hdr {
	__u32 idx; /* slot index in its slab */
	__u32 gen; /* odd while allocated; +1 at every alloc and every free */
	__u16 slab_id; /* which slab (heap size class, or an owner's id) */
	__u16 magic; /* TSR_SLOT_MAGIC */
	__u32 next; /* free stack link: index + 1, 0 ends the stack */
};

struct tsr_slab {
	__u64 head; /* free stack: (tag << 32) | (index + 1); low half 0 = empty */
	__u64 nr_live; /* allocated and not yet freed */
	__u64 nr_allocs; /* successful allocations, ever */
	__u64 nr_fails; /* allocations that found no free slot */
	__u64 nr_bad_frees; /* frees of pointers this slab never handed out */
	__u64 nr_double_frees; /* frees of slots already free */
	__u64 nr_pages; /* arena pages backing the chunks */
	__u64 nr_grow_fails; /* chunk additions the kernel had no pages for */
	__u32 obj_size; /* payload bytes */
	__u32 slot_size; /* header + payload, a multiple of 8 */
	__u32 chunk_shift; /* 2^chunk_shift slots per chunk */
	__u32 max_chunks;
	__u32 nr_chunks; /* chunks published */
	__u32 nr_objs; /* slots published: nr_chunks << chunk_shift */
	__u32 growing; /* 1 while someone adds a chunk */
	__u16 id;
	__u16 version; /* TSR_SLAB_VERSION once set up */
	char __arena *chunks[TSR_SLAB_MAX_CHUNKS];
};

/* Header of the object at @p. */
static inline struct tsr_slot_hdr __arena *tsr_slot_of(void __arena *p)
{
	return (struct tsr_slot_hdr __arena *)((char __arena *)p - sizeof(struct tsr_slot_hdr));
}

static inline struct tsr_slot_hdr __arena *tsr_slab_slot(struct tsr_slab __arena *s, __u32 idx)
{
	char __arena *chunk = s->chunks[(idx >> s->chunk_shift) & (TSR_SLAB_MAX_CHUNKS - 1)];
	__u32 in_chunk = idx & ((1u << s->chunk_shift) - 1);

	return (struct tsr_slot_hdr __arena *)(chunk + (__u64)in_chunk * s->slot_size);
}

/* The object in slot @idx; only meaningful when idx < nr_objs. */
static inline void __arena *tsr_slab_obj(struct tsr_slab __arena *s, __u32 idx)
{
	return (char __arena *)tsr_slab_slot(s, idx) + sizeof(struct tsr_slot_hdr);
}

/* Generation of the object at @p: odd while it is allocated. */
static inline __u32 tsr_slab_gen(void __arena *p)
{
	return tsr_slot_of(p)->gen;
}

/* @p still holds the allocation that had generation @gen. */
static inline bool tsr_slab_same_gen(void __arena *p, __u32 gen)
{
	return (gen & 1) && tsr_slot_of(p)->gen == gen;
}

/*
 * Set a slab's geometry: objects of @obj_size bytes, 2^@chunk_shift per
 * chunk, at most @max_chunks chunks. No memory yet. 0 or -EINVAL.
 */
static inline int tsr_slab_setup(struct tsr_slab __arena *s, __u16 id, __u32 obj_size,
				 __u32 chunk_shift, __u32 max_chunks)
{
	if (!obj_size || chunk_shift > 16 || !max_chunks || max_chunks > TSR_SLAB_MAX_CHUNKS)
		return -EINVAL;
	s->id = id;
	s->obj_size = obj_size;
	s->slot_size = (sizeof(struct tsr_slot_hdr) + obj_size + 7) & ~7u;
	s->chunk_shift = chunk_shift;
	s->max_chunks = max_chunks;
	s->version = TSR_SLAB_VERSION;
	return 0;
}

/* Arena pages one chunk needs. */
static inline __u32 tsr_slab_chunk_pages(struct tsr_slab __arena *s)
{
	__u64 bytes = (__u64)s->slot_size << s->chunk_shift;

	return (bytes + TSR_PAGE_SIZE - 1) / TSR_PAGE_SIZE;
}

/* Free slots right now (racy by nature: a hint for refills). */
static inline __u64 tsr_slab_nr_free(struct tsr_slab __arena *s)
{
	__u64 objs = s->nr_objs, live = s->nr_live;

	return objs > live ? objs - live : 0;
}

/* Push the chain of slots first..last (already linked) onto the free stack. */
static inline int tsr_slab_push_chain(struct tsr_slab __arena *s, __u32 first, __u32 last)
{
	struct tsr_slot_hdr __arena *tail = tsr_slab_slot(s, last);
	__u64 old, new;
	int i;

	for (i = 0; i < TSR_CAS_RETRIES; i++) {
		old = s->head;
		tail->next = (__u32)old;
		tsr_compiler_barrier();
		new = (((old >> 32) + 1) << 32) | (first + 1);
		if (__sync_val_compare_and_swap(&s->head, old, new) == old)
			return 0;
	}
	return -EBUSY;
}

/*
 * Add a chunk at @mem (tsr_slab_chunk_pages() zeroed arena pages): publish
 * it and put its slots on the free stack. Callers serialise additions
 * (tsr_slab_refill does). 0, -ENOSPC when full, -EINVAL, or -EBUSY.
 */
static inline int tsr_slab_add_chunk(struct tsr_slab __arena *s, char __arena *mem)
{
	__u32 c = s->nr_chunks, n = 1u << s->chunk_shift, base, i;
	struct tsr_slot_hdr __arena *h;

	if (!mem || s->version != TSR_SLAB_VERSION)
		return -EINVAL;
	if (c >= s->max_chunks)
		return -ENOSPC;
	base = c << s->chunk_shift;
	TSR_FOR(i, 0, n)
	{
		h = (struct tsr_slot_hdr __arena *)(mem + (__u64)i * s->slot_size);
		h->idx = base + i;
		h->gen = 0;
		h->slab_id = s->id;
		h->magic = TSR_SLOT_MAGIC;
		h->next = i + 1 < n ? base + i + 2 : 0;
	}
	s->chunks[c & (TSR_SLAB_MAX_CHUNKS - 1)] = mem;
	tsr_compiler_barrier();
	s->nr_chunks = c + 1;
	s->nr_objs = (c + 1) << s->chunk_shift;
	tsr_compiler_barrier();
	return tsr_slab_push_chain(s, base, base + n - 1);
}

static inline void __arena *tsr_slab_alloc(struct tsr_slab __arena *s)
{
	struct tsr_slot_hdr __arena *h;
	__u64 old, new;
	__u32 idx;
	int i;

	for (i = 0; i < TSR_CAS_RETRIES; i++) {
		old = s->head;
		idx = (__u32)old;
		if (!idx || idx > s->nr_objs)
			break;
		h = tsr_slab_slot(s, idx - 1);
		new = (((old >> 32) + 1) << 32) | h->next;
		if (__sync_val_compare_and_swap(&s->head, old, new) != old)
			continue;
		__sync_fetch_and_add(&h->gen, 1);
		__sync_fetch_and_add(&s->nr_live, 1);
		__sync_fetch_and_add(&s->nr_allocs, 1);
		return (char __arena *)h + sizeof(*h);
	}
	__sync_fetch_and_add(&s->nr_fails, 1);
	return NULL;
}

/* 0; -EINVAL for a pointer this slab did not hand out; -EALREADY for a double free. */
static inline int tsr_slab_free(struct tsr_slab __arena *s, void __arena *p)
{
	struct tsr_slot_hdr __arena *h;
	__u32 idx, gen;

	if (!p) {
		__sync_fetch_and_add(&s->nr_bad_frees, 1);
		return -EINVAL;
	}
	h = tsr_slot_of(p);
	idx = h->idx;
	if (h->magic != TSR_SLOT_MAGIC || h->slab_id != s->id || idx >= s->nr_objs ||
	    tsr_slab_slot(s, idx) != h) {
		__sync_fetch_and_add(&s->nr_bad_frees, 1);
		return -EINVAL;
	}
	gen = h->gen;
	if (!(gen & 1) || __sync_val_compare_and_swap(&h->gen, gen, gen + 1) != gen) {
		__sync_fetch_and_add(&s->nr_double_frees, 1);
		return -EALREADY;
	}
	__sync_fetch_and_sub(&s->nr_live, 1);
	return tsr_slab_push_chain(s, idx, idx);
}

#ifndef __bpf__
/*
 * Userspace walk of live objects without a syscall: the index of the first
 * live slot at or after @from, or -1. The object may be freed right after;
 * keep its generation (tsr_slab_gen) and re-check with tsr_slab_same_gen().
 */
static inline long tsr_slab_next_live(struct tsr_slab *s, __u32 from)
{
	for (__u32 i = from; i < s->nr_objs; i++)
		if (tsr_slab_slot(s, i)->gen & 1)
			return i;
	return -1;
}

#define tsr_slab_for_each_live(s, idx) \
	for (long idx = tsr_slab_next_live(s, 0); idx >= 0; idx = tsr_slab_next_live(s, idx + 1))
#endif

#endif /* TSR_SLAB_H */
