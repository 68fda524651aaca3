/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The name a job goes by, to report it and to find its profile: its process
 * group leader's command, or its cgroup's directory name.
 */
#ifndef TSR_JOBS_NAME_H
#define TSR_JOBS_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include "jobs.h"

/* Jobs are cgroups (--job-by cgroup), not process groups; set at start. */
extern bool jobs_are_cgroups;

/* @s's name into @out; "?" and -errno when its leader or cgroup is gone. */
int jobs_name(const struct jobs_slot *s, char *out, size_t len);

/* /proc/@pgid/comm into @out; "?" and -errno when the leader is gone. */
int jobs_leader_comm(int pgid, char *out, size_t len);

/*
 * The directory name of the cgroup (v2) whose id is @id, found under
 * @root (NULL: where cgroup2 is mounted), "/" for the root itself; "?" and
 * -ENOENT when none is.
 */
int jobs_cgroup_name(const char *root, unsigned long long id, char *out, size_t len);

#endif /* TSR_JOBS_NAME_H */
