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

/* The source named @name, or BW_NR_SOURCES for "auto" and -1 for no such name. */
int bw_source_by_name(const char *name);

/*
 * Probe every source under @root ("" for the real /sys). The damon source is
 * usable only once a module that runs DAMON offered it (bw_source_offer).
 */
void bw_source_probe(const char *root, struct bw_source_probe *probe);

/*
 * A module that feeds a source (memtier: the damon estimate) says whether
 * it can here, and what it is or why not; from its configure hook, before
 * the source is chosen.
 */
void bw_source_offer(enum bw_source_kind kind, bool usable, const char *what);

/* The source in use once the bandwidth module started (the feed before). */
enum bw_source_kind bw_source_active(void);

/*
 * The source to use: @want (an enum bw_source_kind) if it is usable, or
 * with BW_NR_SOURCES the first usable one; and in @line the one line that
 * says so, with why each better one was passed over ("bandwidth source:
 * pmu unavailable (...), ..., using feed (...)"). -ENOENT, and why in
 * @line, when @want is not usable.
 */
int bw_source_choose(const struct bw_source_probe *probe, int want, char *line, size_t len);

#endif /* TSR_BW_SOURCE_H */
