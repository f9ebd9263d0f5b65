/* outfile.c - check --output: a report written whole or not at all, as
 * node_exporter's textfile collector needs (it may read at any moment).
 * The report streams into a temporary file beside the target as it is
 * written, so its size costs no memory; the rename at the end makes it
 * appear whole. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "tempfile.h"

/* The buffer's sink: the bytes to the temporary file; after an error,
 * nothing more (report_file_commit reports it). */
static void
file_write(struct buf_sink *sink, const char *p, size_t n)
{
	struct report_file *rf = (struct report_file *)sink;
	size_t off = 0;
	if (test_fault("term-while-writing"))
		raise(SIGTERM);		/* as if stopped midway */
	while (rf->err == 0 && off < n) {
		ssize_t w = write(rf->fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rf->what = "write";
			rf->err = w < 0 ? errno : EIO;
			break;
		}
		off += (size_t)w;
	}
}

static void
file_free(struct report_file *rf)
{
	free(rf->tmp);
	free(rf->dir);
	rf->tmp = rf->dir = NULL;
}

int
report_file_open(struct report_file *rf, const char *path, struct buf *b,
    char **cause)
{
	memset(rf, 0, sizeof *rf);
	rf->fd = -1;
	const char *sl = strrchr(path, '/');
	const char *base = sl ? sl + 1 : path;
	if (*base == '\0') {
		*cause = xasprintf("%s: not a file name", path);
		return -1;
	}
	rf->path = path;
	rf->dir = sl == NULL ? xstrdup(".") : sl == path ? xstrdup("/") :
	    xstrndup(path, (size_t)(sl - path));
	/* beside the file, so rename() stays in one file system; a name
	 * the collector ignores (it reads *.prom only) */
	rf->tmp = xasprintf("%s/.%s.XXXXXX", rf->dir, base);
	rf->fd = mkostemp(rf->tmp, O_CLOEXEC);
	if (rf->fd < 0) {
		*cause = xasprintf("%s: cannot create a file in %s: %s", path,
		    rf->dir, strerror(errno));
		file_free(rf);
		return -1;
	}
	/* out of memory or a signal while the report is written: no
	 * stray file */
	temp_register(0, rf->tmp);
	temp_catch_signals();
	/* the mode a new file would have (mkstemp gives 0600; the
	 * collector may run as another user), or the old file's */
	struct stat st;
	mode_t mode;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		mode = st.st_mode & 07777;
	else {
		mode_t um = umask(022);
		umask(um);
		mode = 0666 & ~um;
	}
	if (fchmod(rf->fd, mode) != 0)
		rf->what = "chmod", rf->err = errno;
	rf->sink.write = file_write;
	rf->b = b;
	b->sink = &rf->sink;
	return 0;
}

int
report_file_commit(struct report_file *rf, char **cause)
{
	buf_flush(rf->b);
	rf->b->sink = NULL;
	const char *what = rf->what;	/* the first error, if any */
	int err = rf->err;
	if (err == 0 && fsync(rf->fd) != 0)
		what = "fsync", err = errno;
	if (close(rf->fd) != 0 && err == 0)
		what = "close", err = errno;
	if (err == 0 && rename(rf->tmp, rf->path) != 0)
		what = "rename", err = errno;
	if (err != 0) {
		temp_register(0, NULL);
		temp_restore_signals();
		unlink(rf->tmp);
		*cause = xasprintf("%s: cannot %s: %s (left as it was)",
		    rf->path, what, strerror(err));
		file_free(rf);
		return -1;
	}
	temp_register(0, NULL);
	temp_restore_signals();
	/* the rename itself survives a crash once the directory is on disk */
	int dfd = open(rf->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	file_free(rf);
	return 0;
}
