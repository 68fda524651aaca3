/* SPDX-License-Identifier: GPL-2.0 */
/* The name a job goes by: its process group leader's command name. */
#ifndef TSR_JOBS_LEADER_H
#define TSR_JOBS_LEADER_H

#include <stddef.h>

/* /proc/@pgid/comm into @out; "?" and -errno when the leader is gone. */
int jobs_leader_comm(int pgid, char *out, size_t len);

#endif /* TSR_JOBS_LEADER_H */
