/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model in fixed point, for BPF: weights as 16-bit integers scaled per
 * layer, inputs and activations scaled by 2^10, sums in 64 bits, the
 * threshold compared before the sigmoid (it is monotonic). A reference of
 * BPF's integer forward pass, operation for operation.
 */
#ifndef MLMIG_QUANT_H
#define MLMIG_QUANT_H

#include <stdbool.h>
#include "mlmig.h"
#include "mlp.h"

/* @m with threshold @p into @q (seq left alone); -EINVAL when it is wider than BPF takes. */
int mlmig_quantize(const struct mlp *m, double p, struct mlmig_qmodel *q);

/*
 * Write @m with threshold @p into the arena's @q as BPF reads it: seq odd
 * while writing, even when whole (0, no model, when @m is refused).
 */
int mlmig_q_publish(struct mlmig_qmodel *q, const struct mlp *m, double p);

/* A feature in [0, 1] as BPF's input (value * 2^10). */
__s32 mlmig_q_inputs_one(float x);

/* @n features in [0, 1] as BPF's inputs (value * 2^10, padded with zeros). */
void mlmig_q_inputs(const float *x, int n, __s32 *xq);

/* BPF's decision for inputs @xq; the output sum into @z (NULL: not wanted). */
bool mlmig_q_decide(const struct mlmig_qmodel *q, const __s32 *xq, __s64 *z);

#endif /* MLMIG_QUANT_H */
