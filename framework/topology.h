/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Topology discovery from sysfs into the arena's struct tsr_topo. The sysfs
 * root is a parameter so tests can point it at fake trees.
 */
#ifndef TSR_TOPOLOGY_H
#define TSR_TOPOLOGY_H

#include <stddef.h>
#include "../arena/topo.h"

struct tsr_topo_opts {
	const char *sysfs_root; /* "/sys" normally */
	unsigned int
		cache_level; /* build domains from CPUs sharing this cache level; 0 = per node */
};

/*
 * Fill @topo from sysfs. Returns 0, or a negative errno with a one-line
 * reason naming the file and the bad value in @err.
 */
int tsr_topo_discover(struct tsr_topo *topo, const struct tsr_topo_opts *opts, char *err,
		      size_t errlen);

/* Parse a sysfs CPU list ("0-3,8,10-11") into @mask; 0 or -EINVAL/-ERANGE. */
int tsr_parse_cpulist(const char *s, struct tsr_cpumask *mask);

/* Print a one-paragraph summary (CPUs, cores, domains, nodes) to @out. */
void tsr_topo_print(const struct tsr_topo *topo, FILE *out);

#endif /* TSR_TOPOLOGY_H */
