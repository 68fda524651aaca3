// SPDX-License-Identifier: GPL-2.0
/* Per-CPU perf counters for BPF (perf_events.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include "perf_events.h"
#include "read_line.h"

struct named {
	const char *name;
	__u64 config;
};

static const struct named software[] = {
	{ "cpu-clock", PERF_COUNT_SW_CPU_CLOCK },
	{ "task-clock", PERF_COUNT_SW_TASK_CLOCK },
	{ "page-faults", PERF_COUNT_SW_PAGE_FAULTS },
	{ "context-switches", PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", PERF_COUNT_SW_CPU_MIGRATIONS },
	{ NULL, 0 },
};

static const struct named hardware[] = {
	{ "cycles", PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-references", PERF_COUNT_HW_CACHE_REFERENCES },
	{ "cache-misses", PERF_COUNT_HW_CACHE_MISSES },
	{ "branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-misses", PERF_COUNT_HW_BRANCH_MISSES },
	{ "bus-cycles", PERF_COUNT_HW_BUS_CYCLES },
	{ NULL, 0 },
};

static int lookup(const struct named *t, const char *name, __u64 *config)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name)) {
			*config = t->config;
			return 0;
		}
	return -ENOENT;
}

/* A whole number (decimal or 0x hex) in @s; -EINVAL if it is not one. */
static int number(const char *s, __u64 *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return !*s || *end || errno || *s == '-' ? -EINVAL : 0;
}

/*
 * Put @val into @config at the bits the PMU's format file for @term gives
 * ("config:0-7", "config:0-7,32-35"). Only "config" terms are supported.
 */
static int put_term(const char *pmu_dir, const char *term, __u64 val, __u64 *config, char *err,
		    size_t err_len)
{
	char path[PATH_MAX], fmt[128], *p;
	unsigned int shift = 0;

	snprintf(path, sizeof(path), "%s/format/%s", pmu_dir, term);
	if (tsr_read_line(path, fmt, sizeof(fmt))) {
		snprintf(err, err_len, "%s: no such format term", path);
		return -ENOENT;
	}
	if (strncmp(fmt, "config:", 7)) {
		snprintf(err, err_len, "%s: '%s' is not in config (config1/config2 not supported)",
			 path, fmt);
		return -EINVAL;
	}
	for (p = fmt + 7; *p;) {
		unsigned int lo, hi;
		int used = 0;

		if (sscanf(p, "%u-%u%n", &lo, &hi, &used) != 2) {
			if (sscanf(p, "%u%n", &lo, &used) != 1)
				break;
			hi = lo;
		}
		if (hi < lo || hi > 63)
			break;
		for (unsigned int b = lo; b <= hi; b++, shift++)
			if (val >> shift & 1)
				*config |= 1ULL << b;
		p += used;
		if (*p == ',')
			p++;
		else if (*p)
			break;
	}
	if (*p || !shift) {
		snprintf(err, err_len, "%s: cannot read bit ranges from '%s'", path, fmt);
		return -EINVAL;
	}
	return 0;
}

/* "event=0x04,umask=0x03" from <pmu_dir>/events/<event> into @config. */
static int sysfs_event(const char *pmu_dir, const char *event, __u64 *config, char *err,
		       size_t err_len)
{
	char path[PATH_MAX], terms[256], *save, *tok;

	snprintf(path, sizeof(path), "%s/events/%s", pmu_dir, event);
	if (tsr_read_line(path, terms, sizeof(terms))) {
		snprintf(err, err_len, "names no event %s (%s)", event, path);
		return -ENOENT;
	}
	*config = 0;
	for (tok = strtok_r(terms, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		__u64 v = 1;
		int ret;

		if (eq) {
			*eq = 0;
			if (number(eq + 1, &v)) {
				snprintf(err, err_len, "%s: '%s' is not a number", path, eq + 1);
				return -EINVAL;
			}
		}
		ret = put_term(pmu_dir, tok, v, config, err, err_len);
		if (ret)
			return ret;
	}
	return 0;
}

int tsr_perf_parse(const char *root, const char *spec, struct tsr_perf_event *ev, char *err,
		   size_t err_len)
{
	const char *colon = strchr(spec, ':'), *what;
	char kind[64], pmu_dir[1024], path[PATH_MAX], type[32];
	__u64 v;

	memset(ev, 0, sizeof(*ev));
	snprintf(ev->name, sizeof(ev->name), "%s", spec);
	if (!colon || colon == spec || !colon[1] || (size_t)(colon - spec) >= sizeof(kind)) {
		snprintf(err, err_len,
			 "is not KIND:EVENT (software:NAME, hardware:NAME, raw:CONFIG or "
			 "PMU:EVENT)");
		return -EINVAL;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)(colon - spec), spec);
	what = colon + 1;
	if (!strcmp(kind, "software") || !strcmp(kind, "hardware")) {
		ev->type = kind[0] == 's' ? PERF_TYPE_SOFTWARE : PERF_TYPE_HARDWARE;
		if (!lookup(kind[0] == 's' ? software : hardware, what, &ev->config))
			return 0;
		snprintf(err, err_len, "has no %s event '%s' (accepted: %s)", kind, what,
			 kind[0] == 's' ?
				 "cpu-clock, task-clock, page-faults, context-switches, "
				 "cpu-migrations" :
				 "cycles, instructions, cache-references, cache-misses, branches, "
				 "branch-misses, bus-cycles");
		return -ENOENT;
	}
	if (!strcmp(kind, "raw")) {
		ev->type = PERF_TYPE_RAW;
		if (!number(what, &ev->config))
			return 0;
		snprintf(err, err_len, "has '%s', not a number", what);
		return -EINVAL;
	}
	snprintf(pmu_dir, sizeof(pmu_dir), "%s/sys/bus/event_source/devices/%s", root, kind);
	snprintf(path, sizeof(path), "%s/type", pmu_dir);
	if (tsr_read_line(path, type, sizeof(type)) || number(type, &v) || v > UINT32_MAX) {
		snprintf(err, err_len, "names no PMU '%s' (%s)", kind, path);
		return -ENOENT;
	}
	ev->type = (__u32)v;
	if (!number(what, &ev->config))
		return 0;
	return sysfs_event(pmu_dir, what, &ev->config, err, err_len);
}

void tsr_perf_close_cpus(struct tsr_perf_cpus *pc)
{
	for (unsigned int i = 0; pc->fds && i < pc->nr; i++)
		if (pc->fds[i] >= 0)
			close(pc->fds[i]);
	free(pc->fds);
	pc->fds = NULL;
	pc->nr = 0;
}

int tsr_perf_open_cpus(struct tsr_perf_cpus *pc, const struct tsr_perf_event *ev,
		       const struct tsr_topo *topo, int map_fd, char *err, size_t err_len)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = ev->type,
		.config = ev->config,
	};

	pc->nr = topo->nr_cpu_ids < TSR_MAX_CPUS ? topo->nr_cpu_ids : TSR_MAX_CPUS;
	pc->fds = malloc(pc->nr * sizeof(*pc->fds));
	if (!pc->fds) {
		pc->nr = 0;
		snprintf(err, err_len, "%s: out of memory", ev->name);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < pc->nr; i++)
		pc->fds[i] = -1;
	for (unsigned int cpu = 0; cpu < pc->nr; cpu++) {
		int ret;

		if (topo->cpu_core[cpu] < 0)
			continue; /* offline: the scheduler reloads when it comes back */
		pc->fds[cpu] =
			syscall(SYS_perf_event_open, &attr, -1, (int)cpu, -1, PERF_FLAG_FD_CLOEXEC);
		ret = pc->fds[cpu] < 0 ? -errno : 0;
		if (!ret && bpf_map_update_elem(map_fd, &cpu, &pc->fds[cpu], BPF_ANY))
			ret = -errno;
		if (ret) {
			snprintf(err, err_len, "%s on CPU %u: %s", ev->name, cpu, strerror(-ret));
			tsr_perf_close_cpus(pc);
			return ret;
		}
	}
	return 0;
}
