/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smt_pair: what userspace tells BPF about the pairs, and what BPF
 * measures of them. Userspace writes a job's partner and pair (indexed
 * like the jobs module's table) and each pair's CPUs (the hardware threads
 * of the physical cores it got); BPF counts how long each job ran and how
 * much of that beside its partner on the sibling thread.
 */
#ifndef TSR_SMT_PAIR_H
#define TSR_SMT_PAIR_H

#include "../../arena/cpumask.h"
#include "../jobs/jobs.h"

#define SMT_MAX_PAIRS 512

struct smt_pair_job {
	__u32 partner; /* userspace: the partner's job slot + 1, 0 unpaired */
	__u32 pair; /* userspace: its pair + 1 (smt_pair_cpus), 0 unpaired */
	__u64 run_ns; /* BPF: run time while paired */
	__u64 corun_ns; /* BPF: of that, with the partner on the sibling thread */
};

/* Written only by its own CPU. */
struct smt_pair_cpu {
	__u32 cur_slot; /* job slot + 1 of the task running here, 0 none */
	__u32 pad;
	__u64 nr_placed; /* wake-ups placed on the job's cores */
	__u64 nr_pair_picks; /* dispatches that took a task of this core's pair */
	__u64 nr_moves; /* paired threads moved onto their pair's cores or beside their partner */
};

#endif /* TSR_SMT_PAIR_H */
