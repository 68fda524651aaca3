/* SPDX-License-Identifier: GPL-2.0 */
/* What the running balancer tells modules that work beside it (e.g. mlmig). */
#ifndef TSR_LB_STATE_H
#define TSR_LB_STATE_H

#include <stdint.h>

/* The number of the balancer's last round (0 before the first). */
uint32_t lb_round(void);

/* Seconds between the balancer's rounds. */
double lb_interval_s(void);

/* Domain @dom's load as the last round measured it, before its moves. */
double lb_round_load(int dom);

#endif /* TSR_LB_STATE_H */
