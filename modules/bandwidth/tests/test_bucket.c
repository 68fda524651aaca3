// SPDX-License-Identifier: GPL-2.0
/* Token bucket arithmetic: refill, burst, debt, release time, 64-bit limits. */
#include <criterion/criterion.h>
#include <stdint.h>
#include "modules/bandwidth/bucket.h"

#define MS 1000000ULL

Test(bucket, rate_in_bytes_per_period)
{
	cr_expect_eq(bw_per_period(1000), 10000000ULL, "1000 MB/s is 10 MB per 10 ms");
	cr_expect_eq(bw_per_period(1), 10000ULL);
	cr_expect_eq(bw_per_period(BW_MAX_MBPS * 10), bw_per_period(BW_MAX_MBPS), "capped");
}

Test(bucket, refills_whole_periods_up_to_the_burst)
{
	uint64_t pp = bw_per_period(100);
	struct bw_bucket b;

	bw_fill(&b, pp, BW_BURST_PERIODS, 0);
	cr_expect_eq(b.tokens, (int64_t)(pp * BW_BURST_PERIODS));
	bw_charge(&b, pp, pp * BW_BURST_PERIODS); /* empty */
	cr_expect_eq(b.tokens, 0);
	bw_refill(&b, pp, BW_BURST_PERIODS, 9 * MS);
	cr_expect_eq(b.tokens, 0, "no refill before a whole period");
	bw_refill(&b, pp, BW_BURST_PERIODS, 25 * MS);
	cr_expect_eq(b.tokens, (int64_t)(2 * pp), "two periods passed");
	cr_expect_eq(b.at, 20 * MS, "counted to the last period boundary");
	bw_refill(&b, pp, BW_BURST_PERIODS, 10000 * MS);
	cr_expect_eq(b.tokens, (int64_t)(pp * BW_BURST_PERIODS), "never above the burst");
}

Test(bucket, debt_stops_at_its_floor_and_says_when_it_clears)
{
	uint64_t pp = bw_per_period(100);
	struct bw_bucket b = { .tokens = 0, .at = 50 * MS };

	bw_charge(&b, pp, pp / 2);
	cr_expect_eq(b.tokens, -(int64_t)(pp / 2));
	cr_expect_eq(bw_release_at(&b, pp), 60 * MS, "half a period owed: the next refill");
	bw_charge(&b, pp, 3 * pp);
	cr_expect_eq(bw_release_at(&b, pp), 90 * MS, "3.5 periods owed: the fourth refill");
	bw_charge(&b, pp, UINT64_MAX);
	cr_expect_eq(b.tokens, -(int64_t)(pp * BW_DEBT_PERIODS), "the deepest debt");
	cr_expect_eq(bw_release_at(&b, pp), 50 * MS + BW_DEBT_PERIODS * BW_PERIOD_NS,
		     "at most BW_DEBT_PERIODS to wait");
	bw_refill(&b, pp, BW_BURST_PERIODS, bw_release_at(&b, pp));
	cr_expect_geq(b.tokens, 0, "out of debt at its release time");
}

Test(bucket, no_overflow_at_the_highest_rate_and_longest_idle)
{
	uint64_t pp = bw_per_period(BW_MAX_MBPS);
	struct bw_bucket b;

	bw_fill(&b, pp, BW_BURST_PERIODS, 0);
	bw_charge(&b, pp, UINT64_MAX);
	cr_expect_eq(b.tokens, -(int64_t)(pp * BW_DEBT_PERIODS));
	bw_refill(&b, pp, BW_BURST_PERIODS, UINT64_MAX / 2);
	cr_expect_eq(b.tokens, (int64_t)(pp * BW_BURST_PERIODS), "full, not wrapped");
	bw_charge(&b, pp, 1ULL << 62);
	cr_expect_eq(b.tokens, -(int64_t)(pp * BW_DEBT_PERIODS));
	cr_expect_gt(bw_release_at(&b, pp), b.at);
}

Test(bucket, the_burst_is_a_parameter)
{
	uint64_t pp = bw_per_period(100);
	struct bw_bucket b;

	bw_fill(&b, pp, BW_MAX_BURST_PERIODS, 0);
	cr_expect_eq(b.tokens, (int64_t)(pp * BW_MAX_BURST_PERIODS));
	bw_charge(&b, pp, pp * BW_MAX_BURST_PERIODS);
	bw_refill(&b, pp, BW_MAX_BURST_PERIODS, 2000 * MS);
	cr_expect_eq(b.tokens, (int64_t)(200 * pp), "2 s of refill kept: below a 3 s burst");
	bw_refill(&b, pp, BW_BURST_PERIODS, 2010 * MS);
	cr_expect_eq(b.tokens, (int64_t)(BW_BURST_PERIODS * pp), "a smaller burst caps it");
}

Test(bucket, a_clock_behind_the_bucket_changes_nothing)
{
	uint64_t pp = bw_per_period(10);
	struct bw_bucket b = { .tokens = -5, .at = 100 * MS };

	bw_refill(&b, pp, BW_BURST_PERIODS, 50 * MS);
	cr_expect_eq(b.tokens, -5);
	cr_expect_eq(b.at, 100 * MS);
}
