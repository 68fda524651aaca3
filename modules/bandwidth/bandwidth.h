/* SPDX-License-Identifier: GPL-2.0 */
/* bandwidth: the module's share of the per-task and per-CPU records. */
#ifndef TSR_BANDWIDTH_H
#define TSR_BANDWIDTH_H

#include "bucket.h"

struct bandwidth_task {
	struct bw_bucket rd, wr; /* read and write tokens, in bytes */
	__u64 rd_bytes, wr_bytes; /* charged so far (BPF) */
	__u64 fed_rd, fed_wr; /* reported through the feed so far (userspace adds) */
	__u64 fed_rd_seen, fed_wr_seen; /* of those, charged (BPF) */
	__u64 rd_mbps, wr_mbps; /* measured over the last monitor interval (userspace) */
	__u64 mon_rd_bytes,
		mon_wr_bytes; /* rd_bytes and wr_bytes at that interval's start (userspace) */
	__u64 nr_throttled; /* times held back for debt (BPF) */
	__u64 run_ns; /* CPU time so far (BPF) */
	__u64 mon_run_ns; /* run_ns at the last monitor interval's start (userspace) */
	__u64 cpu_permille; /* CPU used over the last monitor interval, 1000 = one CPU (userspace) */
};

/* Counters, each written only by its own CPU. */
struct bandwidth_cpu {
	__u64 nr_throttle; /* tasks held back in the throttle queue */
	__u64 nr_release; /* tasks let out of it at their refill */
	__u64 nr_cut; /* running tasks stopped at a tick for debt */
	__u64 nr_kick; /* CPUs woken by the refill timer */
	__u64 nr_timer; /* refill timer runs */
	__u64 pmu_rd_at,
		pmu_wr_at; /* the pmu source's counters when the running task started or was last charged */
};

#endif /* TSR_BANDWIDTH_H */
