// SPDX-License-Identifier: GPL-2.0
/* Userspace side of arena page allocation. */
#include <errno.h>
#include <stdint.h>
#include <bpf/bpf.h>
#include "arena_pages.h"

void *tsr_arena_alloc_pages(int prog_fd, __u32 nr_pages)
{
	struct tsr_alloc_args args = { .nr_pages = nr_pages };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args, .ctx_size_in = sizeof(args));
	int ret = bpf_prog_test_run_opts(prog_fd, &opts);

	if (ret) {
		errno = -ret;
		return NULL;
	}
	if (opts.retval || !args.addr) {
		errno = ENOMEM;
		return NULL;
	}
	return (void *)(uintptr_t)args.addr;
}

int tsr_slab_grow_user(struct tsr_slab *s, int prog_fd, unsigned int nr_chunks)
{
	for (unsigned int i = 0; i < nr_chunks; i++) {
		__u32 pages = tsr_slab_chunk_pages(s);
		char *mem;
		int ret;

		if (__sync_val_compare_and_swap(&s->growing, 0, 1) != 0)
			return -EBUSY;
		mem = tsr_arena_alloc_pages(prog_fd, pages);
		if (mem) {
			ret = tsr_slab_add_chunk(s, mem);
			if (!ret)
				__sync_fetch_and_add(&s->nr_pages, pages);
		} else {
			ret = -errno;
			__sync_fetch_and_add(&s->nr_grow_fails, 1);
		}
		__sync_lock_release(&s->growing);
		if (ret)
			return ret;
	}
	return 0;
}
