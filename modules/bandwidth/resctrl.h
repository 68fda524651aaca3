/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The resctrl source: per-task memory bandwidth from resctrl's bandwidth
 * monitoring (MBM), one monitoring group per watched task. Only groups this
 * run made are touched; groups left by a tessera run that died are removed
 * at open. Works under a root directory so that tests can use fake trees.
 */
#ifndef TSR_BW_RESCTRL_H
#define TSR_BW_RESCTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define RESCTRL_MAX_GROUPS 64
#define RESCTRL_GROUP_PREFIX "tessera-"

struct resctrl_group {
	pid_t tid; /* 0: free */
	unsigned long long last; /* the group's byte count at the last read */
	bool primed; /* last holds a real reading */
};

struct resctrl_mon {
	char dir[256]; /* the resctrl mount, e.g. "/sys/fs/resctrl" */
	const char *event; /* "mbm_total_bytes", else "mbm_local_bytes" */
	int max_groups; /* RMIDs we may use: min(num_rmids - 1, RESCTRL_MAX_GROUPS) */
	struct resctrl_group g[RESCTRL_MAX_GROUPS];
};

/*
 * Find MBM under @root (its mount at /sys/fs/resctrl) and remove groups of
 * dead tessera runs: 0, or -errno with the reason in @err.
 */
int resctrl_open(struct resctrl_mon *m, const char *root, char *err, size_t err_len);

/*
 * Give task @tid group @i (free before): 0, or -errno (the task is gone,
 * or sits in a control group of someone else's and cannot be monitored here).
 */
int resctrl_watch(struct resctrl_mon *m, int i, pid_t tid);

/*
 * Bytes group @i moved to and from memory since its last read, summed over
 * the L3 domains, into @bytes: 0, or -EAGAIN when the hardware has no
 * count yet (nothing charged), or -errno.
 */
int resctrl_read(struct resctrl_mon *m, int i, unsigned long long *bytes);

/* Remove group @i (its task goes back to the default group). */
void resctrl_unwatch(struct resctrl_mon *m, int i);

/* Remove every group this run made. Idempotent. */
void resctrl_close(struct resctrl_mon *m);

#endif /* TSR_BW_RESCTRL_H */
