/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU perf counters for BPF: an event named the way perf names it,
 * opened on every online CPU into a BPF_MAP_TYPE_PERF_EVENT_ARRAY indexed
 * by CPU, so that BPF reads the counter of the CPU it runs on
 * (framework/perf.bpf.h). Modules that charge counts to the task that ran
 * (jobs: cycles and instructions; bandwidth: memory traffic) share it.
 */
#ifndef TSR_PERF_EVENTS_H
#define TSR_PERF_EVENTS_H

#include <stddef.h>
#include <linux/types.h>
#include "../arena/topo.h"

struct tsr_perf_event {
	__u32 type; /* perf_event_attr.type */
	__u64 config; /* perf_event_attr.config */
	char name[96]; /* as given */
};

/*
 * Parse @spec: "software:NAME" (cpu-clock, task-clock, page-faults,
 * context-switches, cpu-migrations), "hardware:NAME" (cycles,
 * instructions, cache-references, cache-misses, branches, branch-misses,
 * bus-cycles), "raw:CONFIG", "PMU:EVENT" for an event a PMU lists under
 * <root>/sys/bus/event_source/devices/PMU/events (its terms put into config
 * by the PMU's format/ files), or "PMU:CONFIG" with a number. 0, or
 * -EINVAL / -ENOENT with one line in @err saying what is wrong with it, to
 * follow the spec ("'x:y' names no PMU 'x' (...)").
 */
int tsr_perf_parse(const char *root, const char *spec, struct tsr_perf_event *ev, char *err,
		   size_t err_len);

/* The counters of one event on every CPU. */
struct tsr_perf_cpus {
	int *fds; /* nr entries, -1 where none is open */
	unsigned int nr;
};

/*
 * Open @ev on every online CPU of @topo and put each into @map_fd at its
 * CPU. 0, or -errno with one line in @err (nothing is left open).
 */
int tsr_perf_open_cpus(struct tsr_perf_cpus *pc, const struct tsr_perf_event *ev,
		       const struct tsr_topo *topo, int map_fd, char *err, size_t err_len);

/* Close what tsr_perf_open_cpus() opened. Idempotent. */
void tsr_perf_close_cpus(struct tsr_perf_cpus *pc);

#endif /* TSR_PERF_EVENTS_H */
