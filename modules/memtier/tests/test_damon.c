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
	fake_write(root, CTX "/schemes/0/action", "pageout");
	fake_write(root, CTX "/schemes/0/access_pattern/sz/max", "0");
	fake_write(root, CTX "/schemes/0/access_pattern/nr_accesses/max", "0");
	fake_write(root, CTX "/schemes/0/access_pattern/age/max", "0");
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
	struct damon_ctl c;
	pid_t pid = 4242;
	char err[512];

	kernel_tree();
	cr_assert_eq(damon_start(&c, root, &pid, 1, 5000, 200000, err, sizeof(err)), 0, "%s", err);
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

Test(damon, a_failed_start_leaves_nothing_behind)
{
	struct damon_ctl c;
	pid_t pid = 1;
	char err[512];

	fake_write(root, "/kdamonds/nr_kdamonds", "0"); /* but the kernel made no kdamond tree */
	cr_expect_neq(damon_start(&c, root, &pid, 1, 5000, 100000, err, sizeof(err)), 0);
	cr_expect(strstr(err, "DAMON not available: kdamond 0 for pid 1"), "%s", err);
	cr_expect_str_eq(get("/kdamonds/nr_kdamonds"), "0");
	cr_expect_eq(c.nr, 0);
}

Test(damon, regions_give_working_set_and_locality)
{
	struct damon_usage u;
	struct damon_ctl c;
	pid_t pid = 7;
	char err[512];

	kernel_tree();
	cr_assert_eq(damon_start(&c, root, &pid, 1, 5000, 100000, err, sizeof(err)), 0, "%s", err);
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
	cr_expect_eq(damon_read(&c, 1, &u, err, sizeof(err)), -EINVAL, "no kdamond 1");
	damon_stop(&c);
}
