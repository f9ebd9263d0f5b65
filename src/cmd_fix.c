/* cmd_fix.c - `kodus-envcheck fix`: apply the safe fixes without ever
 * losing data. The new text goes to a temporary file in the same
 * directory, is synced, and replaces the original with rename(): at any
 * moment the file is either the old text or the new one. The original
 * is kept as FILE.bak, put in place only once the new text is; mode,
 * owner and extended attributes (POSIX ACLs among them) carry over; a
 * symlink is followed (the link stays); a file with other hard links,
 * which a rename would split from them, is refused; a file someone else
 * changed meanwhile is not overwritten; a temporary file is removed when
 * SIGTERM, SIGINT or SIGHUP arrives. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef HAVE_SYS_XATTR_H
#include <sys/xattr.h>
#endif

#include "cli.h"
#include "msg.h"
#include "dialect.h"
#include "fix.h"
#include "opts.h"
#include "schema.h"
#include "secret.h"
#include "template.h"
#include "tempfile.h"
#include "util.h"

/* --add-missing, --template; and the variables added to this file */
static int add_missing;
static const char *template_path;
static size_t nadded;

/* The temporary files that exist right now (their names, ours to free),
 * registered with tempfile.c, which removes them on a fatal signal or
 * when memory runs out. */
static char *temps[TEMP_SLOTS];

/* Remove temporary file slot (if any) and forget it. */
static void
temp_drop(int slot)
{
	char *t = temps[slot];
	temps[slot] = NULL;
	temp_register(slot, NULL);
	if (t != NULL)
		unlink(t);
	free(t);
}

/* The file in slot is in place under its real name: forget it. */
static void
temp_done(int slot)
{
	char *t = temps[slot];
	temps[slot] = NULL;
	temp_register(slot, NULL);
	free(t);
}

#ifdef HAVE_SYS_XATTR_H
/* Give fd the extended attributes of path: all of them, POSIX ACLs
 * (system.posix_acl_access) included, as raw values, so no ACL library
 * is needed. An access ACL the new file inherited from the directory's
 * default ACL, which the original does not have, is removed. Linux caps
 * a name list and a value at 64 KiB (XATTR_LIST_MAX, XATTR_SIZE_MAX), so
 * do the buffers. Returns 0, or -1 with *why. */
static int
copy_xattrs(const char *path, int fd, char **why)
{
	enum { XMAX = 65536 };
	char *names = xmalloc(XMAX), *val = xmalloc(XMAX);
	int rc = 0, acl = 0;
	ssize_t nl = listxattr(path, names, XMAX);
	if (nl < 0) {
		if (errno == ENOTSUP || errno == ENOSYS)
			nl = 0;	/* a file system without them */
		else {
			*why = xasprintf("cannot read its extended attributes: "
			    "%s", strerror(errno));
			rc = -1;
		}
	}
	for (ssize_t i = 0; rc == 0 && i < nl;
	    i += (ssize_t)strlen(names + i) + 1) {
		const char *n = names + i;
		ssize_t vl = getxattr(path, n, val, XMAX);
		if (vl < 0 && errno == ENODATA)
			continue;	/* removed meanwhile */
		if (vl < 0 || fsetxattr(fd, n, val, (size_t)vl, 0) != 0) {
			*why = xasprintf("cannot keep its extended attribute "
			    "%s: %s", n, strerror(errno));
			rc = -1;
		}
		if (strcmp(n, "system.posix_acl_access") == 0)
			acl = 1;
	}
	if (rc == 0 && !acl && fremovexattr(fd, "system.posix_acl_access") != 0
	    && errno != ENODATA && errno != ENOTSUP && errno != ENOSYS) {
		*why = xasprintf("cannot drop the ACL it inherited from the "
		    "directory: %s", strerror(errno));
		rc = -1;
	}
	free(names);
	free(val);
	return rc;
}
#endif

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write data to a new file beside path, with the mode, owner and
 * extended attributes of orig (the file being fixed), synced; its name
 * goes to temps[slot] for the signal handler. Returns 0, or -1 with
 * *why and no file left. */
static int
write_temp(const char *path, const char *orig, const struct stat *st,
    const char *data, size_t len, int slot, char **why)
{
	const char *slash = strrchr(path, '/');
	char *tmp = slash ? xasprintf("%.*s/.%s.kodus-envcheck.XXXXXX",
	    (int)(slash - path), path, slash + 1) :
	    xasprintf(".%s.kodus-envcheck.XXXXXX", path);
	sigset_t old;
	temp_block_signals(&old);
	int fd = mkstemp(tmp);
	int err = errno;
	if (fd >= 0) {
		temps[slot] = tmp;
		temp_register(slot, tmp);
	}
	temp_unblock_signals(&old);
	if (fd < 0) {
		*why = xasprintf("cannot create a file beside it: %s",
		    strerror(err));
		free(tmp);
		return -1;
	}
	err = 0;
	const char *step = "";
	/* the owner first: a chown may clear mode bits and ACL-less
	 * attributes; the mode last, after the ACL it must agree with */
	if ((st->st_uid != geteuid() || st->st_gid != getegid()) &&
	    fchown(fd, st->st_uid, st->st_gid) != 0)
		err = errno, step = "keep its owner";
#ifdef HAVE_SYS_XATTR_H
	else if (copy_xattrs(orig, fd, why) != 0)
		err = -1;
#else
	(void)orig;
#endif
	else if (fchmod(fd, st->st_mode & 07777) != 0)
		err = errno, step = "keep its mode";
	else if (slot == 0 && test_fault("disk-full"))
		err = ENOSPC, step = "write";	/* the test suite's full disk */
	else if (write_all(fd, data, len) != 0)
		err = errno, step = "write";
	else if (fsync(fd) != 0)
		err = errno, step = "sync";
	if (close(fd) != 0 && err == 0)
		err = errno, step = "close";
	if (err != 0) {
		if (err > 0)
			*why = xasprintf("cannot %s: %s", step, strerror(err));
		temp_drop(slot);
		return -1;
	}
	return 0;
}

static void
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 :
	    (size_t)(slash - path)) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Is the file still exactly what was read? */
static int
unchanged(const char *path, const struct stat *st, const struct buf *orig)
{
	struct stat now;
	struct buf b;
	char *why = NULL;
	if (stat(path, &now) != 0 || now.st_ino != st->st_ino ||
	    now.st_dev != st->st_dev || now.st_size != st->st_size ||
	    now.st_mtim.tv_sec != st->st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != st->st_mtim.tv_nsec)
		return 0;
	if (read_file(path, &b, &why) != 0) {
		free(why);
		return 0;
	}
	int same = b.len == orig->len && memcmp(b.data, orig->data,
	    b.len) == 0;
	buf_wipe(&b);
	return same;
}

static void
summary(struct buf *out, const struct fix_result *r)
{
	int first = 1;
	for (int k = 0; k < FIX_KIND_COUNT; k++) {
		if (r->count[k] == 0)
			continue;
		buf_printf(out, "%s%s %zu", first ? "" : ", ",
		    fix_kind_name((enum fix_kind)k), r->count[k]);
		first = 0;
	}
	if (nadded > 0)
		buf_printf(out, "%stemplate-missing %zu", first ? "" : ", ",
		    nadded);
}

/* Append the template's missing variables to r->out. Returns 0, or -1
 * (reported) when the template cannot be read. */
static int
add_from_template(const char *arg, struct fix_result *r)
{
	const char *slash = strrchr(arg, '/');
	char *tp = template_path ? xstrdup(template_path) : slash ?
	    xasprintf("%.*s/.env.example", (int)(slash - arg), arg) :
	    xstrdup(".env.example");
	struct schema s;
	struct tmpl t;
	char *cause = NULL;
	if (template_read(tp, &t, &cause) != 0) {
		msg_error("%s: --add-missing: %s%s", arg, cause,
		    template_path ? "" : " (give the template with --template "
		    "FILE)");
		free(cause);
		free(tp);
		return -1;
	}
	if (schema_load_builtin(&s, &cause) != 0 ||
	    schema_load_example(&s, tp, &cause) != 0) {
		msg_error("%s", cause);
		free(cause);
		template_free(&t);
		free(tp);
		return -1;
	}
	nadded = template_append_missing(&t, &s, &r->out, &r->diff, arg);
	if (nadded > 0)
		r->changed = 1;
	schema_free(&s);
	template_free(&t);
	free(tp);
	return 0;
}

/* Put the fixed text in place of path, the original in path.bak. Both
 * are written to temporary files first; the backup replaces an older
 * one only once the new text is in place, so a failure (a full disk, a
 * signal, another writer) leaves the file and any older backup as they
 * were. */
static int
replace(const char *arg, const char *name, const char *path,
    const struct stat *st,
    const struct buf *data, const struct fix_result *r, int backup,
    struct buf *out)
{
	char *bak = NULL, *why = NULL;
	int older = 0;
	struct stat bs;
	if (backup) {
		bak = xasprintf("%s.bak", path);
		if (lstat(bak, &bs) == 0) {
			if (!S_ISREG(bs.st_mode) && !S_ISLNK(bs.st_mode)) {
				why = xasprintf("%s exists and is not a file; "
				    "nothing written", bak);
				goto failed;
			}
			older = 1;
		}
		if (write_temp(bak, path, st, data->data, data->len, 1,
		    &why) != 0) {
			char *w = xasprintf("cannot write %s: %s", bak, why);
			free(why);
			why = w;
			goto failed;
		}
	}
	if (write_temp(path, path, st, r->out.data, r->out.len, 0,
	    &why) != 0)
		goto failed;
	if (test_fault("crash-before-rename"))
		abort();	/* the test suite's crash */
	if (test_fault("pause-before-rename")) {
		/* the test suite's signal: it waits for this line */
		static const char m[] = "kodus-envcheck: paused before rename\n";
		(void)!write(STDERR_FILENO, m, sizeof m - 1);
		pause();
	}
	if (test_fault("change-before-rename")) {
		/* the test suite's other writer */
		FILE *f = fopen(path, "a");
		if (f != NULL) {
			fputs("# someone else was here\n", f);
			fclose(f);
		}
	}
	if (!unchanged(path, st, data)) {
		why = xstrdup("it changed while being fixed (another "
		    "program wrote it); not overwritten");
		goto failed;
	}
	/* both renames with the signals held: a signal between them must
	 * not remove the only copy of the original */
	sigset_t old;
	temp_block_signals(&old);
	if (rename(temps[0], path) != 0) {
		int err = errno;
		temp_unblock_signals(&old);
		why = xasprintf("cannot replace it: %s", strerror(err));
		goto failed;
	}
	temp_done(0);
	int bak_err = 0;
	char *left = NULL;
	if (bak != NULL) {
		if (rename(temps[1], bak) != 0) {
			bak_err = errno;
			left = temps[1];	/* the original: keep it */
			temps[1] = NULL;
			temp_register(1, NULL);
		} else
			temp_done(1);
	}
	temp_unblock_signals(&old);
	sync_dir(path);
	buf_printf(out, "%s: fixed ", name);
	summary(out, r);
	if (left != NULL) {
		char *l = secret_showz(left), *b = secret_showz(bak);
		buf_printf(out, " (the original is %s: it could not be "
		    "renamed to %s: %s)", l, b, strerror(bak_err));
		free(l);
		free(b);
	} else if (bak != NULL) {
		/* beside the file itself, not beside a link to it */
		struct stat ls;
		const char *shown = bak;
		char *b2 = NULL;
		if (!(lstat(arg, &ls) == 0 && S_ISLNK(ls.st_mode)))
			shown = b2 = xasprintf("%s.bak", arg);
		char *sh = secret_showz(shown);
		buf_printf(out, " (the original is %s%s)", sh, older ?
		    "; an older one there was replaced" : "");
		free(sh);
		free(b2);
	}
	buf_addc(out, '\n');
	free(left);
	free(bak);
	return bak_err ? EXIT_FINDINGS : EXIT_FINE;
failed:
	temp_drop(0);
	temp_drop(1);
	char *w = secret_showz(why);
	buf_printf(out, "%s: not fixed: %s\n", name, w);
	free(w);
	free(why);
	free(bak);
	return EXIT_FINDINGS;
}

/* 0 fixed or nothing to do, 1 not fixed, 2 unreadable. */
static int
fix_one(const char *arg, const struct schema *schema,
    const struct fix_opts *fo, int dry, int backup, struct buf *out)
{
	oom_context(arg);
	char *path = realpath(arg, NULL);
	if (path == NULL) {
		msg_error("%s: %s", arg, strerror(errno));
		return EXIT_USAGE;
	}
	struct stat st;
	struct buf data;
	char *why = NULL;
	int status = EXIT_FINE;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		int err = errno;
		msg_error("%s: %s", arg, stat(path, &st) == 0 ?
		    "not a regular file" : strerror(err));
		free(path);
		return EXIT_USAGE;
	}
	if (read_file(path, &data, &why) != 0) {
		msg_error("%s: %s", arg, why);
		free(why);
		free(path);
		return EXIT_USAGE;
	}

	struct fix_result r;
	/* names and messages through the one output path (secret.h): a
	 * file named with a newline or ESC is shown escaped */
	char *name = secret_showz(arg), *m;
	fix_plan(name, data.data, data.len, schema, fo, &r);
	nadded = 0;
	if (add_missing && r.refused == NULL && !r.over_limit &&
	    add_from_template(arg, &r) != 0) {
		status = EXIT_USAGE;
		goto done;
	}
	for (size_t i = 0; i < r.nnotes; i++) {
		m = secret_showz(r.notes[i]);
		buf_printf(out, "%s: note: %s\n", name, m);
		free(m);
	}
	if (r.over_limit) {
		msg_error("%s:%s; nothing written", arg, r.refused);
		status = EXIT_USAGE;
	} else if (r.refused != NULL) {
		m = secret_showz(r.refused);
		buf_printf(out, "%s: not fixed: %s\n", name, m);
		free(m);
		status = EXIT_FINDINGS;
	} else if (!r.changed) {
		buf_printf(out, "%s: nothing to fix\n", name);
	} else if (dry) {
		buf_add(out, r.diff.data, r.diff.len);
		buf_printf(out, "%s: would fix ", name);
		summary(out, &r);
		buf_addstr(out, " (--dry-run: nothing written)\n");
	} else if (st.st_nlink > 1) {
		/* rename() would give this name a new file and leave the
		 * other names with the old text; writing in place could leave
		 * a half-written file (a full disk, a crash) */
		buf_printf(out, "%s: not fixed: it has %ju hard links, and "
		    "replacing it would split them (the other names would keep "
		    "the old text); nothing written\n", name,
		    (uintmax_t)st.st_nlink);
		status = EXIT_FINDINGS;
	} else {
		status = replace(arg, name, path, &st, &data, &r, backup, out);
	}
done:
	fix_result_free(&r);
	buf_wipe(&data);
	free(name);
	free(path);
	return status;
}

int
cmd_fix(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct buf *out = ctx->out;
	enum { OPT_DRY = 256, OPT_NOBAK, OPT_FOR, OPT_ADD, OPT_TEMPLATE };
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ "no-backup", no_argument, NULL, OPT_NOBAK },
		{ "for", required_argument, NULL, OPT_FOR },
		{ "add-missing", no_argument, NULL, OPT_ADD },
		{ "template", required_argument, NULL, OPT_TEMPLATE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct fix_opts fo;
	int dry = 0, backup = 1, c;

	memset(&fo, 0, sizeof fo);
	add_missing = 0;
	template_path = NULL;
	opts_begin();
	while ((c = opts_next(argc, argv, ctx, longopts)) != -1) {
		switch (c) {
		case OPT_DRY:
			dry = 1;
			break;
		case OPT_NOBAK:
			backup = 0;
			break;
		case OPT_FOR:
		{
			/* docker run and kubectl keep quotes and comments;
			 * docker compose and Node need only the safe fixes */
			enum dialect d;
			if (dialect_from_name(optarg, &d) != 0) {
				opts_usage_error("fix", "--for takes compose, "
				    "docker, kubectl or node, not '%s'", optarg);
				return EXIT_USAGE;
			}
			fo.for_docker = d == DIALECT_DOCKER ||
			    d == DIALECT_KUBECTL;
			break;
		}
		case OPT_ADD:
			add_missing = 1;
			break;
		case OPT_TEMPLATE:
			template_path = optarg;
			break;
		case OPTS_HELP:
			return EXIT_FINE;
		default:
			return EXIT_USAGE;
		}
	}
	if (template_path != NULL && !add_missing)
		return opts_usage_error("fix", "--template goes with "
		    "--add-missing");
	if (optind == argc) {
		return opts_usage_error("fix", "no FILE given");
	}
	struct schema schema;
	char *cause = NULL;
	if (schema_load_builtin(&schema, &cause) != 0) {
		msg_error("%s", cause);
		free(cause);
		return EXIT_USAGE;
	}
	int status = EXIT_FINE;
	if (!dry)
		temp_catch_signals();
	for (int i = optind; i < argc; i++) {
		int s = fix_one(argv[i], &schema, &fo, dry, backup, out);
		if (s > status)
			status = s;
	}
	temp_restore_signals();
	schema_free(&schema);
	return status;
}
