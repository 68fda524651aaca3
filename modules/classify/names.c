// SPDX-License-Identifier: GPL-2.0
/* Parsing lists of task names (names.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "names.h"

int classify_parse_names(const char *list, char names[CLS_MAX_NAMES][CLS_NAME_LEN],
			 unsigned int *nr, char *err, size_t err_len)
{
	const char *s = list;

	memset(names, 0, CLS_MAX_NAMES * CLS_NAME_LEN);
	*nr = 0;
	if (!*s)
		return 0;
	for (;;) {
		size_t len = strcspn(s, ",");

		if (!len) {
			snprintf(err, err_len,
				 "has an empty name (accepted: up to %d names, commas between)",
				 CLS_MAX_NAMES);
			return -EINVAL;
		}
		if (*nr == CLS_MAX_NAMES) {
			snprintf(err, err_len, "has more than %d names", CLS_MAX_NAMES);
			return -EINVAL;
		}
		/* the kernel keeps a task's first CLS_NAME_LEN - 1 characters */
		memcpy(names[(*nr)++], s, len < CLS_NAME_LEN ? len : CLS_NAME_LEN - 1);
		if (!s[len])
			return 0;
		s += len + 1;
	}
}
