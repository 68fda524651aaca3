// SPDX-License-Identifier: GPL-2.0
/* The control socket: one server per path, requests answered, nothing left behind. */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "framework/control.h"

static char dir[64], path[128];

static void make_dir(void)
{
	strcpy(dir, "/tmp/tsr-ctl-XXXXXX");
	cr_assert(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run/control.sock", dir);
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(control, .init = make_dir, .fini = remove_dir);

/* "echo A B" answers "A|B|"; "fail" fails with a reason. */
static int handler(void *data, int argc, char **argv, FILE *out, char *err, size_t err_len)
{
	(*(int *)data)++;
	if (!strcmp(argv[0], "fail")) {
		snprintf(err, err_len, "asked to fail");
		return -EINVAL;
	}
	for (int i = 1; i < argc; i++)
		fprintf(out, "%s|", argv[i]);
	return 0;
}

struct server_thread {
	pthread_t tid;
	struct tsr_ctl_server *srv;
	volatile bool stop;
	int served;
};

static void *serve_loop(void *arg)
{
	struct server_thread *t = arg;

	while (!t->stop)
		tsr_ctl_serve(t->srv, 0.05, handler, &t->served);
	return NULL;
}

static void start_server(struct server_thread *t)
{
	char err[256] = "";

	memset(t, 0, sizeof(*t));
	cr_assert_eq(tsr_ctl_listen(path, &t->srv, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(pthread_create(&t->tid, NULL, serve_loop, t), 0);
}

static void stop_server(struct server_thread *t)
{
	t->stop = true;
	pthread_join(t->tid, NULL);
	tsr_ctl_close(t->srv);
}

/* The reply body of @request, or "ERR <reason>". */
static const char *ask(const char *request)
{
	static char body[4096];
	char err[256] = "";
	FILE *out;
	int ret;

	memset(body, 0, sizeof(body));
	out = fmemopen(body, sizeof(body), "w");
	ret = tsr_ctl_request(path, request, out, err, sizeof(err));

	fclose(out);
	if (ret)
		snprintf(body, sizeof(body), "ERR %s", err);
	return body;
}

Test(control, answers_requests_word_by_word)
{
	struct server_thread t;
	struct stat st;

	start_server(&t);
	cr_expect_str_eq(ask("echo a  bb\tccc"), "a|bb|ccc|");
	cr_expect_str_eq(ask("echo"), "");
	cr_expect_str_eq(ask("fail now"), "ERR asked to fail");
	cr_expect_str_eq(ask(""), "ERR empty request (try: help)");
	cr_expect_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
	stop_server(&t);
	cr_expect_eq(t.served, 3);
}

Test(control, socket_removed_on_close)
{
	struct server_thread t;

	start_server(&t);
	stop_server(&t);
	cr_expect_eq(access(path, F_OK), -1);
	cr_expect(strstr(ask("echo x"), "ERR no tessera scheduler is running (nothing serves "),
		  "%s", ask("echo x"));
}

Test(control, second_server_refused_naming_the_first)
{
	struct tsr_ctl_server *second = NULL;
	struct server_thread t;
	char err[256] = "", pid[32];

	start_server(&t);
	cr_expect_eq(tsr_ctl_listen(path, &second, err, sizeof(err)), -EADDRINUSE);
	cr_expect_null(second);
	snprintf(pid, sizeof(pid), "(pid %d)", getpid());
	cr_expect(strstr(err, pid), "%s", err);
	cr_expect(strstr(err, path), "%s", err);
	/* the first still answers */
	cr_expect_str_eq(ask("echo still"), "still|");
	stop_server(&t);
}

Test(control, stale_socket_of_a_killed_server_is_replaced)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct server_thread t;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	cr_assert_eq(mkdir(strcat(strcpy(addr.sun_path, dir), "/run"), 0755), 0);
	strcpy(addr.sun_path, path);
	cr_assert_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd); /* the file stays, nothing listens: as after SIGKILL */
	start_server(&t);
	cr_expect_str_eq(ask("echo fresh"), "fresh|");
	stop_server(&t);
}

Test(control, a_file_in_the_way_is_not_removed)
{
	struct tsr_ctl_server *srv = NULL;
	char err[256] = "";
	FILE *f;

	cr_assert_eq(mkdir(strcat(strcpy(err, dir), "/run"), 0755), 0);
	f = fopen(path, "w");
	cr_assert(f);
	fclose(f);
	cr_expect_eq(tsr_ctl_listen(path, &srv, err, sizeof(err)), -EEXIST);
	cr_expect(strstr(err, "exists and is not a socket"), "%s", err);
	cr_expect_eq(access(path, F_OK), 0);
}

Test(control, close_leaves_a_newer_servers_socket)
{
	struct tsr_ctl_server *old = NULL;
	struct server_thread t;
	char err[256] = "";

	cr_assert_eq(tsr_ctl_listen(path, &old, err, sizeof(err)), 0, "%s", err);
	unlink(path); /* someone removed it and a new scheduler took the path */
	start_server(&t);
	tsr_ctl_close(old);
	cr_expect_str_eq(ask("echo new"), "new|");
	stop_server(&t);
}

Test(control, overlong_request_refused)
{
	struct server_thread t;
	char req[TSR_CTL_LINE_MAX + 64];

	memset(req, 'x', sizeof(req) - 1);
	req[sizeof(req) - 1] = 0;
	start_server(&t);
	cr_expect_str_eq(ask(req), "ERR request longer than 1024 bytes");
	stop_server(&t);
	cr_expect_eq(t.served, 0);
}

Test(control, silent_client_costs_the_server_a_bounded_wait)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct tsr_ctl_server *srv = NULL;
	struct timespec a, b;
	char err[256] = "";
	int served = 0, fd = socket(AF_UNIX, SOCK_STREAM, 0);

	cr_assert_eq(tsr_ctl_listen(path, &srv, err, sizeof(err)), 0, "%s", err);
	strcpy(addr.sun_path, path);
	cr_assert_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	tsr_ctl_serve(srv, 0, handler, &served);
	clock_gettime(CLOCK_MONOTONIC, &b);
	/* the server gives a client 1 s to speak; 5 s would mean it waits on it */
	cr_expect_lt(b.tv_sec - a.tv_sec, 5);
	cr_expect_eq(served, 0);
	close(fd);
	tsr_ctl_close(srv);
}

Test(control, a_client_gone_before_the_answer_does_not_kill_the_server)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct tsr_ctl_server *srv = NULL;
	char err[256] = "";
	int served = 0, fd = socket(AF_UNIX, SOCK_STREAM, 0);

	cr_assert_eq(tsr_ctl_listen(path, &srv, err, sizeof(err)), 0, "%s", err);
	strcpy(addr.sun_path, path);
	cr_assert_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	cr_assert_eq(write(fd, "echo a b c\n", 11), 11);
	close(fd); /* e.g. a client that read only "ok" and went */
	/* writing the answer to the closed socket must not raise SIGPIPE */
	tsr_ctl_serve(srv, 0, handler, &served);
	cr_expect_eq(served, 1);
	tsr_ctl_close(srv);
}

Test(control, split_counts_words_and_refuses_too_many)
{
	char line[] = " a b\tc ", many[128] = "";
	char *argv[TSR_CTL_ARGS_MAX];

	cr_expect_eq(tsr_ctl_split(line, argv, TSR_CTL_ARGS_MAX), 3);
	cr_expect_str_eq(argv[2], "c");
	for (int i = 0; i <= TSR_CTL_ARGS_MAX; i++)
		strcat(many, "w ");
	cr_expect_eq(tsr_ctl_split(many, argv, TSR_CTL_ARGS_MAX), -E2BIG);
}

Test(control, path_too_long_refused_in_one_line)
{
	struct tsr_ctl_server *srv = NULL;
	char err[256] = "", longpath[200];

	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = 0;
	cr_expect_eq(tsr_ctl_listen(longpath, &srv, err, sizeof(err)), -ENAMETOOLONG);
	cr_expect(strstr(err, "is longer than 107 bytes"), "%s", err);
}
