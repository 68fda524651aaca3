/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Arena pages for userspace: userspace cannot allocate arena pages itself,
 * so it runs the tsr_alloc_pages syscall program (arena_pages.bpf.h) that
 * every tessera BPF object carries.
 */
#ifndef TSR_ARENA_PAGES_H
#define TSR_ARENA_PAGES_H

#include "../arena/slab.h"

/* Arguments of tsr_alloc_pages; shared with the BPF side. */
struct tsr_alloc_args {
	__u32 nr_pages;
	__u32 pad;
	__u64 addr; /* out: user address of the first page, 0 on failure */
};

#ifndef __bpf__
/*
 * Allocate @nr_pages contiguous arena pages with the program @prog_fd.
 * Returns the mapped address, or NULL with errno set.
 */
void *tsr_arena_alloc_pages(int prog_fd, __u32 nr_pages);

/*
 * Add @nr_chunks chunks to @s with pages from @prog_fd, serialised with BPF
 * growers through s->growing. 0, or -errno of the first failure.
 */
int tsr_slab_grow_user(struct tsr_slab *s, int prog_fd, unsigned int nr_chunks);
#endif

#endif /* TSR_ARENA_PAGES_H */
