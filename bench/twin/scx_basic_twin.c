// SPDX-License-Identifier: GPL-2.0
/*
 * Loader of the hand-written twin of scx_basic (scx_basic_twin.bpf.c), or
 * with TWIN_SERVICES of its build with the framework's services:
 * attach, run until SIGINT or SIGTERM or until the kernel ends it, detach.
 * For the benchmark only (bench/twin/README.md), not offered to users.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#ifdef TWIN_SERVICES
#include "scx_basic_twin_services.skel.h"
#define TWIN_NAME "scx_basic_twin_services"
#define twin_skel scx_basic_twin_services
#define twin_open scx_basic_twin_services__open
#define twin_load scx_basic_twin_services__load
#define twin_destroy scx_basic_twin_services__destroy
#else
#include "scx_basic_twin.skel.h"
#define TWIN_NAME "scx_basic_twin"
#define twin_skel scx_basic_twin
#define twin_open scx_basic_twin__open
#define twin_load scx_basic_twin__load
#define twin_destroy scx_basic_twin__destroy
#endif

static volatile sig_atomic_t stop;

static void on_signal(int sig __attribute__((unused)))
{
	stop = 1;
}

int main(void)
{
	struct twin_skel *skel = twin_open();
	struct bpf_link *link;

	if (skel) {
		skel->rodata->twin_nr_cpu_ids = libbpf_num_possible_cpus();
		if (twin_load(skel)) {
			twin_destroy(skel);
			skel = NULL;
		}
	}
	if (!skel) {
		fprintf(stderr, TWIN_NAME ": cannot load: %s\n", strerror(errno));
		return 1;
	}
	link = bpf_map__attach_struct_ops(skel->maps.twin_ops);
	if (!link) {
		fprintf(stderr, TWIN_NAME ": cannot attach: %s\n", strerror(errno));
		twin_destroy(skel);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, TWIN_NAME ": attached\n");
	/* the kernel may end it (watchdog, error): the link's program is gone then */
	while (!stop)
		pause();
	bpf_link__destroy(link);
	twin_destroy(skel);
	return 0;
}
