// SPDX-License-Identifier: GPL-2.0
/*
 * tessera-top: a live terminal view of the running tessera scheduler, from
 * the statistics its control socket serves as JSON (docs/stats-json.md):
 * the dispatch paths, the domains with every per-domain counter of the
 * modules (load, migrations, ...), and each module's counters.
 *
 *	tessera-top [-d SECS] [-c PATH] [-n FRAMES]
 *
 * q quits. -n draws that many frames and exits (for scripts and tests).
 * With no scheduler running it says so in one line and exits 1.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "framework/commands.h"
#include "framework/control.h"

static const char *ctl_path = TSR_CTL_DEFAULT_PATH;

/* The latest block, parsed; NULL and one line in @err when there is none. */
static json_t *fetch(char *err, size_t err_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	json_t *j = NULL;
	json_error_t jerr;

	if (!out) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	if (!tsr_ctl_request(ctl_path, "stats json", out, err, err_len)) {
		fclose(out);
		out = NULL;
		j = json_loads(buf, 0, &jerr);
		if (!j)
			snprintf(err, err_len, "the scheduler's statistics are not JSON: %s",
				 jerr.text);
	}
	if (out)
		fclose(out);
	free(buf);
	return j;
}

static double num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static int row;

static void line(const char *fmt, ...)
{
	va_list ap;

	if (row >= LINES)
		return;
	move(row++, 0);
	clrtoeol();
	va_start(ap, fmt);
	vw_printw(stdscr, fmt, ap);
	va_end(ap);
}

static void draw_head(json_t *b)
{
	json_t *fw = json_object_get(b, "framework");

	attron(A_BOLD);
	line("%s  t=%.1fs  every %.1f s  tasks %.0f/%.0f  CPUs %.0f/%.0f online   (q quits)",
	     json_string_value(json_object_get(b, "scheduler")) ?: "?", num(b, "t"),
	     num(b, "interval"), num(fw, "tasks"), num(fw, "task_records"), num(fw, "online_cpus"),
	     num(fw, "cpus"));
	attroff(A_BOLD);
	line("");
	line("dispatch paths        per s");
	line("  select_cpu   %10.1f   straight to an idle CPU %5.1f %%", num(fw, "select_per_s"),
	     num(fw, "direct_pct"));
	line("  enqueue      %10.1f   to the fallback queue   %5.1f %%", num(fw, "enqueue_per_s"),
	     num(fw, "fallback_pct"));
	line("  dispatch     %10.1f   prev kept %.1f/s  rescued %.0f  rcu_boost %.0f",
	     num(fw, "dispatch_per_s"), num(fw, "kept_per_s"), num(fw, "rescued"),
	     num(fw, "rcu_boost"));
	line("  migrated     %10.1f   runs ended on another CPU than the one before",
	     num(fw, "migrated_per_s"));
	line("  records      no record %.0f  arena pages %.0f  alloc fails %.0f",
	     num(fw, "no_record"), num(fw, "arena_pages"), num(fw, "alloc_fail"));
	line("");
}

/* A declared per-domain counter (by_node: its per-node sums): an array of numbers. */
static bool per_place(const char *key, json_t *v, bool by_node)
{
	size_t len = strlen(key), sfx = strlen("_by_node");
	bool is_by_node = len > sfx && !strcmp(key + len - sfx, "_by_node");

	return json_is_array(v) && json_is_number(json_array_get(v, 0)) && is_by_node == by_node;
}

/* Entry @i of every module's per-domain (or per-node) counter, as "module.name=value ...". */
static void place_counters(json_t *mods, size_t i, bool by_node, char *buf, size_t len)
{
	const char *mname, *key;
	json_t *m, *v;
	size_t n = 0;

	buf[0] = 0;
	json_object_foreach(mods, mname, m) json_object_foreach(m, key, v)
	{
		if (n >= len - 1 || !per_place(key, v, by_node))
			continue;
		n += snprintf(buf + n, len - n, "%s.%.*s=%g  ", mname,
			      (int)(strlen(key) - (by_node ? strlen("_by_node") : 0)), key,
			      json_number_value(json_array_get(v, i)));
	}
}

/* One row a domain, then one a node: where they are, then every module's counter for it. */
static void draw_domains(json_t *b)
{
	json_t *mods = json_object_get(b, "module_stats"), *d;
	char buf[512];
	size_t i;

	line("domain  node  cpus  online   per-domain counters");
	json_array_foreach(json_object_get(b, "domains"), i, d)
	{
		place_counters(mods, i, false, buf, sizeof(buf));
		line("  %-5.0f %4.0f  %4.0f  %6.0f   %s", num(d, "id"), num(d, "node"),
		     num(d, "cpus"), num(d, "online"), buf[0] ? buf : "-");
	}
	line("node    kind  cpus  online   per-node counters");
	json_array_foreach(json_object_get(b, "nodes"), i, d)
	{
		bool far = json_is_true(json_object_get(d, "memory_only"));

		place_counters(mods, (size_t)num(d, "id"), true, buf, sizeof(buf));
		line("  %-5.0f %4s  %4.0f  %6.0f   %s", num(d, "id"), far ? "mem" : "cpu",
		     num(d, "cpus"), num(d, "online"), buf[0] ? buf : "-");
	}
	line("");
}

/* Each module: its counters on one line (wrapped), then the lines its hook prints. */
static void draw_modules(json_t *b)
{
	json_t *mods = json_object_get(b, "module_stats"), *m, *v;
	const char *mname, *key;
	size_t i;

	json_object_foreach(mods, mname, m)
	{
		char buf[1024];
		size_t n = 0;

		json_object_foreach(m, key, v)
		{
			if (n >= sizeof(buf) - 1)
				break;
			if (json_is_number(v))
				n += snprintf(buf + n, sizeof(buf) - n, "%s=%g  ", key,
					      json_number_value(v));
			else if (json_is_string(v) || json_is_boolean(v))
				n += snprintf(buf + n, sizeof(buf) - n, "%s=%s  ", key,
					      json_is_string(v) ? json_string_value(v) :
					      json_is_true(v)	? "yes" :
								  "no");
		}
		buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = 0;
		attron(A_BOLD);
		line("%s", mname);
		attroff(A_BOLD);
		if (n)
			line("  %s", buf);
		json_array_foreach(json_object_get(m, "lines"), i, v)
			line("  %s", json_string_value(v) ?: "");
	}
}

static void draw(json_t *b)
{
	row = 0;
	draw_head(b);
	draw_domains(b);
	draw_modules(b);
	clrtobot();
	refresh();
}

static int usage(void)
{
	fprintf(stderr, "usage: tessera-top [-d SECS (0.1..3600)] [-c CONTROL_SOCKET] "
			"[-n FRAMES (1..1000000)]\n");
	return 2;
}

/* Wait @secs, or until q; true when q was pressed. */
static bool wait_or_quit(double secs, bool keys)
{
	if (!keys) {
		napms(secs * 1000);
		return false;
	}
	timeout(secs * 1000);
	return getch() == 'q';
}

int main(int argc, char **argv)
{
	double every = 1;
	long frames = 0;
	char err[512], *end;
	json_t *b;
	bool keys;
	int c;

	while ((c = getopt(argc, argv, "d:c:n:h")) != -1) {
		switch (c) {
		case 'd':
			every = strtod(optarg, &end);
			if (*end || end == optarg || !(every >= 0.1 && every <= 3600)) {
				fprintf(stderr,
					"tessera-top: -d: '%s' is out of range (accepted: 0.1..3600)\n",
					optarg);
				return 2;
			}
			break;
		case 'c':
			ctl_path = optarg;
			break;
		case 'n':
			frames = strtol(optarg, &end, 10);
			if (*end || end == optarg || frames < 1 || frames > 1000000) {
				fprintf(stderr,
					"tessera-top: -n: '%s' is out of range (accepted: 1..1000000)\n",
					optarg);
				return 2;
			}
			break;
		default:
			return usage();
		}
	}
	if (optind != argc)
		return usage();
	/* before the screen is taken: a missing scheduler is one line on the terminal */
	while (!(b = fetch(err, sizeof(err)))) {
		if (strcmp(err, TSR_NO_STATS_YET)) {
			fprintf(stderr, "tessera-top: %s\n", err);
			return 1;
		}
		usleep(200000);
	}
	keys = isatty(STDIN_FILENO) && !frames;
	if (!newterm(getenv("TERM") ?: "vt100", stdout, stdin)) {
		fprintf(stderr, "tessera-top: cannot use terminal '%s'\n",
			getenv("TERM") ?: "vt100");
		json_decref(b);
		return 1;
	}
	noecho();
	curs_set(0);
	for (long n = 1;; n++) {
		draw(b);
		json_decref(b);
		if ((frames && n >= frames) || wait_or_quit(every, keys))
			break;
		b = fetch(err, sizeof(err));
		if (!b) {
			endwin();
			fprintf(stderr, "tessera-top: the scheduler stopped: %s\n", err);
			return 0;
		}
	}
	endwin();
	return 0;
}
