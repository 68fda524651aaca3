/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounded multi-producer multi-consumer queue of 64-bit values in the
 * arena: userspace pushes decisions that BPF pops, or BPF pushes events
 * that userspace pops. Lock-free (per-cell sequence numbers); a full queue
 * refuses the push instead of blocking.
 */
#ifndef TSR_QUEUE_H
#define TSR_QUEUE_H

#include "arena.h"

#define TSR_QUEUE_VERSION 1

struct tsr_queue_cell {
	__u64 seq; /* pos when empty for the push at pos; pos + 1 once it holds that value */
	__u64 val;
};

struct tsr_queue {
	__u64 enq_pos;
	__u64 pad0[7]; /* producers and consumers on separate cache lines */
	__u64 deq_pos;
	__u64 pad1[7];
	__u64 nr_pushed;
	__u64 nr_popped;
	__u64 nr_full; /* pushes refused: queue full */
	__u32 mask; /* capacity - 1 */
	__u32 version;
	struct tsr_queue_cell __arena *cells;
};

/* Bytes of cell memory a queue of @capacity (a power of two) needs. */
static inline __u64 tsr_queue_bytes(__u32 capacity)
{
	return (__u64)capacity * sizeof(struct tsr_queue_cell);
}

#ifndef __bpf__
/* Set up @q over @cells (tsr_queue_bytes() long). 0 or -EINVAL. */
static inline int tsr_queue_init(struct tsr_queue *q, struct tsr_queue_cell *cells, __u32 capacity)
{
	__u32 i;

	if (!cells || capacity < 2 || (capacity & (capacity - 1)))
		return -EINVAL;
	for (i = 0; i < capacity; i++)
		cells[i].seq = i;
	q->cells = cells;
	q->mask = capacity - 1;
	q->enq_pos = q->deq_pos = 0;
	q->nr_pushed = q->nr_popped = q->nr_full = 0;
	q->version = TSR_QUEUE_VERSION;
	return 0;
}
#endif

/* 0, -ENOSPC when full, -EBUSY after too much contention, -EINVAL if not set up. */
static inline int tsr_queue_push(struct tsr_queue __arena *q, __u64 val)
{
	struct tsr_queue_cell __arena *cell;
	__u64 pos, seq;
	int i;

	if (q->version != TSR_QUEUE_VERSION)
		return -EINVAL;
	for (i = 0; i < TSR_CAS_RETRIES; i++) {
		pos = q->enq_pos;
		cell = &q->cells[pos & q->mask];
		seq = cell->seq;
		if (seq == pos) {
			if (__sync_val_compare_and_swap(&q->enq_pos, pos, pos + 1) != pos)
				continue;
			cell->val = val;
			tsr_compiler_barrier();
			cell->seq = pos + 1;
			__sync_fetch_and_add(&q->nr_pushed, 1);
			return 0;
		}
		if ((__s64)(seq - pos) < 0) {
			__sync_fetch_and_add(&q->nr_full, 1);
			return -ENOSPC;
		}
	}
	return -EBUSY;
}

/* 0 with *val set, -ENOENT when empty, -EBUSY after too much contention. */
static inline int tsr_queue_pop(struct tsr_queue __arena *q, __u64 *val)
{
	struct tsr_queue_cell __arena *cell;
	__u64 pos, seq;
	int i;

	if (q->version != TSR_QUEUE_VERSION)
		return -EINVAL;
	for (i = 0; i < TSR_CAS_RETRIES; i++) {
		pos = q->deq_pos;
		cell = &q->cells[pos & q->mask];
		seq = cell->seq;
		if (seq == pos + 1) {
			if (__sync_val_compare_and_swap(&q->deq_pos, pos, pos + 1) != pos)
				continue;
			*val = cell->val;
			tsr_compiler_barrier();
			cell->seq = pos + q->mask + 1;
			__sync_fetch_and_add(&q->nr_popped, 1);
			return 0;
		}
		if ((__s64)(seq - (pos + 1)) < 0)
			return -ENOENT;
	}
	return -EBUSY;
}

#endif /* TSR_QUEUE_H */
