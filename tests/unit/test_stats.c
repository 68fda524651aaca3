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

	tsr_stats_print("mod", decls, st, c, sizeof(*c), 2, d, sizeof(*d), 2, secs, f);
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
