/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where per-task bandwidth can come from on this machine, in the order of
 * preference: memory PMU counters, resctrl's bandwidth monitoring, a DAMON
 * estimate, or the explicit feed. Probed under a root directory so that
 * tests can use fake sysfs trees.
 */
#ifndef TSR_BW_SOURCE_H
#define TSR_BW_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

enum bw_source_kind {
	BW_SOURCE_PMU,
	BW_SOURCE_RESCTRL,
	BW_SOURCE_DAMON,
	BW_SOURCE_FEED,
	BW_NR_SOURCES,
};

struct bw_source_probe {
	bool usable[BW_NR_SOURCES]; /* present and read by this build */
	char why[BW_NR_SOURCES][384]; /* what was found, or why it is unavailable */
};

/* The name of a source ("pmu", "resctrl", "damon", "feed"). */
const char *bw_source_name(enum bw_source_kind kind);

/* Probe every source under @root ("" for the real /sys). */
void bw_source_probe(const char *root, struct bw_source_probe *probe);

/*
 * The first usable source of @probe, and in @line the one line that says
 * which sources were passed over and why ("bandwidth source: pmu
 * unavailable (...), ..., using feed").
 */
enum bw_source_kind bw_source_choose(const struct bw_source_probe *probe, char *line, size_t len);

#endif /* TSR_BW_SOURCE_H */
