// SPDX-License-Identifier: GPL-2.0
/* Printing the counters modules declare (framework/stats.h). */
#include <stdbool.h>
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

static void set_member(json_t *json, const struct tsr_stat *s, const char *suffix, json_t *value)
{
	char key[96], name[112];

	tsr_stat_json_key(s, key, sizeof(key));
	snprintf(name, sizeof(name), "%s%s", key, suffix);
	json_object_set_new(json, name, value);
}

/* A counter's raw value, and its base, now: summed over the CPUs or of domain @i. */
static void read_raw(const struct tsr_stat *s, const struct tsr_stats_src *src, unsigned int i,
		     uint64_t *v, uint64_t *base)
{
	const char *rec = (const char *)src->doms + (size_t)i * src->dom_size;
	bool pct = s->kind == TSR_STAT_PERCENT;

	if (s->scope == TSR_STAT_CPU) {
		*v = sum_cpus(src->cpus, src->cpu_size, src->nr_cpus, s->off);
		*base = pct ? sum_cpus(src->cpus, src->cpu_size, src->nr_cpus, s->base_off) : 0;
		return;
	}
	*v = read_u64(rec, s->off);
	*base = pct ? read_u64(rec, s->base_off) : 0;
}

/* Per-domain values (growths, for rates and percentages) summed over each node's domains. */
static json_t *by_node(const struct tsr_stat *s, const struct tsr_stats_src *src, const uint64_t *v,
		       const uint64_t *base, double interval_s)
{
	json_t *nodes = json_array();

	for (unsigned int n = 0; n < src->nr_nodes; n++) {
		uint64_t sum = 0, sum_base = 0;

		for (unsigned int d = 0; d < src->nr_doms; d++) {
			if (src->dom_node[d] != (int)n)
				continue;
			sum += v[d];
			sum_base += base[d];
		}
		json_array_append_new(nodes, json_value(s, shown(s, sum, sum_base, interval_s)));
	}
	return nodes;
}

/* One counter: " name=value[,value...]" into @out, its members into @json. */
static void print_stat(const struct tsr_stat *s, struct tsr_stat_state *st, size_t *slot,
		       const struct tsr_stats_src *src, uint64_t *v, uint64_t *base,
		       double interval_s, FILE *out, json_t *json)
{
	bool per_dom = s->scope == TSR_STAT_DOM;
	unsigned int n = per_dom ? src->nr_doms : 1;
	json_t *doms = json && per_dom ? json_array() : NULL;

	fprintf(out, " %s=", s->name);
	for (unsigned int i = 0; i < n; i++) {
		double val;

		read_raw(s, src, i, &v[i], &base[i]);
		if (s->kind != TSR_STAT_GAUGE) {
			v[i] = delta(st, slot, v[i]);
			base[i] = delta(st, slot, base[i]);
		}
		val = shown(s, v[i], base[i], interval_s);
		fprintf(out, "%s", i ? "," : "");
		print_value(s, val, out);
		if (doms)
			json_array_append_new(doms, json_value(s, val));
		else if (json)
			set_member(json, s, "", json_value(s, val));
	}
	if (!doms)
		return;
	set_member(json, s, "", doms);
	if (src->dom_node)
		set_member(json, s, "_by_node", by_node(s, src, v, base, interval_s));
}

void tsr_stats_print(const char *module, const struct tsr_stat *stats, struct tsr_stat_state *st,
		     const struct tsr_stats_src *src, double interval_s, FILE *out, json_t *json)
{
	size_t slot = 0, need = 0, width = src->nr_doms ? src->nr_doms : 1;
	uint64_t *v, *base;

	for (const struct tsr_stat *s = stats; s->name; s++)
		need += (s->scope == TSR_STAT_DOM ? src->nr_doms : 1) * 2;
	if (grow_state(st, need))
		return;
	v = calloc(2 * width, sizeof(*v));
	if (!v)
		return;
	base = v + width;
	fprintf(out, "  %s:", module);
	for (const struct tsr_stat *s = stats; s->name; s++)
		print_stat(s, st, &slot, src, v, base, interval_s, out, json);
	fputc('\n', out);
	free(v);
}
