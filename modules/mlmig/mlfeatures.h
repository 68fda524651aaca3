/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the model sees of a candidate migration: feature sets, each a
 * fixed list of values scaled to [0, 1] (README: each one, its scaling and
 * why). A model records the set it was trained on; one trained on another
 * set is refused.
 */
#ifndef MLMIG_MLFEATURES_H
#define MLMIG_MLFEATURES_H

#include <stdint.h>
#include "mlmig.h" /* enum mlmig_feature_set: BPF computes them too */

#define MLMIG_INPUTS 10 /* model inputs of both sets */
#define MLMIG_RECENT_S 10.0 /* a migration this long ago or more counts as long ago */

/* A migration the balancer would make, as the balancer sees it. */
struct mlmig_candidate {
	int cpu; /* a CPU of the source domain (the seeds' "cpu") */
	int nr_cpu_ids;
	int nr_idle, nr_busy; /* CPUs idle and busy now */
	double src_load, dst_load; /* domain loads per CPU of capacity (1 = every CPU busy) */
	double task_load; /* the task's load, in the same unit */
	double since_migration_s; /* since the task last moved; < 0: never */
	int cross_node; /* the domains are on different NUMA nodes */
};

/* "seed" or "tessera"; NULL for a set this build does not know. */
const char *mlmig_feature_set_name(uint32_t set);

/* The feature set named @name, 0 when there is none. */
uint32_t mlmig_feature_set_by_name(const char *name);

/* Inputs of a model of @set (MLMIG_INPUTS), 0 for an unknown set. */
int mlmig_feature_count(uint32_t set);

/* @c's features of @set into @out (MLMIG_INPUTS values in [0, 1]). */
void mlmig_features(uint32_t set, const struct mlmig_candidate *c, float *out);

#endif /* MLMIG_MLFEATURES_H */
