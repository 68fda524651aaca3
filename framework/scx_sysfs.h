/* SPDX-License-Identifier: GPL-2.0 */
/* What the kernel says about sched_ext under /sys/kernel/sched_ext. */
#ifndef TSR_SCX_SYSFS_H
#define TSR_SCX_SYSFS_H

#include <stddef.h>

/* Copy the content of <sysfs_root>/kernel/sched_ext/<rel> (no newline); 0 or -errno. */
int tsr_scx_read(const char *sysfs_root, const char *rel, char *buf, size_t len);

/*
 * 0 when a new scheduler may attach; otherwise a negative errno and a one-line
 * reason in @err (no sched_ext in this kernel, or another scheduler attached).
 */
int tsr_scx_check_free(const char *sysfs_root, char *err, size_t errlen);

#endif /* TSR_SCX_SYSFS_H */
