// SPDX-License-Identifier: GPL-2.0
/*
 * Loader of the hand-written twin of scx_basic (scx_basic_twin.bpf.c):
 * attach, run until SIGINT or SIGTERM or until the kernel ends it, detach.
 * For the benchmark only (bench/twin/README.md), not offered to users.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "scx_basic_twin.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig __attribute__((unused)))
{
	stop = 1;
}

int main(void)
{
	struct scx_basic_twin *skel = scx_basic_twin__open();
	struct bpf_link *link;

	if (skel) {
		skel->rodata->twin_nr_cpu_ids = libbpf_num_possible_cpus();
		if (scx_basic_twin__load(skel)) {
			scx_basic_twin__destroy(skel);
			skel = NULL;
		}
	}
	if (!skel) {
		fprintf(stderr, "scx_basic_twin: cannot load: %s\n", strerror(errno));
		return 1;
	}
	link = bpf_map__attach_struct_ops(skel->maps.twin_ops);
	if (!link) {
		fprintf(stderr, "scx_basic_twin: cannot attach: %s\n", strerror(errno));
		scx_basic_twin__destroy(skel);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "scx_basic_twin: attached\n");
	/* the kernel may end it (watchdog, error): the link's program is gone then */
	while (!stop)
		pause();
	bpf_link__destroy(link);
	scx_basic_twin__destroy(skel);
	return 0;
}
