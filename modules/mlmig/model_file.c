// SPDX-License-Identifier: GPL-2.0
/*
 * Model file: magic "TSRMLMIG", u32 version, u32 feature set, u32 layers
 * (3), per layer u32 inputs and u32 outputs, then per layer its weights
 * row by row (one row per output neuron) and its biases as float32, then
 * u32 CRC-32 of everything before it. All little-endian.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mlfeatures.h"
#include "model_file.h"

#define HEADER_LEN (8 + 4 * 3 + MLP_LAYERS * 8)
#define FILE_MAX (1 << 20)

uint32_t mlmig_crc32(const void *buf, size_t len)
{
	static uint32_t table[256];
	const uint8_t *p = buf;
	uint32_t crc = 0xffffffff;

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c >> 1 ^ (0xedb88320 & -(c & 1));
			table[i] = c;
		}
	while (len--)
		crc = crc >> 8 ^ table[(crc ^ *p++) & 0xff];
	return ~crc;
}

static uint32_t get_u32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static float get_f32(const uint8_t *p)
{
	uint32_t u = get_u32(p);
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

static void put_f32(uint8_t *p, float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	put_u32(p, u);
}

/* Bytes of weights and biases for the widths in @m. */
static size_t weights_len(const struct mlp *m)
{
	return 4 * ((size_t)m->h1 * m->in + m->h1 + (size_t)m->h2 * m->h1 + m->h2 + m->h2 + 1);
}

/* The header's widths into @m: 0, or -EINVAL with the reason. */
static int parse_shapes(const uint8_t *p, struct mlp *m, char *err, size_t err_len)
{
	uint32_t shape[MLP_LAYERS][2];

	for (int l = 0; l < MLP_LAYERS; l++) {
		shape[l][0] = get_u32(p + 8 * l);
		shape[l][1] = get_u32(p + 8 * l + 4);
	}
	if (shape[1][0] != shape[0][1] || shape[2][0] != shape[1][1] || shape[2][1] != 1 ||
	    !mlp_shape_ok(shape[0][0], shape[0][1], shape[1][1])) {
		snprintf(err, err_len,
			 "field 'shapes': %ux%u, %ux%u, %ux%u is not a chain of inputs (1..%d), "
			 "two hidden layers (1..%d) and one output",
			 shape[0][0], shape[0][1], shape[1][0], shape[1][1], shape[2][0],
			 shape[2][1], MLP_IN_MAX, MLP_HIDDEN_MAX);
		return -EINVAL;
	}
	m->in = shape[0][0];
	m->h1 = shape[0][1];
	m->h2 = shape[1][1];
	return 0;
}

/* @n float32 values from @p into @dst; -EINVAL (naming @what) on one not finite. */
static int get_floats(const uint8_t **p, float *dst, int n, const char *what, char *err,
		      size_t err_len)
{
	for (int i = 0; i < n; i++, *p += 4) {
		dst[i] = get_f32(*p);
		if (!isfinite(dst[i])) {
			snprintf(err, err_len, "field '%s': value %d is not finite", what, i);
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_weights(const uint8_t *p, struct mlp *m, char *err, size_t err_len)
{
	int ret = 0;

	for (int j = 0; !ret && j < m->h1; j++)
		ret = get_floats(&p, m->w1[j], m->in, "layer 1 weights", err, err_len);
	if (!ret)
		ret = get_floats(&p, m->b1, m->h1, "layer 1 biases", err, err_len);
	for (int j = 0; !ret && j < m->h2; j++)
		ret = get_floats(&p, m->w2[j], m->h1, "layer 2 weights", err, err_len);
	if (!ret)
		ret = get_floats(&p, m->b2, m->h2, "layer 2 biases", err, err_len);
	if (!ret)
		ret = get_floats(&p, m->w3, m->h2, "layer 3 weights", err, err_len);
	if (!ret)
		ret = get_floats(&p, &m->b3, 1, "layer 3 bias", err, err_len);
	return ret;
}

int mlmig_model_parse(const void *buf, size_t len, struct mlp *m, char *err, size_t err_len)
{
	const uint8_t *p = buf;
	size_t want;
	int ret;

	memset(m, 0, sizeof(*m));
	if (len < HEADER_LEN + 4) {
		snprintf(err, err_len, "%zu bytes, shorter than a header (%d)", len,
			 HEADER_LEN + 4);
		return -EINVAL;
	}
	if (memcmp(p, MLMIG_MAGIC, 8)) {
		snprintf(err, err_len, "not a tessera migration model (magic is not %s)",
			 MLMIG_MAGIC);
		return -EINVAL;
	}
	if (get_u32(p + 8) != MLMIG_VERSION) {
		snprintf(err, err_len, "field 'version': %u, this build reads %d", get_u32(p + 8),
			 MLMIG_VERSION);
		return -EINVAL;
	}
	m->feature_set = get_u32(p + 12);
	if (!mlmig_feature_set_name(m->feature_set)) {
		snprintf(err, err_len, "field 'feature_set': %u is no feature set this build knows",
			 m->feature_set);
		return -EINVAL;
	}
	if (get_u32(p + 16) != MLP_LAYERS) {
		snprintf(err, err_len, "field 'layers': %u, the network has %d", get_u32(p + 16),
			 MLP_LAYERS);
		return -EINVAL;
	}
	ret = parse_shapes(p + 20, m, err, err_len);
	if (ret)
		return ret;
	if (m->in != mlmig_feature_count(m->feature_set)) {
		snprintf(err, err_len, "field 'shapes': %d inputs, feature set %s has %d", m->in,
			 mlmig_feature_set_name(m->feature_set),
			 mlmig_feature_count(m->feature_set));
		return -EINVAL;
	}
	want = HEADER_LEN + weights_len(m) + 4;
	if (len != want) {
		snprintf(err, err_len, "%zu bytes, its shapes make %zu", len, want);
		return -EINVAL;
	}
	if (get_u32(p + len - 4) != mlmig_crc32(p, len - 4)) {
		snprintf(err, err_len, "field 'checksum': %#x, the content's is %#x",
			 get_u32(p + len - 4), mlmig_crc32(p, len - 4));
		return -EINVAL;
	}
	ret = parse_weights(p + HEADER_LEN, m, err, err_len);
	if (!ret)
		mlp_prepare(m);
	return ret;
}

int mlmig_model_load(const char *path, struct mlp *m, char *err, size_t err_len)
{
	uint8_t *buf = malloc(FILE_MAX + 1);
	char why[MLMIG_ERR_LEN];
	size_t len;
	FILE *f;
	int ret;

	if (!buf)
		return -ENOMEM;
	f = fopen(path, "rb");
	if (!f) {
		ret = -errno;
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		free(buf);
		return ret;
	}
	len = fread(buf, 1, FILE_MAX + 1, f);
	fclose(f);
	if (len > FILE_MAX) {
		snprintf(err, err_len, "%s: larger than %d bytes", path, FILE_MAX);
		free(buf);
		return -EFBIG;
	}
	ret = mlmig_model_parse(buf, len, m, why, sizeof(why));
	if (ret)
		snprintf(err, err_len, "%s: %s", path, why);
	free(buf);
	return ret;
}

static size_t put_floats(uint8_t *p, const float *v, int n)
{
	for (int i = 0; i < n; i++)
		put_f32(p + 4 * i, v[i]);
	return 4 * (size_t)n;
}

/* @m serialised into @p (sized by weights_len); returns the length. */
static size_t serialise(const struct mlp *m, uint8_t *p)
{
	int shape[MLP_LAYERS][2] = { { m->in, m->h1 }, { m->h1, m->h2 }, { m->h2, 1 } };
	size_t off = HEADER_LEN;

	memcpy(p, MLMIG_MAGIC, 8);
	put_u32(p + 8, MLMIG_VERSION);
	put_u32(p + 12, m->feature_set);
	put_u32(p + 16, MLP_LAYERS);
	for (int l = 0; l < MLP_LAYERS; l++) {
		put_u32(p + 20 + 8 * l, shape[l][0]);
		put_u32(p + 24 + 8 * l, shape[l][1]);
	}
	for (int j = 0; j < m->h1; j++)
		off += put_floats(p + off, m->w1[j], m->in);
	off += put_floats(p + off, m->b1, m->h1);
	for (int j = 0; j < m->h2; j++)
		off += put_floats(p + off, m->w2[j], m->h1);
	off += put_floats(p + off, m->b2, m->h2);
	off += put_floats(p + off, m->w3, m->h2);
	off += put_floats(p + off, &m->b3, 1);
	put_u32(p + off, mlmig_crc32(p, off));
	return off + 4;
}

int mlmig_model_save(const char *path, const struct mlp *m)
{
	size_t len = HEADER_LEN + weights_len(m) + 4;
	uint8_t *buf = malloc(len);
	char tmp[4096];
	FILE *f;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	serialise(m, buf);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f || fwrite(buf, 1, len, f) != len)
		ret = -errno ?: -EIO;
	if (f && fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	free(buf);
	return ret;
}
