// SPDX-License-Identifier: GPL-2.0
/* Reading one-line files (read_line.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "read_line.h"

int tsr_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}
