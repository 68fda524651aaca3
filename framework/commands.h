/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a running scheduler answers on its control socket: "help", "stats"
 * (the latest statistics block) and each module's commands.
 */
#ifndef TSR_COMMANDS_H
#define TSR_COMMANDS_H

#include <stddef.h>
#include <stdio.h>

struct tsr_ctx;

/* The answer to "stats" before the first block (a monitor waits for one) */
#define TSR_NO_STATS_YET "no statistics yet: the first come after a second"

struct tsr_served {
	struct tsr_ctx *ctx;
	char *stats; /* the latest statistics block, NULL before the first */
	char *stats_json; /* the same as one JSON line (docs/stats-json.md) */
};

/* A tsr_ctl_handler with a struct tsr_served as @data. */
int tsr_commands_answer(void *data, int argc, char **argv, FILE *out, char *err, size_t err_len);

#endif /* TSR_COMMANDS_H */
