// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace's changes to the job table, with the same atomics BPF uses on
 * the shared arena pages.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "name.h"
#include "table.h"

int jobs_find(struct jobs_slot *tab, __u64 key)
{
	__u32 h = jobs_key_hash(key);

	for (int i = 0; key && i < JOBS_PROBES; i++) {
		int idx = (h + i) & (JOBS_MAX - 1);
		__u64 cur = __atomic_load_n(&tab[idx].key, __ATOMIC_ACQUIRE);

		if (cur == key)
			return idx;
		if (!cur)
			break;
	}
	return -ENOENT;
}

/* The slot of @key, taking a never-used one as BPF does; -ENOSPC. */
static int claim(struct jobs_slot *tab, __u64 key, __s32 pgid)
{
	__u32 h = jobs_key_hash(key);

	for (int i = 0; i < JOBS_PROBES; i++) {
		int idx = (h + i) & (JOBS_MAX - 1);
		__u64 cur = 0;

		if (__atomic_compare_exchange_n(&tab[idx].key, &cur, key, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			tab[idx].pgid = pgid;
			return idx;
		}
		if (cur == key)
			return idx;
	}
	return -ENOSPC;
}

int jobs_register(struct jobs_slot *tab, __u64 key, __s32 pgid, __u32 *was)
{
	int idx = key ? claim(tab, key, pgid) : -EINVAL;

	if (idx < 0)
		return idx;
	*was = __atomic_exchange_n(&tab[idx].flags, JOBS_LONG_RUNNING, __ATOMIC_ACQ_REL);
	return idx;
}

int jobs_unregister(struct jobs_slot *tab, __u64 key)
{
	int idx = jobs_find(tab, key);

	if (idx >= 0)
		__atomic_store_n(&tab[idx].flags, JOBS_REMOVED, __ATOMIC_RELEASE);
	return idx;
}

int jobs_parse(const char *arg, __u64 *key, __s32 *pgid, char *err, size_t err_len)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);
	struct stat st;

	*pgid = 0;
	if (jobs_are_cgroups) {
		if (arg[0] == '/' && !stat(arg, &st) && S_ISDIR(st.st_mode)) {
			*key = st.st_ino;
			return 0;
		}
		if (*end || !v || arg[0] == '-') {
			snprintf(err, err_len,
				 "cgroup: '%s' is neither a cgroup id (1..2^64-1) nor a cgroup "
				 "directory",
				 arg);
			return -EINVAL;
		}
		*key = v;
		return 0;
	}
	if (*end || !v || v > 2147483647 || arg[0] == '-') {
		snprintf(err, err_len, "pgid: '%s' is not a process group id (1..2147483647)", arg);
		return -EINVAL;
	}
	if (kill(-(pid_t)v, 0) && errno == ESRCH) {
		snprintf(err, err_len, "pgid %llu: no such process group", v);
		return -ESRCH;
	}
	*key = v;
	*pgid = v;
	return 0;
}
