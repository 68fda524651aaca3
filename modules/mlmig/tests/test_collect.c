// SPDX-License-Identifier: GPL-2.0
/* The candidate log: moves judged rounds later, read back as training samples. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "modules/mlmig/collect.h"

static struct mlmig_collector c;
static char path[] = "/tmp/tsr-mlmig-log-XXXXXX";

/* The scheduler now: task 1 stayed in domain 1, task 2 went back to 0; loads per domain. */
static double loads[2] = { 300, 300 };

static int dom_of(void *data, uint32_t task, uint32_t gen)
{
	return gen != 3 ? -1 : task == 1 ? 1 : 0;
}

static double load(void *data, int dom)
{
	return loads[dom];
}

static const struct mlmig_now now = { dom_of, load, NULL };

static void run_log(void)
{
	float x[MLMIG_INPUTS] = { 0.5f, 0.25f, 0.75f, 0.9f, 0.2f };

	cr_assert_geq(mkstemp(path), 0);
	cr_assert_eq(mlmig_collect_open(&c, path, MLMIG_FEATURES_SEED), 0);
	/* round 1: task 1 moved 0 -> 1 (gap 400), task 5 offered and not taken */
	mlmig_collect_offer(&c, 1, x, 1, 3, 0, 1, 400, true);
	mlmig_collect_offer(&c, 1, x, 5, 3, 0, 1, 400, false);
	/* round 2: task 2 moved 0 -> 1 */
	mlmig_collect_offer(&c, 2, x, 2, 3, 0, 1, 400, true);
	mlmig_collect_judge(&c, 3, &now); /* too early for either */
	cr_expect_eq(c.good + c.bad, 0);
	mlmig_collect_judge(&c, 4, &now); /* task 1: stayed, gap 0 < 400: good */
	cr_expect_eq(c.good, 1);
	loads[0] = 900; /* the gap is back to 600 */
	mlmig_collect_judge(&c, 5, &now); /* task 2: back in 0: bad */
	cr_expect_eq(c.bad, 1);
	mlmig_collect_offer(&c, 6, x, 7, 3, 0, 1, 400, true); /* never judged */
	mlmig_collect_close(&c);
}

Test(collect, moves_are_judged_after_the_rounds_and_read_back)
{
	struct mlmig_sample *s = NULL;
	uint32_t set;
	char err[256] = "", line[512];
	int n = 0, lines = 0;
	FILE *f;

	run_log();
	f = fopen(path, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		lines++;
	cr_expect_eq(lines, 5, "header and four candidates");
	rewind(f);
	cr_assert_eq(mlmig_read_log(f, path, &set, &s, &n, err, sizeof(err)), 0, "%s", err);
	fclose(f);
	cr_expect_eq(set, MLMIG_FEATURES_SEED);
	cr_assert_eq(n, 2, "only judged moves are samples");
	cr_expect_eq(s[0].y, 1, "task 1 stayed and the gap closed");
	cr_expect_eq(s[1].y, 0, "task 2 went back");
	cr_expect_float_eq(s[1].x[3], 0.9f, 1e-6);
	free(s);
	unlink(path);
}

Test(collect, a_malformed_log_is_refused_naming_the_line)
{
	char text[] = "# tessera mlmig candidates v1 features=seed\n"
		      "1,2,1,0,0,0,0,0,0,0,0,0,0,1\n"
		      "1,2,1,0,0,0,0,0,0,0,0,0,0,7\n";
	struct mlmig_sample *s = NULL;
	uint32_t set;
	char err[256] = "";
	int n = 0;
	FILE *f = fmemopen(text, strlen(text), "r");

	cr_expect_eq(mlmig_read_log(f, "log", &set, &s, &n, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "log:3:"), "%s", err);
	fclose(f);
	free(s);
	f = fmemopen("# something else\n", 17, "r");
	cr_expect_eq(mlmig_read_log(f, "log", &set, &s, &n, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "log:1: not a candidate log"), "%s", err);
	fclose(f);
}
