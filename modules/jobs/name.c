// SPDX-License-Identifier: GPL-2.0
/* A job's name: its process group leader's command, or its cgroup's directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "name.h"

bool jobs_are_cgroups;

int jobs_leader_comm(int pgid, char *out, size_t len)
{
	char path[64];
	FILE *f;
	int ret = 0;

	snprintf(out, len, "?");
	snprintf(path, sizeof(path), "/proc/%d/comm", pgid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (fgets(out, len, f))
		out[strcspn(out, "\n")] = 0;
	else
		ret = -EIO;
	fclose(f);
	return ret;
}

/* Where cgroup2 is mounted, into @out; -ENOENT when it is not. */
static int cgroup2_root(char *out, size_t len)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while ((m = getmntent(f))) {
		if (strcmp(m->mnt_type, "cgroup2"))
			continue;
		snprintf(out, len, "%s", m->mnt_dir);
		ret = 0;
		break;
	}
	endmntent(f);
	return ret;
}

/* nftw has no context argument: the search in progress */
static struct {
	unsigned long long id;
	char *out;
	size_t len;
} search;

static int match_id(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type != FTW_D || st->st_ino != search.id)
		return 0;
	snprintf(search.out, search.len, "%s", ftw->level ? path + ftw->base : "/");
	return 1;
}

int jobs_cgroup_name(const char *root, unsigned long long id, char *out, size_t len)
{
	char mnt[256];
	int ret;

	snprintf(out, len, "?");
	if (!root) {
		ret = cgroup2_root(mnt, sizeof(mnt));
		if (ret)
			return ret;
		root = mnt;
	}
	/* a cgroup's id is its directory's inode number in cgroupfs */
	search.id = id;
	search.out = out;
	search.len = len;
	ret = nftw(root, match_id, 16, FTW_PHYS | FTW_MOUNT);
	return ret == 1 ? 0 : ret < 0 ? -errno : -ENOENT;
}

#define NAME_CACHE 256 /* cgroups whose names are remembered */

/*
 * Names of cgroups found before, by id: a cgroup id is never reused while
 * the machine runs, so a walk of cgroupfs is needed once per cgroup, not
 * every time smt_pair looks a job's profile up.
 */
static struct {
	unsigned long long id;
	char name[64];
} name_cache[NAME_CACHE];

static int cached_cgroup_name(unsigned long long id, char *out, size_t len)
{
	unsigned int h = (unsigned int)(id * 2654435761u) % NAME_CACHE;
	int ret;

	if (id && name_cache[h].id == id) {
		snprintf(out, len, "%s", name_cache[h].name);
		return 0;
	}
	ret = jobs_cgroup_name(NULL, id, out, len);
	if (!ret && strlen(out) < sizeof(name_cache[h].name)) {
		name_cache[h].id = id;
		strcpy(name_cache[h].name, out);
	}
	return ret;
}

int jobs_name(const struct jobs_slot *s, char *out, size_t len)
{
	if (jobs_are_cgroups)
		return cached_cgroup_name(s->key, out, len);
	return jobs_leader_comm(s->pgid, out, len);
}
