/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The framework's own part of the shared per-task, per-CPU and per-domain
 * records, and the exit information BPF leaves for userspace. The composed
 * records (tsr_compose.h, generated per scheduler) put these first and each
 * module's extension after them.
 */
#ifndef TSR_RECORDS_H
#define TSR_RECORDS_H

#include "../arena/topo.h"
#include "../arena/slab.h"

enum tsr_rec_state {
	TSR_REC_FREE = 0,
	TSR_REC_LIVE = 1,
};

/* Written by BPF only. gen and state tell userspace a live record from a recycled one. */
struct tsr_task_core {
	__u32 gen; /* bumped each time this slot is handed to a new task */
	__u32 state; /* enum tsr_rec_state */
	__s32 pid;
	__s32 dom; /* domain the task was last queued in, -1 when never */
};

/* Per-CPU counters, each written only by its own CPU. */
struct tsr_cpu_core {
	__u64 nr_select; /* select_cpu calls */
	__u64 nr_direct; /* dispatched straight to an idle CPU's local DSQ */
	__u64 nr_enqueue; /* enqueue calls */
	__u64 nr_enq_fallback; /* enqueues no module claimed */
	__u64 nr_dispatch; /* dispatch calls */
	__u64 nr_dispatch_fallback; /* tasks taken from the fallback DSQ */
	__u64 nr_no_record; /* callbacks that found no arena record for a task */
};

struct tsr_dom_core {
	__u32 id;
	__u32 node;
};

#define TSR_EXIT_REASON_LEN 128
#define TSR_EXIT_MSG_LEN 1024

/* Copy of the kernel's scx_exit_info; kind != 0 once the scheduler has exited. */
struct tsr_exit_info {
	__s32 kind;
	__s32 exit_cpu;
	__s64 exit_code;
	char reason[TSR_EXIT_REASON_LEN];
	char msg[TSR_EXIT_MSG_LEN];
};

/* Sizes of the shared records as BPF compiled them; userspace compares its own. */
struct tsr_layout {
	__u32 task;
	__u32 cpu;
	__u32 dom;
	__u32 topo;
	__u32 slab;
};

#endif /* TSR_RECORDS_H */
