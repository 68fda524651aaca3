// SPDX-License-Identifier: GPL-2.0
/*
 * tessera-top against a control socket that serves a known JSON block: its
 * screen, captured from a terminal of type vt100, shows the scheduler, the
 * dispatch paths, each domain's counters and each module's.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>
#include "framework/control.h"

static const char block[] =
	"{\"schema\":\"tessera-stats/1\",\"scheduler\":\"scx_fake\",\"t\":12.5,\"interval\":1.0,"
	"\"framework\":{\"tasks\":91,\"task_records\":256,\"no_record\":0,\"arena_pages\":15,"
	"\"alloc_fail\":0,\"grow_fail\":0,\"select_per_s\":712.0,\"direct_pct\":98.1,"
	"\"enqueue_per_s\":25.0,\"fallback_pct\":0.0,\"dispatch_per_s\":698.0,\"kept_per_s\":"
	"42.0,\"migrated_per_s\":33.3,\"rescued\":0,\"rcu_boost\":0,\"online_cpus\":4,\"cpus\":4},"
	"\"heap\":{\"live\":0,\"pages\":0,\"fails\":0,\"bad_frees\":0},"
	"\"domains\":[{\"id\":0,\"node\":0,\"cpus\":2,\"online\":2},"
	"{\"id\":1,\"node\":1,\"cpus\":2,\"online\":1}],"
	"\"nodes\":[{\"id\":0,\"domains\":[0],\"cpus\":2,\"online\":2,\"memory_only\":false},"
	"{\"id\":1,\"domains\":[1],\"cpus\":2,\"online\":1,\"memory_only\":false},"
	"{\"id\":2,\"domains\":[],\"cpus\":0,\"online\":0,\"memory_only\":true}],"
	"\"modules\":[\"lb\"],"
	"\"module_stats\":{\"lb\":{\"steals_per_s\":4.5,\"load\":[317,529],"
	"\"load_by_node\":[317,529,0],\"source\":\"resctrl\","
	"\"nodes\":[{\"node\":0,\"load\":317}],"
	"\"lines\":[\"lb: round=77 decided=3\"]}}}";

static int handler(void *data, int argc, char **argv, FILE *out, char *err, size_t err_len)
{
	if (argc == 2 && !strcmp(argv[0], "stats") && !strcmp(argv[1], "json")) {
		fprintf(out, "%s\n", block);
		return 0;
	}
	snprintf(err, err_len, "unexpected request");
	return -EINVAL;
}

static char path[64], top[PATH_MAX];

static void setup(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	cr_assert(n > 0);
	self[n] = 0;
	/* build/tests/test_top -> build/tools/tessera-top */
	snprintf(top, sizeof(top), "%s/../tools/tessera-top", dirname(self));
	snprintf(path, sizeof(path), "/tmp/tsr-top-test.%d/control.sock", (int)getpid());
}

TestSuite(top, .init = setup);

/* Run tessera-top ARGS with its output in @out while @srv (may be NULL) answers; its status. */
static int run_top(struct tsr_ctl_server *srv, char *const args[], char *out, size_t len)
{
	int fd[2], status = -1;
	size_t got = 0;
	pid_t pid;

	cr_assert_eq(pipe(fd), 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (!pid) {
		dup2(fd[1], STDOUT_FILENO);
		dup2(fd[1], STDERR_FILENO);
		close(fd[0]);
		setenv("TERM", "vt100", 1);
		execv(top, args);
		_exit(127);
	}
	close(fd[1]);
	for (int i = 0; i < 200 && waitpid(pid, &status, WNOHANG) == 0; i++)
		if (srv)
			tsr_ctl_serve(srv, 0.05, handler, NULL);
		else
			usleep(50000);
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	for (ssize_t n; got < len - 1 && (n = read(fd[0], out + got, len - 1 - got)) > 0;)
		got += n;
	out[got] = 0;
	close(fd[0]);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(top, draws_the_scheduler_its_domains_and_modules)
{
	static char out[65536];
	struct tsr_ctl_server *srv;
	char err[256], *args[] = { top, "-c", path, "-n", "2", "-d", "0.1", NULL };

	cr_assert_eq(tsr_ctl_listen(path, &srv, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(run_top(srv, args, out, sizeof(out)), 0, "%s", out);
	tsr_ctl_close(srv);
	rmdir(dirname(path));
	/* words, not phrases: the terminal may move the cursor over a space */
	static const char *const want[] = {
		"scx_fake", "dispatch",	   "select_cpu",     "712.0",
		"98.1",	    "lb.load=317", "lb.load=529",    "steals_per_s=4.5",
		"round=77", "mem",	   "source=resctrl", "33.3"
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect(strstr(out, want[i]), "no '%s' on the screen", want[i]);
	cr_expect(!strstr(out, "lb.nodes"), "an array of objects is not a per-domain counter");
	cr_expect(!strstr(out, "load_by_node"), "per-node sums are shown on the node rows");
}

/*
 * tessera-top ARGS on a pseudo-terminal of 40 x 120 while @srv answers:
 * the screen into @out until @until shows, then q; its status.
 */
static int run_top_on_pty(struct tsr_ctl_server *srv, char *const args[], const char *until,
			  char *out, size_t len)
{
	struct winsize ws = { .ws_row = 40, .ws_col = 120 };
	int master, status = -1;
	bool quit_sent = false;
	size_t got = 0;
	pid_t pid;

	pid = forkpty(&master, NULL, NULL, &ws);
	cr_assert(pid >= 0);
	if (!pid) {
		setenv("TERM", "vt100", 1);
		execv(top, args);
		_exit(127);
	}
	fcntl(master, F_SETFL, O_NONBLOCK);
	for (int i = 0; i < 200 && waitpid(pid, &status, WNOHANG) == 0; i++) {
		ssize_t n;

		tsr_ctl_serve(srv, 0.05, handler, NULL);
		while (got < len - 1 && (n = read(master, out + got, len - 1 - got)) > 0)
			got += n;
		out[got] = 0;
		if (!quit_sent && strstr(out, until)) {
			cr_assert_eq(write(master, "q", 1), 1);
			quit_sent = true;
		}
	}
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	close(master);
	cr_expect(quit_sent, "the screen never showed '%s': %s", until, out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(top, on_a_terminal_it_runs_until_q)
{
	static char out[65536];
	struct tsr_ctl_server *srv;
	char err[256], *args[] = { top, "-c", path, "-d", "0.2", NULL };

	cr_assert_eq(tsr_ctl_listen(path, &srv, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(run_top_on_pty(srv, args, "round=77", out, sizeof(out)), 0,
		     "q should end it with status 0: %s", out);
	tsr_ctl_close(srv);
	rmdir(dirname(path));
	cr_expect(strstr(out, "lb.load=529"), "%s", out);
}

Test(top, no_scheduler_is_one_line)
{
	char out[1024], *args[] = { top, "-c", path, NULL };

	cr_expect_eq(run_top(NULL, args, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "tessera-top: no tessera scheduler is running"), "%s", out);
	cr_expect_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line: %s", out);
}

Test(top, bad_options_name_the_value_and_range)
{
	char out[1024], *args[] = { top, "-n", "0", NULL };

	cr_expect_eq(run_top(NULL, args, out, sizeof(out)), 2, "%s", out);
	cr_expect(strstr(out, "-n: '0' is out of range (accepted: 1..1000000)"), "%s", out);
}
