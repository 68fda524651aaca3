// SPDX-License-Identifier: GPL-2.0
/* Profiles, model and pairs of the smt_pair module, kept between updates. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "match.h"
#include "pairing.h"
#include "score.h"

void smt_pairing_init(struct smt_pairing *s, enum smt_pairing_mode mode, int keep_permille)
{
	memset(s, 0, sizeof(*s));
	s->mode = mode;
	s->keep_permille = keep_permille;
}

void smt_pairing_free(struct smt_pairing *s)
{
	free(s->model_text);
	if (s->jobs != s->profiles)
		free(s->jobs);
	free(s->profiles);
	free(s->score);
	free(s->mate);
	smt_pairing_init(s, s->mode, s->keep_permille);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_json(const struct dirent *e)
{
	return !fnmatch("*.json", e->d_name, 0);
}

int smt_pairing_load_profiles(struct smt_pairing *s, const char *dir, char *err, size_t len)
{
	struct dirent **names;
	struct smt_profile *jobs;
	int n = scandir(dir, &names, is_json, by_name), ret = 0;
	char path[PATH_MAX];

	if (n < 0) {
		snprintf(err, len, "%s: cannot read the profile directory: %s", dir,
			 strerror(errno));
		return -errno;
	}
	if (n > SMT_MATCH_MAX) {
		snprintf(err, len, "%s: %d profiles, at most %d", dir, n, SMT_MATCH_MAX);
		ret = -E2BIG;
	}
	jobs = ret ? NULL : calloc(n ? n : 1, sizeof(*jobs));
	if (!ret && !jobs)
		ret = -ENOMEM;
	for (int i = 0; !ret && i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		ret = smt_profile_load(path, &jobs[i], err, len);
		for (int j = 0; !ret && j < i; j++)
			if (jobs[j].job_id == jobs[i].job_id) {
				snprintf(err, len, "%s: field 'job_id': %d is also %s/%s's", path,
					 jobs[i].job_id, dir, names[j]->d_name);
				ret = -EINVAL;
			}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (ret) {
		free(jobs);
		return ret;
	}
	/* jobs set apart from the profiles keep their pairs: the next update re-scores them */
	if (s->jobs == s->profiles) {
		s->current = false;
		free(s->score);
		free(s->mate);
		s->score = NULL;
		s->mate = NULL;
		s->jobs = jobs;
		s->nr_jobs = n;
	}
	free(s->profiles);
	s->profiles = jobs;
	s->nr_profiles = n;
	return 0;
}

int smt_pairing_set_jobs(struct smt_pairing *s, const struct smt_profile *jobs, int n)
{
	struct smt_profile *copy = malloc((n ? n : 1) * sizeof(*copy));
	bool same = n == s->nr_jobs;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, jobs, n * sizeof(*copy));
	for (int i = 0; same && i < n; i++)
		same = copy[i].job_id == s->jobs[i].job_id;
	s->current = s->current && same && !memcmp(copy, s->jobs, n * sizeof(*copy));
	if (s->jobs != s->profiles)
		free(s->jobs);
	s->jobs = copy;
	s->nr_jobs = n;
	if (!same) {
		free(s->score);
		free(s->mate);
		s->score = NULL;
		s->mate = NULL;
	}
	return 0;
}

const struct smt_profile *smt_pairing_profile(const struct smt_pairing *s, const char *name)
{
	for (int i = 0; i < s->nr_profiles; i++)
		if (!strcmp(s->profiles[i].name, name))
			return &s->profiles[i];
	return NULL;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, used = 0, got;

	if (!f)
		return NULL;
	do {
		if (used + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 4096 + 1);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + used, 1, cap - used - 1, f);
		used += got;
	} while (got);
	fclose(f);
	buf[used] = 0;
	return buf;
}

int smt_pairing_reload_model(struct smt_pairing *s, const char *dir, char *err, size_t len)
{
	char path[PATH_MAX], *text;
	struct smt_model m;
	int ret = smt_model_newest(dir, path, sizeof(path));

	if (ret) {
		snprintf(err, len, "%s: %s", dir,
			 ret == -ENOENT ? "no prediction_model_*.json" : strerror(-ret));
		return ret;
	}
	text = read_all(path);
	if (!text) {
		snprintf(err, len, "%s: %s", path, strerror(errno ?: ENOMEM));
		return -errno ?: -ENOMEM;
	}
	if (s->model_text && !strcmp(text, s->model_text)) {
		free(text);
		return 0;
	}
	ret = smt_model_load(path, &m, err, len);
	if (ret) {
		free(text);
		return ret;
	}
	s->model = m;
	strcpy(s->model_path, path);
	free(s->model_text);
	s->model_text = text;
	s->current = false;
	return 1;
}

int smt_pairing_update(struct smt_pairing *s, char *err, size_t len)
{
	int n = s->nr_jobs, *next, ret, changed = 0;
	int64_t *w;

	if (!s->model_text) {
		snprintf(err, len, "no model loaded");
		return -ENOENT;
	}
	if (s->current && s->mate)
		return 0;
	w = malloc((size_t)(n ? n : 1) * (n ? n : 1) * sizeof(*w));
	next = malloc((n ? n : 1) * sizeof(*next));
	ret = w && next ? 0 : -ENOMEM;
	if (!ret)
		ret = smt_score_table(&s->model, s->jobs, n, w, err, len);
	if (!ret)
		ret = s->mode == SMT_PAIRING_GREEDY ? smt_match_greedy(n, w, next) :
						      smt_match_optimal(n, w, next);
	if (ret) {
		free(w);
		free(next);
		return ret;
	}
	free(s->score);
	s->score = w;
	s->current = true;
	if (!s->mate || smt_match_worth_changing(n, w, s->mate, next, s->keep_permille)) {
		changed = !s->mate || memcmp(s->mate, next, n * sizeof(*next));
		free(s->mate);
		s->mate = next;
		s->nr_changes += changed;
		return changed;
	}
	free(next);
	return 0;
}

/* A score or slowdown as JSON, to 0.001 as the board shows it. */
static json_t *json_milli(double v)
{
	return json_real((long long)(v * 1000 + (v < 0 ? -0.5 : 0.5)) / 1000.0);
}

/* Job @i's line on the board, and its pair's object in @pairs (or it in @unpaired). */
static void print_job(const struct smt_pairing *s, int i, FILE *out, json_t *pairs,
		      json_t *unpaired)
{
	const struct smt_profile *a = &s->jobs[i], *b;
	char err[SMT_ERR_LEN];
	struct smt_side sa, sb;
	int j = s->mate[i];
	double score;

	if (j < 0) {
		fprintf(out, "    job %-5d %-16s unpaired\n", a->job_id, a->name);
		json_array_append_new(unpaired, json_integer(a->job_id));
		return;
	}
	b = &s->jobs[j];
	if (j < i || smt_side(&s->model, a, b, &sa, err, sizeof(err)) ||
	    smt_side(&s->model, b, a, &sb, err, sizeof(err)))
		return;
	score = s->score[i * s->nr_jobs + j] / SMT_SCORE_UNIT;
	fprintf(out, "    job %-5d %-16s + job %-5d %-16s score %.3f (slowdown %.3f / %.3f)\n",
		a->job_id, a->name, b->job_id, b->name, score, sa.slowdown, sb.slowdown);
	json_array_append_new(pairs,
			      json_pack("{sisssisssososo}", "a", a->job_id, "a_name", a->name, "b",
					b->job_id, "b_name", b->name, "score", json_milli(score),
					"slowdown_a", json_milli(sa.slowdown), "slowdown_b",
					json_milli(sb.slowdown)));
}

void smt_pairing_print(const struct smt_pairing *s, FILE *out, json_t *obj)
{
	int64_t total = s->mate ? smt_match_total(s->nr_jobs, s->score, s->mate) : 0;
	const char *mode = s->mode == SMT_PAIRING_GREEDY ? "greedy" : "optimal";
	json_t *pairs = json_array(), *unpaired = json_array();

	fprintf(out, "  smt_pair: %d jobs, model %s, %s pairing, total score %.3f, %u changes\n",
		s->nr_jobs, s->model_path[0] ? s->model_path : "(none)", mode,
		total / SMT_SCORE_UNIT, s->nr_changes);
	for (int i = 0; s->mate && i < s->nr_jobs; i++)
		print_job(s, i, out, pairs, unpaired);
	if (!obj) {
		json_decref(pairs);
		json_decref(unpaired);
		return;
	}
	json_object_update_new(
		obj,
		json_pack("{sisosssosIsoso}", "jobs", s->nr_jobs, "model",
			  s->model_path[0] ? json_string(s->model_path) : json_null(), "pairing",
			  mode, "total_score", json_milli(total / SMT_SCORE_UNIT), "changes",
			  (json_int_t)s->nr_changes, "pairs", pairs, "unpaired", unpaired));
}
