// SPDX-License-Identifier: GPL-2.0
/*
 * tsr-noisy: the two sides of the noisy-neighbour benchmark (bench/cxl).
 *
 *	tsr-noisy stream SECS [--mb MB] [--feed SOCKET]
 *		copy between two MB buffers (default 64) for SECS; with --feed,
 *		report the bytes read and written every 50 ms to a running
 *		scheduler's control socket ("bandwidth feed PID READ WRITE");
 *		prints "stream mbps=N feeds=N"
 *	tsr-noisy query SECS [--mb MB] [--name NAME]
 *		every 2 ms a query of 2,000 random 8-byte reads over an MB table
 *		(default 64: past the caches), each timed from when it was due
 *		(wake-up delay included) to its end; its task name is NAME
 *		(default faiss_query: a VectorDB worker to scx_cxl); prints
 *		"query n=N p50_us=N p99_us=N max_us=N rq_wait_ms=N migrations=N
 *		cpu_s=N" (run-queue wait, migrations and CPU time over the run)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#define QUERY_READS 2000
#define QUERY_EVERY_NS 2000000LL
#define FEED_EVERY_NS 50000000LL

static int64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* One request to the control socket at @path; 0 when it answered "ok". */
static int feed(const char *path, long long rd, long long wr)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char req[128], reply[8] = "";
	int fd, n, ret = -1;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	n = snprintf(req, sizeof(req), "bandwidth feed %d %lld %lld\n", (int)getpid(), rd, wr);
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)) && write(fd, req, n) == n &&
	    read(fd, reply, sizeof(reply) - 1) > 0 && !strncmp(reply, "ok", 2))
		ret = 0;
	close(fd);
	return ret;
}

static int run_stream(double secs, long mb, const char *sock)
{
	size_t len = (size_t)mb << 20;
	char *a = malloc(len), *b = malloc(len);
	int64_t t0 = now_ns(), end = t0 + (int64_t)(secs * 1e9), next_feed = t0 + FEED_EVERY_NS;
	long long copied = 0, unreported = 0, feeds = 0;
	size_t chunk = 1 << 20, off = 0;

	if (!a || !b)
		return fprintf(stderr, "tsr-noisy: cannot allocate 2 x %ld MB\n", mb), 1;
	memset(a, 1, len);
	memset(b, 2, len);
	prctl(PR_SET_NAME, "stream_hog");
	while (now_ns() < end) {
		memcpy(b + off, a + off, chunk);
		off = (off + chunk) % len;
		copied += chunk;
		unreported += chunk;
		if (sock && now_ns() >= next_feed) {
			feeds += !feed(sock, unreported, unreported);
			unreported = 0;
			next_feed += FEED_EVERY_NS;
		}
	}
	printf("stream mbps=%.0f feeds=%lld cpu_s=%.3f\n", copied / ((now_ns() - t0) / 1e9) / 1e6,
	       feeds, clock_ns(CLOCK_PROCESS_CPUTIME_ID) / 1e9);
	return 0;
}

/* This task's migrations so far (/proc/thread-self/sched), -1 if the kernel does not say. */
static long long nr_migrations(void)
{
	FILE *f = fopen("/proc/thread-self/sched", "r");
	long long n = -1;
	char line[256];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "se.nr_migrations", 16))
			n = atoll(strchr(line, ':') ? strchr(line, ':') + 1 : line);
	fclose(f);
	return n;
}

/* This task's run-queue wait so far, in ns (/proc/self/schedstat field 2). */
static long long rq_wait_ns(void)
{
	unsigned long long run = 0, wait = 0;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%llu %llu", &run, &wait) != 2)
		wait = 0;
	fclose(f);
	return (long long)wait;
}

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int run_query(double secs, long mb, const char *name)
{
	size_t words = ((size_t)mb << 20) / sizeof(uint64_t),
	       cap = (size_t)(secs * 1e9 / QUERY_EVERY_NS) + 1;
	uint64_t *table = malloc(words * sizeof(uint64_t)), seed = 88172645463325252ULL;
	int64_t *lat = malloc(cap * sizeof(int64_t)), t0 = now_ns(),
		end = t0 + (int64_t)(secs * 1e9);
	volatile uint64_t sink = 0;
	long long wait0, mig0;
	size_t n = 0;

	if (!table || !lat)
		return fprintf(stderr, "tsr-noisy: cannot allocate a %ld MB table\n", mb), 1;
	for (size_t i = 0; i < words; i++)
		table[i] = i;
	prctl(PR_SET_NAME, name);
	wait0 = rq_wait_ns();
	mig0 = nr_migrations();
	for (int64_t next = now_ns(); next < end && n < cap; next += QUERY_EVERY_NS) {
		struct timespec ts = { next / 1000000000LL, next % 1000000000LL };
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		for (int r = 0; r < QUERY_READS; r++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			sink += table[seed % words];
		}
		lat[n++] = now_ns() - next;
		if (now_ns() > next + QUERY_EVERY_NS)
			next = now_ns(); /* late: no burst of catch-up queries */
	}
	qsort(lat, n, sizeof(lat[0]), by_value);
	printf("query n=%zu p50_us=%.0f p99_us=%.0f max_us=%.0f rq_wait_ms=%.0f migrations=%lld\n",
	       n, n ? lat[n / 2] / 1e3 : 0, n ? lat[n * 99 / 100] / 1e3 : 0,
	       n ? lat[n - 1] / 1e3 : 0, (rq_wait_ns() - wait0) / 1e6,
	       mig0 < 0 ? -1 : nr_migrations() - mig0);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: tsr-noisy stream SECS [--mb MB] [--feed SOCKET]\n"
			"       tsr-noisy query SECS [--mb MB] [--name NAME]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *sock = NULL, *name = "faiss_query";
	double secs;
	long mb = 64;

	if (argc < 3 || (argc - 3) % 2 || (secs = atof(argv[2])) <= 0 || secs > 3600)
		return usage();
	for (int i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--mb"))
			mb = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--feed"))
			sock = argv[i + 1];
		else if (!strcmp(argv[i], "--name"))
			name = argv[i + 1];
		else
			return usage();
	}
	if (mb < 1 || mb > 4096) {
		fprintf(stderr, "tsr-noisy: --mb %ld is out of range (1..4096)\n", mb);
		return 2;
	}
	if (!strcmp(argv[1], "stream"))
		return run_stream(secs, mb, sock);
	if (!strcmp(argv[1], "query"))
		return run_query(secs, mb, name);
	return usage();
}
