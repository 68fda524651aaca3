// SPDX-License-Identifier: GPL-2.0
/* DAMON's sysfs admin interface driven against fake trees. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "modules/memtier/damon.h"
#include "tests/unit/fake_sysfs.h"

static char *root;

static const char *get(const char *rel)
{
	static char buf[128];
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

/* get() of @dir followed by @file */
static const char *get_at(const char *dir, const char *file)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "%s%s", dir, file);
	return get(rel);
}

#define CTX "/kdamonds/0/contexts/0"

/* What the kernel has after nr_kdamonds = 1 and nr_contexts, nr_targets, nr_schemes = 1 */
static void kernel_tree(void)
{
	fake_write(root, "/kdamonds/nr_kdamonds", "0");
	fake_write(root, "/kdamonds/0/state", "off");
	fake_write(root, "/kdamonds/0/contexts/nr_contexts", "0");
	fake_write(root, CTX "/operations", "paddr");
	fake_write(root, CTX "/monitoring_attrs/intervals/sample_us", "5000");
	fake_write(root, CTX "/monitoring_attrs/intervals/aggr_us", "100000");
	fake_write(root, CTX "/targets/nr_targets", "0");
	fake_write(root, CTX "/targets/0/pid_target", "0");
	fake_write(root, CTX "/schemes/nr_schemes", "0");
	for (int k = 0; k < 3; k++) {
		static const char *const files[] = {
			"action",
			"target_nid",
			"access_pattern/sz/min",
			"access_pattern/sz/max",
			"access_pattern/nr_accesses/min",
			"access_pattern/nr_accesses/max",
			"access_pattern/age/min",
			"access_pattern/age/max",
			"quotas/bytes",
			"quotas/reset_interval_ms",
			"stats/nr_applied",
			"stats/sz_applied",
			"filters/nr_filters",
			"filters/0/type",
			"filters/0/matching",
			"filters/0/allow",
		};
		char path[256];

		for (unsigned int f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
			snprintf(path, sizeof(path), CTX "/schemes/%d/%s", k, files[f]);
			fake_write(root, path, f ? "0" : "pageout");
		}
	}
}

static void setup(void)
{
	root = fake_sysfs_new();
}

static void teardown(void)
{
	fake_sysfs_free(root);
}

TestSuite(damon, .init = setup, .fini = teardown);

Test(damon, missing_busy_or_garbage_is_one_line)
{
	char err[512], admin[128];

	snprintf(admin, sizeof(admin), "%s/nowhere", root);
	cr_expect_eq(damon_probe(admin, err, sizeof(err)), -ENOENT);
	cr_expect(strstr(err, "DAMON not available: ") && strstr(err, "No such file"), "%s", err);
	fake_write(root, "/kdamonds/nr_kdamonds", "2");
	cr_expect_eq(damon_probe(root, err, sizeof(err)), -EBUSY);
	cr_expect(strstr(err, "DAMON busy: 2 kdamond(s) already configured by someone else"), "%s",
		  err);
	fake_write(root, "/kdamonds/nr_kdamonds", "lots");
	cr_expect_eq(damon_probe(root, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "is not a number"), "%s", err);
}

Test(damon, a_kernel_damon_module_running_is_busy)
{
	char err[512], admin[160];

	snprintf(admin, sizeof(admin), "%s/sys/kernel/mm/damon/admin", root);
	fake_write(root, "/sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds", "0");
	fake_write(root, "/sys/module/damon_reclaim/parameters/enabled", "N");
	cr_expect_eq(damon_probe(admin, err, sizeof(err)), 0, "%s", err);
	fake_write(root, "/sys/module/damon_stat/parameters/enabled", "Y");
	cr_expect_eq(damon_probe(admin, err, sizeof(err)), -EBUSY);
	cr_expect(strstr(err, "DAMON busy: the kernel's damon_stat runs (") &&
			  strstr(err, "/sys/module/damon_stat/parameters/enabled is Y)"),
		  "%s", err);
}

Test(damon, start_configures_a_kdamond_per_task_and_stop_removes_it)
{
	struct damon_ctl c = { 0 };
	pid_t pid = 4242;
	char err[512];

	kernel_tree();
	cr_assert_eq(damon_start(&c, root, &pid, NULL, 1, 5000, 200000, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect_str_eq(get("/kdamonds/nr_kdamonds"), "1");
	cr_expect_str_eq(get(CTX "/operations"), "vaddr");
	cr_expect_str_eq(get(CTX "/targets/0/pid_target"), "4242");
	cr_expect_str_eq(get(CTX "/monitoring_attrs/intervals/aggr_us"), "200000");
	cr_expect_str_eq(get(CTX "/schemes/0/action"), "stat");
	cr_expect_str_eq(get(CTX "/schemes/0/access_pattern/sz/max"), "18446744073709551615",
			 "the kernel's [0, 0] matches no region");
	cr_expect_str_eq(get(CTX "/schemes/0/access_pattern/nr_accesses/max"), "4294967295");
	cr_expect_str_eq(get(CTX "/schemes/0/access_pattern/age/max"), "4294967295");
	cr_expect_str_eq(get("/kdamonds/0/state"), "on");
	damon_stop(&c);
	cr_expect_str_eq(get("/kdamonds/0/state"), "off");
	cr_expect_str_eq(get("/kdamonds/nr_kdamonds"), "0");
	fake_write(root, "/kdamonds/nr_kdamonds", "7");
	damon_stop(&c);
	cr_expect_str_eq(get("/kdamonds/nr_kdamonds"), "7", "a second stop touches nothing");
}

/* The BPF half tells kdamonds apart by thread: each one's is read once it runs. */
Test(damon, start_reads_each_kdamond_thread)
{
	struct damon_ctl c = { 0 };
	pid_t pid = 4242;
	char err[512];

	kernel_tree();
	fake_write(root, "/kdamonds/0/pid", "777");
	cr_assert_eq(damon_start(&c, root, &pid, NULL, 1, 5000, 200000, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect_eq(c.thread[0], 777);
	damon_stop(&c);
	fake_write(root, "/kdamonds/0/pid", "-1");
	cr_assert_eq(damon_start(&c, root, &pid, NULL, 1, 5000, 200000, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect_eq(c.thread[0], 0, "a kdamond not running has no thread");
	damon_stop(&c);
}

Test(damon, a_failed_start_leaves_nothing_behind)
{
	struct damon_ctl c = { 0 };
	pid_t pid = 1;
	char err[512];

	fake_write(root, "/kdamonds/nr_kdamonds", "0"); /* but the kernel made no kdamond tree */
	cr_expect_neq(damon_start(&c, root, &pid, NULL, 1, 5000, 100000, err, sizeof(err)), 0);
	cr_expect(strstr(err, "DAMON not available: kdamond 0 for pid 1"), "%s", err);
	cr_expect_str_eq(get("/kdamonds/nr_kdamonds"), "0");
	cr_expect_eq(c.nr, 0);
}

Test(damon, regions_give_working_set_and_locality)
{
	struct damon_usage u;
	struct damon_ctl c = { 0 };
	pid_t pid = 7;
	char err[512];

	kernel_tree();
	cr_assert_eq(damon_start(&c, root, &pid, NULL, 1, 5000, 100000, err, sizeof(err)), 0, "%s",
		     err);
	/* 4 MB hot, 4 MB warm, 8 MB never touched */
	fake_write(root, CTX "/schemes/0/tried_regions/0/start", "1048576");
	fake_write(root, CTX "/schemes/0/tried_regions/0/end", "5242880");
	fake_write(root, CTX "/schemes/0/tried_regions/0/nr_accesses", "20");
	fake_write(root, CTX "/schemes/0/tried_regions/1/start", "5242880");
	fake_write(root, CTX "/schemes/0/tried_regions/1/end", "9437184");
	fake_write(root, CTX "/schemes/0/tried_regions/1/nr_accesses", "2");
	fake_write(root, CTX "/schemes/0/tried_regions/2/start", "9437184");
	fake_write(root, CTX "/schemes/0/tried_regions/2/end", "17825792");
	fake_write(root, CTX "/schemes/0/tried_regions/2/nr_accesses", "0");
	cr_assert_eq(damon_read(&c, 0, &u, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(get("/kdamonds/0/state"), "update_schemes_tried_regions");
	cr_expect_eq(u.nr_regions, 3);
	cr_expect_eq(u.mapped_kb, 16 * 1024);
	cr_expect_eq(u.working_set_kb, 8 * 1024);
	cr_expect_eq(u.locality, 50, "half the accessed bytes are hot");
	/* (4 MB * 20 + 4 MB * 2) over the 0.1 s aggregation */
	cr_expect_eq(u.bytes_per_s, 22ULL * 4194304 * 10, "%llu", u.bytes_per_s);
	cr_expect_eq(damon_read(&c, 1, &u, err, sizeof(err)), -EINVAL, "no kdamond 1");
	damon_stop(&c);
}

Test(damon, migration_schemes_and_their_counts)
{
	struct damon_migrate mig = { .hot_nid = 0, .cold_nid = 2 };
	struct damon_ctl c = { 0 };
	pid_t pid = 9;
	char err[512];

	kernel_tree();
	cr_assert_eq(damon_start(&c, root, &pid, &mig, 1, 5000, 200000, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect_str_eq(get(CTX "/schemes/nr_schemes"), "3");
	cr_expect_str_eq(get(CTX "/schemes/0/action"), "stat");
	cr_expect_str_eq(get(CTX "/schemes/1/action"), "migrate_hot");
	cr_expect_str_eq(get(CTX "/schemes/1/target_nid"), "0");
	cr_expect_str_eq(get(CTX "/schemes/1/access_pattern/nr_accesses/min"), "4",
			 "hot: 10 % of the 40 samples of an aggregation");
	cr_expect_str_eq(get(CTX "/schemes/1/access_pattern/sz/max"), "18446744073709551615");
	cr_expect_str_eq(get(CTX "/schemes/2/action"), "migrate_cold");
	cr_expect_str_eq(get(CTX "/schemes/2/target_nid"), "2");
	cr_expect_str_eq(get(CTX "/schemes/2/access_pattern/nr_accesses/max"), "0");
	cr_expect_str_eq(get(CTX "/schemes/2/access_pattern/age/min"), "25",
			 "cold: 5 s of 200 ms aggregations untouched");
	cr_expect_str_eq(get(CTX "/schemes/2/quotas/bytes"), "67108864");
	/* only the task's anonymous memory moves, under either filter semantics */
	for (int k = 1; k <= 2; k++) {
		char rel[128];

		snprintf(rel, sizeof(rel), CTX "/schemes/%d/filters/", k);
		cr_expect_str_eq(get_at(rel, "nr_filters"), "1");
		cr_expect_str_eq(get_at(rel, "0/type"), "anon");
		cr_expect_str_eq(get_at(rel, "0/matching"), "N");
		cr_expect_str_eq(get_at(rel, "0/allow"), "N");
	}

	fake_write(root, CTX "/schemes/1/stats/nr_applied", "3");
	fake_write(root, CTX "/schemes/1/stats/sz_applied", "4096");
	fake_write(root, CTX "/schemes/2/stats/nr_applied", "5");
	fake_write(root, CTX "/schemes/2/stats/sz_applied", "1048576");
	cr_assert_eq(damon_update_migrated(&c), 0);
	cr_expect_str_eq(get("/kdamonds/0/state"), "update_schemes_stats");
	cr_expect_eq(c.nr_migrated, 8);
	cr_expect_eq(c.sz_migrated, 1052672);
	fake_write(root, CTX "/schemes/2/stats/nr_applied", "6");
	damon_update_migrated(&c);
	cr_expect_eq(c.nr_migrated, 9, "only what is new counts");

	cr_assert_eq(damon_retarget(&c, 0, 1), 0);
	cr_expect_str_eq(get(CTX "/schemes/1/target_nid"), "1", "the task moved to node 1");
	cr_expect_str_eq(get("/kdamonds/0/state"), "commit");
	fake_write(root, "/kdamonds/0/state", "on");
	cr_assert_eq(damon_retarget(&c, 0, -1), 0);
	cr_expect_str_eq(get(CTX "/schemes/1/target_nid"), "1", "an unknown node changes nothing");
	cr_expect_str_eq(get("/kdamonds/0/state"), "on");
	damon_stop(&c);

	/* a new set of kdamonds: their counters start at 0, the totals carry over */
	kernel_tree();
	mig.hot_nid = -1;
	cr_assert_eq(damon_start(&c, root, &pid, &mig, 1, 5000, 200000, err, sizeof(err)), 0);
	cr_expect_str_eq(get(CTX "/schemes/1/action"), "stat", "a direction off only counts");
	fake_write(root, CTX "/schemes/2/stats/nr_applied", "2");
	damon_update_migrated(&c);
	cr_expect_eq(c.nr_migrated, 11);
	damon_stop(&c);
}
