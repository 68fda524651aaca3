// SPDX-License-Identifier: GPL-2.0
/* The feature sets: scaling to [0, 1], padding to the model's 10 inputs. */
#include <string.h>
#include "mlfeatures.h"

const char *mlmig_feature_set_name(uint32_t set)
{
	switch (set) {
	case MLMIG_FEATURES_SEED:
		return "seed";
	case MLMIG_FEATURES_TESSERA:
		return "tessera";
	default:
		return NULL;
	}
}

uint32_t mlmig_feature_set_by_name(const char *name)
{
	for (uint32_t set = MLMIG_FEATURES_SEED; set <= MLMIG_FEATURES_TESSERA; set++)
		if (!strcmp(name, mlmig_feature_set_name(set)))
			return set;
	return 0;
}

int mlmig_feature_count(uint32_t set)
{
	return mlmig_feature_set_name(set) ? MLMIG_INPUTS : 0;
}

static float unit(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : (float)v;
}

static float ratio(double part, double whole)
{
	return whole > 0 ? unit(part / whole) : 0;
}

void mlmig_features(uint32_t set, const struct mlmig_candidate *c, float *out)
{
	double gap = c->src_load - c->dst_load;

	memset(out, 0, MLMIG_INPUTS * sizeof(*out));
	out[0] = ratio(c->cpu, c->nr_cpu_ids);
	out[1] = ratio(c->nr_idle, c->nr_idle + c->nr_busy);
	out[2] = ratio(c->nr_busy, c->nr_idle + c->nr_busy);
	out[3] = unit(c->src_load);
	out[4] = unit(c->dst_load);
	if (set != MLMIG_FEATURES_TESSERA)
		return;
	out[5] = ratio(c->task_load, c->src_load);
	out[6] = c->since_migration_s < 0 ? 1 : unit(c->since_migration_s / MLMIG_RECENT_S);
	out[7] = c->cross_node ? 1 : 0;
	/* how much of the gap the move closes: it shifts 2x the task's load */
	out[8] = gap > 0 ? ratio(2 * c->task_load, gap) : 0;
}
