/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decisions remembered by their features rounded to tenths (the seeds'
 * LRU idea): a candidate that rounds like one seen before gets its
 * decision without a forward pass. Decisions are made on the rounded
 * features, so a remembered one is exactly what the model would say.
 */
#ifndef MLMIG_CACHE_H
#define MLMIG_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#define MLMIG_CACHE_SETS 256
#define MLMIG_CACHE_WAYS 4 /* entries per set, the least recently used replaced */

struct mlmig_cache_entry {
	uint64_t key; /* the rounded features, 4 bits each; 0 = empty */
	uint32_t used; /* when last looked up or stored */
	bool migrate;
};

struct mlmig_cache {
	struct mlmig_cache_entry set[MLMIG_CACHE_SETS][MLMIG_CACHE_WAYS];
	uint32_t clock;
	uint64_t lookups, hits;
};

/* @n (<= 15) features in [0, 1] rounded to tenths in place; returns their key. */
uint64_t mlmig_round(float *x, int n);

/* The decision remembered for @key into @migrate; false when there is none. */
bool mlmig_cache_get(struct mlmig_cache *c, uint64_t key, bool *migrate);

/* Remember @migrate for @key, replacing its set's least recently used entry. */
void mlmig_cache_put(struct mlmig_cache *c, uint64_t key, bool migrate);

#endif /* MLMIG_CACHE_H */
