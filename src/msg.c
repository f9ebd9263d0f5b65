/* msg.c - messages on standard error, and the single place where output
 * is written and write errors are caught. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "secret.h"
#include "util.h"

static int write_errno;	/* first write error, 0 if none */
static int out_stderr;	/* msg_to_stderr() was called */
static int stdout_closed;	/* the caller closed it (msg_hold_std_fds) */

void
msg_error(const char *fmt, ...)
{
	/* messages may quote an argument, a file name or a file's text: a
	 * key pasted there leaves only its mask, a control byte its escape */
	va_list ap;
	struct buf b;
	size_t rl;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *r = secret_show(b.data ? b.data : "", b.len);
	rl = strlen(r);
	fprintf(stderr, "%s: ", progname);
	fwrite(r, 1, rl, stderr);
	fputc('\n', stderr);
	free(r);
	buf_wipe(&b);
}

void
msg_hold_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null", (fd == 0 ? O_WRONLY :
			    O_RDONLY) | O_CLOEXEC);
			if (n != fd) {
				/* not the lowest free number: leave it */
				if (n >= 0)
					close(n);
				return;
			}
			if (fd == 1)
				stdout_closed = 1;
		}
}

/* The program's output, in chunks as it is written (util.h, struct
 * buf): to standard output, or standard error after msg_to_stderr. After
 * the first write error nothing more is written; msg_flush reports it. */
static void
stream_write(struct buf_sink *sink, const char *p, size_t n)
{
	(void)sink;
	errno = 0;
	if (write_errno == 0 && fwrite(p, 1, n, out_stderr ? stderr :
	    stdout) != n)
		write_errno = errno ? errno : EIO;
}

static struct buf_sink stream_sink = { stream_write };

void
msg_set_stream(struct buf *out)
{
	out->sink = &stream_sink;
}

void
msg_to_stderr(void)
{
	out_stderr = 1;
}

void
msg_drain(struct buf *out)
{
	buf_drain(out);
}

/* One checked write path, so `> /dev/full` is an error and not a silent
 * truncation. */
int
msg_flush(struct buf *out, int status, int keep_stdout)
{
	buf_flush(out);
	if (out_stderr && write_errno == 0 && (fflush(stderr) != 0 ||
	    ferror(stderr)))
		write_errno = errno ? errno : EIO;
	if (write_errno == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		write_errno = errno ? errno : EIO;
	if (write_errno == 0 && !keep_stdout && fclose(stdout) != 0)
		write_errno = errno ? errno : EIO;
	/* what closing a closed standard output gave before it was held */
	if (write_errno == 0 && !keep_stdout && stdout_closed)
		write_errno = EBADF;
	if (write_errno != 0) {
		msg_error("cannot write output: %s", strerror(write_errno));
		return EXIT_USAGE;
	}
	return status;
}
