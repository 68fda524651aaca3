/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlmig: the model as BPF reads it from the arena, in fixed point (no
 * floats in BPF). Userspace writes it (quant.c), stamping seq odd while it
 * writes and even when whole; BPF uses only a whole one.
 */
#ifndef MLMIG_H
#define MLMIG_H

#include "../../arena/arena.h"
#include "../../arena/topo.h"

/* What a model's inputs mean: mlfeatures.c computes them, mlmig.bpf.h too. */
enum mlmig_feature_set {
	MLMIG_FEATURES_SEED = 1, /* the seeds' five, padded to 10 inputs */
	MLMIG_FEATURES_TESSERA = 2, /* the seeds' five and four more, padded to 10 */
};

#define MLMIG_Q_IN 16 /* inputs, padded */
#define MLMIG_Q_HIDDEN 64 /* widest hidden layer BPF takes */
#define MLMIG_Q_SHIFT 10 /* inputs and activations: value * 2^10 */
#define MLMIG_SINCE_SHIFT 20 /* finer: feature 6 multiplies it by the rounds since a move */

struct mlmig_qmodel {
	__u32 seq; /* userspace: odd while writing, even when whole; 0 = no model */
	__u32 in, h1, h2;
	__u32 shift[3]; /* layer l's weights are w * 2^shift[l] */
	__u32 feature_set; /* the inputs it was trained on (mlfeatures.h) */
	__s64 threshold; /* migrate when the output sum is above it (layer 3's scale) */
	__s64 b1[MLMIG_Q_HIDDEN], b2[MLMIG_Q_HIDDEN], b3; /* at their sums' scales */
	__s16 w1[MLMIG_Q_HIDDEN][MLMIG_Q_IN];
	__s16 w2[MLMIG_Q_HIDDEN][MLMIG_Q_HIDDEN];
	__s16 w3[MLMIG_Q_HIDDEN];
};

/*
 * What BPF's features of a steal take from userspace, written every
 * balancing interval (mlmig_balance): the inputs only userspace measures,
 * already scaled by 2^MLMIG_Q_SHIFT as mlmig_features() scales them.
 */
struct mlmig_steal_view {
	__u32 x_idle, x_busy; /* CPUs idle and busy over the last interval (features 1, 2) */
	__u32 round; /* the balancer's round now */
	__u32 since_per_round; /* a round's share of "long ago", x 2^MLMIG_SINCE_SHIFT (feature 6) */
	__u16 x_cpu[TSR_MAX_DOMS]; /* per source domain: its first CPU (feature 0) */
};

/* Counters of the steal filter, each written only by its own CPU. */
struct mlmig_cpu {
	__u64 nr_steal_asked; /* tasks lb's greedy steals asked about */
	__u64 nr_steal_vetoed; /* of those, left where they were */
};

#endif /* MLMIG_H */
