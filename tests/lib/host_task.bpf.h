/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF side of a module's host test: the framework state a composition of
 * the module alone has, and the record userspace set up with
 * tsr_test_task_record() (tests/lib/host_task.h).
 */
#ifndef TSR_HOST_TASK_BPF_H
#define TSR_HOST_TASK_BPF_H

#include "framework/common.bpf.h"
#include TSR_COMPOSE_H
#include "framework/state.bpf.h"
#include "framework/arena_pages.bpf.h"
#include TSR_COMPOSE_BPF_H

#define tsr_test_task() ((struct tsr_task __arena *)tsr_slab_obj(&tsr_task_slab, 0))

#endif
