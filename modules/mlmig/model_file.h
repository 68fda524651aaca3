/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model file: a little-endian binary a trainer writes and the
 * scheduler loads (format in the module's README). Loading checks
 * everything a bad or damaged file could get wrong and says what in one
 * line.
 */
#ifndef MLMIG_MODEL_FILE_H
#define MLMIG_MODEL_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "mlp.h"

#define MLMIG_MAGIC "TSRMLMIG"
#define MLMIG_VERSION 1
#define MLMIG_ERR_LEN 256

/*
 * The model in the @len bytes at @buf into @m; 0, or -EINVAL with the
 * reason in @err (which field, what was wrong).
 */
int mlmig_model_parse(const void *buf, size_t len, struct mlp *m, char *err, size_t err_len);

/* The model in file @path (errors name it); as mlmig_model_parse. */
int mlmig_model_load(const char *path, struct mlp *m, char *err, size_t err_len);

/* @m as a model file at @path (written whole, then renamed into place); 0 or -errno. */
int mlmig_model_save(const char *path, const struct mlp *m);

/* CRC-32 (IEEE) of @len bytes, as the file's checksum. */
uint32_t mlmig_crc32(const void *buf, size_t len);

#endif /* MLMIG_MODEL_FILE_H */
