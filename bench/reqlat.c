// SPDX-License-Identifier: GPL-2.0
/*
 * tsr-reqlat: a request-serving load in the manner of schbench, for the
 * scheduler benchmark's latency tails. Each message thread posts a round
 * to its group of workers at once and waits until all are done; a worker,
 * woken, burns a request's worth of its own CPU time and reports back.
 * Wake-up latency runs from the post until the worker runs; request
 * latency until it is done, so it also counts the time the worker waited
 * for a CPU while it worked, which a wake-up tail does not see.
 *
 * Prints "NAME VALUE" lines: wakeup_p50_us, wakeup_p99_us, request_p50_us,
 * request_p99_us, requests.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct group {
	atomic_uint round; /* futex word: bumped to post a round */
	atomic_uint busy; /* futex word: workers not done with this round */
	atomic_bool stop;
	uint64_t posted_ns;
};

struct samples {
	uint32_t *us;
	size_t n, cap;
};

struct worker {
	struct group *group;
	struct samples wakeup, request;
	pthread_t thread;
};

struct opts {
	long groups, workers, cpu_us, sleep_us, secs;
};

static struct opts opts = { .groups = 2, .cpu_us = 1000, .sleep_us = 5000, .secs = 5 };

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void futex_wait(atomic_uint *word, unsigned int seen)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
}

static void futex_wake(atomic_uint *word, int nr)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, nr, NULL, NULL, 0);
}

static int samples_add(struct samples *s, uint64_t ns)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 4096;
		uint32_t *us = realloc(s->us, cap * sizeof(*us));

		if (!us)
			return -ENOMEM;
		s->us = us;
		s->cap = cap;
	}
	s->us[s->n++] = ns / 1000 > UINT32_MAX ? UINT32_MAX : ns / 1000;
	return 0;
}

/* @ns of this thread's own CPU time: time it spent waiting for a CPU does not count */
static void burn(uint64_t ns)
{
	uint64_t end = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ns;
	volatile uint64_t x = 0;

	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < end)
		for (int i = 0; i < 1000; i++)
			x += i;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct group *g = w->group;
	unsigned int seen = 0, now;
	uint64_t woke;

	for (;;) {
		while ((now = atomic_load(&g->round)) == seen)
			futex_wait(&g->round, seen);
		seen = now;
		if (atomic_load(&g->stop))
			return NULL;
		woke = clock_ns(CLOCK_MONOTONIC);
		burn(opts.cpu_us * 1000);
		if (samples_add(&w->wakeup, woke - g->posted_ns) ||
		    samples_add(&w->request, clock_ns(CLOCK_MONOTONIC) - g->posted_ns)) {
			fprintf(stderr, "tsr-reqlat: out of memory for samples\n");
			exit(1);
		}
		if (atomic_fetch_sub(&g->busy, 1) == 1)
			futex_wake(&g->busy, 1);
	}
}

static void *group_main(void *arg)
{
	struct group *g = arg;
	uint64_t end = clock_ns(CLOCK_MONOTONIC) + opts.secs * 1000000000ULL;
	struct timespec pause = { opts.sleep_us / 1000000, opts.sleep_us % 1000000 * 1000 };
	unsigned int busy;

	while (clock_ns(CLOCK_MONOTONIC) < end) {
		atomic_store(&g->busy, opts.workers);
		g->posted_ns = clock_ns(CLOCK_MONOTONIC);
		atomic_fetch_add(&g->round, 1);
		futex_wake(&g->round, INT_MAX);
		while ((busy = atomic_load(&g->busy)) != 0)
			futex_wait(&g->busy, busy);
		if (opts.sleep_us)
			nanosleep(&pause, NULL);
	}
	atomic_store(&g->stop, true);
	atomic_fetch_add(&g->round, 1);
	futex_wake(&g->round, INT_MAX);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static struct samples *kind_of(struct worker *w, bool request)
{
	return request ? &w->request : &w->wakeup;
}

/* The median and 99th percentile of every worker's samples of one kind. */
static void print_tail(struct worker *w, size_t nr, bool request)
{
	const char *kind = request ? "request" : "wakeup";
	size_t i, n = 0, total = 0;
	uint32_t *all;

	for (i = 0; i < nr; i++)
		total += kind_of(&w[i], request)->n;
	all = malloc((total ?: 1) * sizeof(*all));
	for (i = 0; all && i < nr; i++) {
		memcpy(all + n, kind_of(&w[i], request)->us,
		       kind_of(&w[i], request)->n * sizeof(*all));
		n += kind_of(&w[i], request)->n;
	}
	if (!n) {
		printf("%s_p50_us nan\n%s_p99_us nan\n", kind, kind);
	} else {
		qsort(all, n, sizeof(*all), cmp_u32);
		printf("%s_p50_us %u\n%s_p99_us %u\n", kind, all[(n - 1) / 2], kind,
		       all[(n - 1) * 99 / 100]);
	}
	free(all);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tsr-reqlat [-m GROUPS] [-t WORKERS] [-c CPU_US] [-s SLEEP_US] [-r SECS]\n"
		"  -m  message threads, each with its own workers (1..64, default 2)\n"
		"  -t  workers per message thread (1..256, default: online CPUs, at most 256)\n"
		"  -c  CPU time a request takes, us (1..1000000, default 1000)\n"
		"  -s  pause between a group's rounds, us (0..1000000, default 5000)\n"
		"  -r  run time, seconds (1..3600, default 5)\n");
}

static int parse_opt(int c, const char *arg)
{
	static const struct {
		char opt;
		long min, max;
		long *val;
	} spec[] = {
		{ 'm', 1, 64, &opts.groups },	   { 't', 1, 256, &opts.workers },
		{ 'c', 1, 1000000, &opts.cpu_us }, { 's', 0, 1000000, &opts.sleep_us },
		{ 'r', 1, 3600, &opts.secs },
	};
	char *end;
	long v;

	for (size_t i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		if (spec[i].opt != c)
			continue;
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v < spec[i].min || v > spec[i].max) {
			fprintf(stderr, "tsr-reqlat: -%c: '%s' is out of range (%ld..%ld)\n", c,
				arg, spec[i].min, spec[i].max);
			return -EINVAL;
		}
		*spec[i].val = v;
		return 0;
	}
	fprintf(stderr, "tsr-reqlat: unknown option or missing value: '-%c' (see -h)\n", optopt);
	return -EINVAL;
}

/* Workers first, then the message threads; returns once every thread ended. */
static int run(struct group *groups, struct worker *workers, size_t nr)
{
	pthread_t posters[64];
	long g;
	size_t i;

	for (i = 0; i < nr; i++) {
		workers[i].group = &groups[i / opts.workers];
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]))
			return -EAGAIN;
	}
	for (g = 0; g < opts.groups; g++)
		if (pthread_create(&posters[g], NULL, group_main, &groups[g]))
			return -EAGAIN;
	for (g = 0; g < opts.groups; g++)
		pthread_join(posters[g], NULL);
	for (i = 0; i < nr; i++)
		pthread_join(workers[i].thread, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	struct group *groups;
	struct worker *workers;
	size_t i, nr, total = 0;
	int c;

	opts.workers = sysconf(_SC_NPROCESSORS_ONLN);
	opts.workers = opts.workers < 1 ? 1 : opts.workers > 256 ? 256 : opts.workers;
	opterr = 0;
	while ((c = getopt(argc, argv, "m:t:c:s:r:h")) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (parse_opt(c, optarg ? optarg : ""))
			return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "tsr-reqlat: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	nr = opts.groups * opts.workers;
	groups = calloc(opts.groups, sizeof(*groups));
	workers = calloc(nr, sizeof(*workers));
	if (!groups || !workers) {
		fprintf(stderr, "tsr-reqlat: out of memory\n");
		return 1;
	}
	if (run(groups, workers, nr)) {
		fprintf(stderr, "tsr-reqlat: cannot start %zu workers and %ld message threads\n",
			nr, opts.groups);
		return 1;
	}
	print_tail(workers, nr, false);
	print_tail(workers, nr, true);
	for (i = 0; i < nr; i++)
		total += workers[i].request.n;
	printf("requests %zu\n", total);
	return 0;
}
