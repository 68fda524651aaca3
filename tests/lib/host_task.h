/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For a module's host BPF tests (modules/<m>/tests/<x>_test.bpf.c): a task
 * record set up from userspace before any BPF program runs. BPF finds it at
 * tsr_test_task() (tests/lib/host_task.bpf.h); userspace gets its pointer.
 */
#ifndef TSR_HOST_TASK_H
#define TSR_HOST_TASK_H

#include <bpf/libbpf.h>
#include "framework/arena_pages.h"

/*
 * Set up the task-record slab of a loaded test skeleton and allocate its
 * first record (zeroed); @alloc_pages is the skeleton's tsr_alloc_pages
 * program. NULL when the arena refused.
 */
static inline struct tsr_task *tsr_test_task_record(struct tsr_slab *s,
						    struct bpf_program *alloc_pages)
{
	struct tsr_task *t;

	if (tsr_slab_setup(s, TSR_SLAB_ID_TASKS, sizeof(struct tsr_task), 4, 2) ||
	    tsr_slab_grow_user(s, bpf_program__fd(alloc_pages), 1))
		return NULL;
	t = tsr_slab_alloc(s);
	if (t)
		memset(t, 0, sizeof(*t));
	return t;
}

#endif
