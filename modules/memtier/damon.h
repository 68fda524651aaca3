/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON through its sysfs admin interface: one kdamond per monitored task
 * (a kdamond has one context, and a context's tried regions do not say
 * which target they belong to), each with a "stat" scheme whose tried
 * regions give the task's regions, access counts and ages. Only a DAMON
 * nobody else configured is used: it is found with no kdamonds and left
 * with none.
 */
#ifndef TSR_MEMTIER_DAMON_H
#define TSR_MEMTIER_DAMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define DAMON_ADMIN_DEFAULT "/sys/kernel/mm/damon/admin"
#define DAMON_MAX_TASKS 16

/*
 * Tier placement through DAMOS, per task: its hot regions (accessed in at
 * least DAMON_HOT_PERMILLE of an aggregation's samples) migrated to the
 * node it runs on, its cold ones (not accessed for DAMON_COLD_S) to far
 * memory; each at most DAMON_MIGRATE_MB a second. -1: that direction off.
 */
struct damon_migrate {
	int hot_nid, cold_nid;
};

#define DAMON_HOT_PERMILLE 100
#define DAMON_COLD_S 5
#define DAMON_MIGRATE_MB 64

struct damon_ctl {
	char admin[256]; /* the admin directory, e.g. DAMON_ADMIN_DEFAULT */
	int nr; /* kdamonds this run created (0: none, DAMON untouched) */
	pid_t pid[DAMON_MAX_TASKS]; /* the task each monitors */
	pid_t thread[DAMON_MAX_TASKS]; /* each kdamond's own thread (its "pid" file); 0: unknown */
	struct damon_migrate mig[DAMON_MAX_TASKS]; /* its migration targets */
	unsigned long sample_us, aggr_us;
	/* DAMOS's own counters of the migration schemes: last read, and totals over kdamonds */
	unsigned long long last_nr[DAMON_MAX_TASKS], last_sz[DAMON_MAX_TASKS];
	unsigned long long nr_migrated, sz_migrated;
};

/* What the regions of one task said at the last update. */
struct damon_usage {
	unsigned long long mapped_kb; /* every region DAMON tracks */
	unsigned long long working_set_kb; /* regions accessed in the last aggregation */
	unsigned long long bytes_per_s; /* estimated memory traffic, page-granular (see damon.c) */
	unsigned int locality; /* 0-100: how concentrated the accesses are (see damon.c) */
	unsigned int nr_regions;
};

/*
 * Check that DAMON is there and free under @admin: 0, or -errno with one
 * line in @err ("DAMON not available: ..." / "DAMON busy: ...").
 */
int damon_probe(const char *admin, char *err, size_t err_len);

/*
 * Start one kdamond per pid of @pids (at most DAMON_MAX_TASKS) sampling
 * every @sample_us, aggregating every @aggr_us; with @mig (one a pid, or
 * NULL) also its DAMOS migration schemes. On failure everything this call
 * made is removed again; -errno and one line in @err. The migration totals
 * of @c carry over.
 */
int damon_start(struct damon_ctl *c, const char *admin, const pid_t *pids,
		const struct damon_migrate *mig, int n, unsigned long sample_us,
		unsigned long aggr_us, char *err, size_t err_len);

/* Point kdamond @i's hot migration at @nid (the task moved), committed to the running kdamond. */
int damon_retarget(struct damon_ctl *c, int i, int hot_nid);

/* Add what DAMOS migrated since the last call (every kdamond) to c->nr_migrated, c->sz_migrated. */
int damon_update_migrated(struct damon_ctl *c);

/* Ask every kdamond for fresh tried regions and read those of kdamond @i into @u. */
int damon_read(struct damon_ctl *c, int i, struct damon_usage *u, char *err, size_t err_len);

/* Stop the kdamonds this run started and remove them (nr_kdamonds back to 0). Idempotent. */
void damon_stop(struct damon_ctl *c);

#endif /* TSR_MEMTIER_DAMON_H */
