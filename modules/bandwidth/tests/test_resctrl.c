// SPDX-License-Identifier: GPL-2.0
/* The resctrl source's groups and readings on fake resctrl trees. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "modules/bandwidth/resctrl.h"
#include "tests/unit/fake_sysfs.h"

static char *root;

static void setup(void)
{
	root = fake_sysfs_new();
}

static void teardown(void)
{
	fake_sysfs_free(root);
}

TestSuite(resctrl, .init = setup, .fini = teardown);

static void mbm_tree(const char *features, const char *rmids)
{
	fake_write(root, "/sys/fs/resctrl/info/L3_MON/mon_features", features);
	fake_write(root, "/sys/fs/resctrl/info/L3_MON/num_rmids", rmids);
	fake_write(root, "/sys/fs/resctrl/mon_groups/.keep", "");
}

/* What the kernel would count in group @tid's domain @dom. */
static void count(pid_t tid, int dom, const char *file, const char *value)
{
	char rel[256];

	snprintf(rel, sizeof(rel),
		 "/sys/fs/resctrl/mon_groups/tessera-%d-%d/mon_data/mon_L3_%02d/%s", (int)getpid(),
		 (int)tid, dom, file);
	fake_write(root, rel, value);
}

/* Whether mon_groups/@name exists. */
static bool group_exists(const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/sys/fs/resctrl/mon_groups/%s", root, name);
	return !stat(path, &st);
}

static const char *our_group(pid_t tid)
{
	static char name[64];

	snprintf(name, sizeof(name), "tessera-%d-%d", (int)getpid(), (int)tid);
	return name;
}

Test(resctrl, not_mounted_or_without_mbm)
{
	struct resctrl_mon m;
	char err[256];

	cr_expect_eq(resctrl_open(&m, root, err, sizeof(err)), -ENOENT);
	cr_expect_str_eq(err, "unavailable (resctrl not mounted or no L3 monitoring)");
	mbm_tree("llc_occupancy\n", "256\n");
	cr_expect_eq(resctrl_open(&m, root, err, sizeof(err)), -ENOENT);
	cr_expect_str_eq(err, "unavailable (no mbm_* monitoring features)");
}

Test(resctrl, rmids_bound_the_groups_and_total_is_preferred)
{
	struct resctrl_mon m;
	char err[256];

	mbm_tree("llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n", "4\n");
	cr_assert_eq(resctrl_open(&m, root, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(m.event, "mbm_total_bytes");
	cr_expect_eq(m.max_groups, 3); /* RMID 0 is the default group's */
	mbm_tree("mbm_local_bytes\n", "1000\n");
	cr_assert_eq(resctrl_open(&m, root, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(m.event, "mbm_local_bytes");
	cr_expect_eq(m.max_groups, RESCTRL_MAX_GROUPS);
	mbm_tree("mbm_total_bytes\n", "1\n");
	cr_expect_eq(resctrl_open(&m, root, err, sizeof(err)), -ENOSPC);
	cr_expect(strstr(err, "no monitoring IDs to spare"), "%s", err);
}

Test(resctrl, a_group_per_task_counts_over_every_domain)
{
	struct resctrl_mon m;
	unsigned long long bytes;
	char err[256], tasks[512];
	FILE *f;

	mbm_tree("mbm_total_bytes\n", "32\n");
	cr_assert_eq(resctrl_open(&m, root, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(resctrl_watch(&m, 0, 4242), 0);
	cr_expect_eq(resctrl_watch(&m, 0, 4243), -EINVAL, "a group in use is not given again");
	snprintf(tasks, sizeof(tasks), "%s/sys/fs/resctrl/mon_groups/tessera-%d-4242/tasks", root,
		 (int)getpid());
	f = fopen(tasks, "r");
	cr_assert(f, "the task was not written into its group");
	cr_expect_eq(fscanf(f, "%511s", tasks), 1);
	cr_expect_str_eq(tasks, "4242");
	fclose(f);

	count(4242, 0, "mbm_total_bytes", "1000\n");
	count(4242, 1, "mbm_total_bytes", "500\n");
	cr_expect_eq(resctrl_read(&m, 0, &bytes), 0);
	cr_expect_eq(bytes, 0, "the first reading is a start, not traffic");
	count(4242, 0, "mbm_total_bytes", "5000\n");
	count(4242, 1, "mbm_total_bytes", "2500\n");
	cr_expect_eq(resctrl_read(&m, 0, &bytes), 0);
	cr_expect_eq(bytes, 6000);
	count(4242, 1, "mbm_total_bytes", "Unavailable\n");
	cr_expect_eq(resctrl_read(&m, 0, &bytes), -EAGAIN);
	cr_expect_eq(bytes, 0);
	/* a count that went back (the group was remade): counted from there */
	count(4242, 0, "mbm_total_bytes", "100\n");
	count(4242, 1, "mbm_total_bytes", "100\n");
	cr_expect_eq(resctrl_read(&m, 0, &bytes), 0);
	cr_expect_eq(bytes, 0);
	count(4242, 0, "mbm_total_bytes", "300\n");
	cr_expect_eq(resctrl_read(&m, 0, &bytes), 0);
	cr_expect_eq(bytes, 200);
}

Test(resctrl, groups_are_removed_and_dead_runs_cleaned)
{
	struct resctrl_mon m;
	char err[256], rel[256];

	mbm_tree("mbm_total_bytes\n", "32\n");
	/* a dead run's group (no pid 67108863 runs), a live process's, and an admin's */
	fake_write(root, "/sys/fs/resctrl/mon_groups/tessera-67108863-7/.keep", "");
	fake_remove(root, "/sys/fs/resctrl/mon_groups/tessera-67108863-7/.keep");
	fake_write(root, "/sys/fs/resctrl/mon_groups/tessera-1-7/.keep", "");
	fake_remove(root, "/sys/fs/resctrl/mon_groups/tessera-1-7/.keep");
	fake_write(root, "/sys/fs/resctrl/mon_groups/admin/.keep", "");
	cr_assert_eq(resctrl_open(&m, root, err, sizeof(err)), 0, "%s", err);
	cr_expect_not(group_exists("tessera-67108863-7"));
	cr_expect(group_exists("tessera-1-7"));
	cr_expect(group_exists("admin"));

	cr_assert_eq(resctrl_watch(&m, 2, 99), 0);
	cr_expect(group_exists(our_group(99)));
	/* resctrl removes a group with its files; a fake tree needs them gone first */
	snprintf(rel, sizeof(rel), "/sys/fs/resctrl/mon_groups/%s/tasks", our_group(99));
	fake_remove(root, rel);
	resctrl_close(&m);
	cr_expect_not(group_exists(our_group(99)));
	cr_expect_eq(m.g[2].tid, 0);
	resctrl_close(&m); /* again: nothing left to do */
}

Test(resctrl, a_group_whose_task_is_gone_reads_as_gone)
{
	struct resctrl_mon m;
	unsigned long long bytes;
	char err[256];

	mbm_tree("mbm_total_bytes\n", "32\n");
	cr_assert_eq(resctrl_open(&m, root, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(resctrl_watch(&m, 0, 77), 0);
	/* no mon_data: the group was removed behind our back */
	cr_expect_eq(resctrl_read(&m, 0, &bytes), -ENOENT);
	cr_expect_eq(resctrl_read(&m, 5, &bytes), -EINVAL);
}
