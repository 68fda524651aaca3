/* SPDX-License-Identifier: GPL-2.0 */
/* The syscall program userspace runs to get arena pages (see arena_pages.h). */
#ifndef TSR_ARENA_PAGES_BPF_H
#define TSR_ARENA_PAGES_BPF_H

#include "arena_pages.h"

SEC("syscall")
int tsr_alloc_pages(struct tsr_alloc_args *args)
{
	void __arena *p = bpf_arena_alloc_pages(&arena, NULL, args->nr_pages, NUMA_NO_NODE, 0);

	args->addr = (u64)p;
	return p ? 0 : -ENOMEM;
}

#endif /* TSR_ARENA_PAGES_BPF_H */
