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
