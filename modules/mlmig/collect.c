// SPDX-License-Identifier: GPL-2.0
/*
 * The candidate log: "# tessera mlmig candidates v1 features=NAME", then
 * "round,task,made,f0,...,f9,label" lines, label 1 (a good move), 0 (a bad
 * one) or - (not made, or not judged).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "collect.h"

#define HEADER "# tessera mlmig candidates v1 features="

int mlmig_collect_open(struct mlmig_collector *c, const char *path, uint32_t set)
{
	memset(c, 0, sizeof(*c));
	c->set = set;
	c->out = fopen(path, "w");
	if (!c->out)
		return -errno;
	fprintf(c->out, "%s%s\n", HEADER, mlmig_feature_set_name(set));
	return 0;
}

static void write_line(struct mlmig_collector *c, uint32_t round, uint32_t task, bool made,
		       const float *x, int label)
{
	fprintf(c->out, "%u,%u,%d", round, task, made);
	for (int i = 0; i < MLMIG_INPUTS; i++)
		fprintf(c->out, ",%.6g", x[i]);
	if (label < 0)
		fprintf(c->out, ",-\n");
	else
		fprintf(c->out, ",%d\n", label);
	c->lines++;
}

void mlmig_collect_offer(struct mlmig_collector *c, uint32_t round, const float *x, uint32_t task,
			 uint32_t gen, int src, int dst, double gap, bool made)
{
	struct mlmig_pending *p;

	if (!made) {
		write_line(c, round, task, false, x, -1);
		return;
	}
	if (c->count == MLMIG_PENDING) { /* the oldest goes out unjudged */
		p = &c->pending[c->head];
		write_line(c, p->round, p->task, true, p->x, -1);
		c->dropped++;
		c->head = (c->head + 1) % MLMIG_PENDING;
		c->count--;
	}
	p = &c->pending[(c->head + c->count++) % MLMIG_PENDING];
	*p = (struct mlmig_pending){ task, gen, round, src, dst, gap };
	memcpy(p->x, x, sizeof(p->x));
}

/*
 * A move was good when its task is still where it was sent and the two
 * domains are closer in load than before it.
 */
static int judge(const struct mlmig_pending *p, const struct mlmig_now *now)
{
	int dom = now->dom_of(now->data, p->task, p->gen);
	double gap = now->load(now->data, p->src) - now->load(now->data, p->dst);

	return dom == p->dst && fabs(gap) < fabs(p->gap);
}

void mlmig_collect_judge(struct mlmig_collector *c, uint32_t round, const struct mlmig_now *now)
{
	while (c->count) {
		struct mlmig_pending *p = &c->pending[c->head];
		int label;

		if (round - p->round < MLMIG_JUDGE_ROUNDS)
			break;
		label = judge(p, now);
		c->good += label;
		c->bad += !label;
		write_line(c, p->round, p->task, true, p->x, label);
		c->head = (c->head + 1) % MLMIG_PENDING;
		c->count--;
	}
	fflush(c->out);
}

void mlmig_collect_close(struct mlmig_collector *c)
{
	if (!c->out)
		return;
	for (; c->count; c->count--, c->head = (c->head + 1) % MLMIG_PENDING)
		write_line(c, c->pending[c->head].round, c->pending[c->head].task, true,
			   c->pending[c->head].x, -1);
	fclose(c->out);
	c->out = NULL;
}

/* One data line into @s: 1 labelled, 0 unlabelled, -EINVAL malformed. */
static int parse_line(char *line, struct mlmig_sample *s)
{
	char *tok, *save, *end;
	int field = 0;

	for (tok = strtok_r(line, ",\n", &save); tok; tok = strtok_r(NULL, ",\n", &save), field++) {
		if (field < 3)
			continue;
		if (field < 3 + MLMIG_INPUTS) {
			s->x[field - 3] = strtof(tok, &end);
			if (*end || end == tok || !isfinite(s->x[field - 3]))
				return -EINVAL;
			continue;
		}
		if (field > 3 + MLMIG_INPUTS)
			return -EINVAL;
		if (!strcmp(tok, "-"))
			return 0;
		if (strcmp(tok, "0") && strcmp(tok, "1"))
			return -EINVAL;
		s->y = tok[0] == '1';
	}
	return field == 4 + MLMIG_INPUTS ? 1 : -EINVAL;
}

int mlmig_read_log(FILE *f, const char *name, uint32_t *set, struct mlmig_sample **out, int *n,
		   char *err, size_t err_len)
{
	char line[1024];
	int lineno = 0;

	*set = 0;
	while (fgets(line, sizeof(line), f)) {
		struct mlmig_sample s = { 0 };
		int ret;

		lineno++;
		if (lineno == 1) {
			line[strcspn(line, "\n")] = 0;
			*set = strncmp(line, HEADER, strlen(HEADER)) ?
				       0 :
				       mlmig_feature_set_by_name(line + strlen(HEADER));
			if (!*set) {
				snprintf(err, err_len,
					 "%s:1: not a candidate log of a known feature set", name);
				return -EINVAL;
			}
			continue;
		}
		ret = parse_line(line, &s);
		if (ret < 0) {
			snprintf(err, err_len,
				 "%s:%d: not \"round,task,made,%d features,label\" with label 0, 1 "
				 "or -",
				 name, lineno, MLMIG_INPUTS);
			return ret;
		}
		if (!ret)
			continue;
		if (*n % 1024 == 0) {
			struct mlmig_sample *grown = realloc(*out, (*n + 1024) * sizeof(**out));

			if (!grown)
				return -ENOMEM;
			*out = grown;
		}
		(*out)[(*n)++] = s;
	}
	return 0;
}
