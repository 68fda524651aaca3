/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The balancer's two contacts with the arena: reading domain and task loads
 * into a plain view, and writing migration decisions into task records.
 * No syscall either way. Compiled per scheduler (it needs the composed
 * records).
 */
#ifndef TSR_LB_ARENA_H
#define TSR_LB_ARENA_H

#include <stdint.h>
#include "balance.h"

struct tsr_slab;
struct tsr_dom;

struct lb_arena {
	struct tsr_slab *tasks;
	struct tsr_dom *doms;
	const struct tsr_topo *topo;
};

/* The view's storage, grown as the number of task records grows. */
struct lb_view_store {
	struct lb_view view;
	int cap;
};

/* Fill the view from the arena as of @now_ns. 0 or -ENOMEM. */
int lb_view_from_arena(struct lb_view_store *s, const struct lb_arena *a, uint64_t now_ns,
		       uint64_t half_life_ns);

/* Write @n planned moves as decisions; returns how many were written (live records only). */
int lb_write_decisions(const struct lb_arena *a, const struct lb_view *v, const struct lb_move *m,
		       int n, uint32_t round);

void lb_view_store_free(struct lb_view_store *s);

#endif /* TSR_LB_ARENA_H */
