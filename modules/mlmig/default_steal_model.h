/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The steal model every scx_ml starts with unless told otherwise
 * (--ml-steal-model builtin): a 10-8-8-1 network small enough for lb's
 * greedy steals in BPF, trained by modules/mlmig/train-default.sh on the
 * same candidates as the balancer's model, embedded as a model file's bytes.
 */
#ifndef MLMIG_DEFAULT_STEAL_MODEL_H
#define MLMIG_DEFAULT_STEAL_MODEL_H

extern const unsigned char mlmig_default_steal_model[];
extern const unsigned int mlmig_default_steal_model_len;

#endif /* MLMIG_DEFAULT_STEAL_MODEL_H */
