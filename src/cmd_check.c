/* cmd_check.c - `kodus-envcheck check`: lint the files, then (without
 * --offline) check the provider live. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "check_compose.h"
#include "classify.h"
#include "lint.h"
#include "live.h"
#include "opts.h"
#include "report.h"

/* Split "a,b" and append each to *v. Returns -1 on an unknown rule. */
static int
add_ignores(char ***v, size_t *n, const char *arg, const char *what)
{
	const char *p = arg;
	for (;;) {
		size_t l = strcspn(p, ",");
		char *id = xstrndup(p, l);
		enum rule_id r;
		if (rule_find(id, l, &r) != 0) {
			opts_usage_error("check", "%s: no rule '%s' (see "
			    "kodus-envcheck(1), RULES)", what, id);
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
	utc_date(time(NULL), out);
}

static void
free_vec(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* check's arguments, as check_parse leaves them */
struct check_args {
	struct lintopts o;
	struct live_opts lo;
	struct compose_opts co;
	enum report_format fmt;
	const char *api, *worker, *output;
	char **ignore, **catalogs;
	size_t nignore, ncatalogs;
	int offline, environ_mode, allow_unreachable, quiet;
	char **files;	/* the FILE operands */
	int nfiles;
	char **exec_argv;	/* --exec -- CMD ARGS..., or NULL */
	char **args;	/* the arguments but --exec and what follows "--" */
	char date[11];
};

static void
check_args_free(struct check_args *a)
{
	free(a->co.files);
	free(a->co.profiles);
	free_vec(a->ignore, a->nignore);
	free_vec(a->catalogs, a->ncatalogs);
	free(a->args);
}

/* "--exec [options] -- CMD ARGS...": what follows "--" is the command
 * (a->exec_argv); "--exec" itself is dropped from the check's arguments
 * (a->args, when there is --exec). Returns the check's argc, or -1 after
 * a usage error. */
static int
split_exec(int argc, char **argv, struct check_args *a)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--exec") != 0)
			continue;
		int j = i + 1;
		while (j < argc && strcmp(argv[j], "--") != 0)
			j++;
		if (j + 1 >= argc) {
			opts_usage_error("check", "--exec takes '--' and then the "
			    "command: --exec -- CMD [ARGS...]");
			return -1;
		}
		a->exec_argv = argv + j + 1;
		a->args = xreallocarray(NULL, (size_t)j + 1, sizeof *a->args);
		int n = 0;
		for (int k = 0; k < j; k++)
			if (k != i)
				a->args[n++] = argv[k];
		a->args[n] = NULL;
		return n;
	}
	return argc;
}

/* Parse check's arguments into *a (check_args_free frees it, whatever
 * this returns). Returns -1 to go on, or the exit status to end with:
 * after --help, or a usage error it has reported. */
static int
check_parse(int argc, char **argv, struct cmd_ctx *ctx, struct check_args *a)
{
	enum { OPT_OFFLINE = 256, OPT_STRICT, OPT_FORMAT, OPT_API, OPT_WORKER,
	    OPT_IGNORE, OPT_SCHEMA, OPT_CATALOG, OPT_DEEP, OPT_TIMEOUT,
	    OPT_RETRIES, OPT_WAIT, OPT_NO_CROSS, OPT_CACERT, OPT_ALLOW_HTTP,
	    OPT_ENVIRON, OPT_ALLOW_UNREACHABLE, OPT_FOR, OPT_ENV_FILE_ONLY,
	    OPT_COMPOSE, OPT_ENV_FILE, OPT_PROFILE, OPT_MIN_BALANCE,
	    OPT_SLOW_AFTER, OPT_OUTPUT };
	static const struct option longopts[] = {
		{ "offline", no_argument, NULL, OPT_OFFLINE },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "api", required_argument, NULL, OPT_API },
		{ "worker", required_argument, NULL, OPT_WORKER },
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "schema", required_argument, NULL, OPT_SCHEMA },
		{ "template", required_argument, NULL, OPT_SCHEMA },
		{ "catalog", required_argument, NULL, OPT_CATALOG },
		{ "deep", no_argument, NULL, OPT_DEEP },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "wait", required_argument, NULL, OPT_WAIT },
		{ "no-cross-region", no_argument, NULL, OPT_NO_CROSS },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "allow-http", no_argument, NULL, OPT_ALLOW_HTTP },
		{ "environ", no_argument, NULL, OPT_ENVIRON },
		{ "allow-unreachable", no_argument, NULL, OPT_ALLOW_UNREACHABLE },
		{ "for", required_argument, NULL, OPT_FOR },
		{ "env-file-only", no_argument, NULL, OPT_ENV_FILE_ONLY },
		{ "compose", required_argument, NULL, OPT_COMPOSE },
		{ "env-file", required_argument, NULL, OPT_ENV_FILE },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "min-balance", required_argument, NULL, OPT_MIN_BALANCE },
		{ "slow-after", required_argument, NULL, OPT_SLOW_AFTER },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	long lval;

	memset(a, 0, sizeof *a);
	a->fmt = REPORT_TEXT;
	if ((argc = split_exec(argc, argv, a)) < 0)
		return EXIT_USAGE;
	if (a->args != NULL)
		argv = a->args;
	/* the command's standard output is its own */
	if (a->exec_argv != NULL)
		msg_to_stderr();
	a->lo.probe.timeout = 15;
	a->lo.probe.retries = 2;
	a->lo.cross_region = 1;
	a->lo.slow_after = 20;
	catalog_env_files(&a->catalogs, &a->ncatalogs);
	const char *envign = getenv("KODUS_ENVCHECK_IGNORE");
	if (envign != NULL && envign[0] != '\0' && add_ignores(&a->ignore,
	    &a->nignore, envign, "KODUS_ENVCHECK_IGNORE") != 0)
		return EXIT_USAGE;
	opts_begin();
	while ((c = opts_next(argc, argv, ctx, longopts)) != -1) {
		switch (c) {
		case OPT_OFFLINE:
			a->offline = 1;
			break;
		case OPT_STRICT:
			a->o.strict = 1;
			break;
		case OPT_FORMAT:
			if (report_format_from_name(optarg, &a->fmt) != 0) {
				opts_usage_error("check", "unknown format '%s' (use "
				    "text, json, github, sarif or prometheus)", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_API:
			a->api = optarg;
			break;
		case OPT_WORKER:
			a->worker = optarg;
			break;
		case OPT_IGNORE:
			if (add_ignores(&a->ignore, &a->nignore, optarg,
			    "--ignore") != 0)
				return EXIT_USAGE;
			break;
		case OPT_SCHEMA:
			a->o.schema_path = optarg;
			break;
		case OPT_CATALOG:
			a->catalogs = xreallocarray(a->catalogs, a->ncatalogs + 1,
			    sizeof *a->catalogs);
			a->catalogs[a->ncatalogs++] = xstrdup(optarg);
			break;
		case OPT_DEEP:
			a->lo.deep = 1;
			break;
		case OPT_TIMEOUT:
			if (parse_seconds(optarg, 3600, &a->lo.probe.timeout) != 0
			    || a->lo.probe.timeout < 0.1) {
				opts_usage_error("check", "--timeout takes seconds from "
				    "0.1 to 3600, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_RETRIES:
			if (parse_long(optarg, 0, 10, &lval) != 0) {
				opts_usage_error("check", "--retries takes 0 to 10, not "
				    "'%s'", optarg);
				return EXIT_USAGE;
			}
			a->lo.probe.retries = (int)lval;
			break;
		case OPT_WAIT:
			if (parse_seconds(optarg, 86400, &a->lo.probe.wait) != 0) {
				opts_usage_error("check", "--wait takes seconds from 0 "
				    "to 86400, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_NO_CROSS:
			a->lo.cross_region = 0;
			break;
		case OPT_CACERT:
			a->lo.probe.cacert = optarg;
			break;
		case OPT_ALLOW_HTTP:
			a->lo.allow_http = 1;
			break;
		case OPT_ENVIRON:
			a->environ_mode = 1;
			break;
		case OPT_ALLOW_UNREACHABLE:
			a->allow_unreachable = 1;
			break;
		case OPT_FOR:
			if (dialect_from_name(optarg, &a->o.target) != 0) {
				opts_usage_error("check", "--for takes compose, "
				    "docker, kubectl or node, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_ENV_FILE_ONLY:
			a->o.env_file_only = 1;
			break;
		case OPT_COMPOSE:
			a->co.files = xreallocarray(a->co.files, a->co.nfiles + 1,
			    sizeof *a->co.files);
			a->co.files[a->co.nfiles++] = optarg;
			break;
		case OPT_ENV_FILE:
			a->co.env_file = optarg;
			break;
		case OPT_PROFILE:
			a->co.profiles = xreallocarray(a->co.profiles,
			    a->co.nprofiles + 1, sizeof *a->co.profiles);
			a->co.profiles[a->co.nprofiles++] = optarg;
			break;
		case 'q':
			a->quiet = 1;
			break;
		case OPT_MIN_BALANCE:
			if (parse_seconds(optarg, 1e9, &a->lo.min_balance) != 0) {
				opts_usage_error("check", "--min-balance takes an "
				    "amount from 0 to 1000000000, not '%s'", optarg);
				return EXIT_USAGE;
			}
			a->lo.have_min_balance = 1;
			break;
		case OPT_SLOW_AFTER:
			if (parse_seconds(optarg, 3600, &a->lo.slow_after) != 0) {
				opts_usage_error("check", "--slow-after takes seconds "
				    "from 0 to 3600, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_OUTPUT:
			a->output = optarg;
			break;
		case OPTS_HELP:
			return EXIT_FINE;
		default:
			return EXIT_USAGE;
		}
	}
	if (a->environ_mode && (optind < argc || a->api != NULL ||
	    a->worker != NULL)) {
		opts_usage_error("check", "--environ checks the process environment: "
		    "name no FILE, --api or --worker with it");
		return EXIT_USAGE;
	}
	if (a->environ_mode && (a->co.nfiles > 0 || a->co.env_file != NULL ||
	    a->co.nprofiles > 0)) {
		opts_usage_error("check", "--environ checks the process "
		    "environment: --compose, --env-file and --profile are for "
		    "files");
		return EXIT_USAGE;
	}
	if (a->allow_unreachable && a->exec_argv == NULL) {
		opts_usage_error("check", "--allow-unreachable goes with --exec");
		return EXIT_USAGE;
	}
	a->files = argv + optind;
	a->nfiles = argc - optind;
	today(a->date);
	a->o.today = a->date;
	/* the environment has no .env.example beside it */
	a->o.no_auto_schema = a->environ_mode;
	a->o.ignore = a->ignore;
	a->o.nignore = a->nignore;
	a->o.catalogs = a->catalogs;
	a->o.ncatalogs = a->ncatalogs;
	return -1;
}

/* Lint the files (and the compose project beside them), then, unless
 * --offline, check the provider live. On an error that stops the check,
 * report it and return -1 with nothing left to free. */
static int
check_run(const struct check_args *a, struct lint *l, struct live *lv)
{
	char *cause = NULL;
	if (lint_init(l, &a->o, &cause) != 0) {
		msg_error("%s", cause);
		free(cause);
		return -1;
	}
	int ok = 1;
	if (a->environ_mode)
		lint_add_environ(l);
	if (a->api != NULL)
		ok = lint_add_file(l, a->api, "api", &cause) == 0;
	if (ok && a->worker != NULL)
		ok = lint_add_file(l, a->worker, "worker", &cause) == 0;
	for (int i = 0; ok && i < a->nfiles; i++)
		ok = lint_add_file(l, a->files[i], NULL, &cause) == 0;
	if (ok && l->nf == 0)
		ok = lint_add_file(l, ".env", NULL, &cause) == 0;
	if (ok)
		ok = lint_run(l, &cause) == 0;
	const char *cf = a->api ? a->api : a->nfiles > 0 ? a->files[0] :
	    ".env";
	const char *base = strrchr(cf, '/') ? strrchr(cf, '/') + 1 : cf;
	/* the compose project beside the (api) file when it is a project
	 * .env, as docker compose would find it; or --compose */
	if (ok && !a->environ_mode && (a->co.nfiles > 0 ||
	    strcmp(base, ".env") == 0)) {
		struct compose_opts co = a->co;
		char *dir = path_dir(cf);
		co.dir = dir;
		ok = check_compose(l, &co, &cause) == 0;
		free(dir);
	}
	if (!ok) {
		msg_error("%s", cause);
		free(cause);
		lint_free(l);
		return -1;
	}

	memset(lv, 0, sizeof *lv);
	if (!a->offline) {
		struct live_opts lo = a->lo;
		lo.probe.progress = isatty(STDERR_FILENO);
		if (live_run(l, &lo, lv, &cause) != 0) {
			/* no libcurl: the lint stands, the verdict cannot */
			msg_error("live check: %s", cause);
			free(cause);
			lv->skipped = xstrdup("libcurl is not available");
			lv->unreachable = 1;
		}
		diag_sort(&l->diags);
	}
	return 0;
}

/* The exit status the findings and the live check call for. */
static int
check_decide(const struct check_args *a, const struct lint *l,
    const struct live *lv)
{
	int status;
	/* 1: fix the .env; 3: no verdict could be had (network, provider
	 * down); 0: usable. An entrypoint can tell one from the other. */
	size_t config_errors = 0, warnings = 0;
	for (size_t i = 0; i < l->diags.n; i++) {
		const struct diag *d = &l->diags.v[i];
		if (d->sev == SEV_ERROR && !rule_no_verdict(d->rid))
			config_errors++;
		if (d->sev == SEV_WARNING)
			warnings++;
	}
	if (config_errors > 0 || (a->o.strict && warnings > 0))
		status = EXIT_FINDINGS;
	else if (lv->unreachable)
		status = EXIT_UNREACHABLE;
	else
		status = EXIT_FINE;
	return status;
}

/* The report, to standard output or whole into --output (streamed into
 * a temporary file beside it, renamed at the end); then whether --exec
 * may run its command. Returns the final exit status. */
static int
check_report(const struct check_args *a, const struct lint *l,
    const struct live *lv, int status, struct cmd_ctx *ctx)
{
	char *cause = NULL;
	struct report_file rf;
	struct buf rb, *to = a->output ? &rb : ctx->out;
	buf_init(&rb);
	if (a->output != NULL && report_file_open(&rf, a->output, &rb,
	    &cause) != 0)
		to = NULL;
	else if (a->fmt == REPORT_PROMETHEUS)
		report_prom_write(to, l, a->offline ? NULL : lv, status,
		    (long long)time(NULL));
	else
		report_write(to, l, a->offline ? NULL : lv, a->fmt, (a->fmt ==
		    REPORT_TEXT && a->output == NULL && a->exec_argv == NULL &&
		    report_want_color() ? REPORT_COLOR : 0) |
		    (a->quiet ? REPORT_QUIET : 0));
	if (a->output != NULL && (to == NULL ||
	    report_file_commit(&rf, &cause) != 0)) {
		msg_error("check: --output %s", cause);
		free(cause);
		status = EXIT_USAGE;
	}
	buf_free(&rb);
	if (a->exec_argv != NULL) {
		if (status == EXIT_UNREACHABLE && a->allow_unreachable) {
			msg_error("warning: no verdict reachable from the "
			    "provider; running '%s' anyway (--allow-unreachable)",
			    a->exec_argv[0]);
			status = EXIT_FINE;
		}
		if (status == EXIT_FINE)
			ctx->exec_argv = a->exec_argv;
	}
	return status;
}

int
cmd_check(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct check_args a;
	struct lint l;
	struct live lv;

	int status = check_parse(argc, argv, ctx, &a);
	if (status < 0) {
		if (check_run(&a, &l, &lv) != 0)
			status = EXIT_USAGE;
		else {
			status = check_report(&a, &l, &lv,
			    check_decide(&a, &l, &lv), ctx);
			live_free(&lv);
			lint_free(&l);
		}
	}
	check_args_free(&a);
	return status;
}
