// SPDX-License-Identifier: GPL-2.0
/* The decaying running average against its closed form. */
#include <criterion/criterion.h>
#include <math.h>
#include "arena/ravg.h"

#define NS 1000000000ULL

static double as_units(__u64 fixed)
{
	return (double)fixed / TSR_RAVG_ONE;
}

Test(ravg, keep_fraction_matches_two_to_the_minus_t_over_h)
{
	__u64 h = NS;

	for (__u64 dt = 0; dt <= 5 * NS; dt += NS / 7) {
		double want = pow(2.0, -(double)dt / h);

		cr_expect(fabs(tsr_ravg_keep(dt, h) / 4294967296.0 - want) < 1e-7,
			  "dt %llu: %.9f vs %.9f", (unsigned long long)dt,
			  tsr_ravg_keep(dt, h) / 4294967296.0, want);
	}
	for (__u64 dt = 1; dt < NS; dt *= 3) {
		double want = pow(2.0, -(double)dt / h);

		cr_expect(fabs(tsr_ravg_keep(dt, h) / 4294967296.0 - want) < 1e-7, "small dt %llu",
			  (unsigned long long)dt);
	}
	cr_expect_eq(tsr_ravg_keep(0, h), 1ULL << 32);
	cr_expect_eq(tsr_ravg_keep(NS, h), 1ULL << 31);
	cr_expect(fabs(tsr_ravg_keep(1ULL << 45, 1ULL << 44) / 4294967296.0 - 0.25) < 1e-6,
		  "huge half-lives are scaled, not overflowed");
	cr_expect_eq(tsr_ravg_keep(100 * NS, h), 0);
	cr_expect_eq(tsr_ravg_keep(5, 0), 0, "zero half-life forgets at once");
}

Test(ravg, first_sample_starts_the_average)
{
	struct tsr_ravg r = { 0 };

	tsr_ravg_update(&r, 10, 42, NS);
	cr_expect_eq(r.avg, 42ULL << TSR_RAVG_FRAC);
}

Test(ravg, step_response_follows_closed_form)
{
	/* from 100 to a constant 1000: avg(t) = 1000 + (100 - 1000) * 2^(-t/h) */
	struct tsr_ravg r = { 0 };
	__u64 h = NS / 2, t0 = 1000, step = NS / 100;

	tsr_ravg_update(&r, t0, 100, h);
	for (__u64 t = t0 + step; t <= t0 + 3 * NS; t += step) {
		double want = 1000 + (100.0 - 1000) * pow(2.0, -(double)(t - t0) / h);

		tsr_ravg_update(&r, t, 1000, h);
		cr_assert(fabs(as_units(r.avg) - want) < 0.01, "t %llu: %f vs %f",
			  (unsigned long long)(t - t0), as_units(r.avg), want);
	}
}

Test(ravg, update_granularity_does_not_matter_much)
{
	struct tsr_ravg fine = { 0 }, coarse = { 0 };
	__u64 h = NS;

	tsr_ravg_update(&fine, 1, 0, h);
	tsr_ravg_update(&coarse, 1, 0, h);
	for (__u64 t = 1; t <= 2 * NS + 1; t += NS / 1000)
		tsr_ravg_update(&fine, t, 500, h);
	tsr_ravg_update(&coarse, 2 * NS + 1, 500, h);
	cr_expect(fabs(as_units(fine.avg) - as_units(coarse.avg)) < 0.01, "%f vs %f",
		  as_units(fine.avg), as_units(coarse.avg));
	cr_expect(fabs(as_units(coarse.avg) - 375.0) < 0.01, "three quarters of the way: %f",
		  as_units(coarse.avg));
}

Test(ravg, read_projects_without_writing)
{
	struct tsr_ravg r = { 0 };

	tsr_ravg_update(&r, 1, 0, NS);
	cr_expect(fabs(as_units(tsr_ravg_read(&r, 1 + NS, 100, NS)) - 50.0) < 0.001);
	cr_expect_eq(r.avg, 0);
}
