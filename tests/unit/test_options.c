// SPDX-License-Identifier: GPL-2.0
/* Option tables: parsing, validation and the one-line errors. */
#include <criterion/criterion.h>
#include <string.h>
#include "framework/options.h"

static uint64_t num;
static double secs;
static bool flag;
static const char *str;
static char errbuf[1024];
static FILE *err;

static const struct tsr_opt opts_a[] = {
	{ "num", 'n', TSR_OPT_U64, &num, .min = 10, .max = 100, .help = "a number" },
	{ "secs", 0, TSR_OPT_DOUBLE, &secs, .dmin = 0, .dmax = 60, .help = "seconds" },
	{ 0 },
};
static const struct tsr_opt opts_b[] = {
	{ "flag", 'f', TSR_OPT_FLAG, &flag, .help = "a flag" },
	{ "name", 0, TSR_OPT_STRING, &str, .help = "a name" },
	{ 0 },
};
static const struct tsr_opt_group groups[] = { { "A", opts_a }, { "B", opts_b } };

static void setup(void)
{
	num = 50;
	secs = 1;
	flag = false;
	str = NULL;
	memset(errbuf, 0, sizeof(errbuf));
	err = fmemopen(errbuf, sizeof(errbuf), "w");
}

static void teardown(void)
{
	fclose(err);
}

static enum tsr_parse_result parse(int argc, char **argv)
{
	enum tsr_parse_result r = tsr_opts_parse(groups, 2, argc, argv, "prog", err);

	fflush(err);
	return r;
}

#define ARGV(...) ((char *[]){ "prog", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "prog", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(...) parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

TestSuite(options, .init = setup, .fini = teardown);

Test(options, accepts_valid_values_in_both_groups)
{
	cr_assert_eq(PARSE("--num", "10", "--secs=2.5", "-f", "--name", "x"), TSR_PARSE_OK, "%s",
		     errbuf);
	cr_expect_eq(num, 10);
	cr_expect_float_eq(secs, 2.5, 1e-9);
	cr_expect(flag);
	cr_expect_str_eq(str, "x");
}

Test(options, short_names_work)
{
	cr_assert_eq(PARSE("-n", "100"), TSR_PARSE_OK, "%s", errbuf);
	cr_expect_eq(num, 100);
}

Test(options, later_value_wins)
{
	cr_assert_eq(PARSE("--num", "20", "--num", "30"), TSR_PARSE_OK);
	cr_expect_eq(num, 30);
}

Test(options, out_of_range_names_value_and_range)
{
	cr_expect_eq(PARSE("--num", "101"), TSR_PARSE_ERROR);
	cr_expect_str_eq(errbuf, "prog: --num: '101' is out of range (accepted: 10..100)\n");
	cr_expect_eq(num, 50, "value untouched");
}

Test(options, negative_is_rejected_not_wrapped)
{
	cr_expect_eq(PARSE("--num", "-1"), TSR_PARSE_ERROR);
	cr_expect(strstr(errbuf, "'-1' is not a whole number"), "%s", errbuf);
	cr_expect_eq(num, 50);
}

Test(options, huge_number_is_out_of_range)
{
	cr_expect_eq(PARSE("--num", "99999999999999999999999"), TSR_PARSE_ERROR);
	cr_expect(strstr(errbuf, "out of range"), "%s", errbuf);
}

Test(options, trailing_garbage_is_rejected)
{
	cr_expect_eq(PARSE("--num", "12abc"), TSR_PARSE_ERROR);
	cr_expect(strstr(errbuf, "'12abc' is not a whole number (accepted: 10..100)"), "%s",
		  errbuf);
}

Test(options, double_range_and_garbage)
{
	cr_expect_eq(PARSE("--secs", "-1"), TSR_PARSE_ERROR);
	cr_expect(strstr(errbuf, "--secs: '-1' is out of range (accepted: 0..60)"), "%s", errbuf);
	setup();
	cr_expect_eq(PARSE("--secs", "nan"), TSR_PARSE_ERROR);
	cr_expect(strstr(errbuf, "is not a number"), "%s", errbuf);
}

Test(options, unknown_option)
{
	cr_expect_eq(PARSE("--bogus"), TSR_PARSE_ERROR);
	cr_expect_str_eq(errbuf, "prog: unknown option '--bogus' (see --help)\n");
	setup();
	cr_expect_eq(PARSE("-z"), TSR_PARSE_ERROR);
	cr_expect_str_eq(errbuf, "prog: unknown option '-z' (see --help)\n");
}

Test(options, missing_value)
{
	cr_expect_eq(PARSE("--num"), TSR_PARSE_ERROR);
	cr_expect_str_eq(errbuf, "prog: option '--num' needs a value (see --help)\n");
}

Test(options, empty_string_rejected)
{
	cr_expect_eq(PARSE("--name="), TSR_PARSE_ERROR);
	cr_expect(strstr(errbuf, "--name: the value must not be empty"), "%s", errbuf);
}

Test(options, positional_argument_rejected)
{
	cr_expect_eq(PARSE("stray"), TSR_PARSE_ERROR);
	cr_expect(strstr(errbuf, "unexpected argument 'stray'"), "%s", errbuf);
}

Test(options, help_and_version)
{
	cr_expect_eq(PARSE("--help"), TSR_PARSE_HELP);
	cr_expect_eq(PARSE("-h"), TSR_PARSE_HELP);
	cr_expect_eq(PARSE("--version"), TSR_PARSE_VERSION);
}

Test(options, every_error_is_one_line)
{
	cr_expect_eq(PARSE("--num", "5"), TSR_PARSE_ERROR);
	cr_expect_eq(strchr(errbuf, '\n'), errbuf + strlen(errbuf) - 1);
}

Test(options, duplicate_names_are_caught)
{
	static const struct tsr_opt dup[] = {
		{ "num", 0, TSR_OPT_FLAG, &flag, .help = "clash" },
		{ 0 },
	};
	static const struct tsr_opt dup_short[] = {
		{ "other", 'n', TSR_OPT_FLAG, &flag, .help = "clash" },
		{ 0 },
	};
	struct tsr_opt_group g1[] = { { "A", opts_a }, { "D", dup } };
	struct tsr_opt_group g2[] = { { "A", opts_a }, { "D", dup_short } };

	cr_expect_eq(tsr_opts_check_unique(groups, 2, err), 0);
	cr_expect_neq(tsr_opts_check_unique(g1, 2, err), 0);
	cr_expect_neq(tsr_opts_check_unique(g2, 2, err), 0);
}

Test(options, usage_lists_every_option_with_range)
{
	char out[4096] = "";
	FILE *f = fmemopen(out, sizeof(out), "w");

	tsr_opts_usage(groups, 2, "prog", "a test", f);
	fclose(f);
	cr_expect(strstr(out, "-n, --num VAL"), "%s", out);
	cr_expect(strstr(out, "[default: 50, 10..100]"), "%s", out);
	cr_expect(strstr(out, "--flag"), "%s", out);
}
