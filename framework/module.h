/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace half of a module: its options and the hooks the runner
 * calls. Every hook is optional. Modules run in the order the scheduler
 * lists them (exit in reverse order).
 *
 *   configure  after the BPF object is opened, before load: copy option
 *              values into rodata, size maps
 *   init       after load and topology discovery, before attach
 *   tune       every tune_interval_us (fast timer), e.g. slice tuning
 *   balance    every balance_interval_us (slow timer), e.g. load balancing
 *   stat_decls counters the framework prints every --stats interval
 *              (framework/stats.h): the way to report numbers
 *   stats      every --stats interval, after them: print what a declaration
 *              cannot say (e.g. per-node tables) into @out, for people, and
 *              set the same numbers as members of @obj, the module's object
 *              in the JSON form (listed in docs/stats-json.md)
 *   exit       after detach, before the object is destroyed
 *   idle_callbacks
 *              after configure (ctx->topo is the discovered topology): the
 *              optional callbacks (enum tsr_callback) its BPF half
 *              implements but has nothing to do in this run; one that no
 *              implementer needs is not attached, so it costs nothing
 *   filter_migrations
 *              veto migrations a balancer plans (@n candidates at once;
 *              clear allow[i] to keep candidate i where it is); every
 *              module's filter sees the candidates the ones before it left
 *   cmds       requests another process may send the running scheduler
 *              through its control socket ("<module> <cmd> args", see
 *              framework/control.h), answered between timer hooks
 *
 * A hook that returns a negative errno stops the scheduler with an error,
 * and the runner says which hook failed; one that said why itself, in one
 * line, returns -TSR_ESAID and the runner adds nothing.
 */
#ifndef TSR_MODULE_H
#define TSR_MODULE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "options.h"
#include "stats.h"

/* What a hook returns (negated) when it has said why it failed (see above). */
#define TSR_ESAID ECANCELED

struct tsr_ctx;

/*
 * The sched_ext callbacks that run only for modules' hooks (hooks.h); the
 * framework's own (select_cpu, enqueue, dispatch, stopping, enable, ...)
 * always run.
 */
enum tsr_callback {
	TSR_CB_RUNNABLE = 1 << 0,
	TSR_CB_RUNNING = 1 << 1,
	TSR_CB_QUIESCENT = 1 << 2,
	TSR_CB_TICK = 1 << 3,
	TSR_CB_SET_CPUMASK = 1 << 4,
};

/* A migration a balancer plans, as a migration filter sees it. */
struct tsr_migration {
	uint32_t task; /* slot of the task's record in the task slab */
	uint32_t gen; /* the record's generation when planned (tsr_slab_gen) */
	uint32_t round; /* the balancer's round */
	int src_dom, dst_dom;
	double task_load; /* load units of the balancer: 100 = one always-busy task */
	double src_load, dst_load; /* the domains' loads, before the move */
	double since_migration_s; /* since the task last moved, < 0 never */
	bool cross_node;
};

/*
 * A command of a module's: @run answers "<module> <name> ARGS" with
 * argv[0] the first argument, writing the answer to @out; on failure it puts
 * one line in @err and returns a negative errno.
 */
struct tsr_cmd {
	const char *name;
	const char *args; /* e.g. "PGID", NULL when it takes none */
	const char *help;
	int min_args, max_args;
	int (*run)(struct tsr_ctx *ctx, int argc, char **argv, FILE *out, char *err,
		   size_t err_len);
};

struct tsr_module {
	const char *name;
	const char *summary;
	const struct tsr_opt *opts;
	const struct tsr_stat *stat_decls; /* ends with an entry whose name is NULL */
	const struct tsr_cmd *cmds; /* ends with an entry whose name is NULL */
	int (*configure)(struct tsr_ctx *ctx);
	int (*init)(struct tsr_ctx *ctx);
	int (*tune)(struct tsr_ctx *ctx);
	int (*balance)(struct tsr_ctx *ctx);
	void (*stats)(struct tsr_ctx *ctx, FILE *out, json_t *obj, double interval_s);
	void (*exit)(struct tsr_ctx *ctx);
	unsigned int (*idle_callbacks)(struct tsr_ctx *ctx);
	void (*filter_migrations)(struct tsr_ctx *ctx, const struct tsr_migration *c, int n,
				  bool *allow);
	/* Interval getters: modules may take them from their own options. */
	uint64_t (*tune_interval_us)(void);
	uint64_t (*balance_interval_us)(void);
};

/* Provided by the generated <scheduler>_modules.c. */
extern const struct tsr_module *const tsr_modules[];
/* enum tsr_callback bits each of tsr_modules' BPF halves implements */
extern const unsigned int tsr_module_callbacks[];
/* ... and those of the modules without a userspace half (always attached) */
extern const unsigned int tsr_fixed_callbacks;
extern const char tsr_sched_name[];
extern const char tsr_sched_description[];
extern const char tsr_sched_module_list[];
extern const char *const tsr_sched_defaults[];
extern const struct tsr_opt_override tsr_sched_overrides[];

#endif /* TSR_MODULE_H */
