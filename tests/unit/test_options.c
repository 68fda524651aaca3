// SPDX-License-Identifier: GPL-2.0
/* Option tables: parsing, validation and the one-line errors. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "framework/options.h"

static uint64_t num;
static double secs, every;
static bool flag;
static const char *str, *mode, *list;
static char errbuf[1024];
static FILE *err;

/* a list without empty entries */
static int check_list(const char *arg, char *why, size_t why_len)
{
	if (!strstr(arg, ",,"))
		return 0;
	snprintf(why, why_len, "has an empty entry (accepted: names, commas between)");
	return -EINVAL;
}

static const struct tsr_opt opts_a[] = {
	{ "num", 'n', TSR_OPT_U64, &num, .min = 10, .max = 100, .help = "a number" },
	{ "secs", 0, TSR_OPT_DOUBLE, &secs, .dmin = 0, .dmax = 60, .help = "seconds" },
	{ "every", 0, TSR_OPT_DOUBLE, &every, .dmin = 0.01, .dmax = 10, .zero_off = true,
	  .help = "an interval, 0 for never" },
	{ 0 },
};
static const struct tsr_opt opts_b[] = {
	{ "flag", 'f', TSR_OPT_FLAG, &flag, .help = "a flag" },
	{ "name", 0, TSR_OPT_STRING, &str, .help = "a name" },
	{ "mode", 0, TSR_OPT_STRING, &mode, .choices = "fast|slow|off", .help = "a mode" },
	{ "list", 0, TSR_OPT_STRING, &list, .check = check_list, .help = "a checked list" },
	{ 0 },
};
static const struct tsr_opt_group groups[] = { { "A", opts_a }, { "B", opts_b } };

static void setup(void)
{
	num = 50;
	secs = 1;
	every = 1;
	flag = false;
	str = NULL;
	mode = "fast";
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

Test(options, a_checked_string_names_what_is_wrong)
{
	list = NULL;
	cr_expect_eq(PARSE("--list", "a,b"), TSR_PARSE_OK);
	cr_expect_str_eq(list, "a,b");
	cr_expect_eq(PARSE("--list", "a,,b"), TSR_PARSE_ERROR);
	cr_expect_str_eq(
		errbuf,
		"prog: --list: 'a,,b' has an empty entry (accepted: names, commas between)\n");
	cr_expect_str_eq(list, "a,b", "value untouched");
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

Test(options, choices_accept_only_their_values)
{
	cr_expect_eq(PARSE("--mode", "slow"), TSR_PARSE_OK);
	cr_expect_str_eq(mode, "slow");
	cr_expect_eq(PARSE("--mode=off"), TSR_PARSE_OK);
	cr_expect_str_eq(mode, "off");
	cr_expect_eq(PARSE("--mode", "sl"), TSR_PARSE_ERROR, "a prefix is not a choice");
	cr_expect_eq(PARSE("--mode", "slower"), TSR_PARSE_ERROR);
	cr_expect(strstr(errbuf, "--mode: 'slower' is unknown (accepted: fast, slow, off)"), "%s",
		  errbuf);
	cr_expect_eq(PARSE("--mode", "fast|slow"), TSR_PARSE_ERROR, "two choices are not one");
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

/* One grammar: whole numbers are decimal digits only. */
Test(options, whole_number_grammar)
{
	static const char *const bad[] = { " 12", "\t12", "12 ", "+12", "0x10", "1e1", "12.0", "" };
	static const char *const good[] = { "12", "010", "100" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		setup();
		cr_expect_eq(PARSE("--num", (char *)bad[i]), TSR_PARSE_ERROR, "'%s' accepted",
			     bad[i]);
		cr_expect(strstr(errbuf, "is not a whole number"), "'%s': %s", bad[i], errbuf);
		teardown();
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		setup();
		cr_expect_eq(PARSE("--num", (char *)good[i]), TSR_PARSE_OK, "'%s': %s", good[i],
			     errbuf);
		teardown();
	}
	setup();
}

/* Decimal numbers: [-]digits[.digits][e[+-]digits]; nothing else. */
Test(options, decimal_grammar)
{
	static const char *const bad[] = { "0x1p3", "inf", "nan", " 1",	 "1 ", "1e",
					   "e3",    ".",   "--1", "1,5", "",   "1.5.1" };
	static const char *const good[] = { "1", "1.5", ".5", "5.", "2e1", "2E+1", "30e-1", "0" };
	static const double val[] = { 1, 1.5, .5, 5, 20, 20, 3, 0 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		setup();
		cr_expect_eq(PARSE("--secs", (char *)bad[i]), TSR_PARSE_ERROR, "'%s' accepted",
			     bad[i]);
		cr_expect(strstr(errbuf, "is not a number"), "'%s': %s", bad[i], errbuf);
		teardown();
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		setup();
		cr_expect_eq(PARSE("--secs", (char *)good[i]), TSR_PARSE_OK, "'%s': %s", good[i],
			     errbuf);
		cr_expect_float_eq(secs, val[i], 1e-12, "'%s' gave %g", good[i], secs);
		teardown();
	}
	setup();
}

Test(options, zero_means_off_besides_the_range)
{
	cr_expect_eq(PARSE("--every", "0"), TSR_PARSE_OK);
	cr_expect_eq(every, 0);
	setup();
	cr_expect_eq(PARSE("--every", "1e-300"), TSR_PARSE_ERROR);
	cr_expect_str_eq(errbuf,
			 "prog: --every: '1e-300' is out of range (accepted: 0 or 0.01..10)\n");
	setup();
	cr_expect_eq(PARSE("--every", "0.005"), TSR_PARSE_ERROR);
	cr_expect_eq(every, 1, "value untouched");
}

Test(options, control_bytes_are_escaped_in_one_line)
{
	cr_expect_eq(PARSE("--num", "1\n2"), TSR_PARSE_ERROR);
	cr_expect_str_eq(errbuf,
			 "prog: --num: '1\\n2' is not a whole number (accepted: 10..100)\n");
	setup();
	cr_expect_eq(PARSE("--bo\x01gus"), TSR_PARSE_ERROR);
	cr_expect_str_eq(errbuf, "prog: unknown option '--bo\\x01gus' (see --help)\n");
}

Test(options, value_given_to_a_flag_names_the_option)
{
	cr_expect_eq(PARSE("--help=x"), TSR_PARSE_ERROR);
	cr_expect_str_eq(errbuf, "prog: option '--help' takes no value (see --help)\n");
	setup();
	cr_expect_eq(PARSE("--version=1"), TSR_PARSE_ERROR);
	cr_expect_str_eq(errbuf, "prog: option '--version' takes no value (see --help)\n");
	setup();
	cr_expect_eq(PARSE("--flag=1"), TSR_PARSE_ERROR);
	cr_expect_str_eq(errbuf, "prog: option '--flag' takes no value (see --help)\n");
}

Test(options, long_values_are_cut)
{
	char big[4096];

	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = 'x';
	cr_expect_eq(PARSE("--num", big), TSR_PARSE_ERROR);
	cr_expect_lt(strlen(errbuf), 200, "%zu bytes", strlen(errbuf));
	cr_expect(strstr(errbuf, "...' is not a whole number"), "%s", errbuf);
}

Test(options, every_argument_is_seen)
{
	char *argv[602];
	int n = 0;

	argv[n++] = "prog";
	for (int i = 0; i < 300; i++) {
		argv[n++] = "--num";
		argv[n++] = "20";
	}
	argv[n - 1] = "5"; /* the 600th argument is out of range */
	argv[n] = NULL;
	cr_expect_eq(parse(n, argv), TSR_PARSE_ERROR);
	cr_expect(strstr(errbuf, "'5' is out of range"), "%s", errbuf);
}

Test(options, a_rename_reaches_the_first_owner_only)
{
	struct tsr_opt *fw = tsr_opts_copy(opts_a), *mod = tsr_opts_copy(opts_a);
	struct tsr_opt *tables[] = { fw, mod };
	const struct tsr_opt_override ov[] = {
		{ "num", "count", 0, false }, /* the framework's --num makes way */
		{ 0 },
	};

	cr_assert_eq(tsr_opts_override(tables, 2, ov, err), 0);
	cr_expect_str_eq(fw[0].name, "count");
	cr_expect_str_eq(mod[0].name, "num", "a module's option of the same name keeps it");
	free(fw);
	free(mod);
}

Test(options, composition_overrides_move_letters_rename_and_hide)
{
	struct tsr_opt *a = tsr_opts_copy(opts_a), *b = tsr_opts_copy(opts_b);
	struct tsr_opt *tables[] = { a, b };
	const struct tsr_opt_override ov[] = {
		{ "secs", NULL, 'n', false }, /* -n moves from --num to --secs */
		{ "name", "label", 0, false },
		{ "flag", NULL, 0, true },
		{ 0 },
	};
	struct tsr_opt_group g[] = { { "A", a }, { "B", b } };

	cr_assert_eq(tsr_opts_override(tables, 2, ov, err), 0);
	cr_expect_eq(a[0].short_name, 0, "--num lost -n");
	cr_expect_eq(a[1].short_name, 'n');
	cr_expect_str_eq(b[0].name, "label", "flag is gone, name renamed");
	cr_expect_str_eq(b[1].name, "mode");
	cr_expect_str_eq(b[2].name, "list");
	cr_expect_null(b[3].name);
	cr_expect_eq(tsr_opts_parse(g, 2, 3, (char *[]){ "prog", "-n", "7", NULL }, "prog", err),
		     TSR_PARSE_OK);
	cr_expect_float_eq(secs, 7, 1e-12);
	cr_expect_eq(tsr_opts_parse(g, 2, 2, (char *[]){ "prog", "--flag", NULL }, "prog", err),
		     TSR_PARSE_ERROR);
	free(a);
	free(b);
}

Test(options, override_of_a_missing_option_is_an_error)
{
	struct tsr_opt *a = tsr_opts_copy(opts_a);
	struct tsr_opt *tables[] = { a };
	const struct tsr_opt_override ov[] = { { "nosuch", NULL, 'x', false }, { 0 } };

	cr_expect_eq(tsr_opts_override(tables, 1, ov, err), -ENOENT);
	fflush(err);
	cr_expect(strstr(errbuf, "--nosuch"), "%s", errbuf);
	free(a);
}
