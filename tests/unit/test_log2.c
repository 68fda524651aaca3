// SPDX-License-Identifier: GPL-2.0
/* tsr_log2 and tsr_low_bit against plain loops, at every power of two and around it. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "framework/log2.h"

static __u32 slow_log2(__u64 x)
{
	__u32 r = 0;

	while (x >>= 1)
		r++;
	return r;
}

Test(log2, zero_and_one_are_zero)
{
	cr_expect_eq(tsr_log2(0), 0);
	cr_expect_eq(tsr_log2(1), 0);
}

Test(log2, every_power_of_two_and_its_neighbours)
{
	for (__u32 i = 0; i < 64; i++) {
		__u64 p = 1ULL << i;

		cr_expect_eq(tsr_log2(p), i, "2^%u: %u", i, tsr_log2(p));
		cr_expect_eq(tsr_log2(p - 1), slow_log2(p - 1), "2^%u - 1", i);
		cr_expect_eq(tsr_log2(p + 1), slow_log2(p + 1), "2^%u + 1", i);
		cr_expect_eq(tsr_log2(p | (p >> 1)), i, "2^%u + 2^%u", i, i - 1);
	}
	cr_expect_eq(tsr_log2(~0ULL), 63);
}

Test(log2, random_values)
{
	srandom(12345);
	for (int n = 0; n < 100000; n++) {
		__u64 x = ((__u64)random() << 33 ^ (__u64)random() << 2 ^ random()) >>
			  (random() % 64);

		cr_assert_eq(tsr_log2(x), slow_log2(x), "%llu", (unsigned long long)x);
	}
}

static __u32 slow_low_bit(__u64 x)
{
	__u32 r = 0;

	while (!(x & 1))
		x >>= 1, r++;
	return r;
}

Test(log2, low_bit_of_every_bit_and_random_values)
{
	for (__u32 i = 0; i < 64; i++) {
		cr_expect_eq(tsr_low_bit(1ULL << i), i, "2^%u", i);
		cr_expect_eq(tsr_low_bit(~0ULL << i), i, "~0 << %u", i);
	}
	srandom(54321);
	for (int n = 0; n < 100000; n++) {
		__u64 x = ((__u64)random() << 33 ^ (__u64)random() << 2 ^ random()) | 1ULL << 63;

		x <<= random() % 64;
		if (x)
			cr_assert_eq(tsr_low_bit(x), slow_low_bit(x), "%llu",
				     (unsigned long long)x);
	}
}
