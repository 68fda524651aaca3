/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jobs: what the job monitors share through the arena. A job is a process
 * group, or a cgroup (--job-by cgroup); its slot (the SMT seed's
 * pgid_slot, plus run time and the key) is readable by userspace without a
 * syscall. Counters are updated with atomic adds, each
 * one whole; seq grows after every update, so a reader can tell whether
 * anything changed since it last looked.
 */
#ifndef TSR_JOBS_H
#define TSR_JOBS_H

#include "../../arena/queue.h"

#define JOBS_MAX 4096 /* slots in the job table, as the seed's */
#define JOBS_ANNOUNCE_LEN 256 /* long-running announcements waiting for userspace */

#define JOBS_PROBES 32 /* slots a key may use, from its hash on */

#define JOBS_LONG_RUNNING 1 /* flags: announced as long-running, or registered by request */
#define JOBS_REMOVED 2 /* flags: unregistered by request: never announced again */

struct jobs_slot {
	__u32 seq; /* BPF: grows after every update */
	__s32 pgid; /* BPF: the process group (by cgroup: the first one seen in it) */
	__s32 job_id; /* userspace: the profile it matched, -1 none (0 until registered) */
	__s32 workers; /* BPF: its live threads */
	__u64 cycles; /* BPF: while its threads ran, from the cycles counter */
	__u64 instructions; /* BPF: likewise, from the instructions counter */
	__u64 runtime_ns; /* BPF: CPU time of its threads since it was first seen */
	__u32 flags; /* BPF: JOBS_* */
	__s32 runnable; /* BPF: its threads runnable now (running or waiting) */
	__u64 key; /* BPF: what makes the job: its pgid, or its cgroup's id; 0 = never used */
};

struct jobs_task {
	__u32 slot; /* BPF: its job's slot + 1; 0 none (table full) */
	__u64 key; /* BPF: the job key it was counted under */
	__u32 runnable_slot; /* BPF: slot + 1 whose runnable count includes it, 0 none */
	__u32 pad;
};

/* Written only by its own CPU. */
struct jobs_cpu {
	__u64 last_cycles; /* counter values at the last context switch here */
	__u64 last_instructions;
	__u64 nr_no_slot; /* tasks whose job found no free slot */
	__u64 nr_counter_reads; /* counter reads at context switches */
};

/* Where job @key's slot is looked for first (BPF and userspace agree on it). */
static inline __u32 jobs_key_hash(__u64 key)
{
	return (__u32)(key ^ key >> 32) * 2654435761u;
}

#endif /* TSR_JOBS_H */
