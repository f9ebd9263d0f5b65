/* outfile.c - check --output: a report written whole or not at all, as
 * node_exporter's textfile collector needs (it may read at any moment). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

int
report_write_file(const char *path, const struct buf *data, char **cause)
{
	const char *sl = strrchr(path, '/');
	char *dir = sl == NULL ? xstrdup(".") : sl == path ? xstrdup("/") :
	    xstrndup(path, (size_t)(sl - path));
	const char *base = sl ? sl + 1 : path;
	if (*base == '\0') {
		*cause = xasprintf("%s: not a file name", path);
		free(dir);
		return -1;
	}
	/* beside the file, so rename() stays in one file system; a name
	 * the collector ignores (it reads *.prom only) */
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		*cause = xasprintf("%s: cannot create a file in %s: %s", path,
		    dir, strerror(errno));
		free(tmp);
		free(dir);
		return -1;
	}
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
	const char *what = "write";
	int err = 0;
	if (fchmod(fd, mode) != 0)
		what = "chmod", err = errno;
	size_t off = 0;
	while (err == 0 && off < data->len) {
		ssize_t w = write(fd, data->data + off, data->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? errno : EIO;
			break;
		}
		off += (size_t)w;
	}
	if (err == 0 && fsync(fd) != 0)
		what = "fsync", err = errno;
	if (close(fd) != 0 && err == 0)
		what = "close", err = errno;
	if (err == 0 && rename(tmp, path) != 0)
		what = "rename", err = errno;
	if (err != 0) {
		unlink(tmp);
		*cause = xasprintf("%s: cannot %s: %s (left as it was)", path,
		    what, strerror(err));
		free(tmp);
		free(dir);
		return -1;
	}
	/* the rename itself survives a crash once the directory is on disk */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(tmp);
	free(dir);
	return 0;
}
