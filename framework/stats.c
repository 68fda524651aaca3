// SPDX-License-Identifier: GPL-2.0
/* Printing the counters modules declare (framework/stats.h). */
#include <stdlib.h>
#include "stats.h"

static uint64_t read_u64(const void *rec, size_t off)
{
	return *(const uint64_t *)((const char *)rec + off);
}

static uint64_t sum_cpus(const void *cpus, size_t size, unsigned int n, size_t off)
{
	uint64_t sum = 0;

	for (unsigned int c = 0; c < n; c++)
		sum += read_u64((const char *)cpus + c * size, off);
	return sum;
}

/* Growth of a counter since its last reading in slot *i of @st. */
static uint64_t delta(struct tsr_stat_state *st, size_t *i, uint64_t now)
{
	uint64_t d = 0;

	if (*i < st->nr_last) {
		d = now >= st->last[*i] ? now - st->last[*i] : now;
		st->last[*i] = now;
	}
	(*i)++;
	return d;
}

static int grow_state(struct tsr_stat_state *st, size_t need)
{
	uint64_t *last;

	if (need <= st->nr_last)
		return 0;
	last = realloc(st->last, need * sizeof(*last));
	if (!last)
		return -1;
	for (size_t i = st->nr_last; i < need; i++)
		last[i] = 0;
	st->last = last;
	st->nr_last = need;
	return 0;
}

/* The value shown: a rate per second, a percentage, or the gauge as it is. */
static double shown(const struct tsr_stat *s, uint64_t v, uint64_t base, double interval_s)
{
	switch (s->kind) {
	case TSR_STAT_RATE:
		return interval_s > 0 ? v / interval_s : 0.0;
	case TSR_STAT_PERCENT:
		return base ? 100.0 * v / base : 0.0;
	default:
		return v;
	}
}

static void print_value(const struct tsr_stat *s, double v, FILE *out)
{
	switch (s->kind) {
	case TSR_STAT_RATE:
		fprintf(out, "%.0f/s", v);
		break;
	case TSR_STAT_PERCENT:
		fprintf(out, "%.1f%%", v);
		break;
	case TSR_STAT_GAUGE:
		fprintf(out, "%.0f", v);
		break;
	}
}

void tsr_stat_json_key(const struct tsr_stat *s, char *key, size_t len)
{
	snprintf(key, len, "%s%s", s->name,
		 s->kind == TSR_STAT_RATE    ? "_per_s" :
		 s->kind == TSR_STAT_PERCENT ? "_pct" :
					       "");
}

json_t *tsr_json_tenth(double v)
{
	return json_real(((long long)(v * 10 + (v < 0 ? -0.5 : 0.5))) / 10.0);
}

/* A number as JSON: a gauge exactly, a rate or percentage to 0.1. */
static json_t *json_value(const struct tsr_stat *s, double v)
{
	return s->kind == TSR_STAT_GAUGE ? json_integer((json_int_t)v) : tsr_json_tenth(v);
}

static void set_member(json_t *json, const struct tsr_stat *s, json_t *value)
{
	char key[96];

	tsr_stat_json_key(s, key, sizeof(key));
	json_object_set_new(json, key, value);
}

void tsr_stats_print(const char *module, const struct tsr_stat *stats, struct tsr_stat_state *st,
		     const void *cpus, size_t cpu_size, unsigned int nr_cpus, const void *doms,
		     size_t dom_size, unsigned int nr_doms, double interval_s, FILE *out,
		     json_t *json)
{
	size_t slot = 0, need = 0;

	for (const struct tsr_stat *s = stats; s->name; s++)
		need += (s->scope == TSR_STAT_DOM ? nr_doms : 1) * 2;
	if (grow_state(st, need))
		return;
	fprintf(out, "  %s:", module);
	for (const struct tsr_stat *s = stats; s->name; s++) {
		unsigned int n = s->scope == TSR_STAT_DOM ? nr_doms : 1;
		json_t *per_dom = json && s->scope == TSR_STAT_DOM ? json_array() : NULL;

		fprintf(out, " %s=", s->name);
		for (unsigned int i = 0; i < n; i++) {
			uint64_t v, base = 0;
			double val;

			if (s->scope == TSR_STAT_CPU) {
				v = sum_cpus(cpus, cpu_size, nr_cpus, s->off);
				if (s->kind == TSR_STAT_PERCENT)
					base = sum_cpus(cpus, cpu_size, nr_cpus, s->base_off);
			} else {
				v = read_u64((const char *)doms + i * dom_size, s->off);
				if (s->kind == TSR_STAT_PERCENT)
					base = read_u64((const char *)doms + i * dom_size,
							s->base_off);
			}
			if (s->kind != TSR_STAT_GAUGE) {
				v = delta(st, &slot, v);
				base = delta(st, &slot, base);
			}
			val = shown(s, v, base, interval_s);
			fprintf(out, "%s", i ? "," : "");
			print_value(s, val, out);
			if (per_dom)
				json_array_append_new(per_dom, json_value(s, val));
			else if (json)
				set_member(json, s, json_value(s, val));
		}
		if (per_dom)
			set_member(json, s, per_dom);
	}
	fputc('\n', out);
}
