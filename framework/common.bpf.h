/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every BPF translation unit of a composed scheduler starts with: kernel
 * types, libbpf helpers, every kfunc of the target kernel with arena
 * pointers typed __arena (vmlinux.h's own prototypes carry a BTF type tag
 * instead, which clang 19 will not convert; see DEVELOPERS.md), and the one
 * arena map.
 */
#ifndef TSR_COMMON_BPF_H
#define TSR_COMMON_BPF_H

#define BPF_NO_KFUNC_PROTOTYPES
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "../arena/arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, TSR_ARENA_PAGES);
	__ulong(map_extra, TSR_ARENA_USER_BASE);
} arena SEC(".maps");

/*
 * The verifier (seen on 6.12 and 7.2) accepts arena pointer casts only in
 * programs that reference the arena map; a program that reaches the arena
 * only through a pointer it loaded (e.g. from task storage) says so with
 * this (one ld_imm64).
 */
#define tsr_arena_use() asm volatile("" ::"r"(&arena))

/*
 * Every kfunc of the target kernel, generated from its vmlinux.h at build
 * time (framework/gen_kfuncs.py). A module that needs one from elsewhere (a
 * kernel module's) declares it in its own .bpf.h.
 */
#include "tsr_kfuncs.h"

#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif
#define SCHED_IDLE 5
#define PF_KTHREAD 0x00200000 /* include/linux/sched.h; not in BTF */

#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* printf-style arguments packed for a *_bstr kfunc, called as @call(fmt, params, size). */
#define ___tsr_bstr(call, fmt, args...)                                                 \
	({                                                                              \
		static char ___fmt[] = fmt;                                             \
		unsigned long long ___param[___bpf_narg(args)];                         \
		_Pragma("GCC diagnostic push")                                          \
			_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")          \
				___bpf_fill(___param, args);                            \
		_Pragma("GCC diagnostic pop") call(___fmt, ___param, sizeof(___param)); \
	})

/* scx_bpf_error() with printf-style arguments, as the kernel's scx headers spell it. */
#define tsr_error(fmt, args...) ___tsr_bstr(scx_bpf_error_bstr, fmt, ##args)

/* scx_bpf_exit(): leave with @code (e.g. SCX_ECODE_ACT_RESTART asks the runner to reload). */
#define ___tsr_exit_call(f, p, size) scx_bpf_exit_bstr(___tsr_code, f, p, size)
#define tsr_exit_with(code, fmt, args...)                   \
	({                                                  \
		s64 ___tsr_code = (code);                   \
		___tsr_bstr(___tsr_exit_call, fmt, ##args); \
	})

#endif /* TSR_COMMON_BPF_H */
