/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlmig, BPF half: the fixed-point models userspace keeps in the arena, and
 * their forward pass (the same integer operations as quant.c's reference),
 * for decisions BPF makes itself: lb's greedy steals ask the steal model
 * (a small network: the 10-64-64-1 one's 4,800 multiply-adds cost 23-25 us
 * a decision in BPF) through the steal_ok hook.
 */
#ifndef MLMIG_BPF_H
#define MLMIG_BPF_H

struct mlmig_qmodel __arena_global mlmig_q; /* the balancer's model */
struct mlmig_qmodel __arena_global mlmig_steal_q; /* the steal model */
struct mlmig_steal_view __arena_global mlmig_view;

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
 * Model @m's decision for inputs @x (MLMIG_Q_IN values scaled by 2^10):
 * 1 migrate, 0 stay, -1 no whole model (none yet, or being rewritten).
 */
static __always_inline int mlmig_q_run(struct mlmig_qmodel __arena *m, const s32 *x, s64 *out_sum)
{
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

/* The balancer's model's decision (mlmig_q_run). */
static __always_inline int mlmig_q_decide(const s32 *x, s64 *out_sum)
{
	return mlmig_q_run(&mlmig_q, x, out_sum);
}

#define MLMIG_X_ONE (1 << MLMIG_Q_SHIFT)

static __always_inline s32 mlmig_x_unit(u64 v)
{
	return v < MLMIG_X_ONE ? v : MLMIG_X_ONE;
}

/* @part / @whole scaled and clamped as mlmig_features()'s ratio(). */
static __always_inline s32 mlmig_x_ratio(u64 part, u64 whole)
{
	return whole ? mlmig_x_unit((part * MLMIG_X_ONE + whole / 2) / whole) : 0;
}

#define MLMIG_FINE_SHIFT 20 /* loads before they become features: ratios of them stay exact */

/* A load (ravg fixed point, weights of 100 a nice-0 task) per CPU of domain @dom, x 2^20. */
static __always_inline u64 mlmig_fine_load(u64 ravg, u32 dom)
{
	u64 cap = 100 * TSR_RAVG_ONE * tsr_dom_nr_cpus(dom);

	return ((ravg << MLMIG_FINE_SHIFT) + cap / 2) / cap;
}

/* A load x 2^20 as a feature: x 2^10, clamped to 1. */
static __always_inline s32 mlmig_x_fine(u64 v)
{
	return mlmig_x_unit((v + (1 << (MLMIG_FINE_SHIFT - MLMIG_Q_SHIFT - 1))) >>
			    (MLMIG_FINE_SHIFT - MLMIG_Q_SHIFT));
}

static __always_inline u64 mlmig_dom_ravg(u32 dom, u64 now)
{
	struct lb_dom __arena *ld = &tsr_doms[dom & (TSR_MAX_DOMS - 1)].lb;
	s64 w = ld->runnable_weight;

	return tsr_ravg_read(&ld->load, now, w > 0 ? w : 0, lb_half_life_ns);
}

/*
 * The features of moving @t from domain @src to @dst, of feature set
 * @set: mlmig_features() in fixed point, on the same loads the balancer
 * reads (the decayed ones in the arena, projected to now) and the inputs
 * userspace measured last interval (mlmig_view).
 */
static __always_inline void mlmig_steal_features(struct tsr_task __arena *t, u32 src, u32 dst,
						 u32 set, s32 *x)
{
	struct mlmig_steal_view __arena *v = &mlmig_view;
	u64 now = tsr_now(), src_l, dst_l, task_l, gap, rounds;
	u32 last = t->lb.us_last_round;
	int i;

	for (i = 0; i < MLMIG_Q_IN; i++)
		x[i] = 0;
	src_l = mlmig_fine_load(mlmig_dom_ravg(src, now), src);
	dst_l = mlmig_fine_load(mlmig_dom_ravg(dst, now), dst);
	x[0] = v->x_cpu[src & (TSR_MAX_DOMS - 1)];
	x[1] = v->x_idle;
	x[2] = v->x_busy;
	x[3] = mlmig_x_fine(src_l);
	x[4] = mlmig_x_fine(dst_l);
	if (set != MLMIG_FEATURES_TESSERA)
		return;
	task_l = mlmig_fine_load(tsr_ravg_read(&t->lb.load, now,
					       t->lb.acct_dom >= 0 ? t->lb.acct_weight : 0,
					       lb_half_life_ns),
				 src);
	x[5] = mlmig_x_ratio(task_l, src_l);
	/* the view's round may lag the one lb stamped on a move just made */
	rounds = (s32)(v->round - last) > 0 ? v->round - last : 0;
	x[6] = last ? mlmig_x_unit((rounds * v->since_per_round +
				    (1 << (MLMIG_SINCE_SHIFT - MLMIG_Q_SHIFT - 1))) >>
				   (MLMIG_SINCE_SHIFT - MLMIG_Q_SHIFT)) :
		      MLMIG_X_ONE;
	x[7] = tsr_dom_node(src) != tsr_dom_node(dst) ? MLMIG_X_ONE : 0;
	gap = src_l > dst_l ? src_l - dst_l : 0;
	x[8] = mlmig_x_ratio(2 * task_l, gap);
}

#ifndef __arg_arena
#define __arg_arena __attribute__((btf_decl_tag("arg:arena")))
#endif

/*
 * The steal model's answer for moving @t from domain @src to @dst
 * (mlmig_q_run on mlmig_steal_features). A global function: the verifier
 * checks its branches and loops once, not again inside every caller's
 * loop (inlined into lb's walk of a queue it went past a million
 * instructions).
 */
__noinline int mlmig_steal_answer(struct tsr_task __arena *t __arg_arena, u32 src, u32 dst)
{
	s32 x[MLMIG_Q_IN];

	if (!t)
		return -1;
	mlmig_steal_features(t, src, dst, mlmig_steal_q.feature_set, x);
	return mlmig_q_run(&mlmig_steal_q, x, NULL);
}

/* lb's greedy steal of @t out of @src_dom to @cpu: the steal model's answer (no model: yes). */
static __always_inline bool mlmig_steal_ok(struct task_struct *p, struct tsr_task __arena *t,
					   s32 cpu, u32 src_dom)
{
	struct mlmig_cpu __arena *c = &tsr_this_cpu()->mlmig;
	int ok;

	if (!mlmig_steal_q.seq)
		return true;
	ok = mlmig_steal_answer(t, src_dom, tsr_cpu_dom(cpu));
	c->nr_steal_asked++;
	c->nr_steal_vetoed += !ok;
	return ok != 0;
}

#endif /* MLMIG_BPF_H */
