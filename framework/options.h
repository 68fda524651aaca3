/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options as tables: the framework and each module describe
 * their options (name, type, range, help) and the parser builds one
 * getopt_long() command line from all of them, validates every value and
 * reports the first bad one in one line.
 */
#ifndef TSR_OPTIONS_H
#define TSR_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum tsr_opt_type {
	TSR_OPT_FLAG, /* no argument; sets *flag to true */
	TSR_OPT_U64, /* decimal digits only, within [min, max] */
	TSR_OPT_DOUBLE, /* [-]digits[.digits][e[+-]digits], within [dmin, dmax] */
	TSR_OPT_STRING, /* any non-empty string, or one of choices */
};

struct tsr_opt {
	const char *name; /* long name without the dashes */
	char short_name; /* 0 for none */
	enum tsr_opt_type type;
	void *dst; /* bool *, uint64_t *, double * or const char ** */
	uint64_t min, max; /* TSR_OPT_U64 range, inclusive */
	double dmin, dmax; /* TSR_OPT_DOUBLE range, inclusive */
	bool zero_off; /* TSR_OPT_DOUBLE: 0 (meaning "off") is accepted besides the range */
	const char *choices; /* TSR_OPT_STRING: the accepted values, "a|b|c"; NULL for any */
	/* TSR_OPT_STRING: 0 if @arg is good, else -errno and in @why what is wrong with it */
	int (*check)(const char *arg, char *why, size_t why_len);
	const char *metavar;
	const char *help;
};

/* One group of options: the framework's or one module's. */
struct tsr_opt_group {
	const char *title;
	const struct tsr_opt *opts; /* ends with an entry whose name is NULL */
};

enum tsr_parse_result {
	TSR_PARSE_OK = 0,
	TSR_PARSE_HELP = 1, /* -h/--help was given */
	TSR_PARSE_VERSION = 2, /* --version was given */
	TSR_PARSE_MAN = 3, /* --man was given */
	TSR_PARSE_ERROR = -1, /* message written to err */
};

/*
 * Parse argv against the groups. -h/--help, --version and --man are built in.
 * On error writes "<prog>: <what is wrong>" as one line to err.
 */
enum tsr_parse_result tsr_opts_parse(const struct tsr_opt_group *groups, int nr_groups, int argc,
				     char *const argv[], const char *prog, FILE *err);

/*
 * As tsr_opts_parse, for a program that also takes arguments: they are
 * moved after the options, *@first is the index of the first of them.
 */
enum tsr_parse_result tsr_opts_parse_args(const struct tsr_opt_group *groups, int nr_groups,
					  int argc, char *const argv[], const char *prog, FILE *err,
					  int *first);

/*
 * How a composition changes an option it did not define (schedulers/<name>.conf:
 * letters, rename, hide), applied before parsing to the first group that
 * defines the name: the framework's, else the modules' in order (so a
 * framework option can make way for a module's of the same name).
 */
struct tsr_opt_override {
	const char *name; /* the option as its module (or the framework) names it */
	const char *rename; /* its long name in this scheduler, or NULL */
	char short_name; /* its letter in this scheduler (taken from whoever had it), or 0 */
	bool hide; /* not offered by this scheduler at all */
};

/* A heap copy of an option table (with its terminator); NULL on ENOMEM. */
struct tsr_opt *tsr_opts_copy(const struct tsr_opt *opts);

/*
 * Apply @ov (ending with a NULL name) to the copied @tables. 0, or -ENOENT
 * when an override names no option (message to err).
 */
int tsr_opts_override(struct tsr_opt **tables, int nr_tables, const struct tsr_opt_override *ov,
		      FILE *err);

/* " [default: ..., RANGE]" for @o, as --help shows it (nothing for a flag). */
void tsr_opt_print_default(const struct tsr_opt *o, FILE *out);

/* Print the usage text for the groups. */
void tsr_opts_usage(const struct tsr_opt_group *groups, int nr_groups, const char *prog,
		    const char *description, FILE *out);

/* Check that no two options share a long or short name; 0 or -EEXIST (message to err). */
int tsr_opts_check_unique(const struct tsr_opt_group *groups, int nr_groups, FILE *err);

#endif /* TSR_OPTIONS_H */
