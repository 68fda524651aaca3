/* SPDX-License-Identifier: GPL-2.0 */
/* Averaged rates for modules that treat frequent wakers differently (deadline, classify). */
#ifndef TSR_WAKE_RATE_BPF_H
#define TSR_WAKE_RATE_BPF_H

/* Exponentially weighted average: each new sample weighs a quarter; the first is taken as is. */
static __always_inline u64 tsr_ewma(u64 old, u64 sample)
{
	return old ? old - (old >> 2) + (sample >> 2) : sample;
}

/* A wake-up at @now: fold 1 / (time since the last one) into @hz, wake-ups per second. */
static __always_inline void tsr_wake_rate(__u64 __arena *hz, __u64 __arena *last_ns, u64 now)
{
	if (*last_ns)
		*hz = tsr_ewma(*hz, 1000000000ULL / ((now - *last_ns) ?: 1));
	*last_ns = now;
}

#endif /* TSR_WAKE_RATE_BPF_H */
