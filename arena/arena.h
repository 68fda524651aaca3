/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address-space annotations and base types for memory shared through the
 * BPF arena. Every header under arena/ and every record layout compiles both
 * as BPF (where __arena is address space 1) and as userspace C (where it
 * means nothing and arena pointers are ordinary pointers into the mmap).
 *
 * Memory ordering: shared fields are updated with full-barrier atomics
 * (__sync_*) and ordered against the compiler with tsr_compiler_barrier();
 * the hardware ordering this relies on is x86-64's (TSO), the only
 * architecture tessera targets today.
 */
#ifndef TSR_ARENA_H
#define TSR_ARENA_H

#ifdef __bpf__
#ifndef __BPF_FEATURE_ADDR_SPACE_CAST
#error "tessera needs clang >= 18 (address_space casts for BPF arenas)"
#endif
#define __arena __attribute__((address_space(1)))
#define __arena_global __attribute__((address_space(1)))
/* bpf_for() verifies the body once instead of once per iteration */
#define TSR_FOR(i, lo, hi) bpf_for(i, lo, hi)
/* errno values (BPF programs have no errno.h) */
#define ENOENT 2
#define ENOMEM 12
#define EBUSY 16
#define EINVAL 22
#define ENOSPC 28
#define EALREADY 114
#else
#include <errno.h>
#include <linux/types.h>
#include <stddef.h>
#include <stdbool.h>
#define __arena
#define __arena_global
#define TSR_FOR(i, lo, hi) for ((i) = (lo); (i) < (hi); (i)++)
#endif

#define TSR_CACHELINE 64
#define __tsr_aligned __attribute__((aligned(TSR_CACHELINE)))

/* Virtual address userspace maps the arena at (same on both sides). */
#define TSR_ARENA_USER_BASE (1ULL << 44)
#define TSR_PAGE_SIZE 4096
/* The arena's size: 1 GiB of address space; pages are allocated on demand. */
#define TSR_ARENA_PAGES (1u << 18)

#define tsr_compiler_barrier() asm volatile("" ::: "memory")

/*
 * CAS attempts before a lock-free operation gives up under contention. BPF
 * runs with preemption off, so few are needed and the verifier wants a
 * bound; a userspace thread can be preempted between its load and its CAS,
 * so it tries for much longer.
 */
#ifdef __bpf__
#define TSR_CAS_RETRIES 256
#else
#define TSR_CAS_RETRIES (1 << 20)
#endif

/* Assert a shared record's layout; used by generated and hand-written headers. */
#define TSR_CHECK_SIZE(type, size) _Static_assert(sizeof(type) == (size), #type " size changed")
#define TSR_CHECK_OFFSET(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), #type "." #field " moved")

#endif /* TSR_ARENA_H */
