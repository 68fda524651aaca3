/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pairing state of the smt_pair module: the profiled jobs, the model
 * in use (hot-reloaded when a newer model file with different content
 * appears), their score table and the current pairs.
 */
#ifndef SMT_PAIRING_H
#define SMT_PAIRING_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "model.h"

enum smt_pairing_mode { SMT_PAIRING_OPTIMAL, SMT_PAIRING_GREEDY };

struct smt_pairing {
	struct smt_model model;
	char model_path[PATH_MAX];
	char *model_text; /* the loaded file's bytes: a newer file with the same bytes is no change */
	struct smt_profile *profiles; /* every profile read */
	int nr_profiles;
	struct smt_profile *jobs; /* the jobs being paired: profiles, or the running ones */
	int nr_jobs;
	int64_t *score; /* nr_jobs^2, scaled (score.h) */
	int *mate; /* index of each job's partner, -1 unpaired */
	enum smt_pairing_mode mode;
	int keep_permille; /* a new pairing must gain more than this to replace the current one */
	unsigned int nr_changes; /* times the pairs changed */
	bool current; /* score and mate are those of the jobs and model in use */
};

/* Empty state; nothing allocated. */
void smt_pairing_init(struct smt_pairing *s, enum smt_pairing_mode mode, int keep_permille);
void smt_pairing_free(struct smt_pairing *s);

/*
 * Every *.json profile in @dir (sorted by name; job ids must be unique).
 * A bad file refuses the whole directory: -EINVAL with the line in @err,
 * the profiles read before stay. Jobs given by smt_pairing_set_jobs keep
 * their pairs.
 */
int smt_pairing_load_profiles(struct smt_pairing *s, const char *dir, char *err, size_t len);

/*
 * Pair @n jobs (copies of profiles, job_id set by the caller) from now on
 * instead of every profile. The current pairs are kept when the same jobs
 * come back in the same order, so the keep margin still applies; with the
 * same profiles too, the next update has nothing to do.
 */
int smt_pairing_set_jobs(struct smt_pairing *s, const struct smt_profile *jobs, int n);

/* The profile named @name, or NULL. */
const struct smt_profile *smt_pairing_profile(const struct smt_pairing *s, const char *name);

/*
 * Use the newest model in @dir if its content differs from the model in
 * use: 1 when it replaced it, 0 when nothing changed, negative errno when
 * it was refused (the reason in @err; the model in use stays).
 */
int smt_pairing_reload_model(struct smt_pairing *s, const char *dir, char *err, size_t len);

/*
 * Score every pair under the model in use and pair the jobs: 1 when the
 * pairs changed, 0 when they stayed (no better pairing, or one within the
 * keep margin; or nothing to do: the same jobs with the same profiles
 * under the same model as last time), negative errno.
 */
int smt_pairing_update(struct smt_pairing *s, char *err, size_t len);

/*
 * The score board: each pair, its score and each side's predicted
 * slowdown, into @out and, unless NULL, as members of @obj.
 */
void smt_pairing_print(const struct smt_pairing *s, FILE *out, json_t *obj);

#endif /* SMT_PAIRING_H */
