/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decaying running average of a piecewise-constant signal (e.g. a domain's
 * runnable weight), with a configurable half-life. Integer-only, so BPF and
 * userspace compute bit-identical results from the same inputs.
 *
 * Between two updates the signal is taken to hold the value given at the
 * later update; over dt the average moves toward it by 1 - 2^(-dt/half_life).
 */
#ifndef TSR_RAVG_H
#define TSR_RAVG_H

#include "arena.h"

#define TSR_RAVG_FRAC 16 /* avg is kept in 1/65536ths */
#define TSR_RAVG_ONE (1ULL << TSR_RAVG_FRAC)
#define TSR_FRAC32_ONE (1ULL << 32)

struct tsr_ravg {
	__u64 avg; /* fixed point, TSR_RAVG_FRAC fractional bits */
	__u64 last_ns; /* time of the last update; 0 = never */
};

/* 2^(-k/32) in 2^-32 units, k = 0..31 */
static const __u64 tsr_ravg_tab[32] = {
	4294967296ULL, 4202935003ULL, 4112874773ULL, 4024744348ULL, 3938502376ULL, 3854108391ULL,
	3771522796ULL, 3690706840ULL, 3611622603ULL, 3534232978ULL, 3458501653ULL, 3384393094ULL,
	3311872529ULL, 3240905930ULL, 3171459999ULL, 3103502151ULL, 3037000500ULL, 2971923842ULL,
	2908241642ULL, 2845924021ULL, 2784941738ULL, 2725266179ULL, 2666869345ULL, 2609723834ULL,
	2553802834ULL, 2499080105ULL, 2445529972ULL, 2393127307ULL, 2341847524ULL, 2291666561ULL,
	2242560872ULL, 2194507417ULL,
};

/* x * f / 2^32, rounded, for f <= 2^32, without overflowing 64 bits */
static inline __u64 tsr_mul_frac32(__u64 x, __u64 f)
{
	return (x >> 32) * f + (((x & 0xffffffffULL) * f + (1ULL << 31)) >> 32);
}

/*
 * Fraction of a value left after @dt_ns, 2^(-dt/half_life), in 2^-32 units:
 * a table for 1/32 steps, a cubic for the rest (error < 1e-8).
 */
static inline __u64 tsr_ravg_keep(__u64 dt_ns, __u64 half_life_ns)
{
	__u64 halvings, pos, rem, y, y2, y3, e;

	if (!half_life_ns)
		return 0;
	/* keep (dt % h) << 24 within 64 bits */
	if (half_life_ns >= (1ULL << 40)) {
		half_life_ns >>= 24;
		dt_ns >>= 24;
		if (!half_life_ns)
			half_life_ns = 1;
	}
	halvings = dt_ns / half_life_ns;
	if (halvings >= 32)
		return 0;
	pos = ((dt_ns % half_life_ns) << 24) / half_life_ns; /* 0 .. 2^24 - 1 */
	rem = pos & ((1ULL << 19) - 1); /* within a 1/32 step */
	y = (rem * 11629080ULL) >> 16; /* rem / 2^24 * ln 2, in 2^-32 */
	y2 = (y * y) >> 32;
	y3 = (y2 * y) >> 32;
	e = TSR_FRAC32_ONE - y + y2 / 2 - y3 / 6; /* e^-y */
	return tsr_mul_frac32(tsr_ravg_tab[(pos >> 19) & 31], e) >> halvings;
}

static inline __u64 tsr_ravg_blend(__u64 avg, __u64 target, __u64 keep)
{
	return tsr_mul_frac32(avg, keep) + tsr_mul_frac32(target, TSR_FRAC32_ONE - keep);
}

/* Fold in that the signal was @target (in 1/65536ths, < 2^56) on average since the last update. */
static inline void tsr_ravg_update_frac(struct tsr_ravg __arena *r, __u64 now_ns, __u64 target,
					__u64 half_life_ns)
{
	if (!r->last_ns || now_ns < r->last_ns) {
		/* the first sample (or a clock that went back) starts the average afresh */
		r->avg = target;
		r->last_ns = now_ns;
		return;
	}
	r->avg = tsr_ravg_blend(r->avg, target, tsr_ravg_keep(now_ns - r->last_ns, half_life_ns));
	r->last_ns = now_ns;
}

/* Fold in that the signal was @value (whole units, < 2^40) since the last update. */
static inline void tsr_ravg_update(struct tsr_ravg __arena *r, __u64 now_ns, __u64 value,
				   __u64 half_life_ns)
{
	tsr_ravg_update_frac(r, now_ns, value << TSR_RAVG_FRAC, half_life_ns);
}

/* The average as of @now_ns had the signal stayed at @value, in 1/65536ths. */
static inline __u64 tsr_ravg_read(struct tsr_ravg __arena *r, __u64 now_ns, __u64 value,
				  __u64 half_life_ns)
{
	if (!r->last_ns || now_ns <= r->last_ns)
		return r->avg;
	return tsr_ravg_blend(r->avg, value << TSR_RAVG_FRAC,
			      tsr_ravg_keep(now_ns - r->last_ns, half_life_ns));
}

#endif /* TSR_RAVG_H */
