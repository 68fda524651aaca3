/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlmig: the model as BPF reads it from the arena, in fixed point (no
 * floats in BPF). Userspace writes it (quant.c), stamping seq odd while it
 * writes and even when whole; BPF uses only a whole one.
 */
#ifndef MLMIG_H
#define MLMIG_H

#include "../../arena/arena.h"

#define MLMIG_Q_IN 16 /* inputs, padded */
#define MLMIG_Q_HIDDEN 64 /* widest hidden layer BPF takes */
#define MLMIG_Q_SHIFT 10 /* inputs and activations: value * 2^10 */

struct mlmig_qmodel {
	__u32 seq; /* userspace: odd while writing, even when whole; 0 = no model */
	__u32 in, h1, h2;
	__u32 shift[3]; /* layer l's weights are w * 2^shift[l] */
	__u32 pad;
	__s64 threshold; /* migrate when the output sum is above it (layer 3's scale) */
	__s64 b1[MLMIG_Q_HIDDEN], b2[MLMIG_Q_HIDDEN], b3; /* at their sums' scales */
	__s16 w1[MLMIG_Q_HIDDEN][MLMIG_Q_IN];
	__s16 w2[MLMIG_Q_HIDDEN][MLMIG_Q_HIDDEN];
	__s16 w3[MLMIG_Q_HIDDEN];
};

#endif /* MLMIG_H */
