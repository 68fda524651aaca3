// SPDX-License-Identifier: GPL-2.0
/* The decision cache: rounding, hits, and the least recently used one out. */
#include <criterion/criterion.h>
#include <string.h>
#include "modules/mlmig/cache.h"

static struct mlmig_cache c;

Test(cache, features_round_to_tenths_and_keys_tell_them_apart)
{
	float a[3] = { 0.04f, 0.56f, 1.3f }, b[3] = { 0.0f, 0.6f, 1.0f }, z[3] = { 0, 0, 0 };
	uint64_t ka = mlmig_round(a, 3);

	cr_expect_eq(a[0], 0.0f);
	cr_expect_float_eq(a[1], 0.6f, 1e-7);
	cr_expect_eq(a[2], 1.0f, "above 1 is clamped");
	cr_expect_eq(mlmig_round(b, 3), ka, "the same tenths, the same key");
	cr_expect_neq(mlmig_round(z, 3), 0, "all zeros is not the empty key");
	b[1] = 0.7f;
	cr_expect_neq(mlmig_round(b, 3), ka);
}

Test(cache, a_stored_decision_is_found_and_counted)
{
	bool migrate = false;

	memset(&c, 0, sizeof(c));
	cr_expect_not(mlmig_cache_get(&c, 12345, &migrate));
	mlmig_cache_put(&c, 12345, true);
	cr_expect(mlmig_cache_get(&c, 12345, &migrate));
	cr_expect(migrate);
	mlmig_cache_put(&c, 12345, false); /* the same key again: replaced, not doubled */
	cr_expect(mlmig_cache_get(&c, 12345, &migrate));
	cr_expect_not(migrate);
	cr_expect_eq(c.lookups, 3);
	cr_expect_eq(c.hits, 2);
}

/* Keys that land in one set: the key whose set we know, then others found by search. */
static int same_set(uint64_t *keys, int n)
{
	int k = 0;

	for (uint64_t key = 2; k < n; key++) {
		uint64_t h = key * 0x9e3779b97f4a7c15ull;

		if ((h >> 56 & (MLMIG_CACHE_SETS - 1)) == 0)
			keys[k++] = key;
	}
	return k;
}

Test(cache, the_least_recently_used_is_replaced)
{
	uint64_t keys[MLMIG_CACHE_WAYS + 1];
	bool migrate;

	memset(&c, 0, sizeof(c));
	same_set(keys, MLMIG_CACHE_WAYS + 1);
	for (int i = 0; i < MLMIG_CACHE_WAYS; i++)
		mlmig_cache_put(&c, keys[i], i & 1);
	cr_expect(mlmig_cache_get(&c, keys[0], &migrate)); /* keys[1] is now the oldest */
	mlmig_cache_put(&c, keys[MLMIG_CACHE_WAYS], true);
	cr_expect_not(mlmig_cache_get(&c, keys[1], &migrate), "the oldest stayed");
	for (int i = 0; i <= MLMIG_CACHE_WAYS; i++)
		if (i != 1)
			cr_expect(mlmig_cache_get(&c, keys[i], &migrate), "key %d was dropped", i);
}
