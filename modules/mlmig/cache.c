// SPDX-License-Identifier: GPL-2.0
/* The decision cache: set-associative, least recently used out. */
#include <math.h>
#include "cache.h"

uint64_t mlmig_round(float *x, int n)
{
	/* the 1 on top keeps an all-zero vector from meaning "empty" */
	uint64_t key = 1;

	for (int i = 0; i < n; i++) {
		int tenths = (int)lrintf(x[i] * 10);

		tenths = tenths < 0 ? 0 : tenths > 10 ? 10 : tenths;
		x[i] = tenths / 10.0f;
		key = key << 4 | tenths;
	}
	return key;
}

static struct mlmig_cache_entry *set_of(struct mlmig_cache *c, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ull;

	return c->set[h >> 56 & (MLMIG_CACHE_SETS - 1)];
}

bool mlmig_cache_get(struct mlmig_cache *c, uint64_t key, bool *migrate)
{
	struct mlmig_cache_entry *e = set_of(c, key);

	c->lookups++;
	for (int w = 0; w < MLMIG_CACHE_WAYS; w++) {
		if (e[w].key != key)
			continue;
		e[w].used = ++c->clock;
		*migrate = e[w].migrate;
		c->hits++;
		return true;
	}
	return false;
}

void mlmig_cache_put(struct mlmig_cache *c, uint64_t key, bool migrate)
{
	struct mlmig_cache_entry *e = set_of(c, key), *victim = &e[0];

	for (int w = 0; w < MLMIG_CACHE_WAYS; w++) {
		if (e[w].key == key || !e[w].key) {
			victim = &e[w];
			break;
		}
		if (e[w].used < victim->used)
			victim = &e[w];
	}
	*victim = (struct mlmig_cache_entry){ key, ++c->clock, migrate };
}
