/* SPDX-License-Identifier: GPL-2.0 */
/* Reading one-line files (sysfs attributes, /proc entries). */
#ifndef TSR_READ_LINE_H
#define TSR_READ_LINE_H

#include <stddef.h>

/* The first line of @path into @buf, newline cut (empty for an empty file); 0 or -errno. */
int tsr_read_line(const char *path, char *buf, size_t len);

#endif /* TSR_READ_LINE_H */
