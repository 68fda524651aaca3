// SPDX-License-Identifier: GPL-2.0
/*
 * Arena allocator and lookup costs on the host kernel (no guest needed):
 * ns per alloc+free pair in BPF and in userspace, ns per per-task record
 * lookup, each next to BPF hash maps measured in the same run. Medians of
 * several repetitions; ratios against the hash map.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "framework/arena_pages.h"
#include "tests/bpf/test_records.h"
#include "arena_bench.skel.h"

#define REPS 7

struct bench_args {
	int32_t iters, pad;
	uint64_t ns, fails;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* Median ns per iteration of a BPF program over REPS runs. */
static double bpf_ns(struct bpf_program *prog, int iters)
{
	double v[REPS];

	for (int r = 0; r < REPS; r++) {
		struct bench_args a = { .iters = iters };
		LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
		int ret = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);

		if (ret || opts.retval || a.fails) {
			/* a lookup that missed: no ratio from a run that timed misses */
			fprintf(stderr,
				"bench: %s failed (%d, retval %d, %llu misses or failures)\n",
				bpf_program__name(prog), ret, opts.retval,
				(unsigned long long)a.fails);
			exit(1);
		}
		v[r] = (double)a.ns / iters;
	}
	return median(v, REPS);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Median ns per alloc+free pair in userspace, on the same arena slab. */
static double user_slab_ns(struct tsr_slab *s, int iters)
{
	double v[REPS];

	for (int r = 0; r < REPS; r++) {
		double t0 = now_ns();

		for (int i = 0; i < iters; i++) {
			struct tsr_task *t = tsr_slab_alloc(s);

			t->core.pid = i;
			tsr_slab_free(s, t);
		}
		v[r] = (now_ns() - t0) / iters;
	}
	return median(v, REPS);
}

static double user_malloc_ns(int iters)
{
	double v[REPS];

	for (int r = 0; r < REPS; r++) {
		double t0 = now_ns();

		for (int i = 0; i < iters; i++) {
			struct tsr_task *volatile t = malloc(sizeof(*t));

			t->core.pid = i;
			free(t);
		}
		v[r] = (now_ns() - t0) / iters;
	}
	return median(v, REPS);
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 1000000;
	struct arena_bench *skel;
	struct tsr_slab *s;
	double slab, pre, dyn, lk, hlk, us, um;

	if (iters < 1000 || iters > 100000000) {
		fprintf(stderr, "bench_arena: iterations '%s' out of range (1000..100000000)\n",
			argv[1]);
		return 2;
	}
	skel = arena_bench__open_and_load();
	if (!skel) {
		fprintf(stderr, "bench_arena: cannot load (%s): needs root and BPF arenas\n",
			strerror(errno));
		return 1;
	}
	s = &skel->arena->tsr_task_slab;
	if (tsr_slab_setup(s, TSR_SLAB_ID_TASKS, sizeof(struct tsr_task), 8, 16) ||
	    tsr_slab_grow_user(s, bpf_program__fd(skel->progs.tsr_alloc_pages), 1)) {
		fprintf(stderr, "bench_arena: cannot set up the slab\n");
		return 1;
	}
	slab = bpf_ns(skel->progs.slab_pairs, iters);
	pre = bpf_ns(skel->progs.prealloc_hash_pairs, iters);
	dyn = bpf_ns(skel->progs.dynamic_hash_pairs, iters);
	lk = bpf_ns(skel->progs.task_lookup, iters);
	hlk = bpf_ns(skel->progs.hash_lookup, iters);
	us = user_slab_ns(s, iters);
	um = user_malloc_ns(iters);

	printf("arena allocator and lookup, %d iterations, median of %d runs (host kernel)\n",
	       iters, REPS);
	printf("%-46s %9s %12s\n", "operation", "ns/op", "vs baseline");
	printf("%-46s %9.1f %11.2fx\n", "BPF: arena slab alloc+free", slab, slab / pre);
	printf("%-46s %9.1f %11s\n", "BPF: hash map update+delete (preallocated)", pre, "baseline");
	printf("%-46s %9.1f %11.2fx\n", "BPF: hash map update+delete (BPF_F_NO_PREALLOC)", dyn,
	       dyn / pre);
	printf("%-46s %9.1f %11.2fx\n", "BPF: task record (task storage -> arena)", lk, lk / hlk);
	printf("%-46s %9.1f %11s\n", "BPF: task record (hash map by pid)", hlk, "baseline");
	printf("%-46s %9.1f %11.2fx\n", "userspace: arena slab alloc+free", us, us / um);
	printf("%-46s %9.1f %11s\n", "userspace: malloc+free (glibc)", um, "baseline");
	arena_bench__destroy(skel);
	return 0;
}
