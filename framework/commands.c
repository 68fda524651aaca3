// SPDX-License-Identifier: GPL-2.0
/*
 * The requests a running scheduler answers: the framework's own ("help",
 * "stats") and "<module> <command> ARGS" for the commands modules declare.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "runner.h"
#include "commands.h"

static void usage_line(FILE *out, const char *module, const struct tsr_cmd *c)
{
	char head[96];

	snprintf(head, sizeof(head), "%s %s%s%s", module, c->name, c->args ? " " : "",
		 c->args ?: "");
	fprintf(out, "  %-32s %s\n", head, c->help);
}

static void help(FILE *out)
{
	fprintf(out, "%s answers (send one line: --ctl \"REQUEST\"):\n", tsr_sched_name);
	fprintf(out, "  %-32s %s\n", "help", "this list");
	fprintf(out, "  %-32s %s\n", "stats [text|json]",
		"the latest statistics (every --stats interval, or every second)");
	for (int i = 0; tsr_modules[i]; i++)
		for (const struct tsr_cmd *c = tsr_modules[i]->cmds; c && c->name; c++)
			usage_line(out, tsr_modules[i]->name, c);
}

static const struct tsr_module *find_module(const char *name)
{
	for (int i = 0; tsr_modules[i]; i++)
		if (!strcmp(tsr_modules[i]->name, name))
			return tsr_modules[i];
	return NULL;
}

static int module_command(struct tsr_ctx *ctx, const struct tsr_module *m, int argc, char **argv,
			  FILE *out, char *err, size_t err_len)
{
	const struct tsr_cmd *c = m->cmds;

	while (c && c->name && (argc < 2 || strcmp(c->name, argv[1])))
		c++;
	if (!c || !c->name) {
		snprintf(err, err_len, "module %s has no command %s (try: help)", m->name,
			 argc < 2 ? "\"\"" : argv[1]);
		return -EINVAL;
	}
	argc -= 2;
	if (argc < c->min_args || argc > c->max_args) {
		snprintf(err, err_len, "%s %s takes %s%s", m->name, c->name,
			 c->args ? "" : "no arguments", c->args ?: "");
		return -EINVAL;
	}
	return c->run(ctx, argc, argv + 2, out, err, err_len);
}

/* "stats [text|json]": the latest block in that format. */
static int answer_stats(struct tsr_served *s, int argc, char **argv, FILE *out, char *err,
			size_t err_len)
{
	bool json = argc > 1 && !strcmp(argv[1], "json");

	if (argc > 2 || (argc > 1 && !json && strcmp(argv[1], "text"))) {
		snprintf(err, err_len, "stats: '%s' is not a format (accepted: text, json)",
			 argc > 2 ? argv[2] : argv[1]);
		return -EINVAL;
	}
	if (!s->stats) {
		snprintf(err, err_len, "%s", TSR_NO_STATS_YET);
		return -EAGAIN;
	}
	if (json)
		fprintf(out, "%s\n", s->stats_json ? s->stats_json : "{}");
	else
		fputs(s->stats, out);
	return 0;
}

int tsr_commands_answer(void *data, int argc, char **argv, FILE *out, char *err, size_t err_len)
{
	struct tsr_served *s = data;
	const struct tsr_module *m;

	if (!strcmp(argv[0], "help")) {
		help(out);
		return 0;
	}
	if (!strcmp(argv[0], "stats"))
		return answer_stats(s, argc, argv, out, err, err_len);
	m = find_module(argv[0]);
	if (!m) {
		snprintf(err, err_len, "unknown request \"%s\" (try: help)", argv[0]);
		return -EINVAL;
	}
	return module_command(s->ctx, m, argc, argv, out, err, err_len);
}
