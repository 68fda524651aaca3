// SPDX-License-Identifier: GPL-2.0
/* Table-driven command-line parsing shared by every composed scheduler. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"

#define TSR_MAX_OPTS 128
#define OPT_HELP 1
#define OPT_VERSION 2
#define OPT_MAN 3
#define OPT_BASE 256

struct opt_index {
	const struct tsr_opt *opt[TSR_MAX_OPTS];
	int nr;
};

static int collect(const struct tsr_opt_group *groups, int nr_groups, struct opt_index *idx)
{
	idx->nr = 0;
	for (int g = 0; g < nr_groups; g++) {
		for (const struct tsr_opt *o = groups[g].opts; o && o->name; o++) {
			if (idx->nr == TSR_MAX_OPTS)
				return -E2BIG;
			idx->opt[idx->nr++] = o;
		}
	}
	return 0;
}

struct tsr_opt *tsr_opts_copy(const struct tsr_opt *opts)
{
	size_t n = 0;
	struct tsr_opt *copy;

	while (opts && opts[n].name)
		n++;
	copy = calloc(n + 1, sizeof(*copy));
	if (copy && n)
		memcpy(copy, opts, n * sizeof(*copy));
	return copy;
}

static struct tsr_opt *find_opt(struct tsr_opt **tables, int nr_tables, const char *name)
{
	for (int i = 0; i < nr_tables; i++)
		for (struct tsr_opt *o = tables[i]; o->name; o++)
			if (!strcmp(o->name, name))
				return o;
	return NULL;
}

static void remove_opt(struct tsr_opt *o)
{
	do
		o[0] = o[1];
	while ((o++)->name);
}

int tsr_opts_override(struct tsr_opt **tables, int nr_tables, const struct tsr_opt_override *ov,
		      FILE *err)
{
	for (; ov && ov->name; ov++) {
		struct tsr_opt *o = find_opt(tables, nr_tables, ov->name);

		if (!o) {
			fprintf(err,
				"the scheduler's description changes option --%s, which no "
				"module defines\n",
				ov->name);
			return -ENOENT;
		}
		if (ov->hide) {
			remove_opt(o);
			continue;
		}
		if (ov->short_name) {
			/* the letter moves: whoever had it loses it */
			for (int i = 0; i < nr_tables; i++)
				for (struct tsr_opt *x = tables[i]; x->name; x++)
					if (x->short_name == ov->short_name)
						x->short_name = 0;
			o->short_name = ov->short_name;
		}
		if (ov->rename)
			o->name = ov->rename;
	}
	return 0;
}

int tsr_opts_check_unique(const struct tsr_opt_group *groups, int nr_groups, FILE *err)
{
	struct opt_index idx;

	if (collect(groups, nr_groups, &idx))
		return -E2BIG;
	for (int i = 0; i < idx.nr; i++) {
		const struct tsr_opt *a = idx.opt[i];

		if (!strcmp(a->name, "help") || !strcmp(a->name, "version") ||
		    !strcmp(a->name, "man") || a->short_name == 'h') {
			fprintf(err, "option --%s clashes with a built-in option\n", a->name);
			return -EEXIST;
		}
		for (int j = i + 1; j < idx.nr; j++) {
			const struct tsr_opt *b = idx.opt[j];

			if (!strcmp(a->name, b->name) ||
			    (a->short_name && a->short_name == b->short_name)) {
				fprintf(err, "options --%s and --%s share a name\n", a->name,
					b->name);
				return -EEXIST;
			}
		}
	}
	return 0;
}

/* Whole numbers: decimal digits only (no sign, blanks or base prefix). */
static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == ERANGE ? -ERANGE : 0;
}

/*
 * Decimal numbers: an optional '-', digits with an optional fraction and an
 * optional exponent (1, 0.5, .5, 2e-3). No blanks, hex floats, inf or nan.
 */
static int parse_double(const char *s, double *out)
{
	const char *p = s + (*s == '-');
	size_t ip = strspn(p, "0123456789"), fp = 0;
	char *end;

	p += ip;
	if (*p == '.')
		fp = strspn(++p, "0123456789");
	if (!ip && !fp)
		return -EINVAL;
	p += fp;
	if (*p == 'e' || *p == 'E') {
		p += 1 + (p[1] == '+' || p[1] == '-');
		if (!strspn(p, "0123456789"))
			return -EINVAL;
		p += strspn(p, "0123456789");
	}
	if (*p)
		return -EINVAL;
	errno = 0;
	*out = strtod(s, &end);
	if (errno == ERANGE && *out != 0)
		return -ERANGE;
	return 0;
}

/*
 * @s as it may be shown in a one-line message: control bytes escaped, long
 * values cut. Returns @buf.
 */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s && n + 8 < size; s++) {
		unsigned char c = *s;

		if (c == '\n')
			n += snprintf(buf + n, size - n, "\\n");
		else if (c == '\t')
			n += snprintf(buf + n, size - n, "\\t");
		else if (c < 0x20 || c == 0x7f)
			n += snprintf(buf + n, size - n, "\\x%02x", c);
		else
			buf[n++] = c;
	}
	if (*s)
		n += snprintf(buf + n, size - n, "...");
	buf[n] = '\0';
	return buf;
}

#define SHOWN_LEN 96
#define SHOW(s) shown((s), (char[SHOWN_LEN]){ 0 }, SHOWN_LEN)

/* Whether @arg is one of @choices ("a|b|c"). */
static bool is_choice(const char *choices, const char *arg)
{
	size_t len = strlen(arg);

	if (strchr(arg, '|'))
		return false;
	for (const char *c = choices; c; c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL)
		if (!strncmp(c, arg, len) && (c[len] == '|' || !c[len]))
			return true;
	return false;
}

static void print_range(const struct tsr_opt *o, FILE *err)
{
	if (o->type == TSR_OPT_STRING) {
		for (const char *c = o->choices; *c; c++) {
			if (*c == '|')
				fputs(", ", err);
			else
				fputc(*c, err);
		}
		return;
	}
	if (o->type == TSR_OPT_U64)
		fprintf(err, "%llu..%llu", (unsigned long long)o->min, (unsigned long long)o->max);
	else if (o->zero_off)
		fprintf(err, "0 or %.10g..%.10g", o->dmin, o->dmax);
	else
		fprintf(err, "%.10g..%.10g", o->dmin, o->dmax);
}

static int bad_value(const struct tsr_opt *o, const char *arg, const char *prog, FILE *err,
		     const char *what, int ret)
{
	fprintf(err, "%s: --%s: '%s' %s (accepted: ", prog, o->name, SHOW(arg), what);
	print_range(o, err);
	fprintf(err, ")\n");
	return ret;
}

static int set_value(const struct tsr_opt *o, const char *arg, const char *prog, FILE *err)
{
	uint64_t u;
	double d;
	int ret;

	switch (o->type) {
	case TSR_OPT_FLAG:
		*(bool *)o->dst = true;
		return 0;
	case TSR_OPT_STRING:
		if (!arg || !*arg) {
			fprintf(err, "%s: --%s: the value must not be empty\n", prog, o->name);
			return -EINVAL;
		}
		if (o->choices && !is_choice(o->choices, arg))
			return bad_value(o, arg, prog, err, "is unknown", -EINVAL);
		if (o->check) {
			char why[256] = "is not accepted";

			ret = o->check(arg, why, sizeof(why));
			if (ret) {
				fprintf(err, "%s: --%s: '%s' %s\n", prog, o->name, SHOW(arg), why);
				return ret;
			}
		}
		*(const char **)o->dst = arg;
		return 0;
	case TSR_OPT_U64:
		ret = parse_u64(arg, &u);
		if (ret == -EINVAL)
			return bad_value(o, arg, prog, err, "is not a whole number", -EINVAL);
		if (ret || u < o->min || u > o->max)
			return bad_value(o, arg, prog, err, "is out of range", -ERANGE);
		*(uint64_t *)o->dst = u;
		return 0;
	case TSR_OPT_DOUBLE:
		ret = parse_double(arg, &d);
		if (ret == -EINVAL)
			return bad_value(o, arg, prog, err, "is not a number", -EINVAL);
		if (ret || ((d < o->dmin || d > o->dmax) && !(o->zero_off && d == 0)))
			return bad_value(o, arg, prog, err, "is out of range", -ERANGE);
		*(double *)o->dst = d;
		return 0;
	}
	return -EINVAL;
}

static void build_getopt(const struct opt_index *idx, struct option *longs, char *shorts)
{
	int n = 0, s = 0;

	shorts[s++] = ':'; /* report a missing argument as ':' */
	shorts[s++] = 'h';
	for (int i = 0; i < idx->nr; i++) {
		const struct tsr_opt *o = idx->opt[i];
		int has_arg = o->type == TSR_OPT_FLAG ? no_argument : required_argument;

		longs[n++] = (struct option){ o->name, has_arg, NULL, OPT_BASE + i };
		if (o->short_name) {
			shorts[s++] = o->short_name;
			if (has_arg)
				shorts[s++] = ':';
		}
	}
	longs[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	longs[n++] = (struct option){ "version", no_argument, NULL, OPT_VERSION };
	longs[n++] = (struct option){ "man", no_argument, NULL, OPT_MAN };
	longs[n] = (struct option){ 0 };
	shorts[s] = '\0';
}

static const struct tsr_opt *by_short(const struct opt_index *idx, int c)
{
	for (int i = 0; i < idx->nr; i++)
		if (idx->opt[i]->short_name == c)
			return idx->opt[i];
	return NULL;
}

/* getopt refused @bad: an unknown option, or a value given to one that takes none. */
static void unknown_option(const char *bad, int opt, const char *prog, FILE *err)
{
	const char *eq = strchr(bad, '=');

	char name[64];

	if (!strncmp(bad, "--", 2) && eq && opt) {
		snprintf(name, sizeof(name), "%.*s", (int)(eq - bad), bad);
		fprintf(err, "%s: option '%s' takes no value (see --help)\n", prog, SHOW(name));
	} else if (opt > 0x20 && opt < 0x7f)
		fprintf(err, "%s: unknown option '-%c' (see --help)\n", prog, opt);
	else
		fprintf(err, "%s: unknown option '%s' (see --help)\n", prog, SHOW(bad));
}

/* As tsr_opts_parse; arguments that are not options are left for the caller when @first is set. */
static enum tsr_parse_result parse(const struct tsr_opt_group *groups, int nr_groups, int argc,
				   char *const argv[], const char *prog, FILE *err, int *first)
{
	struct option longs[TSR_MAX_OPTS + 4];
	char shorts[3 * TSR_MAX_OPTS + 3];
	struct opt_index idx;
	int c, li;

	if (collect(groups, nr_groups, &idx)) {
		fprintf(err, "%s: more than %d options\n", prog, TSR_MAX_OPTS);
		return TSR_PARSE_ERROR;
	}
	build_getopt(&idx, longs, shorts);
	optind = 0; /* full re-initialisation, so parsing can run more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, &li)) != -1) {
		const struct tsr_opt *o = NULL;
		const char *bad = argv[optind - 1];

		if (c == 'h' || c == OPT_HELP)
			return TSR_PARSE_HELP;
		if (c == OPT_VERSION)
			return TSR_PARSE_VERSION;
		if (c == OPT_MAN)
			return TSR_PARSE_MAN;
		if (c == ':') {
			fprintf(err, "%s: option '%s' needs a value (see --help)\n", prog,
				SHOW(bad));
			return TSR_PARSE_ERROR;
		}
		if (c == '?') {
			unknown_option(bad, optopt, prog, err);
			return TSR_PARSE_ERROR;
		}
		o = c >= OPT_BASE ? idx.opt[c - OPT_BASE] : by_short(&idx, c);
		if (!o || set_value(o, optarg, prog, err))
			return TSR_PARSE_ERROR;
	}
	if (first) {
		*first = optind;
		return TSR_PARSE_OK;
	}
	if (optind < argc) {
		fprintf(err, "%s: unexpected argument '%s' (see --help)\n", prog,
			SHOW(argv[optind]));
		return TSR_PARSE_ERROR;
	}
	return TSR_PARSE_OK;
}

enum tsr_parse_result tsr_opts_parse(const struct tsr_opt_group *groups, int nr_groups, int argc,
				     char *const argv[], const char *prog, FILE *err)
{
	return parse(groups, nr_groups, argc, argv, prog, err, NULL);
}

enum tsr_parse_result tsr_opts_parse_args(const struct tsr_opt_group *groups, int nr_groups,
					  int argc, char *const argv[], const char *prog, FILE *err,
					  int *first)
{
	return parse(groups, nr_groups, argc, argv, prog, err, first);
}

void tsr_opt_print_default(const struct tsr_opt *o, FILE *out)
{
	switch (o->type) {
	case TSR_OPT_U64:
		fprintf(out, " [default: %llu, %llu..%llu]",
			(unsigned long long)*(uint64_t *)o->dst, (unsigned long long)o->min,
			(unsigned long long)o->max);
		break;
	case TSR_OPT_DOUBLE:
		fprintf(out, " [default: %.10g, %s%.10g..%.10g]", *(double *)o->dst,
			o->zero_off ? "0 or " : "", o->dmin, o->dmax);
		break;
	case TSR_OPT_STRING:
		if (*(const char **)o->dst)
			fprintf(out, " [default: %s%s%s]", *(const char **)o->dst,
				o->choices ? ", one of " : "", o->choices ? o->choices : "");
		break;
	case TSR_OPT_FLAG:
		break;
	}
}

void tsr_opts_usage(const struct tsr_opt_group *groups, int nr_groups, const char *prog,
		    const char *description, FILE *out)
{
	fprintf(out, "%s: %s\n\nUsage: %s [OPTIONS]\n", prog, description, prog);
	for (int g = 0; g < nr_groups; g++) {
		if (!groups[g].opts || !groups[g].opts->name)
			continue;
		fprintf(out, "\n%s:\n", groups[g].title);
		for (const struct tsr_opt *o = groups[g].opts; o->name; o++) {
			char lhs[64];

			snprintf(lhs, sizeof(lhs), "%c%c%c --%s%s%s", o->short_name ? '-' : ' ',
				 o->short_name ? o->short_name : ' ', o->short_name ? ',' : ' ',
				 o->name, o->type == TSR_OPT_FLAG ? "" : " ",
				 o->type == TSR_OPT_FLAG ? "" : (o->metavar ? o->metavar : "VAL"));
			fprintf(out, "  %-34s %s", lhs, o->help);
			tsr_opt_print_default(o, out);
			fputc('\n', out);
		}
	}
	fprintf(out, "\nBuilt-in:\n  %-34s %s\n  %-34s %s\n  %-34s %s\n", "-h, --help",
		"Print this help", "    --version", "Print the version and the module list",
		"    --man", "Print the manual page (roff)");
}
