/* SPDX-License-Identifier: GPL-2.0 */
/* The manual page of a composed scheduler, from its option table (--man). */
#ifndef TSR_MANPAGE_H
#define TSR_MANPAGE_H

#include <stdio.h>
#include "options.h"

struct tsr_man_info {
	const char *prog; /* scx_wd40 */
	const char *description; /* one line */
	const char *modules; /* "lb placement deadline" */
	const char *version;
};

/* Write the roff source of section 8 page for @info with the options of @groups. */
void tsr_man_write(const struct tsr_man_info *info, const struct tsr_opt_group *groups,
		   int nr_groups, FILE *out);

#endif /* TSR_MANPAGE_H */
