// SPDX-License-Identifier: GPL-2.0
/* DAMON's sysfs admin interface (damon.h). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "damon.h"

/* The file the last failed write went to, for the error line. */
static char failed_path[PATH_MAX];

/* Write @val to the file at @fmt...; 0 or -errno. */
static int put(const char *val, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	FILE *f;
	int ret = 0;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	f = fopen(path, "w");
	if (!f) {
		snprintf(failed_path, sizeof(failed_path), "%s", path);
		return -errno;
	}
	if (fputs(val, f) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret)
		snprintf(failed_path, sizeof(failed_path), "%s", path);
	return ret;
}

/* Read an unsigned number from the file at @fmt...; 0 or -errno (-EINVAL: not a number). */
static int get_ull(unsigned long long *v, const char *fmt, ...)
{
	char path[PATH_MAX], buf[64], *end;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	*v = strtoull(buf, &end, 10);
	return end == buf || (*end && *end != '\n') ? -EINVAL : 0;
}

/*
 * A kernel DAMON module (damon_stat, damon_reclaim, damon_lru_sort) running
 * its own context, which keeps the admin interface from starting any: its
 * name, or NULL. Looked for beside an admin path under "<root>/sys/kernel/...".
 */
static const char *exclusive_user(const char *admin, char *param, size_t len)
{
	static const char *const mods[] = { "damon_stat", "damon_reclaim", "damon_lru_sort" };
	const char *tail = strstr(admin, "/kernel/mm/damon/admin");
	char path[PATH_MAX], buf[8];

	if (!tail || tail[strlen("/kernel/mm/damon/admin")] != 0)
		return NULL;
	for (unsigned int i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%.*s/module/%s/parameters/enabled",
			 (int)(tail - admin), admin, mods[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
		if (buf[0] == 'Y') {
			snprintf(param, len, "%s", path);
			return mods[i];
		}
	}
	return NULL;
}

int damon_probe(const char *admin, char *err, size_t err_len)
{
	unsigned long long n;
	int ret = get_ull(&n, "%s/kdamonds/nr_kdamonds", admin);
	char param[PATH_MAX];
	const char *user;

	if (ret == -EINVAL) {
		snprintf(err, err_len,
			 "DAMON not available: %s/kdamonds/nr_kdamonds is not a number", admin);
		return ret;
	}
	if (ret) {
		snprintf(err, err_len, "DAMON not available: %s/kdamonds/nr_kdamonds: %s", admin,
			 strerror(-ret));
		return ret;
	}
	if (n) {
		snprintf(err, err_len,
			 "DAMON busy: %llu kdamond(s) already configured by someone else in %s", n,
			 admin);
		return -EBUSY;
	}
	user = exclusive_user(admin, param, sizeof(param));
	if (user) {
		snprintf(err, err_len, "DAMON busy: the kernel's %s runs (%s is Y)", user, param);
		return -EBUSY;
	}
	return 0;
}

/* A scheme's access pattern ranges and their widest max (sz is a long, the others ints). */
static const char *const ranges[][2] = {
	{ "sz", "18446744073709551615" },
	{ "nr_accesses", "4294967295" },
	{ "age", "4294967295" },
};

/* Open every range of scheme @k's access pattern, then narrow it to @nr_min..@nr_max accesses and an age of at least @age_min. */
static int pattern(const char *ctx, int k, unsigned long nr_min, const char *nr_max,
		   unsigned long age_min)
{
	char num[32];
	int ret = 0;

	for (unsigned int r = 0; r < sizeof(ranges) / sizeof(ranges[0]) && !ret; r++)
		ret = put(ranges[r][1], "%s/0/schemes/%d/access_pattern/%s/max", ctx, k,
			  ranges[r][0]);
	snprintf(num, sizeof(num), "%lu", nr_min);
	ret = ret ?: put(num, "%s/0/schemes/%d/access_pattern/nr_accesses/min", ctx, k);
	ret = ret ?:
		      nr_max ?
		      put(nr_max, "%s/0/schemes/%d/access_pattern/nr_accesses/max", ctx, k) :
		      0;
	snprintf(num, sizeof(num), "%lu", age_min);
	return ret ?: put(num, "%s/0/schemes/%d/access_pattern/age/min", ctx, k);
}

/*
 * Scheme @k acts on the task's anonymous memory only: file pages (program
 * text, libraries, page cache) are shared with other tasks and not this
 * task's to move. One filter that rejects what is not anonymous reads the
 * same under the filters of kernels before 6.14 (reject-only, no "allow"
 * file) and after (a page no filter matches gets the opposite of the last
 * filter: allowed).
 */
static int anon_only(const char *ctx, int k)
{
	char allow[PATH_MAX];
	int ret = put("1", "%s/0/schemes/%d/filters/nr_filters", ctx, k);

	ret = ret ?: put("anon", "%s/0/schemes/%d/filters/0/type", ctx, k);
	ret = ret ?: put("N", "%s/0/schemes/%d/filters/0/matching", ctx, k);
	snprintf(allow, sizeof(allow), "%s/0/schemes/%d/filters/0/allow", ctx, k);
	if (!ret && !access(allow, F_OK))
		ret = put("N", "%s", allow);
	return ret;
}

/*
 * Scheme @k: migrate (@action) the regions of its pattern to node @nid, at
 * most DAMON_MIGRATE_MB/s; only counts them when @nid is -1 (that direction off).
 */
static int migrate_scheme(const char *ctx, int k, const char *action, int nid)
{
	char num[32];
	int ret = put(nid < 0 ? "stat" : action, "%s/0/schemes/%d/action", ctx, k);

	if (ret || nid < 0)
		return ret;
	snprintf(num, sizeof(num), "%d", nid);
	ret = ret ?: put(num, "%s/0/schemes/%d/target_nid", ctx, k);
	snprintf(num, sizeof(num), "%d", DAMON_MIGRATE_MB << 20);
	ret = ret ?: put(num, "%s/0/schemes/%d/quotas/bytes", ctx, k);
	ret = ret ?: put("1000", "%s/0/schemes/%d/quotas/reset_interval_ms", ctx, k);
	return ret ?: anon_only(ctx, k);
}

/* The schemes of a kdamond with @mig: 0 counts (its tried regions are the task's), 1 hot, 2 cold. */
#define SCHEME_HOT 1
#define SCHEME_COLD 2

/* Configure kdamond @i (already created) to monitor @pid, migrating as @mig says. */
static int setup_one(struct damon_ctl *c, int i, pid_t pid, const struct damon_migrate *mig)
{
	unsigned long samples = c->aggr_us / (c->sample_us ?: 1);
	char ctx[PATH_MAX], num[32];
	int ret;

	snprintf(ctx, sizeof(ctx), "%s/kdamonds/%d/contexts", c->admin, i);
	ret = put("1", "%s/nr_contexts", ctx);
	ret = ret ?: put("vaddr", "%s/0/operations", ctx);
	snprintf(num, sizeof(num), "%lu", c->sample_us);
	ret = ret ?: put(num, "%s/0/monitoring_attrs/intervals/sample_us", ctx);
	snprintf(num, sizeof(num), "%lu", c->aggr_us);
	ret = ret ?: put(num, "%s/0/monitoring_attrs/intervals/aggr_us", ctx);
	ret = ret ?: put("1", "%s/0/targets/nr_targets", ctx);
	snprintf(num, sizeof(num), "%d", (int)pid);
	ret = ret ?: put(num, "%s/0/targets/0/pid_target", ctx);
	/*
	 * A new scheme's access pattern ranges are all [0, 0], which no region
	 * of non-zero size matches: each scheme opens them first.
	 */
	ret = ret ?: put(mig ? "3" : "1", "%s/0/schemes/nr_schemes", ctx);
	ret = ret ?: put("stat", "%s/0/schemes/0/action", ctx);
	ret = ret ?: pattern(ctx, 0, 0, NULL, 0);
	if (!mig || ret)
		return ret;
	ret = pattern(ctx, SCHEME_HOT, samples * DAMON_HOT_PERMILLE / 1000 ?: 1, NULL, 0);
	ret = ret ?: migrate_scheme(ctx, SCHEME_HOT, "migrate_hot", mig->hot_nid);
	ret = ret ?: pattern(ctx, SCHEME_COLD, 0, "0", DAMON_COLD_S * 1000000UL / c->aggr_us);
	return ret ?: migrate_scheme(ctx, SCHEME_COLD, "migrate_cold", mig->cold_nid);
}

/* The thread of running kdamond @i, from its "pid" file; 0 if it cannot be read. */
static pid_t kdamond_thread(const char *admin, int i)
{
	unsigned long long v;

	return get_ull(&v, "%s/kdamonds/%d/pid", admin, i) || v > INT_MAX ? 0 : (pid_t)v;
}

int damon_start(struct damon_ctl *c, const char *admin, const pid_t *pids,
		const struct damon_migrate *mig, int n, unsigned long sample_us,
		unsigned long aggr_us, char *err, size_t err_len)
{
	unsigned long long nr_migrated = c->nr_migrated, sz_migrated = c->sz_migrated;
	char num[16];
	int ret, i;

	memset(c, 0, sizeof(*c));
	c->nr_migrated = nr_migrated;
	c->sz_migrated = sz_migrated;
	snprintf(c->admin, sizeof(c->admin), "%s", admin);
	c->sample_us = sample_us;
	c->aggr_us = aggr_us ?: 1;
	ret = damon_probe(admin, err, err_len);
	if (ret)
		return ret;
	if (n > DAMON_MAX_TASKS)
		n = DAMON_MAX_TASKS;
	if (n <= 0)
		return 0;
	snprintf(num, sizeof(num), "%d", n);
	ret = put(num, "%s/kdamonds/nr_kdamonds", admin);
	if (ret) {
		snprintf(err, err_len, "DAMON not available: cannot create kdamonds in %s: %s",
			 admin, strerror(-ret));
		return ret;
	}
	c->nr = n;
	for (i = 0; i < n && !ret; i++) {
		c->pid[i] = pids[i];
		c->mig[i] = mig ? mig[i] : (struct damon_migrate){ -1, -1 };
		ret = setup_one(c, i, pids[i], mig ? &mig[i] : NULL);
		ret = ret ?: put("on", "%s/kdamonds/%d/state", admin, i);
		c->thread[i] = ret ? 0 : kdamond_thread(admin, i);
	}
	if (ret) {
		snprintf(err, err_len, "DAMON not available: kdamond %d for pid %d: %s: %s", i - 1,
			 (int)pids[i - 1], failed_path, strerror(-ret));
		damon_stop(c);
	}
	return ret;
}

int damon_retarget(struct damon_ctl *c, int i, int hot_nid)
{
	char num[16];
	int ret;

	if (i < 0 || i >= c->nr || c->mig[i].hot_nid < 0 || hot_nid < 0 ||
	    c->mig[i].hot_nid == hot_nid)
		return 0; /* no hot scheme, the task's node unknown (gone?), or no move */
	snprintf(num, sizeof(num), "%d", hot_nid);
	ret = put(num, "%s/kdamonds/%d/contexts/0/schemes/%d/target_nid", c->admin, i, SCHEME_HOT);
	ret = ret ?: put("commit", "%s/kdamonds/%d/state", c->admin, i);
	if (!ret)
		c->mig[i].hot_nid = hot_nid;
	return ret;
}

int damon_update_migrated(struct damon_ctl *c)
{
	for (int i = 0; i < c->nr; i++) {
		unsigned long long nr = 0, sz = 0, v;
		int ret;

		if (c->mig[i].hot_nid < 0 && c->mig[i].cold_nid < 0)
			continue; /* no migration schemes */
		ret = put("update_schemes_stats", "%s/kdamonds/%d/state", c->admin, i);
		if (ret)
			return ret;
		for (int k = SCHEME_HOT; k <= SCHEME_COLD; k++) {
			if (!get_ull(&v, "%s/kdamonds/%d/contexts/0/schemes/%d/stats/nr_applied",
				     c->admin, i, k))
				nr += v;
			if (!get_ull(&v, "%s/kdamonds/%d/contexts/0/schemes/%d/stats/sz_applied",
				     c->admin, i, k))
				sz += v;
		}
		/* counters restart with a kdamond: a smaller one counts from 0 */
		c->nr_migrated += nr >= c->last_nr[i] ? nr - c->last_nr[i] : nr;
		c->sz_migrated += sz >= c->last_sz[i] ? sz - c->last_sz[i] : sz;
		c->last_nr[i] = nr;
		c->last_sz[i] = sz;
	}
	return 0;
}

/*
 * Locality: the share of the accessed bytes that sit in the regions with at
 * least half the highest access count, 0-100. Accesses spread evenly over
 * a large working set score low; a few hot regions score high.
 */
static unsigned int locality(unsigned long long hot, unsigned long long accessed)
{
	return accessed ? (unsigned int)(100 * hot / accessed) : 0;
}

int damon_read(struct damon_ctl *c, int i, struct damon_usage *u, char *err, size_t err_len)
{
	unsigned long long start, end, acc, max_acc = 0, accessed = 0, hot = 0, traffic = 0;
	char dir[PATH_MAX];
	int ret, r;

	memset(u, 0, sizeof(*u));
	if (i < 0 || i >= c->nr)
		return -EINVAL;
	ret = put("update_schemes_tried_regions", "%s/kdamonds/%d/state", c->admin, i);
	if (ret) {
		snprintf(err, err_len, "DAMON: kdamond %d: cannot update its regions: %s", i,
			 strerror(-ret));
		return ret;
	}
	snprintf(dir, sizeof(dir), "%s/kdamonds/%d/contexts/0/schemes/0/tried_regions", c->admin,
		 i);
	/* two passes: the hottest count first, then what is near it */
	for (int pass = 0; pass < 2; pass++) {
		for (r = 0;; r++) {
			if (get_ull(&start, "%s/%d/start", dir, r) ||
			    get_ull(&end, "%s/%d/end", dir, r) ||
			    get_ull(&acc, "%s/%d/nr_accesses", dir, r))
				break;
			if (end < start)
				continue;
			if (pass == 0) {
				max_acc = acc > max_acc ? acc : max_acc;
				u->mapped_kb += (end - start) / 1024;
				u->nr_regions++;
				if (acc) {
					u->working_set_kb += (end - start) / 1024;
					accessed += end - start;
					traffic += (end - start) * acc;
				}
			} else if (acc && 2 * acc >= max_acc) {
				hot += end - start;
			}
		}
	}
	u->locality = locality(hot, accessed);
	/*
	 * A region counts an access in a sample when the page DAMON checked
	 * was touched since the sample before: a task moving B bytes a second
	 * over a region of R bytes marks it in about B * sample / R of the
	 * aggregation's samples, so each region's size times its count over
	 * the aggregation interval estimates the bytes moved, at page
	 * granularity (sparse accesses count whole pages) and up to the point
	 * where every page is touched every sample.
	 */
	u->bytes_per_s = c->aggr_us ? (double)traffic * 1e6 / c->aggr_us : 0;
	return 0;
}

void damon_stop(struct damon_ctl *c)
{
	damon_update_migrated(c);
	for (int i = 0; i < c->nr; i++)
		put("off", "%s/kdamonds/%d/state", c->admin, i);
	if (c->nr)
		put("0", "%s/kdamonds/nr_kdamonds", c->admin);
	c->nr = 0;
}
