// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: a scheduler serves one request per connection, a
 * client sends one line and reads the reply. Every wait is bounded, so a
 * client that connects and says nothing costs the scheduler's loop at most
 * CLIENT_WAIT_MS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "control.h"

#define CLIENT_WAIT_MS 1000 /* the server's bound on reading a request, writing a reply */
#define REPLY_WAIT_S 10 /* the client's bound on the whole reply */

struct tsr_ctl_server {
	int fd;
	dev_t dev;
	ino_t ino;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static int fill_addr(struct sockaddr_un *addr, const char *path, char *err, size_t err_len)
{
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(addr->sun_path)) {
		snprintf(err, err_len, "control socket path %s is longer than %zu bytes", path,
			 sizeof(addr->sun_path) - 1);
		return -ENAMETOOLONG;
	}
	strcpy(addr->sun_path, path);
	return 0;
}

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The directory that holds @path, made (mode 0755) when missing. */
static int make_parent(const char *path, char *err, size_t err_len)
{
	char *copy = strdup(path), *dir;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	dir = dirname(copy);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		ret = -errno;
		snprintf(err, err_len, "cannot make %s for the control socket: %s", dir,
			 strerror(errno));
	}
	free(copy);
	return ret;
}

/*
 * Whether a server answers at @path: -EADDRINUSE (and its pid in @err) if
 * one does, 0 if nothing is there or only a dead server's socket file
 * (removed), another -errno if @path is something else.
 */
static int claim_path(const struct sockaddr_un *addr, char *err, size_t err_len)
{
	struct ucred cred = {};
	socklen_t len = sizeof(cred);
	struct stat st;
	int fd, ret;

	if (lstat(addr->sun_path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, err_len, "%s exists and is not a socket: remove it or pick --control",
			 addr->sun_path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
	if (!ret) {
		getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len);
		snprintf(
			err, err_len,
			"another tessera scheduler (pid %d) serves %s: stop it first, or give this "
			"one another --control path",
			cred.pid, addr->sun_path);
		close(fd);
		return -EADDRINUSE;
	}
	ret = errno;
	close(fd);
	if (ret != ECONNREFUSED) {
		snprintf(err, err_len, "cannot check %s: %s", addr->sun_path, strerror(ret));
		return -ret;
	}
	/* nobody listens: a socket left by a scheduler that was killed */
	if (unlink(addr->sun_path) && errno != ENOENT) {
		snprintf(err, err_len, "cannot remove the stale %s: %s", addr->sun_path,
			 strerror(errno));
		return -errno;
	}
	return 0;
}

static int bind_listen(struct tsr_ctl_server *s, const struct sockaddr_un *addr, char *err,
		       size_t err_len)
{
	struct stat st;
	mode_t old;
	int ret;

	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->fd < 0)
		return -errno;
	old = umask(0177);
	ret = bind(s->fd, (const struct sockaddr *)addr, sizeof(*addr));
	umask(old);
	if (ret || listen(s->fd, 8) || chmod(addr->sun_path, 0600) || lstat(addr->sun_path, &st)) {
		ret = -errno;
		snprintf(err, err_len, "cannot serve %s: %s", addr->sun_path, strerror(errno));
		return ret;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return 0;
}

int tsr_ctl_listen(const char *path, struct tsr_ctl_server **out, char *err, size_t err_len)
{
	struct tsr_ctl_server *s;
	struct sockaddr_un addr;
	int ret;

	*out = NULL;
	ret = fill_addr(&addr, path, err, err_len);
	if (!ret)
		ret = make_parent(path, err, err_len);
	if (!ret)
		ret = claim_path(&addr, err, err_len);
	if (ret)
		return ret;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	strcpy(s->path, path);
	ret = bind_listen(s, &addr, err, err_len);
	if (ret) {
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return ret;
	}
	*out = s;
	return 0;
}

int tsr_ctl_fd(const struct tsr_ctl_server *s)
{
	return s->fd;
}

void tsr_ctl_close(struct tsr_ctl_server *s)
{
	struct stat st;

	if (!s)
		return;
	close(s->fd);
	/* only our own socket: a newer server may have replaced it */
	if (!lstat(s->path, &st) && st.st_dev == s->dev && st.st_ino == s->ino)
		unlink(s->path);
	free(s);
}

int tsr_ctl_split(char *line, char **argv, int max)
{
	int n = 0;

	for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
		if (n == max)
			return -E2BIG;
		argv[n++] = tok;
	}
	return n;
}

/* Wait until @fd is ready for @events, at most until @deadline_ms; 0 or -ETIMEDOUT. */
static int wait_fd(int fd, short events, double deadline_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	double left = deadline_ms - mono_ms();

	if (left <= 0 || poll(&pfd, 1, (int)left + 1) <= 0)
		return -ETIMEDOUT;
	return 0;
}

/* One line from @fd into @buf (newline dropped); -E2BIG if longer, -ETIMEDOUT if slow. */
static int read_request(int fd, char *buf, size_t len, double deadline_ms)
{
	size_t used = 0;

	for (;;) {
		ssize_t n;
		char *nl;

		if (wait_fd(fd, POLLIN, deadline_ms))
			return -ETIMEDOUT;
		n = read(fd, buf + used, len - 1 - used);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return -errno;
		used += n;
		buf[used] = 0;
		nl = strchr(buf, '\n');
		if (nl) {
			*nl = 0;
			return 0;
		}
		if (!n)
			return used ? 0 : -ENODATA;
		if (used == len - 1)
			return -E2BIG;
	}
}

static void write_all(int fd, const char *buf, size_t len, double deadline_ms)
{
	while (len) {
		ssize_t n;

		if (wait_fd(fd, POLLOUT, deadline_ms))
			return;
		/* a client gone before its answer is an error here, never a SIGPIPE */
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

/* The reply to @line: "ok" and the body, or "error: <why>". */
static void answer(int fd, char *line, double deadline_ms, tsr_ctl_handler h, void *data)
{
	char *argv[TSR_CTL_ARGS_MAX], err[256] = "";
	char *body = NULL;
	size_t body_len = 0;
	FILE *out = open_memstream(&body, &body_len);
	int argc = tsr_ctl_split(line, argv, TSR_CTL_ARGS_MAX), ret;

	if (!out)
		return;
	if (argc == -E2BIG) {
		snprintf(err, sizeof(err), "more than %d words", TSR_CTL_ARGS_MAX);
		ret = argc;
	} else if (!argc) {
		snprintf(err, sizeof(err), "empty request (try: help)");
		ret = -EINVAL;
	} else {
		ret = h(data, argc, argv, out, err, sizeof(err));
	}
	fclose(out);
	if (ret) {
		dprintf(fd, "error: %s\n", err[0] ? err : strerror(-ret));
	} else {
		write_all(fd, "ok\n", 3, deadline_ms);
		write_all(fd, body, body_len, deadline_ms);
	}
	free(body);
}

static void serve_client(int fd, tsr_ctl_handler h, void *data)
{
	double deadline = mono_ms() + CLIENT_WAIT_MS;
	char line[TSR_CTL_LINE_MAX + 1];
	struct ucred cred = {};
	socklen_t len = sizeof(cred);
	int ret;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    (cred.uid != 0 && cred.uid != geteuid())) {
		dprintf(fd, "error: only root may ask this scheduler\n");
		return;
	}
	ret = read_request(fd, line, sizeof(line), deadline);
	if (ret == -E2BIG)
		dprintf(fd, "error: request longer than %d bytes\n", TSR_CTL_LINE_MAX);
	else if (!ret)
		answer(fd, line, deadline, h, data);
}

void tsr_ctl_serve(struct tsr_ctl_server *s, double timeout_s, tsr_ctl_handler h, void *data)
{
	double deadline = mono_ms() + timeout_s * 1e3;

	do {
		int fd;

		if (wait_fd(s->fd, POLLIN, deadline) && timeout_s > 0)
			return;
		while ((fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
			serve_client(fd, h, data);
			close(fd);
		}
		if (errno == EINTR)
			return; /* a signal: the caller looks at it */
	} while (mono_ms() < deadline);
}

/* Connect to @path; -errno and one line in @err when no scheduler can be asked. */
static int connect_to(const char *path, char *err, size_t err_len)
{
	struct sockaddr_un addr;
	struct timeval tv = { .tv_sec = REPLY_WAIT_S };
	int fd, ret = fill_addr(&addr, path, err, err_len);

	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!connect(fd, (struct sockaddr *)&addr, sizeof(addr)))
		return fd;
	ret = -errno;
	if (ret == -ENOENT || ret == -ECONNREFUSED)
		snprintf(err, err_len, "no tessera scheduler is running (nothing serves %s)", path);
	else if (ret == -EACCES)
		snprintf(err, err_len, "%s: permission denied (the control socket is root's)",
			 path);
	else
		snprintf(err, err_len, "cannot connect to %s: %s", path, strerror(-ret));
	close(fd);
	return ret;
}

/* The reply's first line: 0 for "ok", -EINVAL with the reason in @err otherwise. */
static int reply_status(const char *line, char *err, size_t err_len)
{
	if (!strcmp(line, "ok"))
		return 0;
	snprintf(err, err_len, "%s", strncmp(line, "error: ", 7) ? line : line + 7);
	return -EINVAL;
}

int tsr_ctl_request(const char *path, const char *request, FILE *out, char *err, size_t err_len)
{
	char buf[4096], status[512];
	size_t status_len = 0;
	bool in_status = true;
	int fd = connect_to(path, err, err_len), ret = -EPROTO, e = 0;
	ssize_t n;

	if (fd < 0)
		return fd;
	errno = 0;
	n = snprintf(buf, sizeof(buf), "%s\n", request);
	if (n < 0 || (size_t)n >= sizeof(buf))
		e = E2BIG;
	else if (send(fd, buf, n, MSG_NOSIGNAL) != n) /* a gone server: no SIGPIPE */
		e = errno ?: EIO;
	else if (shutdown(fd, SHUT_WR))
		e = errno;
	if (e) {
		snprintf(err, err_len, "cannot send to %s: %s", path, strerror(e));
		close(fd);
		return -EIO;
	}
	snprintf(err, err_len, "%s closed the connection without an answer", path);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (in_status && p < buf + n) {
			if (*p == '\n') {
				status[status_len] = 0;
				ret = reply_status(status, err, err_len);
				in_status = false;
			} else if (status_len < sizeof(status) - 1) {
				status[status_len++] = *p;
			}
			p++;
		}
		if (!in_status && !ret)
			fwrite(p, 1, buf + n - p, out);
	}
	/* a server that refused a request before reading all of it resets after its answer */
	if (n < 0 && in_status) {
		snprintf(err, err_len, "no answer from %s: %s", path, strerror(errno));
		ret = -errno;
	}
	close(fd);
	return ret;
}
