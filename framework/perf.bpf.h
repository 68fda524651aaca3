/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the per-CPU counters userspace opened with tsr_perf_open_cpus() (perf_events.h). */
#ifndef TSR_PERF_BPF_H
#define TSR_PERF_BPF_H

/* A per-CPU counter array: one perf event fd a CPU, sized by userspace before load. */
#define TSR_PERF_ARRAY(name)                                 \
	struct {                                             \
		__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); \
		__uint(key_size, sizeof(u32));               \
		__uint(value_size, sizeof(u32));             \
		__uint(max_entries, 1);                      \
	} name SEC(".maps")

/* The counter of this CPU in @map; 0 when it cannot be read. */
static __always_inline u64 tsr_perf_read(void *map)
{
	struct bpf_perf_event_value v = {};

	if (bpf_perf_event_read_value(map, BPF_F_CURRENT_CPU, &v, sizeof(v)))
		return 0;
	return v.counter;
}

#endif /* TSR_PERF_BPF_H */
