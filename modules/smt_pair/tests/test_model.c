// SPDX-License-Identifier: GPL-2.0
/* Profiles and the model from JSON: valid files, one-line errors, the newest model. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "modules/smt_pair/model.h"

static char dir[] = "/tmp/tsr-smt-model.XXXXXX";
static char path[512];

static void setup(void)
{
	strcpy(dir, "/tmp/tsr-smt-model.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

static const char *write_file(const char *name, const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

#define RES_OK \
	"{ \"sensitivity\": 0.5, \"intensity\": 0.4, \"usage\": 0.7, \"base_slowdown\": 0.2 }"
#define PROFILE_OK                                                                         \
	"{ \"job_id\": 3, \"name\": \"mcf\", \"single_ipc\": 1.2, \"l3_cache_ipc\": 1.1, " \
	"\"resources\": { \"l1d\": " RES_OK ", \"fpu\": " RES_OK " } }"
#define MODEL_OK                                                                       \
	"{ \"intercept\": 0.05, \"coefficients\": [0.8, 0.3, 0.25], \"resources\": [ " \
	"{ \"name\": \"l1d\", \"activation\": \"sequential\" }, "                      \
	"{ \"name\": \"fpu\", \"activation\": \"parallel\" } ] }"

/* @text as a profile fails, with one line naming the file and containing @want. */
static void profile_refused(const char *text, const char *want)
{
	struct smt_profile p;
	char err[SMT_ERR_LEN];
	const char *f = write_file("p.json", text);

	cr_assert_eq(smt_profile_load(f, &p, err, sizeof(err)), -EINVAL, "accepted: %s", text);
	cr_assert(strstr(err, f), "error does not name the file: %s", err);
	cr_assert(strstr(err, want), "error '%s' does not say '%s'", err, want);
	cr_assert_null(strchr(err, '\n'), "error is not one line: %s", err);
}

static void model_refused(const char *text, const char *want)
{
	struct smt_model m;
	char err[SMT_ERR_LEN];
	const char *f = write_file("prediction_model_1.json", text);

	cr_assert_eq(smt_model_load(f, &m, err, sizeof(err)), -EINVAL, "accepted: %s", text);
	cr_assert(strstr(err, f) && strstr(err, want), "error '%s' does not say '%s'", err, want);
	cr_assert_null(strchr(err, '\n'), "error is not one line: %s", err);
}

TestSuite(model, .init = setup, .fini = teardown);

Test(model, valid_profile_and_model)
{
	struct smt_profile p;
	struct smt_model m;
	char err[SMT_ERR_LEN];

	cr_assert_eq(smt_profile_load(write_file("p.json", PROFILE_OK), &p, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_eq(p.job_id, 3);
	cr_assert_str_eq(p.name, "mcf");
	cr_assert_eq(p.nr_res, 2);
	cr_assert_float_eq(p.res[0].usage, 0.7, 1e-12);
	cr_assert_eq(smt_model_load(write_file("m.json", MODEL_OK), &m, err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_eq(m.nr_res, 2);
	cr_assert_eq(m.act[1], SMT_ACT_PARALLEL);
	cr_assert_float_eq(m.coef[2], 0.25, 1e-12);
}

Test(model, bad_profiles_are_refused_in_one_line)
{
	profile_refused("{ \"name\": \"x\" }", "'job_id' is missing");
	profile_refused("{ \"job_id\": \"3\" }", "'job_id' must be a number");
	profile_refused("{ \"job_id\": 2.5 }", "'job_id' must be a whole number");
	profile_refused("{ \"job_id\": 1, \"name\": \"x\", \"single_ipc\": NaN }", "line 1");
	profile_refused("[1, 2]", "top level must be an object");
	profile_refused(
		"{ \"job_id\": 1, \"name\": \"x\", \"single_ipc\": 0, \"l3_cache_ipc\": 1 }",
		"'single_ipc' is 0");
	profile_refused("{ \"job_id\": 1, \"name\": \"x\", \"single_ipc\": 1, \"l3_cache_ipc\": 1, "
			"\"resources\": { \"l1d\": { \"sensitivity\": 1, \"intensity\": 1, "
			"\"usage\": \"high\", \"base_slowdown\": 0 } } }",
			"'resources.l1d.usage' must be a number");
	profile_refused("{ \"job_id\": 1, \"name\": \"x\", \"single_ipc\": 1, \"l3_cache_ipc\": 1, "
			"\"resources\": { \"l1d\": { \"sensitivity\": 1, \"intensity\": 1, "
			"\"usage\": 1.5, \"base_slowdown\": 0 } } }",
			"'resources.l1d.usage' is 1.5, accepted 0..1");
	profile_refused("{ \"job_id\": 1, \"name\": \"x\", \"single_ipc\": 1, \"l3_cache_ipc\": 1, "
			"\"resources\": { } }",
			"'resources' has 0 entries");
	profile_refused("{ \"job_id\": 1, \"job_id\": 2 }", "duplicate");
}

Test(model, huge_arrays_are_refused)
{
	char text[8192] = "{ \"job_id\": 1, \"name\": \"x\", \"single_ipc\": 1, "
			  "\"l3_cache_ipc\": 1, \"resources\": {";
	char coefs[4096] = "{ \"intercept\": 0, \"resources\": [ { \"name\": \"a\", "
			   "\"activation\": \"parallel\" } ], \"coefficients\": [";

	for (int i = 0; i < 17; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s \"r%d\": " RES_OK,
			 i ? "," : "", i);
	strcat(text, "} }");
	profile_refused(text, "'resources' has 17 entries, accepted 1..16");
	for (int i = 0; i < 1000; i++)
		snprintf(coefs + strlen(coefs), sizeof(coefs) - strlen(coefs), "%s1", i ? "," : "");
	strcat(coefs, "] }");
	model_refused(coefs, "'coefficients' must be an array of 2 numbers");
}

Test(model, bad_models_are_refused_in_one_line)
{
	model_refused("{ \"coefficients\": [] }", "'intercept' is missing");
	model_refused("{ \"intercept\": 0, \"resources\": [] }", "'resources' must be an array");
	model_refused("{ \"intercept\": 0, \"resources\": [ { \"name\": \"a\", \"activation\": "
		      "\"relu\" } ] }",
		      "'resources[0].activation' must be \"sequential\" or \"parallel\"");
	model_refused("{ \"intercept\": 0, \"resources\": [ { \"name\": \"a\", \"activation\": "
		      "\"parallel\" }, { \"name\": \"a\", \"activation\": \"parallel\" } ] }",
		      "'a' appears twice");
	model_refused("{ \"intercept\": 0, \"resources\": [ { \"name\": \"a\", \"activation\": "
		      "\"parallel\" } ], \"coefficients\": [1, \"x\"] }",
		      "'coefficients[1]'");
}

Test(model, newest_model_by_name)
{
	char out[512];

	cr_assert_eq(smt_model_newest(dir, out, sizeof(out)), -ENOENT);
	write_file("prediction_model_20260101-000000.json", MODEL_OK);
	write_file("prediction_model_20261127-120000.json", MODEL_OK);
	write_file("prediction_model_20250101-000000.json", MODEL_OK);
	write_file("other.json", MODEL_OK);
	cr_assert_eq(smt_model_newest(dir, out, sizeof(out)), 0);
	cr_assert(strstr(out, "prediction_model_20261127-120000.json"), "%s", out);
	cr_assert_eq(smt_model_newest("/nonexistent/dir", out, sizeof(out)), -ENOENT);
}
