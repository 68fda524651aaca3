// SPDX-License-Identifier: GPL-2.0
/* Kernel sched_ext state from sysfs: present, attached, and by whom. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "scx_sysfs.h"

int tsr_scx_read(const char *sysfs_root, const char *rel, char *buf, size_t len)
{
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/kernel/sched_ext/%s", sysfs_root, rel);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int tsr_scx_check_free(const char *sysfs_root, char *err, size_t errlen)
{
	char state[64], ops[128] = "";
	int ret = tsr_scx_read(sysfs_root, "state", state, sizeof(state));

	if (ret == -ENOENT) {
		snprintf(err, errlen,
			 "this kernel has no sched_ext (%s/kernel/sched_ext is missing; it needs "
			 "CONFIG_SCHED_CLASS_EXT): run it in the guest with './tessera run'",
			 sysfs_root);
		return -EOPNOTSUPP;
	}
	if (ret) {
		snprintf(err, errlen, "cannot read %s/kernel/sched_ext/state: %s", sysfs_root,
			 strerror(-ret));
		return ret;
	}
	if (!strcmp(state, "disabled"))
		return 0;
	tsr_scx_read(sysfs_root, "root/ops", ops, sizeof(ops));
	snprintf(err, errlen, "another sched_ext scheduler is %s (%s): stop it first", state,
		 ops[0] ? ops : "unknown");
	return -EBUSY;
}
