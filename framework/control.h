/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket of a running scheduler: a UNIX stream socket (root
 * only) through which another process asks for its stats or gives it a
 * command, one request per connection. A request is one line of words; the
 * reply starts with "ok" or "error: <why>" on a line of its own, then the
 * body. Only one scheduler serves a path: a second one is told who does.
 */
#ifndef TSR_CONTROL_H
#define TSR_CONTROL_H

#include <stddef.h>
#include <stdio.h>

#define TSR_CTL_DEFAULT_PATH "/run/tessera/control.sock"
#define TSR_CTL_LINE_MAX 1024 /* request bytes, newline included */
#define TSR_CTL_ARGS_MAX 16 /* words in a request */

struct tsr_ctl_server;

/*
 * Answer the request @argv (@argc words, at least one): write the body to
 * @out; on failure put one line in @err and return a negative errno.
 */
typedef int (*tsr_ctl_handler)(void *data, int argc, char **argv, FILE *out, char *err,
			       size_t err_len);

/*
 * Serve @path: its directory is made if missing, a socket file left by a
 * scheduler that died is replaced. -EADDRINUSE when a live server answers
 * there (@err names its pid), another -errno when the socket cannot be
 * made; @err says why in one line.
 */
int tsr_ctl_listen(const char *path, struct tsr_ctl_server **out, char *err, size_t err_len);

/* Answer every request that arrives within @timeout_s (0: those waiting now). */
void tsr_ctl_serve(struct tsr_ctl_server *s, double timeout_s, tsr_ctl_handler h, void *data);

/* The listening descriptor, for a caller that waits on more than the socket. */
int tsr_ctl_fd(const struct tsr_ctl_server *s);

/* Stop serving and remove the socket file (NULL is fine). */
void tsr_ctl_close(struct tsr_ctl_server *s);

/*
 * Send @request (words separated by spaces) to the scheduler serving @path
 * and copy the reply's body to @out. 0 when it answered "ok"; otherwise a
 * negative errno and one line in @err (its "error:" line, or why no
 * scheduler could be asked).
 */
int tsr_ctl_request(const char *path, const char *request, FILE *out, char *err, size_t err_len);

/* Split @line into at most @max words in place; returns how many, -E2BIG past @max. */
int tsr_ctl_split(char *line, char **argv, int max);

#endif /* TSR_CONTROL_H */
