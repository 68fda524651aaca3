// SPDX-License-Identifier: GPL-2.0
/* A job's name, from its process group leader. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "leader.h"

int jobs_leader_comm(int pgid, char *out, size_t len)
{
	char path[64];
	FILE *f;
	int ret = 0;

	snprintf(out, len, "?");
	snprintf(path, sizeof(path), "/proc/%d/comm", pgid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (fgets(out, len, f))
		out[strcspn(out, "\n")] = 0;
	else
		ret = -EIO;
	fclose(f);
	return ret;
}
