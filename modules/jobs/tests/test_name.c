// SPDX-License-Identifier: GPL-2.0
/* Job names: a cgroup found by its id (its directory's inode) in a tree, a process group by its leader. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "modules/jobs/name.h"

static char root[64];

static unsigned long long ino_of(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	cr_assert_eq(stat(path, &st), 0, "%s", path);
	return st.st_ino;
}

static void make_tree(void)
{
	char path[256];

	snprintf(root, sizeof(root), "/tmp/tsr-cgroup-XXXXXX");
	cr_assert_not_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/system.slice", root);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/system.slice/db.service", root);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/batch", root);
	cr_assert_eq(mkdir(path, 0755), 0);
}

static void remove_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(jobs_name, .init = make_tree, .fini = remove_tree);

Test(jobs_name, a_cgroup_is_named_by_its_directory_at_any_depth)
{
	char name[64];

	cr_assert_eq(jobs_cgroup_name(root, ino_of("/system.slice/db.service"), name, sizeof(name)),
		     0);
	cr_expect_str_eq(name, "db.service");
	cr_assert_eq(jobs_cgroup_name(root, ino_of("/batch"), name, sizeof(name)), 0);
	cr_expect_str_eq(name, "batch");
	cr_assert_eq(jobs_cgroup_name(root, ino_of(""), name, sizeof(name)), 0);
	cr_expect_str_eq(name, "/", "the root cgroup");
}

Test(jobs_name, an_unknown_id_is_not_found)
{
	char name[64];

	cr_expect_eq(jobs_cgroup_name(root, 1ULL << 50, name, sizeof(name)), -ENOENT);
	cr_expect_str_eq(name, "?");
	cr_expect_lt(jobs_cgroup_name("/nonexistent/tsr", 5, name, sizeof(name)), 0);
}

Test(jobs_name, a_process_group_is_named_by_its_leader)
{
	char name[64], want[64];
	FILE *f = fopen("/proc/self/comm", "r");

	cr_assert_not_null(f);
	cr_assert_not_null(fgets(want, sizeof(want), f));
	fclose(f);
	want[strcspn(want, "\n")] = 0;
	cr_assert_eq(jobs_leader_comm(getpid(), name, sizeof(name)), 0);
	cr_expect_str_eq(name, want);
	cr_expect_lt(jobs_leader_comm(0x7ffffff0, name, sizeof(name)), 0);
	cr_expect_str_eq(name, "?");
}
