/* cmd_check.c - `kodus-envcheck check`: lint the files, then (without
 * --offline) check the provider live. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "lint.h"
#include "report.h"

static const char check_usage[] =
    "usage: kodus-envcheck check [--offline] [--strict] "
    "[--format=text|json|github]\n"
    "           [--api FILE] [--worker FILE] [--ignore RULE[,RULE]]\n"
    "           [--schema FILE] [--catalog FILE] [FILE...]\n";

/* Split "a,b" and append each to *v. Returns -1 on an unknown rule. */
static int
add_ignores(char ***v, size_t *n, const char *arg)
{
	const char *p = arg;
	for (;;) {
		size_t l = strcspn(p, ",");
		char *id = xstrndup(p, l);
		if (rule_find(id) == NULL) {
			cli_error("check: --ignore: no rule '%s' (see "
			    "kodus-envcheck(1), RULES)", id);
			free(id);
			return -1;
		}
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = id;
		if (p[l] == '\0')
			return 0;
		p += l + 1;
	}
}

static void
today(char out[11])
{
	const char *d = getenv("KODUS_ENVCHECK_DATE");
	if (d != NULL && strlen(d) == 10 && d[4] == '-' && d[7] == '-') {
		memcpy(out, d, 11);
		return;
	}
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void
free_vec(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
cmd_check(int argc, char **argv, struct buf *out)
{
	enum { OPT_OFFLINE = 256, OPT_STRICT, OPT_FORMAT, OPT_API, OPT_WORKER,
	    OPT_IGNORE, OPT_SCHEMA, OPT_CATALOG };
	static const struct option longopts[] = {
		{ "offline", no_argument, NULL, OPT_OFFLINE },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "api", required_argument, NULL, OPT_API },
		{ "worker", required_argument, NULL, OPT_WORKER },
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "schema", required_argument, NULL, OPT_SCHEMA },
		{ "catalog", required_argument, NULL, OPT_CATALOG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct lintopts o;
	enum report_format fmt = REPORT_TEXT;
	const char *api = NULL, *worker = NULL;
	char **ignore = NULL, **catalogs = NULL;
	size_t nignore = 0, ncatalogs = 0;
	int offline = 0, c, status = EXIT_USAGE;
	char date[11];

	memset(&o, 0, sizeof o);
	catalog_env_files(&catalogs, &ncatalogs);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_OFFLINE:
			offline = 1;
			break;
		case OPT_STRICT:
			o.strict = 1;
			break;
		case OPT_FORMAT:
			if (report_format_from_name(optarg, &fmt) != 0) {
				cli_error("check: unknown format '%s' (use "
				    "text, json or github)", optarg);
				goto done;
			}
			break;
		case OPT_API:
			api = optarg;
			break;
		case OPT_WORKER:
			worker = optarg;
			break;
		case OPT_IGNORE:
			if (add_ignores(&ignore, &nignore, optarg) != 0)
				goto done;
			break;
		case OPT_SCHEMA:
			o.schema_path = optarg;
			break;
		case OPT_CATALOG:
			catalogs = xreallocarray(catalogs, ncatalogs + 1,
			    sizeof *catalogs);
			catalogs[ncatalogs++] = xstrdup(optarg);
			break;
		case 'h':
			buf_addstr(out, check_usage);
			status = EXIT_FINE;
			goto done;
		default:
			if (optopt >= OPT_OFFLINE)
				cli_error("check: option '%s' needs a value",
				    argv[optind - 1]);
			else
				cli_error("check: unknown option '%s'",
				    argv[optind - 1]);
			fputs(check_usage, stderr);
			goto done;
		}
	}
	today(date);
	o.today = date;
	o.ignore = ignore;
	o.nignore = nignore;
	o.catalogs = catalogs;
	o.ncatalogs = ncatalogs;

	struct lint l;
	char *cause = NULL;
	if (lint_init(&l, &o, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		goto done;
	}
	int ok = 1;
	if (api != NULL)
		ok = lint_add_file(&l, api, "api", &cause) == 0;
	if (ok && worker != NULL)
		ok = lint_add_file(&l, worker, "worker", &cause) == 0;
	for (int i = optind; ok && i < argc; i++)
		ok = lint_add_file(&l, argv[i], NULL, &cause) == 0;
	if (ok && l.nf == 0)
		ok = lint_add_file(&l, ".env", NULL, &cause) == 0;
	if (ok)
		ok = lint_run(&l, &cause) == 0;
	if (!ok) {
		cli_error("%s", cause);
		free(cause);
		lint_free(&l);
		goto done;
	}

	const char *live_note = offline ? NULL : "live check: not run (this "
	    "build checks offline only; pass --offline to say so)";
	report_write(out, &l, fmt, fmt == REPORT_TEXT && report_want_color(),
	    live_note);
	size_t e, w, n;
	diag_count(&l.diags, &e, &w, &n);
	status = e > 0 || (o.strict && w > 0) ? EXIT_FINDINGS : EXIT_FINE;
	lint_free(&l);
done:
	free_vec(ignore, nignore);
	free_vec(catalogs, ncatalogs);
	return status;
}
