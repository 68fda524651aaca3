// SPDX-License-Identifier: GPL-2.0
/* Probing the bandwidth sources (source.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "source.h"

static const char *const names[BW_NR_SOURCES] = { "pmu", "resctrl", "damon", "feed" };

/* offered by other modules: kept until the probe */
static bool offered[BW_NR_SOURCES]; /* usable */
static char offer_what[BW_NR_SOURCES][256];

const char *bw_source_name(enum bw_source_kind kind)
{
	return kind < BW_NR_SOURCES ? names[kind] : "?";
}

int bw_source_by_name(const char *name)
{
	if (!strcmp(name, "auto"))
		return BW_NR_SOURCES;
	for (int k = 0; k < BW_NR_SOURCES; k++)
		if (!strcmp(name, names[k]))
			return k;
	return -1;
}

void bw_source_offer(enum bw_source_kind kind, bool usable, const char *what)
{
	if (kind >= BW_NR_SOURCES)
		return;
	offered[kind] = usable;
	snprintf(offer_what[kind], sizeof(offer_what[0]), "%s", what);
}

static bool is_memory_pmu(const char *name)
{
	return !strncmp(name, "cxl_pmu_mem", 11) || !strncmp(name, "uncore_imc", 10);
}

/* Memory PMUs among the perf event sources; their names in @why. */
static void probe_pmu(const char *root, char *why, size_t len)
{
	char dir[512], found[128] = "";
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/sys/bus/event_source/devices", root);
	d = opendir(dir);
	if (!d) {
		snprintf(why, len, "unavailable (no event sources in /sys)");
		return;
	}
	while ((e = readdir(d))) {
		if (!is_memory_pmu(e->d_name) || n >= sizeof(found) - 1)
			continue;
		n += snprintf(found + n, sizeof(found) - n, "%s%s", n ? "," : "", e->d_name);
	}
	closedir(d);
	if (!n)
		snprintf(why, len, "unavailable (no cxl_pmu/uncore_imc events)");
	else
		snprintf(why, len,
			 "found (%s) but not in use: name per-CPU read and write events with "
			 "--pmu-events",
			 found);
}

/* resctrl's memory-bandwidth monitoring: mounted, and MBM among its features. */
static bool probe_resctrl(const char *root, char *why, size_t len)
{
	char path[512], line[64];
	bool mbm = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/fs/resctrl/info/L3_MON/mon_features", root);
	f = fopen(path, "r");
	if (!f) {
		snprintf(why, len, "unavailable (resctrl not mounted or no L3 monitoring)");
		return false;
	}
	while (fgets(line, sizeof(line), f))
		mbm |= !strncmp(line, "mbm_", 4);
	fclose(f);
	if (!mbm)
		snprintf(why, len, "unavailable (no mbm_* monitoring features)");
	else
		snprintf(why, len, "(MBM, one monitoring group a watched task)");
	return mbm;
}

void bw_source_probe(const char *root, struct bw_source_probe *probe)
{
	memset(probe, 0, sizeof(*probe));
	probe_pmu(root, probe->why[BW_SOURCE_PMU], sizeof(probe->why[0]));
	probe->usable[BW_SOURCE_RESCTRL] =
		probe_resctrl(root, probe->why[BW_SOURCE_RESCTRL], sizeof(probe->why[0]));
	probe->usable[BW_SOURCE_DAMON] = offered[BW_SOURCE_DAMON];
	snprintf(probe->why[BW_SOURCE_DAMON], sizeof(probe->why[0]), "%s",
		 offer_what[BW_SOURCE_DAMON][0] ?
			 offer_what[BW_SOURCE_DAMON] :
			 "unavailable (no module of this scheduler runs DAMON)");
	probe->usable[BW_SOURCE_FEED] = true;
	snprintf(probe->why[BW_SOURCE_FEED], sizeof(probe->why[0]),
		 "(the control socket: bandwidth feed PID READ_BYTES WRITE_BYTES)");
}

static enum bw_source_kind active = BW_SOURCE_FEED;

enum bw_source_kind bw_source_active(void)
{
	return active;
}

int bw_source_choose(const struct bw_source_probe *probe, int want, char *line, size_t len)
{
	enum bw_source_kind k;
	size_t n;

	if (want >= 0 && want < BW_NR_SOURCES) {
		if (!probe->usable[want]) {
			snprintf(line, len, "bandwidth source: --bw-source %s: %s", names[want],
				 probe->why[want]);
			return -ENOENT;
		}
		snprintf(line, len, "bandwidth source: using %s %s (--bw-source)", names[want],
			 probe->why[want]);
		return active = want;
	}
	n = snprintf(line, len, "bandwidth source:");
	for (k = 0; k < BW_NR_SOURCES && !probe->usable[k]; k++)
		if (n < len)
			n += snprintf(line + n, len - n, " %s %s,", names[k], probe->why[k]);
	if (k == BW_NR_SOURCES)
		k = BW_SOURCE_FEED;
	if (n < len)
		snprintf(line + n, len - n, " using %s %s", names[k], probe->why[k]);
	return active = k;
}
