/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-size CPU bitmap that lives in the arena and is read by both sides.
 * Sized for TSR_MAX_CPUS; bit operations are plain (single writer) unless
 * named _atomic.
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

static inline __u32 tsr_cpumask_weight(const struct tsr_cpumask __arena *m)
{
	__u32 i, n = 0;

	for (i = 0; i < TSR_CPUMASK_WORDS; i++)
		n += __builtin_popcountll(m->bits[i]);
	return n;
}

#endif /* TSR_CPUMASK_H */
