/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The job table as userspace changes it on request (the seed's add and
 * remove calls): a job registered before BPF has seen it takes the slot BPF
 * will find for it.
 */
#ifndef TSR_JOBS_TABLE_H
#define TSR_JOBS_TABLE_H

#include <stddef.h>
#include <linux/types.h>
#include "jobs.h"

/* The slot of job @key, or -ENOENT. */
int jobs_find(struct jobs_slot *tab, __u64 key);

/*
 * Register job @key (of process group @pgid) as long-running, taking a slot
 * for it if it has none: its slot, -ENOSPC when its slots are all taken.
 * @was gets the flags it had.
 */
int jobs_register(struct jobs_slot *tab, __u64 key, __s32 pgid, __u32 *was);

/* Unregister job @key: never announced again until registered. Its slot, or -ENOENT. */
int jobs_unregister(struct jobs_slot *tab, __u64 key);

/*
 * The job @arg names: a process group (1..INT_MAX, alive), or by cgroup an
 * id or the path of a cgroup directory. 0, or -errno with one line in @err.
 */
int jobs_parse(const char *arg, __u64 *key, __s32 *pgid, char *err, size_t err_len);

#endif /* TSR_JOBS_TABLE_H */
