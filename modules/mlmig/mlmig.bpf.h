/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlmig, BPF half: the fixed-point model userspace keeps in the arena, and
 * its forward pass (the same integer operations as quant.c's reference),
 * for decisions BPF makes itself. About 4,800 multiply-adds for the
 * 10-64-64-1 network (cost measured by the host test).
 */
#ifndef MLMIG_BPF_H
#define MLMIG_BPF_H

struct mlmig_qmodel __arena_global mlmig_q;

struct mlmig_scratch {
	s32 a1[MLMIG_Q_HIDDEN];
	s32 a2[MLMIG_Q_HIDDEN];
};

/* The hidden activations: more than BPF's stack holds. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct mlmig_scratch);
} mlmig_scratch SEC(".maps");

/* ReLU of a sum, back at the activations' scale, saturated to 32 bits. */
static __always_inline s32 mlmig_activation(s64 acc, u32 shift)
{
	if (acc <= 0)
		return 0;
	acc >>= shift & 63;
	return acc > 0x7fffffff ? 0x7fffffff : (s32)acc;
}

/*
 * The model's decision for inputs @x (MLMIG_Q_IN values scaled by 2^10):
 * 1 migrate, 0 stay, -1 no whole model (none yet, or being rewritten).
 */
static __always_inline int mlmig_q_decide(const s32 *x, s64 *out_sum)
{
	struct mlmig_qmodel __arena *m = &mlmig_q;
	u32 seq = m->seq, key = 0, in = m->in, h1 = m->h1, h2 = m->h2, j, i;
	struct mlmig_scratch *s = bpf_map_lookup_elem(&mlmig_scratch, &key);
	s64 sum;

	if (!s || !seq || (seq & 1) || in > MLMIG_Q_IN || h1 > MLMIG_Q_HIDDEN ||
	    h2 > MLMIG_Q_HIDDEN)
		return -1;
	bpf_for(j, 0, h1) {
		s64 acc = m->b1[j];

		bpf_for(i, 0, in)
			acc += (s64)m->w1[j][i] * x[i & (MLMIG_Q_IN - 1)];
		s->a1[j & (MLMIG_Q_HIDDEN - 1)] = mlmig_activation(acc, m->shift[0]);
	}
	bpf_for(j, 0, h2) {
		s64 acc = m->b2[j];

		bpf_for(i, 0, h1)
			acc += (s64)m->w2[j][i] * s->a1[i & (MLMIG_Q_HIDDEN - 1)];
		s->a2[j & (MLMIG_Q_HIDDEN - 1)] = mlmig_activation(acc, m->shift[1]);
	}
	sum = m->b3;
	bpf_for(i, 0, h2)
		sum += (s64)m->w3[i] * s->a2[i & (MLMIG_Q_HIDDEN - 1)];
	/* rewritten meanwhile: the answer may mix two models */
	if (m->seq != seq)
		return -1;
	if (out_sum)
		*out_sum = sum;
	return sum > m->threshold;
}

#endif /* MLMIG_BPF_H */
