// SPDX-License-Identifier: GPL-2.0
/*
 * tsr-hogs: start CPU hogs with given nice levels, policies and CPUs, let
 * them compete for a while, and print the CPU time each one got. The guest
 * tests use it to check that a scheduler honours the kernel's weights.
 *
 *	tsr-hogs [-w WARMUP_S | -g] [-s SLEEPERS] [-y RUN_MS:SLEEP_MS] [-m MB[:HOT_S]] [-a CPU,CPU:MS] [-l LATE_SPEC] SECS SPEC...
 *
 * SPEC is NICE[@CPUS][:NAME], or "idle[@CPUS][:NAME]" for SCHED_IDLE, where
 * CPUS is one CPU or a range FIRST-LAST the hog may run on; NAME
 * becomes the hog's task name (e.g. one a scheduler classifies). -s first starts a
 * process with SLEEPERS sleeping threads (tasks that only take records);
 * -l starts one more hog after them and after the others, the "last task
 * started". -g measures from the moment SIGUSR1 arrives instead of after
 * the warm-up, for a test that changes the machine first (hotplug). -y
 * makes every hog sleep SLEEP_MS after each RUN_MS of CPU time, so that it
 * wakes (and a scheduler places it) often. -m gives every hog MB of memory
 * that it writes once and leaves (cold memory), and after HOT_S seconds
 * writes over and over (hot memory). -a makes every hog set its own CPU
 * to the first CPU and the second by turns, every MS of wall time (a move
 * a scheduler must count, with no other process started for it). Output,
 * one line a hog:
 *
 *	hog I SPEC cpu_ms=N share=F runs=R wait_ms=W [migrations=K] [mem_mb_s=M]
 *
 * share is the hog's CPU time over the measured seconds (1.0 = one full CPU);
 * runs and wait_ms are the times it got a CPU and its run-queue wait in that
 * span, from /proc/PID/schedstat; migrations the times it moved to another
 * CPU in that span (/proc/PID/sched, when the kernel shows it); mem_mb_s
 * (with -m) the MB (10^6 bytes) a second it wrote over its memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define MAX_HOGS 256

struct hog {
	const char *spec;
	pid_t pid;
	clockid_t clock;
	double start_s;
	unsigned long long wait0_ns, runs0;
	long long migrations0; /* -1: the kernel shows no count */
	unsigned long long passes0; /* -m: its passes over its memory when measuring began */
};

/* -m: each hog's passes over its memory so far, shared with the parent */
static volatile unsigned long long *mem_passes;

/* /proc/PID/schedstat: run ns, run-queue wait ns, times run */
static void schedstat(pid_t pid, unsigned long long *wait_ns, unsigned long long *runs)
{
	unsigned long long run_ns = 0;
	char path[64];
	FILE *f;

	*wait_ns = *runs = 0;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fscanf(f, "%llu %llu %llu", &run_ns, wait_ns, runs) != 3)
		*wait_ns = *runs = 0;
	fclose(f);
}

/* se.nr_migrations in /proc/PID/sched: times the kernel moved the task to another CPU; -1 if absent */
static long long nr_migrations(pid_t pid)
{
	long long n = -1;
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/sched", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "se.nr_migrations : %lld", &n) == 1)
			break;
	fclose(f);
	return n;
}

static double clock_s(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		return -1;
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* SIGUSR1 ("go") is blocked from the start, so one sent early waits for sigwait. */
static void block_go_signal(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static void wait_go_signal(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigwait(&set, &sig);
}

/* -a: the two CPUs a hog moves between, and how often (0: never) */
static int flip_cpu[2];
static double flip_every_s;

/* Allow the calling process CPUs @first..@last only. */
static void set_cpus(int first, int last)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	for (cpu = first; cpu <= last; cpu++)
		CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("tsr-hogs: sched_setaffinity"), exit(1);
}

static void set_cpu(int cpu)
{
	set_cpus(cpu, cpu);
}

/* Apply "@CPU" or "@FIRST-LAST" of @spec (at @at); exit on a bad one. */
static void apply_cpus(const char *spec, const char *at)
{
	char *end;
	long first = strtol(at + 1, &end, 10), last = first;

	if (*end == '-')
		last = strtol(end + 1, &end, 10);
	if (end == at + 1 || (*end && *end != ':') || first < 0 || last < first ||
	    last >= CPU_SETSIZE) {
		fprintf(stderr, "tsr-hogs: bad CPUs in spec '%s' (@CPU or @FIRST-LAST, 0..%d)\n",
			spec, CPU_SETSIZE - 1);
		exit(2);
	}
	set_cpus((int)first, (int)last);
}

/* Apply SPEC to the calling process; exit on a bad spec. */
static void apply_spec(const char *spec)
{
	char *at = strchr(spec, '@'), *name = strchr(spec, ':'), *end;
	long nice = 0;

	if (name && prctl(PR_SET_NAME, name + 1))
		perror("tsr-hogs: PR_SET_NAME"), exit(1);

	if (!strncmp(spec, "idle", 4)) {
		struct sched_param sp = { 0 };

		if (sched_setscheduler(0, SCHED_IDLE, &sp))
			perror("tsr-hogs: SCHED_IDLE"), exit(1);
	} else {
		nice = strtol(spec, &end, 10);
		if (end == spec || (*end && *end != '@' && *end != ':') || nice < -20 ||
		    nice > 19) {
			fprintf(stderr,
				"tsr-hogs: bad spec '%s' (NICE[@CPUS][:NAME] or idle[@CPUS][:NAME])\n",
				spec);
			exit(2);
		}
		if (setpriority(PRIO_PROCESS, 0, (int)nice))
			perror("tsr-hogs: setpriority"), exit(1);
	}
	if (at)
		apply_cpus(spec, at);
}

/* -y: the CPU time a hog runs before it sleeps, and how long it sleeps; 0 = never sleeps */
static double duty_run_s, duty_sleep_s;
/* -m: MB of memory each hog writes once, and after how many seconds it writes it again and again (0: never) */
static long mem_mb;
static double mem_hot_after_s;
static char *volatile mem_kept;

/* -m's memory, written once; NULL without -m. */
static char *hog_memory(void)
{
	char *mem = mem_mb ? malloc(mem_mb << 20) : NULL;

	if (!mem)
		return NULL;
	memset(mem, 1, mem_mb << 20);
	mem_kept = mem; /* kept, or the compiler drops the memory and the writes */
	return mem;
}

/* Spin forever; with -y, sleep after every duty_run_s of this thread's CPU time; with -m, hold memory. */
static void spin_forever(int idx)
{
	volatile unsigned long spin = 0;
	double next = duty_run_s, hot_at = clock_s(CLOCK_MONOTONIC) + mem_hot_after_s;
	double flip_at = clock_s(CLOCK_MONOTONIC);
	char *mem = hog_memory();
	int flips = 0;

	for (;;) {
		if (++spin % 4096)
			continue;
		if (flip_every_s && clock_s(CLOCK_MONOTONIC) >= flip_at) {
			set_cpu(flip_cpu[flips++ % 2]);
			flip_at += flip_every_s;
		}
		if (mem && mem_hot_after_s && clock_s(CLOCK_MONOTONIC) >= hot_at) {
			memset(mem, (int)spin, mem_mb << 20);
			mem_passes[idx]++;
		}
		if (!duty_run_s || clock_s(CLOCK_THREAD_CPUTIME_ID) < next)
			continue;
		sleep_s(duty_sleep_s);
		next = clock_s(CLOCK_THREAD_CPUTIME_ID) + duty_run_s;
	}
}

static void start_hog(struct hog *h, int idx, const char *spec)
{
	h->spec = spec;
	h->pid = fork();
	if (h->pid < 0)
		perror("tsr-hogs: fork"), exit(1);
	if (!h->pid) {
		/* a test that kills tsr-hogs leaves no hog spinning */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		apply_spec(spec);
		spin_forever(idx);
	}
	if (clock_getcpuclockid(h->pid, &h->clock))
		perror("tsr-hogs: clock_getcpuclockid"), exit(1);
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* A child process holding @n sleeping threads; returns its pid. */
static pid_t start_sleepers(long n)
{
	pid_t pid = fork();
	pthread_attr_t attr;

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (long i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, &attr, sleeper, NULL)) {
			fprintf(stderr, "tsr-hogs: only %ld sleeper threads could start\n", i);
			break;
		}
	}
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	struct hog hogs[MAX_HOGS];
	double warmup = 1, secs, wall0;
	bool on_signal = false;
	const char *late = NULL;
	long sleepers = 0;
	pid_t sleeper_pid = 0;
	int n = 0, opt, status, failed = 0;

	while ((opt = getopt(argc, argv, "w:gs:l:y:m:a:")) != -1) {
		switch (opt) {
		case 'g':
			on_signal = true;
			break;
		case 'w':
			warmup = atof(optarg);
			break;
		case 's':
			sleepers = atol(optarg);
			break;
		case 'l':
			late = optarg;
			break;
		case 'm':
			if (sscanf(optarg, "%ld:%lf", &mem_mb, &mem_hot_after_s) < 1 ||
			    mem_mb <= 0 || mem_hot_after_s < 0) {
				fprintf(stderr,
					"tsr-hogs: bad -m '%s' (MB[:HOT_AFTER_S], MB > 0)\n",
					optarg);
				return 2;
			}
			break;
		case 'a':
			if (sscanf(optarg, "%d,%d:%lf", &flip_cpu[0], &flip_cpu[1],
				   &flip_every_s) != 3 ||
			    flip_cpu[0] < 0 || flip_cpu[1] < 0 || flip_every_s <= 0) {
				fprintf(stderr, "tsr-hogs: bad -a '%s' (CPU,CPU:MS, MS > 0)\n",
					optarg);
				return 2;
			}
			flip_every_s /= 1e3;
			break;
		case 'y':
			if (sscanf(optarg, "%lf:%lf", &duty_run_s, &duty_sleep_s) != 2 ||
			    duty_run_s <= 0 || duty_sleep_s <= 0) {
				fprintf(stderr,
					"tsr-hogs: bad -y '%s' (RUN_MS:SLEEP_MS, both > 0)\n",
					optarg);
				return 2;
			}
			duty_run_s /= 1e3;
			duty_sleep_s /= 1e3;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind - 1 + !!late > MAX_HOGS) {
		fprintf(stderr, "tsr-hogs: %d hogs asked for, at most %d\n",
			argc - optind - 1 + !!late, MAX_HOGS);
		return 2;
	}
	if (argc - optind < 1 || (secs = atof(argv[optind])) <= 0) {
		fprintf(stderr,
			"usage: tsr-hogs [-w WARMUP | -g] [-s SLEEPERS] [-y RUN_MS:SLEEP_MS] [-m MB[:HOT_S]] [-a CPU,CPU:MS] [-l SPEC] SECS SPEC...\n");
		return 2;
	}
	mem_passes = mmap(NULL, MAX_HOGS * sizeof(*mem_passes), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem_passes == MAP_FAILED)
		perror("tsr-hogs: mmap"), exit(1);
	if (on_signal)
		block_go_signal();
	for (int i = optind + 1; i < argc; i++)
		start_hog(&hogs[n], n, argv[i]), n++;
	if (sleepers) {
		sleeper_pid = start_sleepers(sleepers);
		sleep_s(1); /* let the threads come up before the last hog */
	}
	if (late)
		start_hog(&hogs[n], n, late), n++;
	if (on_signal)
		wait_go_signal();
	else
		sleep_s(warmup);
	wall0 = clock_s(CLOCK_MONOTONIC);
	for (int i = 0; i < n; i++) {
		hogs[i].start_s = clock_s(hogs[i].clock);
		schedstat(hogs[i].pid, &hogs[i].wait0_ns, &hogs[i].runs0);
		hogs[i].migrations0 = nr_migrations(hogs[i].pid);
		hogs[i].passes0 = mem_passes[i];
	}
	sleep_s(secs);
	secs = clock_s(CLOCK_MONOTONIC) - wall0;
	for (int i = 0; i < n; i++) {
		double used = clock_s(hogs[i].clock) - hogs[i].start_s;
		unsigned long long wait_ns, runs;

		schedstat(hogs[i].pid, &wait_ns, &runs);
		printf("hog %d %s cpu_ms=%.0f share=%.4f runs=%llu wait_ms=%.0f", i, hogs[i].spec,
		       used * 1e3, used / secs, runs - hogs[i].runs0,
		       (wait_ns - hogs[i].wait0_ns) / 1e6);
		if (hogs[i].migrations0 >= 0)
			printf(" migrations=%lld",
			       nr_migrations(hogs[i].pid) - hogs[i].migrations0);
		if (mem_mb)
			printf(" mem_mb_s=%.1f", (mem_passes[i] - hogs[i].passes0) *
							 (double)mem_mb * 1.048576 / secs);
		printf("\n");
	}
	fflush(stdout);
	for (int i = 0; i < n; i++)
		kill(hogs[i].pid, SIGKILL);
	if (sleeper_pid)
		kill(sleeper_pid, SIGKILL);
	/* a hog that exited by itself could not apply its spec (it said why) */
	while (wait(&status) > 0)
		if (WIFEXITED(status) && WEXITSTATUS(status))
			failed = 1;
	return failed ? 2 : 0;
}
