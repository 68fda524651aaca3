/* SPDX-License-Identifier: GPL-2.0 */
/*
 * floor(log2(x)) and the lowest set bit without a loop, for BPF (which has
 * no count-leading- or trailing-zeros instruction) and userspace alike.
 * deadline's latency boost takes two log2s per enqueue; as a six-step
 * search clang made them 130 BPF instructions.
 */
#ifndef TSR_LOG2_H
#define TSR_LOG2_H

#include "../arena/arena.h"

/* Multiplied by a power of two 2^i, its top six bits are distinct for each i. */
#define TSR_LOG2_DEBRUIJN 0x07EDD5E59A4E28C2ULL

/* i for each index (2^i * TSR_LOG2_DEBRUIJN) >> 58 */
static const __u8 tsr_log2_tab[64] = {
	63, 0,	58, 1,	59, 47, 53, 2,	60, 39, 48, 27, 54, 33, 42, 3,	61, 51, 37, 40, 49, 18,
	28, 20, 55, 30, 34, 11, 43, 14, 22, 4,	62, 57, 46, 52, 38, 26, 32, 41, 50, 36, 17, 19,
	29, 10, 13, 21, 56, 45, 25, 31, 35, 16, 9,  12, 44, 24, 15, 8,	23, 7,	6,  5,
};

/* floor(log2(@x)); 0 for 0 */
static inline __u32 tsr_log2(__u64 x)
{
	x |= 1;
	x |= x >> 1;
	x |= x >> 2;
	x |= x >> 4;
	x |= x >> 8;
	x |= x >> 16;
	x |= x >> 32;
	/* x - x / 2 is x's top bit alone */
	return tsr_log2_tab[((x - (x >> 1)) * TSR_LOG2_DEBRUIJN) >> 58];
}

/* The index of the lowest set bit of @x (not 0). */
static inline __u32 tsr_low_bit(__u64 x)
{
	return tsr_log2_tab[((x & -x) * TSR_LOG2_DEBRUIJN) >> 58];
}

#endif /* TSR_LOG2_H */
