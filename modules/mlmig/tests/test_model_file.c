// SPDX-License-Identifier: GPL-2.0
/* The model file: round trip, and every kind of bad file refused in one line. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "modules/mlmig/mlfeatures.h"
#include "modules/mlmig/default_model.h"
#include "modules/mlmig/model_file.h"

static struct mlp m, back;
static char path[64], err[MLMIG_ERR_LEN];
static unsigned char *bytes;
static size_t len;

static void setup(void)
{
	strcpy(path, "/tmp/tsr-mlmig-XXXXXX");
	cr_assert_geq(mkstemp(path), 0);
	memset(&m, 0, sizeof(m));
	m.feature_set = MLMIG_FEATURES_TESSERA;
	m.in = MLMIG_INPUTS;
	m.h1 = m.h2 = MLP_SEED_HIDDEN;
	srand(1);
	for (int j = 0; j < m.h1; j++) {
		for (int i = 0; i < m.in; i++)
			m.w1[j][i] = rand() / (float)RAND_MAX - 0.5f;
		m.b1[j] = j / 100.0f;
	}
	for (int j = 0; j < m.h2; j++) {
		for (int i = 0; i < m.h1; i++)
			m.w2[j][i] = rand() / (float)RAND_MAX - 0.5f;
		m.b2[j] = -j / 100.0f;
		m.w3[j] = rand() / (float)RAND_MAX;
	}
	m.b3 = 0.25f;
	cr_assert_eq(mlmig_model_save(path, &m), 0);
	{
		FILE *f = fopen(path, "rb");

		bytes = malloc(1 << 20);
		len = fread(bytes, 1, 1 << 20, f);
		fclose(f);
	}
}

static void teardown(void)
{
	unlink(path);
	free(bytes);
}

TestSuite(model_file, .init = setup, .fini = teardown);

/* Parse @b (@n bytes): 0 or the error, with the reason in err. */
static int parse(const void *b, size_t n)
{
	err[0] = 0;
	return mlmig_model_parse(b, n, &back, err, sizeof(err));
}

/* Fix the checksum of a buffer edited on purpose. */
static void reseal(unsigned char *b, size_t n)
{
	uint32_t crc = mlmig_crc32(b, n - 4);

	for (int i = 0; i < 4; i++)
		b[n - 4 + i] = crc >> (8 * i);
}

Test(model_file, saved_and_loaded_back_the_same)
{
	cr_assert_eq(mlmig_model_load(path, &back, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(back.feature_set, m.feature_set);
	cr_expect_eq(back.in, 10);
	cr_expect_eq(back.h1, 64);
	cr_expect(!memcmp(back.w2, m.w2, sizeof(m.w2)));
	cr_expect(!memcmp(back.w1, m.w1, sizeof(m.w1)));
	cr_expect_eq(back.b3, m.b3);
	/* 8 magic + 12 + 24 shapes, 10*64+64 + 64*64+64 + 64+1 floats, 4 checksum */
	cr_expect_eq(len, 44 + 4 * (704 + 4160 + 65) + 4);
	cr_expect_eq(memcmp(bytes, "TSRMLMIG\x01\0\0\0\x02\0\0\0\x03\0\0\0\x0a\0\0\0\x40", 21), 0,
		     "the header is little-endian as documented");
}

Test(model_file, the_built_in_model_is_whole)
{
	cr_assert_eq(parse(mlmig_default_model, mlmig_default_model_len), 0, "%s", err);
	cr_expect_eq(back.feature_set, MLMIG_FEATURES_TESSERA);
	cr_expect_eq(back.in, MLMIG_INPUTS);
	cr_expect_eq(back.h1, MLP_SEED_HIDDEN);
	cr_expect_eq(back.h2, MLP_SEED_HIDDEN);
}

Test(model_file, the_checksum_is_the_standard_crc32)
{
	cr_expect_eq(mlmig_crc32("123456789", 9), 0xcbf43926);
}

Test(model_file, truncated_or_padded_files_are_refused)
{
	cr_expect_eq(parse(bytes, 10), -EINVAL);
	cr_expect(strstr(err, "shorter than a header"), "%s", err);
	cr_expect_eq(parse(bytes, len - 1), -EINVAL);
	cr_expect(strstr(err, "its shapes make"), "%s", err);
	cr_expect_eq(parse(bytes, len + 4), -EINVAL);
}

Test(model_file, wrong_magic_version_or_feature_set)
{
	bytes[0] = 'X';
	cr_expect_eq(parse(bytes, len), -EINVAL);
	cr_expect(strstr(err, "magic"), "%s", err);
	bytes[0] = 'T';
	bytes[8] = 2;
	reseal(bytes, len);
	cr_expect_eq(parse(bytes, len), -EINVAL);
	cr_expect(strstr(err, "field 'version': 2"), "%s", err);
	bytes[8] = 1;
	bytes[12] = 9;
	reseal(bytes, len);
	cr_expect_eq(parse(bytes, len), -EINVAL);
	cr_expect(strstr(err, "field 'feature_set': 9"), "%s", err);
}

Test(model_file, shapes_that_do_not_chain_or_fit_are_refused)
{
	bytes[20 + 4] = 65; /* layer 1 outputs 65, layer 2 takes 64 */
	reseal(bytes, len);
	cr_expect_eq(parse(bytes, len), -EINVAL);
	cr_expect(strstr(err, "field 'shapes'"), "%s", err);
	bytes[20 + 4] = 64;
	bytes[20] = 9; /* 9 inputs: the feature set has 10 */
	reseal(bytes, len);
	cr_expect_eq(parse(bytes, len), -EINVAL);
	cr_expect(strstr(err, "9 inputs, feature set tessera has 10"), "%s", err);
}

Test(model_file, non_finite_weights_are_refused)
{
	float nan = NAN;

	memcpy(bytes + 44 + 4 * 700, &nan, 4); /* a bias of layer 1 */
	reseal(bytes, len);
	cr_expect_eq(parse(bytes, len), -EINVAL);
	cr_expect(strstr(err, "field 'layer 1 biases': value 60 is not finite"), "%s", err);
}

Test(model_file, a_damaged_byte_anywhere_is_caught)
{
	for (size_t i = 0; i < len; i++) {
		bytes[i] ^= 0x10;
		cr_assert_eq(parse(bytes, len), -EINVAL, "byte %zu flipped and accepted", i);
		cr_assert_neq(err[0], 0);
		cr_assert_null(strchr(err, '\n'), "more than one line: %s", err);
		bytes[i] ^= 0x10;
	}
	cr_expect_eq(parse(bytes, len), 0, "%s", err);
}

/* Random files, random cuts and random edits: refused or loaded, never a crash. */
Test(model_file, fuzzed_input_never_crashes_the_loader)
{
	unsigned char *b = malloc(len);

	srand(11);
	for (int k = 0; k < 20000; k++) {
		size_t n = k % 4 ? len : rand() % (len + 1);
		int edits = 1 + rand() % 8;

		memcpy(b, bytes, len);
		for (int e = 0; e < edits; e++)
			b[rand() % len] = rand();
		if (k % 3 == 0)
			reseal(b, n >= 48 ? n : len); /* past the checksum too */
		if (parse(b, n))
			cr_assert_neq(err[0], 0, "refused without a reason");
	}
	free(b);
	cr_expect_eq(mlmig_model_load("/nonexistent/model", &back, err, sizeof(err)), -ENOENT);
	cr_expect(strstr(err, "/nonexistent/model"), "%s", err);
}
