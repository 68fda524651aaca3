/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-size CPU bitmap that lives in the arena and is read by both sides.
 * Sized for TSR_MAX_CPUS. Plain operations assume one writer; the _atomic
 * ones may race with other writers.
 */
#ifndef TSR_CPUMASK_H
#define TSR_CPUMASK_H

#include "arena.h"

#define TSR_MAX_CPUS 1024
#define TSR_CPUMASK_WORDS (TSR_MAX_CPUS / 64)

struct tsr_cpumask {
	__u64 bits[TSR_CPUMASK_WORDS];
};

static inline bool tsr_cpumask_test(const struct tsr_cpumask __arena *m, __u32 cpu)
{
	if (cpu >= TSR_MAX_CPUS)
		return false;
	return (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}

static inline void tsr_cpumask_set(struct tsr_cpumask __arena *m, __u32 cpu)
{
	if (cpu < TSR_MAX_CPUS)
		m->bits[cpu / 64] |= 1ULL << (cpu % 64);
}

static inline void tsr_cpumask_clear(struct tsr_cpumask __arena *m, __u32 cpu)
{
	if (cpu < TSR_MAX_CPUS)
		m->bits[cpu / 64] &= ~(1ULL << (cpu % 64));
}

/*
 * Atomically replace the word holding @cpu by (word & keep) | set and return
 * the old word. A CAS loop: the kernel's x86 JIT (7.2, the guest kernel) has
 * no fetch-and-or/and for arena memory.
 */
static inline __u64 tsr_cpumask_update_atomic(struct tsr_cpumask __arena *m, __u32 cpu, __u64 keep,
					      __u64 set)
{
	__u64 __arena *w = &m->bits[(cpu / 64) & (TSR_CPUMASK_WORDS - 1)];
	__u64 old = 0;
	int i;

	for (i = 0; i < TSR_CAS_RETRIES; i++) {
		old = *w;
		if (__sync_val_compare_and_swap(w, old, (old & keep) | set) == old)
			break;
	}
	return old;
}

static inline void tsr_cpumask_set_atomic(struct tsr_cpumask __arena *m, __u32 cpu)
{
	if (cpu < TSR_MAX_CPUS)
		tsr_cpumask_update_atomic(m, cpu, ~0ULL, 1ULL << (cpu % 64));
}

static inline void tsr_cpumask_clear_atomic(struct tsr_cpumask __arena *m, __u32 cpu)
{
	if (cpu < TSR_MAX_CPUS)
		tsr_cpumask_update_atomic(m, cpu, ~(1ULL << (cpu % 64)), 0);
}

/* Set @cpu and say whether it was already set, atomically. */
static inline bool tsr_cpumask_test_and_set_atomic(struct tsr_cpumask __arena *m, __u32 cpu)
{
	__u64 bit = 1ULL << (cpu % 64);

	if (cpu >= TSR_MAX_CPUS)
		return false;
	return tsr_cpumask_update_atomic(m, cpu, ~0ULL, bit) & bit;
}

static inline void tsr_cpumask_zero(struct tsr_cpumask __arena *m)
{
	int i;

	for (i = 0; i < TSR_CPUMASK_WORDS; i++)
		m->bits[i] = 0;
}

static inline void tsr_cpumask_copy(struct tsr_cpumask __arena *dst,
				    const struct tsr_cpumask __arena *src)
{
	int i;

	for (i = 0; i < TSR_CPUMASK_WORDS; i++)
		dst->bits[i] = src->bits[i];
}

/* dst = a & b; returns whether the result has any CPU */
static inline bool tsr_cpumask_and(struct tsr_cpumask __arena *dst,
				   const struct tsr_cpumask __arena *a,
				   const struct tsr_cpumask __arena *b)
{
	__u64 any = 0;
	int i;

	for (i = 0; i < TSR_CPUMASK_WORDS; i++)
		any |= dst->bits[i] = a->bits[i] & b->bits[i];
	return any;
}

static inline void tsr_cpumask_or(struct tsr_cpumask __arena *dst,
				  const struct tsr_cpumask __arena *a,
				  const struct tsr_cpumask __arena *b)
{
	int i;

	for (i = 0; i < TSR_CPUMASK_WORDS; i++)
		dst->bits[i] = a->bits[i] | b->bits[i];
}

/* dst = a & ~b; returns whether the result has any CPU */
static inline bool tsr_cpumask_andnot(struct tsr_cpumask __arena *dst,
				      const struct tsr_cpumask __arena *a,
				      const struct tsr_cpumask __arena *b)
{
	__u64 any = 0;
	int i;

	for (i = 0; i < TSR_CPUMASK_WORDS; i++)
		any |= dst->bits[i] = a->bits[i] & ~b->bits[i];
	return any;
}

static inline __u32 tsr_cpumask_weight(const struct tsr_cpumask __arena *m)
{
	__u32 i, n = 0;

	for (i = 0; i < TSR_CPUMASK_WORDS; i++)
		n += __builtin_popcountll(m->bits[i]);
	return n;
}

/* First CPU at or after @from, or -1. */
static inline int tsr_cpumask_next(const struct tsr_cpumask __arena *m, __u32 from)
{
	__u32 w = from / 64;
	__u64 word;
	int i;

	if (from >= TSR_MAX_CPUS)
		return -1;
	word = m->bits[w] & (~0ULL << (from % 64));
	for (i = 0; i < TSR_CPUMASK_WORDS; i++) {
		if (word)
			return w * 64 + __builtin_ctzll(word);
		if (++w >= TSR_CPUMASK_WORDS)
			return -1;
		word = m->bits[w];
	}
	return -1;
}

static inline int tsr_cpumask_first(const struct tsr_cpumask __arena *m)
{
	return tsr_cpumask_next(m, 0);
}

#endif /* TSR_CPUMASK_H */
