/* cmd_fix.c - `kodus-envcheck fix`: apply the safe fixes without ever
 * losing data. The new text goes to a temporary file in the same
 * directory, is synced, and replaces the original with rename(): at any
 * moment the file is either the old text or the new one. The original
 * is kept as FILE.bak, its mode and owner carry over, a symlink is
 * followed (the link stays), and a file someone else changed meanwhile
 * is not overwritten. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fix.h"
#include "opts.h"
#include "schema.h"
#include "template.h"
#include "util.h"

static const char fix_usage[] =
    "usage: kodus-envcheck fix [--dry-run] [--no-backup] [--for=docker]\n"
    "           [--add-missing [--template FILE]] FILE...\n";

/* --add-missing, --template; and the variables added to this file */
static int add_missing;
static const char *template_path;
static size_t nadded;

/* The test suite's fault injection (KODUS_ENVCHECK_TEST_FAULT). */
static int
fault(const char *what)
{
	const char *f = getenv("KODUS_ENVCHECK_TEST_FAULT");
	return f != NULL && strcmp(f, what) == 0;
}

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

/* Write data to a new file beside path, with path's mode and owner,
 * synced. Returns the temporary name, or NULL with *why. */
static char *
write_temp(const char *path, const struct stat *st, const char *data,
    size_t len, char **why)
{
	const char *slash = strrchr(path, '/');
	char *tmp = slash ? xasprintf("%.*s/.%s.kodus-envcheck.XXXXXX",
	    (int)(slash - path), path, slash + 1) :
	    xasprintf(".%s.kodus-envcheck.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		*why = xasprintf("cannot create a file beside it: %s",
		    strerror(errno));
		free(tmp);
		return NULL;
	}
	int err = 0;
	const char *step = "";
	if (fchmod(fd, st->st_mode & 07777) != 0)
		err = errno, step = "keep its mode";
	else if ((st->st_uid != geteuid() || st->st_gid != getegid()) &&
	    fchown(fd, st->st_uid, st->st_gid) != 0)
		err = errno, step = "keep its owner";
	else if (write_all(fd, data, len) != 0)
		err = errno, step = "write";
	else if (fsync(fd) != 0)
		err = errno, step = "sync";
	if (close(fd) != 0 && err == 0)
		err = errno, step = "close";
	if (err != 0) {
		*why = xasprintf("cannot %s: %s", step, strerror(err));
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
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
		cli_error("%s: --add-missing: %s%s", arg, cause,
		    template_path ? "" : " (give the template with --template "
		    "FILE)");
		free(cause);
		free(tp);
		return -1;
	}
	if (schema_load_builtin(&s, &cause) != 0 ||
	    schema_load_example(&s, tp, &cause) != 0) {
		cli_error("%s", cause);
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

/* 0 fixed or nothing to do, 1 not fixed, 2 unreadable. */
static int
fix_one(const char *arg, const struct schema *schema,
    const struct fix_opts *fo, int dry, int backup, struct buf *out)
{
	oom_context(arg);
	char *path = realpath(arg, NULL);
	if (path == NULL) {
		cli_error("%s: %s", arg, strerror(errno));
		return EXIT_USAGE;
	}
	struct stat st;
	struct buf data;
	char *why = NULL;
	int status = EXIT_FINE;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		int err = errno;
		cli_error("%s: %s", arg, stat(path, &st) == 0 ?
		    "not a regular file" : strerror(err));
		free(path);
		return EXIT_USAGE;
	}
	if (read_file(path, &data, &why) != 0) {
		cli_error("%s: %s", arg, why);
		free(why);
		free(path);
		return EXIT_USAGE;
	}

	struct fix_result r;
	fix_plan(arg, data.data, data.len, schema, fo, &r);
	nadded = 0;
	if (add_missing && r.refused == NULL && add_from_template(arg,
	    &r) != 0) {
		status = EXIT_USAGE;
		goto done;
	}
	for (size_t i = 0; i < r.nnotes; i++)
		buf_printf(out, "%s: note: %s\n", arg, r.notes[i]);
	if (r.refused != NULL) {
		buf_printf(out, "%s: not fixed: %s\n", arg, r.refused);
		status = EXIT_FINDINGS;
	} else if (!r.changed) {
		buf_printf(out, "%s: nothing to fix\n", arg);
	} else if (dry) {
		buf_add(out, r.diff.data, r.diff.len);
		buf_printf(out, "%s: would fix ", arg);
		summary(out, &r);
		buf_addstr(out, " (--dry-run: nothing written)\n");
	} else {
		char *bak = NULL, *tmp = NULL;
		if (backup) {
			bak = xasprintf("%s.bak", path);
			char *btmp = write_temp(bak, &st, data.data, data.len,
			    &why);
			if (btmp == NULL || rename(btmp, bak) != 0) {
				if (btmp != NULL) {
					why = xasprintf("cannot write %s: %s",
					    bak, strerror(errno));
					unlink(btmp);
				}
				free(btmp);
				goto failed;
			}
			free(btmp);
		}
		tmp = write_temp(path, &st, r.out.data, r.out.len, &why);
		if (tmp == NULL)
			goto failed;
		if (fault("crash-before-rename"))
			abort();	/* the test suite's crash */
		if (fault("change-before-rename")) {
			/* the test suite's other writer */
			FILE *f = fopen(path, "a");
			if (f != NULL) {
				fputs("# someone else was here\n", f);
				fclose(f);
			}
		}
		if (!unchanged(path, &st, &data)) {
			unlink(tmp);
			why = xstrdup("it changed while being fixed (another "
			    "program wrote it); not overwritten");
			goto failed;
		}
		if (rename(tmp, path) != 0) {
			why = xasprintf("cannot replace it: %s",
			    strerror(errno));
			unlink(tmp);
			goto failed;
		}
		sync_dir(path);
		buf_printf(out, "%s: fixed ", arg);
		summary(out, &r);
		if (bak != NULL) {
			/* beside the file itself, not beside a link to it */
			struct stat ls;
			if (lstat(arg, &ls) == 0 && S_ISLNK(ls.st_mode))
				buf_printf(out, " (the original is %s)", bak);
			else
				buf_printf(out, " (the original is %s.bak)",
				    arg);
		}
		buf_addc(out, '\n');
		free(tmp);
		free(bak);
		goto done;
failed:
		buf_printf(out, "%s: not fixed: %s\n", arg, why);
		free(why);
		free(tmp);
		free(bak);
		status = EXIT_FINDINGS;
	}
done:
	fix_result_free(&r);
	buf_wipe(&data);
	free(path);
	return status;
}

int
cmd_fix(int argc, char **argv, struct buf *out)
{
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
	while ((c = opts_next(argc, argv, "fix", longopts)) != -1) {
		switch (c) {
		case OPT_DRY:
			dry = 1;
			break;
		case OPT_NOBAK:
			backup = 0;
			break;
		case OPT_FOR:
			if (strcmp(optarg, "docker") != 0) {
				opts_usage_error("fix", "--for takes 'docker', not "
				    "'%s'", optarg);
				return EXIT_USAGE;
			}
			fo.for_docker = 1;
			break;
		case OPT_ADD:
			add_missing = 1;
			break;
		case OPT_TEMPLATE:
			template_path = optarg;
			break;
		case 'h':
			buf_addstr(out, fix_usage);
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
		cli_error("%s", cause);
		free(cause);
		return EXIT_USAGE;
	}
	int status = EXIT_FINE;
	for (int i = optind; i < argc; i++) {
		int s = fix_one(argv[i], &schema, &fo, dry, backup, out);
		if (s > status)
			status = s;
	}
	schema_free(&schema);
	return status;
}
