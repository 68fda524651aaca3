/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model every scx_ml starts with unless told otherwise (--ml-model
 * builtin): trained by modules/mlmig/train-default.sh on candidates this
 * project collected (default-model.csv), embedded as a model file's bytes.
 */
#ifndef MLMIG_DEFAULT_MODEL_H
#define MLMIG_DEFAULT_MODEL_H

extern const unsigned char mlmig_default_model[];
extern const unsigned int mlmig_default_model_len;

#endif /* MLMIG_DEFAULT_MODEL_H */
