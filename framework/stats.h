/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters a module declares once; the framework reads them from the arena
 * every --stats interval and gives them as text (one line per module, after
 * the framework's own) and as members of the module's object in the JSON
 * form (docs/stats-json.md).
 */
#ifndef TSR_STATS_H
#define TSR_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

enum tsr_stat_kind {
	TSR_STAT_RATE, /* a counter's growth per second */
	TSR_STAT_PERCENT, /* a counter's growth as a share of another's (its base) */
	TSR_STAT_GAUGE, /* a value as it is now */
};

enum tsr_stat_scope {
	TSR_STAT_CPU, /* a field of struct tsr_cpu, summed over the CPUs */
	TSR_STAT_DOM, /* a field of struct tsr_dom, one value per domain */
};

struct tsr_stat {
	const char *name;
	enum tsr_stat_kind kind;
	enum tsr_stat_scope scope;
	size_t off; /* the __u64 field: offsetof() in struct tsr_cpu or struct tsr_dom */
	size_t base_off; /* TSR_STAT_PERCENT: the counter it is a share of, same scope */
	const char *help;
};

/* Declarations, e.g. TSR_STAT_CPU_RATE("queued", vtime.nr_queued, "tasks queued") */
#define TSR_STAT_CPU_RATE(name, field, help)                                                \
	{                                                                                   \
		name, TSR_STAT_RATE, TSR_STAT_CPU, offsetof(struct tsr_cpu, field), 0, help \
	}
#define TSR_STAT_CPU_PERCENT(name, field, base, help)                                  \
	{                                                                              \
		name, TSR_STAT_PERCENT, TSR_STAT_CPU, offsetof(struct tsr_cpu, field), \
			offsetof(struct tsr_cpu, base), help                           \
	}
#define TSR_STAT_DOM_GAUGE(name, field, help)                                                \
	{                                                                                    \
		name, TSR_STAT_GAUGE, TSR_STAT_DOM, offsetof(struct tsr_dom, field), 0, help \
	}
#define TSR_STAT_DOM_RATE(name, field, help)                                                \
	{                                                                                   \
		name, TSR_STAT_RATE, TSR_STAT_DOM, offsetof(struct tsr_dom, field), 0, help \
	}

/* What the framework keeps between intervals for one module's stats. */
struct tsr_stat_state {
	uint64_t *last; /* previous raw value of each value and base, in order */
	size_t nr_last;
};

/* Where declared counters are read from: the per-CPU and per-domain records. */
struct tsr_stats_src {
	const void *cpus; /* nr_cpus records of cpu_size bytes */
	size_t cpu_size;
	unsigned int nr_cpus;
	const void *doms; /* nr_doms records of dom_size bytes */
	size_t dom_size;
	unsigned int nr_doms;
	const int16_t *dom_node; /* each domain's NUMA node, below nr_nodes */
	unsigned int nr_nodes;
};

/*
 * Print one module's declared @stats as "  <module>: name=value ..." from
 * the raw values in @src now. Rates and percentages are of the growth
 * since the last call (a counter that went back, after a reload, counts
 * from 0). With @json, the same values also become its members: NAME_per_s
 * for a rate, NAME_pct for a percentage, NAME for a gauge; a number, or for
 * a per-domain counter an array of one a domain and KEY_by_node, the same
 * summed over each node's domains (a percentage: of the node's summed base).
 */
void tsr_stats_print(const char *module, const struct tsr_stat *stats, struct tsr_stat_state *st,
		     const struct tsr_stats_src *src, double interval_s, FILE *out, json_t *json);

/* @v to 0.1 as a JSON real, as the text shows rates and percentages. */
json_t *tsr_json_tenth(double v);

/* The JSON member name of @s: its name with the unit of its kind (see above). */
void tsr_stat_json_key(const struct tsr_stat *s, char *key, size_t len);

#endif /* TSR_STATS_H */
