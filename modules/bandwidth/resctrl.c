// SPDX-License-Identifier: GPL-2.0
/* The resctrl source (resctrl.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "framework/read_line.h"
#include "resctrl.h"

static void group_path(const struct resctrl_mon *m, int i, const char *file, char *path, size_t len)
{
	snprintf(path, len, "%s/mon_groups/" RESCTRL_GROUP_PREFIX "%d-%d%s%s", m->dir,
		 (int)getpid(), (int)m->g[i].tid, file ? "/" : "", file ? file : "");
}

static bool has_feature(const char *features, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = features; (p = strstr(p, name)); p += n)
		if ((p == features || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return true;
	return false;
}

/* The whole of a small file into @buf; 0 or -errno. */
static int read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
	return 0;
}

/* A group named tessera-PID-TID whose PID no longer runs: a dead run's. */
static bool is_stale(const char *name)
{
	int pid, tid;

	if (sscanf(name, RESCTRL_GROUP_PREFIX "%d-%d", &pid, &tid) != 2 || pid <= 0)
		return false;
	return pid != getpid() && kill(pid, 0) && errno == ESRCH;
}

static void remove_stale(const struct resctrl_mon *m)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/mon_groups", m->dir);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)))
		if (is_stale(e->d_name)) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			rmdir(path);
		}
	closedir(d);
}

int resctrl_open(struct resctrl_mon *m, const char *root, char *err, size_t err_len)
{
	char path[PATH_MAX], buf[512];
	long rmids;

	memset(m, 0, sizeof(*m));
	snprintf(m->dir, sizeof(m->dir), "%s/sys/fs/resctrl", root);
	snprintf(path, sizeof(path), "%s/info/L3_MON/mon_features", m->dir);
	if (read_small(path, buf, sizeof(buf))) {
		snprintf(err, err_len, "unavailable (resctrl not mounted or no L3 monitoring)");
		return -ENOENT;
	}
	m->event = has_feature(buf, "mbm_total_bytes") ? "mbm_total_bytes" :
		   has_feature(buf, "mbm_local_bytes") ? "mbm_local_bytes" :
							 NULL;
	if (!m->event) {
		snprintf(err, err_len, "unavailable (no mbm_* monitoring features)");
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s/info/L3_MON/num_rmids", m->dir);
	if (tsr_read_line(path, buf, sizeof(buf)) || (rmids = strtol(buf, NULL, 10)) < 2) {
		snprintf(err, err_len, "unavailable (%s: no monitoring IDs to spare)", path);
		return -ENOSPC;
	}
	/* RMID 0 belongs to the default group */
	m->max_groups = rmids - 1 < RESCTRL_MAX_GROUPS ? rmids - 1 : RESCTRL_MAX_GROUPS;
	remove_stale(m);
	return 0;
}

int resctrl_watch(struct resctrl_mon *m, int i, pid_t tid)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	if (i < 0 || i >= m->max_groups || m->g[i].tid)
		return -EINVAL;
	m->g[i] = (struct resctrl_group){ .tid = tid };
	group_path(m, i, NULL, path, sizeof(path));
	if (mkdir(path, 0755) && errno != EEXIST) {
		ret = -errno;
		m->g[i].tid = 0;
		return ret;
	}
	group_path(m, i, "tasks", path, sizeof(path));
	f = fopen(path, "w");
	ret = f && fprintf(f, "%d\n", (int)tid) > 0 ? 0 : -errno;
	if (f && fclose(f) && !ret)
		ret = -errno;
	if (ret)
		resctrl_unwatch(m, i);
	return ret;
}

/* The group's count summed over its mon_data/mon_L3_* domains; -EAGAIN if one has none. */
static int group_bytes(const struct resctrl_mon *m, int i, unsigned long long *sum)
{
	char dir[PATH_MAX], path[PATH_MAX + 300], buf[64], *end;
	struct dirent *e;
	int ret = -ENOENT;
	DIR *d;

	*sum = 0;
	group_path(m, i, "mon_data", dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		unsigned long long v;

		if (strncmp(e->d_name, "mon_L3_", 7))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, e->d_name, m->event);
		if (tsr_read_line(path, buf, sizeof(buf)))
			continue;
		/* "Unavailable" or "Error" until the hardware has counted */
		errno = 0;
		v = strtoull(buf, &end, 10);
		if (errno || end == buf || *end) {
			ret = -EAGAIN;
			break;
		}
		*sum += v;
		ret = 0;
	}
	closedir(d);
	return ret;
}

int resctrl_read(struct resctrl_mon *m, int i, unsigned long long *bytes)
{
	struct resctrl_group *g = &m->g[i];
	unsigned long long now;
	int ret;

	*bytes = 0;
	if (i < 0 || i >= m->max_groups || !g->tid)
		return -EINVAL;
	ret = group_bytes(m, i, &now);
	if (ret)
		return ret;
	/* the first reading, or a count that went back (group remade): a new start */
	if (g->primed && now >= g->last)
		*bytes = now - g->last;
	g->last = now;
	g->primed = true;
	return 0;
}

void resctrl_unwatch(struct resctrl_mon *m, int i)
{
	char path[PATH_MAX];

	if (i < 0 || i >= m->max_groups || !m->g[i].tid)
		return;
	group_path(m, i, NULL, path, sizeof(path));
	rmdir(path);
	m->g[i].tid = 0;
}

void resctrl_close(struct resctrl_mon *m)
{
	for (int i = 0; i < m->max_groups; i++)
		resctrl_unwatch(m, i);
}
