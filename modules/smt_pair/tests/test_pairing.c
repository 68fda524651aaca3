// SPDX-License-Identifier: GPL-2.0
/* The module's pairing state: profiles directory, model hot reload, re-pairing. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "modules/smt_pair/pairing.h"

static char dir[64], prof[96], mdir[96];
static struct smt_pairing s;

static void setup(void)
{
	strcpy(dir, "/tmp/tsr-smt-pairing.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(prof, sizeof(prof), "%s/profiles", dir);
	snprintf(mdir, sizeof(mdir), "%s/models", dir);
	cr_assert_eq(mkdir(prof, 0700), 0);
	cr_assert_eq(mkdir(mdir, 0700), 0);
	smt_pairing_init(&s, SMT_PAIRING_OPTIMAL, 20);
}

static void teardown(void)
{
	char cmd[128];

	smt_pairing_free(&s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

static void put(const char *d, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", d, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * A job using the memory pipe (sequential) @mem of the time and the FPU
 * (parallel) @fpu of the time, each as sensitive and intense as it uses.
 */
static void put_job(int id, const char *name, double mem, double fpu)
{
	char text[1024], file[64];

	snprintf(
		text, sizeof(text),
		"{ \"job_id\": %d, \"name\": \"%s\", \"single_ipc\": 1.0, \"l3_cache_ipc\": 0.9, "
		"\"resources\": { \"mem\": { \"sensitivity\": %g, \"intensity\": %g, \"usage\": %g, "
		"\"base_slowdown\": 0.1 }, \"fpu\": { \"sensitivity\": %g, \"intensity\": %g, "
		"\"usage\": %g, \"base_slowdown\": 0.1 } } }",
		id, name, mem, mem, mem, fpu, fpu, fpu);
	snprintf(file, sizeof(file), "%s.json", name);
	put(prof, file, text);
}

static const char model[] =
	"{ \"intercept\": 0.0, \"coefficients\": [0.2, 1.0, 1.0], \"resources\": [ "
	"{ \"name\": \"mem\", \"activation\": \"sequential\" }, "
	"{ \"name\": \"fpu\", \"activation\": \"parallel\" } ] }";

static int partner_id(int job_id)
{
	for (int i = 0; i < s.nr_jobs; i++)
		if (s.jobs[i].job_id == job_id)
			return s.mate[i] < 0 ? -1 : s.jobs[s.mate[i]].job_id;
	return -2;
}

TestSuite(pairing, .init = setup, .fini = teardown);

/* Load the profiles put there and the model, and pair them the first time. */
static void pair_profiles(char *err, size_t len)
{
	put(mdir, "prediction_model_20260101.json", model);
	cr_assert_eq(smt_pairing_load_profiles(&s, prof, err, len), 0, "%s", err);
	cr_assert_eq(smt_pairing_reload_model(&s, mdir, err, len), 1, "%s", err);
	cr_assert_eq(smt_pairing_update(&s, err, len), 1, "%s", err);
}

/* Two memory-bound and two FPU-bound jobs: each memory job pairs with an FPU job. */
Test(pairing, complementary_jobs_pair_up)
{
	char err[SMT_ERR_LEN];

	put_job(1, "stream1", 0.9, 0.1);
	put_job(2, "stream2", 0.9, 0.1);
	put_job(3, "fp1", 0.1, 0.9);
	put_job(4, "fp2", 0.1, 0.9);
	pair_profiles(err, sizeof(err));
	cr_assert(partner_id(1) == 3 || partner_id(1) == 4, "stream1 paired with %d",
		  partner_id(1));
	cr_assert(partner_id(2) == 3 || partner_id(2) == 4, "stream2 paired with %d",
		  partner_id(2));
	cr_assert_eq(smt_pairing_update(&s, err, sizeof(err)), 0, "same scores, same pairs");
}

/* The score board as text and as JSON members name the same pairs. */
Test(pairing, the_board_as_text_and_json)
{
	char err[SMT_ERR_LEN], text[2048];
	json_t *obj = json_object(), *pair;
	FILE *f = fmemopen(text, sizeof(text), "w");

	put_job(1, "stream1", 0.9, 0.1);
	put_job(3, "fp1", 0.1, 0.9);
	pair_profiles(err, sizeof(err));
	smt_pairing_print(&s, f, obj);
	fclose(f);
	/* profiles are taken in name order: fp1 first */
	cr_expect(strstr(text, "job 3     fp1              + job 1     stream1"), "%s", text);
	cr_expect_eq(json_integer_value(json_object_get(obj, "jobs")), 2);
	cr_expect_str_eq(json_string_value(json_object_get(obj, "pairing")), "optimal");
	cr_assert_eq(json_array_size(json_object_get(obj, "pairs")), 1);
	pair = json_array_get(json_object_get(obj, "pairs"), 0);
	cr_expect_eq(json_integer_value(json_object_get(pair, "a")), 3);
	cr_expect_eq(json_integer_value(json_object_get(pair, "b")), 1);
	cr_expect_str_eq(json_string_value(json_object_get(pair, "b_name")), "stream1");
	cr_expect_gt(json_number_value(json_object_get(pair, "score")), 0.0);
	cr_expect_eq(json_array_size(json_object_get(obj, "unpaired")), 0);
	json_decref(obj);
}

Test(pairing, model_reloads_only_on_new_content_and_bad_files_keep_the_old)
{
	char err[SMT_ERR_LEN], first[PATH_MAX];

	put(mdir, "prediction_model_20260101.json", model);
	cr_assert_eq(smt_pairing_reload_model(&s, mdir, err, sizeof(err)), 1);
	strcpy(first, s.model_path);
	cr_assert_eq(smt_pairing_reload_model(&s, mdir, err, sizeof(err)), 0, "unchanged file");
	put(mdir, "prediction_model_20260102.json", model);
	cr_assert_eq(smt_pairing_reload_model(&s, mdir, err, sizeof(err)), 0,
		     "a newer file with the same content is no change");
	cr_assert_str_eq(s.model_path, first);
	put(mdir, "prediction_model_20260103.json", "{ \"intercept\": 1, \"resources\": 3 }");
	cr_assert_eq(smt_pairing_reload_model(&s, mdir, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "prediction_model_20260103.json"), "%s", err);
	cr_assert_str_eq(s.model_path, first, "a bad model replaced the good one");
	cr_assert_float_eq(s.model.coef[1], 1.0, 1e-12);
	put(mdir, "prediction_model_20260104.json",
	    "{ \"intercept\": 0.1, \"coefficients\": [0.2, 1.0, 1.0], \"resources\": [ "
	    "{ \"name\": \"mem\", \"activation\": \"sequential\" }, "
	    "{ \"name\": \"fpu\", \"activation\": \"parallel\" } ] }");
	cr_assert_eq(smt_pairing_reload_model(&s, mdir, err, sizeof(err)), 1);
	cr_assert_float_eq(s.model.intercept, 0.1, 1e-12);
}

Test(pairing, a_bad_profile_refuses_the_directory)
{
	char err[SMT_ERR_LEN];

	put_job(1, "a", 0.5, 0.5);
	put(prof, "b.json", "{ \"job_id\": 1 }");
	cr_assert_eq(smt_pairing_load_profiles(&s, prof, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "b.json"), "%s", err);
	put_job(1, "b", 0.5, 0.5); /* b.json again, valid, same id as a */
	cr_assert_eq(smt_pairing_load_profiles(&s, prof, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "'job_id'") && strstr(err, "a.json"), "%s", err);
	cr_assert_eq(smt_pairing_load_profiles(&s, "/nonexistent", err, sizeof(err)), -ENOENT);
}

/* A model that barely changes the scores does not move pairs; one that does, does. */
Test(pairing, barely_changed_scores_do_not_flap)
{
	char err[SMT_ERR_LEN];
	int before[4];

	put_job(1, "a", 0.6, 0.4);
	put_job(2, "b", 0.55, 0.45);
	put_job(3, "c", 0.5, 0.5);
	put_job(4, "d", 0.45, 0.55);
	put(mdir, "prediction_model_01.json", model);
	cr_assert_eq(smt_pairing_load_profiles(&s, prof, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(smt_pairing_reload_model(&s, mdir, err, sizeof(err)), 1);
	cr_assert_eq(smt_pairing_update(&s, err, sizeof(err)), 1);
	memcpy(before, s.mate, sizeof(before));
	for (int k = 2; k < 12; k++) {
		char name[64], text[512];

		snprintf(name, sizeof(name), "prediction_model_%02d.json", k);
		snprintf(text, sizeof(text),
			 "{ \"intercept\": 0.0, \"coefficients\": [0.2, %g, %g], \"resources\": [ "
			 "{ \"name\": \"mem\", \"activation\": \"sequential\" }, "
			 "{ \"name\": \"fpu\", \"activation\": \"parallel\" } ] }",
			 1.0 + (k % 2 ? 0.003 : -0.003), 1.0 + (k % 2 ? -0.003 : 0.003));
		put(mdir, name, text);
		cr_assert_eq(smt_pairing_reload_model(&s, mdir, err, sizeof(err)), 1);
		cr_assert_geq(smt_pairing_update(&s, err, sizeof(err)), 0);
		cr_assert_arr_eq(s.mate, before, sizeof(before), "pairs flapped at model %d", k);
	}
	cr_assert_eq(s.nr_changes, 1);
}

/*
 * Nothing changed (same jobs, profiles and model): the table is not
 * scored again. A new model, a changed profile or another job set is.
 */
Test(pairing, an_unchanged_table_is_not_solved_again)
{
	char err[SMT_ERR_LEN];
	struct smt_profile jobs[4];
	int64_t *score;

	put_job(1, "a", 0.9, 0.1);
	put_job(2, "b", 0.1, 0.9);
	put_job(3, "c", 0.8, 0.2);
	put_job(4, "d", 0.2, 0.8);
	put(mdir, "prediction_model_01.json", model);
	cr_assert_eq(smt_pairing_load_profiles(&s, prof, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(smt_pairing_reload_model(&s, mdir, err, sizeof(err)), 1);
	memcpy(jobs, s.profiles, sizeof(jobs));
	cr_assert_eq(smt_pairing_set_jobs(&s, jobs, 4), 0);
	cr_assert_eq(smt_pairing_update(&s, err, sizeof(err)), 1);
	score = s.score;
	cr_assert_eq(smt_pairing_set_jobs(&s, jobs, 4), 0);
	cr_assert_eq(smt_pairing_update(&s, err, sizeof(err)), 0);
	cr_assert_eq(s.score, score, "the same table was scored again");
	jobs[2].res[0].usage = 0.85; /* a profile read again with another value */
	cr_assert_eq(smt_pairing_set_jobs(&s, jobs, 4), 0);
	cr_assert_geq(smt_pairing_update(&s, err, sizeof(err)), 0);
	cr_assert_neq(s.score, score, "a changed profile was not scored");
	score = s.score;
	put(mdir, "prediction_model_02.json",
	    "{ \"intercept\": 0.1, \"coefficients\": [0.2, 1.0, 1.0], \"resources\": [ "
	    "{ \"name\": \"mem\", \"activation\": \"sequential\" }, "
	    "{ \"name\": \"fpu\", \"activation\": \"parallel\" } ] }");
	cr_assert_eq(smt_pairing_reload_model(&s, mdir, err, sizeof(err)), 1);
	cr_assert_geq(smt_pairing_update(&s, err, sizeof(err)), 0);
	cr_assert_neq(s.score, score, "a new model was not scored");
	score = s.score;
	cr_assert_eq(smt_pairing_set_jobs(&s, jobs, 3), 0);
	cr_assert_geq(smt_pairing_update(&s, err, sizeof(err)), 0);
	cr_assert_neq(s.score, score, "another job set was not scored");
}
