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
#include "../arena/heap.h"

/* Slab id of the per-task records (heap size classes use 0..7). */
#define TSR_SLAB_ID_TASKS 0x100

/*
 * Written by BPF only. The slot header of a record (tsr_slab_gen()) tells
 * userspace a live record from a freed or recycled one.
 */
struct tsr_task_core {
	__s32 pid;
	__s32 dom; /* the task's domain: set at init_task, changed only by modules that balance */
	__u32 wake_flags; /* select_cpu's SCX_WAKE_* for the enqueue of this wake-up; 0 after
			   * (kept only when a module's BPF half reads core.wake_flags) */
	__u32 __pad;
};

/* How a task came to run on another CPU than its run before (stats "migrated"). */
enum tsr_migration_kind {
	TSR_MIG_WAKE, /* placed on an idle CPU when it woke (select_cpu's direct dispatch) */
	TSR_MIG_PICK, /* taken from its domain's queue by another CPU of that domain */
	TSR_MIG_MOVED, /* its domain changed since its run before (balancer, steal into a domain) */
	TSR_MIG_STEAL, /* run by a CPU outside its domain */
	TSR_NR_MIGRATION_KINDS,
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
	__u64 nr_keep_prev; /* slices extended because the running task still came first */
	__u64 nr_rescued; /* tasks served ahead of their turn after waiting too long */
	__u64 rescue_at_j; /* jiffies of this CPU's next look for starving tasks */
	__u64 nr_rcu_boost; /* tasks preempted inside an RCU read section, run next */
	__u64 nr_migrated; /* runs that ended on another CPU than the task's run before */
	__u64 nr_migrated_by[TSR_NR_MIGRATION_KINDS]; /* of those, by how the task got there */
	__u64 nr_migrated_nodes; /* of those, ended on another NUMA node */
};

/*
 * Written by userspace: id, node, nr_cpus and nr_online at setup, greedy_ok
 * by whichever module tunes; nr_online by BPF after that.
 */
struct tsr_dom_core {
	__u32 id;
	__u32 node;
	__u32 greedy_ok; /* under-used: other domains' wakers may place tasks here directly */
	__u32 kick_ok; /* under-used: wake an idle CPU here for work queued elsewhere */
	__u32 nr_cpus; /* CPUs in the domain */
	__s32 nr_online; /* of those, online now: set at setup, then kept by BPF */
};

/*
 * Settings userspace may change while the scheduler runs. Written by
 * userspace only, one aligned 64-bit store per field (never torn); BPF reads
 * them at each use.
 */
struct tsr_tunables {
	__u64 slice_ns; /* slice for tasks queued from now on; 0 = the rodata default */
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

/*
 * What BPF was compiled with: record sizes, structure versions and the arena
 * geometry. The runner compares it with its own before attach.
 */
struct tsr_layout {
	__u32 task;
	__u32 cpu;
	__u32 dom;
	__u32 topo;
	__u32 slab;
	__u32 heap;
	__u32 topo_version;
	__u32 slab_version;
	__u64 arena_user_base;
	__u64 arena_pages;
};

TSR_CHECK_SIZE(struct tsr_slot_hdr, 16);
TSR_CHECK_OFFSET(struct tsr_slab, chunks, 96);
TSR_CHECK_SIZE(struct tsr_slab, 96 + 8 * TSR_SLAB_MAX_CHUNKS);
TSR_CHECK_SIZE(struct tsr_topo, 53936);
TSR_CHECK_OFFSET(struct tsr_topo, cpu_core, 48);
TSR_CHECK_SIZE(struct tsr_task_core, 16);
TSR_CHECK_SIZE(struct tsr_cpu_core, 136);
TSR_CHECK_SIZE(struct tsr_exit_info, 1168);

#endif /* TSR_RECORDS_H */
