/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every BPF translation unit of a composed scheduler starts with: kernel
 * types, libbpf helpers, the sched_ext and arena kfuncs (declared here with
 * proper __arena types, see toolchain.md), and the one arena map.
 */
#ifndef TSR_COMMON_BPF_H
#define TSR_COMMON_BPF_H

#define BPF_NO_KFUNC_PROTOTYPES
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "../arena/arena.h"

#ifndef TSR_ARENA_PAGES
#define TSR_ARENA_PAGES (1u << 18) /* 1 GiB of address space; pages are allocated on demand */
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, TSR_ARENA_PAGES);
	__ulong(map_extra, TSR_ARENA_USER_BASE);
} arena SEC(".maps");

/*
 * The verifier accepts arena pointer casts only in programs that reference
 * the arena map; a program that reaches the arena only through a pointer
 * it loaded (e.g. from task storage) says so with this (one ld_imm64).
 */
#define tsr_arena_use() asm volatile("" ::"r"(&arena))

void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt, int node_id,
				    __u64 flags) __ksym __weak;
void bpf_arena_free_pages(void *map, void __arena *ptr, __u32 page_cnt) __ksym __weak;

s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;
void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
			      u64 enq_flags) __ksym;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym;
s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym;
struct task_struct *scx_bpf_dsq_peek(u64 dsq_id) __ksym;
bool scx_bpf_task_set_slice(struct task_struct *p, u64 slice) __ksym;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
			   bool *is_idle) __ksym;
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym;
bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __ksym;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym;
s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym;
u64 scx_bpf_now(void) __ksym __weak;
void scx_bpf_exit_bstr(s64 exit_code, char *fmt, unsigned long long *data, u32 data__sz) __ksym;
void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym;
const struct cpumask *scx_bpf_get_idle_cpumask(void) __ksym;
const struct cpumask *scx_bpf_get_idle_smtmask(void) __ksym;
void scx_bpf_put_idle_cpumask(const struct cpumask *cpumask) __ksym;
bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym;

#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif
#define SCHED_IDLE 5
#define EINVAL 22
#define ENOMEM 12
#define ENOENT 2
#define ENOSPC 28
#define EBUSY 16

#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* scx_bpf_error() with printf-style arguments, as the kernel's scx headers spell it. */
#define tsr_error(fmt, args...)                                                 \
	({                                                                      \
		static char ___fmt[] = fmt;                                     \
		unsigned long long ___param[___bpf_narg(args)];                 \
		_Pragma("GCC diagnostic push")                                  \
			_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")  \
				___bpf_fill(___param, args);                    \
		_Pragma("GCC diagnostic pop")                                   \
			scx_bpf_error_bstr(___fmt, ___param, sizeof(___param)); \
	})

#endif /* TSR_COMMON_BPF_H */
