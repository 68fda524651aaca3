// SPDX-License-Identifier: GPL-2.0
/* Declared module counters as the framework prints them. */
#include <criterion/criterion.h>
#include <string.h>
#include "framework/stats.h"

struct cpu {
	uint64_t queued, boosted;
};
struct dom {
	uint64_t load, moved;
};

static const struct tsr_stat decls[] = {
	{ "queued", TSR_STAT_RATE, TSR_STAT_CPU, offsetof(struct cpu, queued), 0, "" },
	{ "boosted", TSR_STAT_PERCENT, TSR_STAT_CPU, offsetof(struct cpu, boosted),
	  offsetof(struct cpu, queued), "" },
	{ "load", TSR_STAT_GAUGE, TSR_STAT_DOM, offsetof(struct dom, load), 0, "" },
	{ "moved", TSR_STAT_RATE, TSR_STAT_DOM, offsetof(struct dom, moved), 0, "" },
	{ 0 },
};

static char out[512];

static void print(struct tsr_stat_state *st, struct cpu *c, struct dom *d, double secs)
{
	FILE *f = fmemopen(out, sizeof(out), "w");

	struct tsr_stats_src src = { c, sizeof(*c), 2, d, sizeof(*d), 2, NULL, 0 };

	tsr_stats_print("mod", decls, st, &src, secs, f, NULL);
	fclose(f);
}

Test(stats, rates_percentages_and_gauges_of_the_interval)
{
	struct tsr_stat_state st = { 0 };
	struct cpu c[2] = { { 10, 2 }, { 30, 2 } };
	struct dom d[2] = { { 7, 4 }, { 9, 0 } };

	print(&st, c, d, 2);
	cr_expect_str_eq(out, "  mod: queued=20/s boosted=10.0% load=7,9 moved=2/s,0/s\n");
	c[0].queued += 100;
	c[1].boosted += 50;
	d[0].load = 1;
	d[1].moved += 30;
	print(&st, c, d, 10);
	cr_expect_str_eq(out, "  mod: queued=10/s boosted=50.0% load=1,9 moved=0/s,3/s\n",
			 "only the growth since the last interval counts");
	free(st.last);
}

Test(stats, counters_that_went_back_count_from_zero)
{
	struct tsr_stat_state st = { 0 };
	struct cpu c[2] = { { 100, 0 }, { 100, 0 } };
	struct dom d[2] = { { 0, 0 }, { 0, 0 } };

	print(&st, c, d, 1);
	c[0].queued = 5; /* the BPF side was reloaded */
	c[1].queued = 5;
	print(&st, c, d, 1);
	cr_expect(strstr(out, "queued=10/s"), "%s", out);
	free(st.last);
}

Test(stats, the_same_values_as_json_members_with_their_units)
{
	struct tsr_stat_state st = { 0 };
	struct cpu c[2] = { { 10, 2 }, { 30, 2 } };
	struct dom d[2] = { { 7, 4 }, { 9, 0 } };
	json_t *obj = json_object(), *parsed;
	char *text;
	const int16_t dom_node[2] = { 1, 1 };
	struct tsr_stats_src src = { c, sizeof(*c), 2, d, sizeof(*d), 2, dom_node, 2 };
	FILE *f = fmemopen(out, sizeof(out), "w");

	tsr_stats_print("mod", decls, &st, &src, 2, f, obj);
	fclose(f);
	/* through text and back, as a reader of the JSON lines gets it */
	text = json_dumps(obj, JSON_COMPACT);
	parsed = json_loads(text, 0, NULL);
	cr_assert_not_null(parsed, "%s", text);
	cr_expect_float_eq(json_number_value(json_object_get(parsed, "queued_per_s")), 20.0, 1e-9,
			   "%s", text);
	cr_expect_float_eq(json_number_value(json_object_get(parsed, "boosted_pct")), 10.0, 1e-9);
	cr_expect_eq(json_array_size(json_object_get(parsed, "load")), 2, "%s", text);
	cr_expect_eq(json_integer_value(json_array_get(json_object_get(parsed, "load"), 1)), 9);
	cr_expect_float_eq(
		json_number_value(json_array_get(json_object_get(parsed, "moved_per_s"), 0)), 2.0,
		1e-9);
	cr_expect_eq(json_object_size(parsed), 6,
		     "one member a declared counter, and one a per-domain one by node: %s", text);
	cr_expect_str_eq(out, "  mod: queued=20/s boosted=10.0% load=7,9 moved=2/s,0/s\n",
			 "the text is the same with JSON beside it");
	free(text);
	json_decref(parsed);
	json_decref(obj);
	free(st.last);
}

Test(stats, per_domain_counters_summed_by_node)
{
	struct tsr_stat_state st = { 0 };
	struct cpu c[2] = { { 0, 0 }, { 0, 0 } };
	struct dom d[3] = { { 7, 4 }, { 9, 0 }, { 5, 6 } };
	const int16_t dom_node[3] = { 0, 2, 0 };
	struct tsr_stats_src src = { c, sizeof(*c), 2, d, sizeof(*d), 3, dom_node, 3 };
	json_t *obj = json_object(), *load, *moved;
	FILE *f = fmemopen(out, sizeof(out), "w");

	tsr_stats_print("mod", decls, &st, &src, 2, f, obj);
	fclose(f);
	load = json_object_get(obj, "load_by_node");
	moved = json_object_get(obj, "moved_per_s_by_node");
	cr_assert_eq(json_array_size(load), 3, "one value a node, a node without domains too");
	cr_expect_eq(json_integer_value(json_array_get(load, 0)), 12, "domains 0 and 2");
	cr_expect_eq(json_integer_value(json_array_get(load, 1)), 0);
	cr_expect_eq(json_integer_value(json_array_get(load, 2)), 9);
	cr_expect_float_eq(json_number_value(json_array_get(moved, 0)), 5.0, 1e-9,
			   "(4 + 6) in 2 s");
	cr_expect_float_eq(json_number_value(json_array_get(moved, 2)), 0.0, 1e-9);
	json_decref(obj);
	free(st.last);
}
