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
#include "check_compose.h"
#include "classify.h"
#include "lint.h"
#include "live.h"
#include "opts.h"
#include "report.h"

static const char check_usage[] =
    "usage: kodus-envcheck check [--offline] [--strict] "
    "[--format=text|json|github|sarif|prometheus]\n"
    "           [--for=compose|docker|kubectl|node] [--env-file-only]\n"
    "           [--api FILE] [--worker FILE] [--ignore RULE[,RULE]]\n"
    "           [--template FILE] [--catalog FILE] [--deep] [--timeout S]\n"
    "           [--retries N] [--wait S] [--no-cross-region] "
    "[--cacert FILE]\n"
    "           [--allow-http] [--environ] [--quiet] [--compose FILE] "
    "[--env-file FILE]\n"
    "           [--profile NAME] [--min-balance AMOUNT] "
    "[--slow-after S]\n"
    "           [--output FILE] [FILE...]\n"
    "           [--exec [--allow-unreachable] -- CMD [ARGS...]]\n";

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
	struct lintopts o;
	enum report_format fmt = REPORT_TEXT;
	const char *api = NULL, *worker = NULL;
	char **ignore = NULL, **catalogs = NULL;
	size_t nignore = 0, ncatalogs = 0;
	int offline = 0, c, status = EXIT_USAGE;
	char date[11];
	struct live_opts lo;
	long lval;
	int environ_mode = 0, allow_unreachable = 0, quiet = 0;
	const char *output = NULL;
	char **exec_argv = NULL;
	struct compose_opts co;
	memset(&co, 0, sizeof co);

	/* "--exec [options] -- CMD ARGS...": what follows "--" is the
	 * command; "--exec" itself is dropped from the check's arguments. */
	char **args = NULL;
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
			return EXIT_USAGE;
		}
		exec_argv = argv + j + 1;
		args = xreallocarray(NULL, (size_t)j + 1, sizeof *args);
		int n = 0;
		for (int k = 0; k < j; k++)
			if (k != i)
				args[n++] = argv[k];
		args[n] = NULL;
		argc = n;
		argv = args;
		break;
	}

	/* the command's standard output is its own */
	if (exec_argv != NULL)
		cli_out_stderr = 1;
	memset(&o, 0, sizeof o);
	memset(&lo, 0, sizeof lo);
	lo.probe.timeout = 15;
	lo.probe.retries = 2;
	lo.cross_region = 1;
	lo.slow_after = 20;
	catalog_env_files(&catalogs, &ncatalogs);
	const char *envign = getenv("KODUS_ENVCHECK_IGNORE");
	if (envign != NULL && envign[0] != '\0' && add_ignores(&ignore,
	    &nignore, envign, "KODUS_ENVCHECK_IGNORE") != 0)
		goto done;
	opts_begin();
	while ((c = opts_next(argc, argv, "check", longopts)) != -1) {
		switch (c) {
		case OPT_OFFLINE:
			offline = 1;
			break;
		case OPT_STRICT:
			o.strict = 1;
			break;
		case OPT_FORMAT:
			if (report_format_from_name(optarg, &fmt) != 0) {
				opts_usage_error("check", "unknown format '%s' (use "
				    "text, json, github, sarif or prometheus)", optarg);
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
			if (add_ignores(&ignore, &nignore, optarg,
			    "--ignore") != 0)
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
		case OPT_DEEP:
			lo.deep = 1;
			break;
		case OPT_TIMEOUT:
			if (parse_seconds(optarg, 3600, &lo.probe.timeout) != 0
			    || lo.probe.timeout < 0.1) {
				opts_usage_error("check", "--timeout takes seconds from "
				    "0.1 to 3600, not '%s'", optarg);
				goto done;
			}
			break;
		case OPT_RETRIES:
			if (parse_long(optarg, 0, 10, &lval) != 0) {
				opts_usage_error("check", "--retries takes 0 to 10, not "
				    "'%s'", optarg);
				goto done;
			}
			lo.probe.retries = (int)lval;
			break;
		case OPT_WAIT:
			if (parse_seconds(optarg, 86400, &lo.probe.wait) != 0) {
				opts_usage_error("check", "--wait takes seconds from 0 "
				    "to 86400, not '%s'", optarg);
				goto done;
			}
			break;
		case OPT_NO_CROSS:
			lo.cross_region = 0;
			break;
		case OPT_CACERT:
			lo.probe.cacert = optarg;
			break;
		case OPT_ALLOW_HTTP:
			lo.allow_http = 1;
			break;
		case OPT_ENVIRON:
			environ_mode = 1;
			break;
		case OPT_ALLOW_UNREACHABLE:
			allow_unreachable = 1;
			break;
		case OPT_FOR:
			if (dialect_from_name(optarg, &o.target) != 0) {
				opts_usage_error("check", "--for takes compose, "
				    "docker, kubectl or node, not '%s'", optarg);
				goto done;
			}
			break;
		case OPT_ENV_FILE_ONLY:
			o.env_file_only = 1;
			break;
		case OPT_COMPOSE:
			co.files = xreallocarray(co.files, co.nfiles + 1,
			    sizeof *co.files);
			co.files[co.nfiles++] = optarg;
			break;
		case OPT_ENV_FILE:
			co.env_file = optarg;
			break;
		case OPT_PROFILE:
			co.profiles = xreallocarray(co.profiles,
			    co.nprofiles + 1, sizeof *co.profiles);
			co.profiles[co.nprofiles++] = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_MIN_BALANCE:
			if (parse_seconds(optarg, 1e9, &lo.min_balance) != 0) {
				opts_usage_error("check", "--min-balance takes an "
				    "amount from 0 to 1000000000, not '%s'", optarg);
				goto done;
			}
			lo.have_min_balance = 1;
			break;
		case OPT_SLOW_AFTER:
			if (parse_seconds(optarg, 3600, &lo.slow_after) != 0) {
				opts_usage_error("check", "--slow-after takes seconds "
				    "from 0 to 3600, not '%s'", optarg);
				goto done;
			}
			break;
		case OPT_OUTPUT:
			output = optarg;
			break;
		case 'h':
			buf_addstr(out, check_usage);
			status = EXIT_FINE;
			goto done;
		default:
			goto done;
		}
	}
	if (environ_mode && (optind < argc || api != NULL || worker != NULL)) {
		opts_usage_error("check", "--environ checks the process environment: "
		    "name no FILE, --api or --worker with it");
		goto done;
	}
	if (environ_mode && (co.nfiles > 0 || co.env_file != NULL ||
	    co.nprofiles > 0)) {
		opts_usage_error("check", "--environ checks the process "
		    "environment: --compose, --env-file and --profile are for "
		    "files");
		goto done;
	}
	if (allow_unreachable && exec_argv == NULL) {
		opts_usage_error("check", "--allow-unreachable goes with --exec");
		goto done;
	}
	today(date);
	o.today = date;
	/* the environment has no .env.example beside it */
	o.no_auto_schema = environ_mode;
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
	if (environ_mode)
		lint_add_environ(&l);
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
	const char *cf = api ? api : optind < argc ? argv[optind] : ".env";
	const char *base = strrchr(cf, '/') ? strrchr(cf, '/') + 1 : cf;
	/* the compose project beside the (api) file when it is a project
	 * .env, as docker compose would find it; or --compose */
	if (ok && !environ_mode && (co.nfiles > 0 ||
	    strcmp(base, ".env") == 0)) {
		char *dir = path_dir(cf);
		co.dir = dir;
		ok = check_compose(&l, &co, &cause) == 0;
		free(dir);
	}
	if (!ok) {
		cli_error("%s", cause);
		free(cause);
		lint_free(&l);
		goto done;
	}

	struct live lv;
	memset(&lv, 0, sizeof lv);
	if (!offline) {
		lo.probe.progress = isatty(STDERR_FILENO);
		if (live_run(&l, &lo, &lv, &cause) != 0) {
			/* no libcurl: the lint stands, the verdict cannot */
			cli_error("live check: %s", cause);
			free(cause);
			lv.skipped = xstrdup("libcurl is not available");
			lv.unreachable = 1;
		}
		diag_sort(&l.diags);
	}
	/* 1: fix the .env; 3: no verdict could be had (network, provider
	 * down); 0: usable. An entrypoint can tell one from the other. */
	size_t config_errors = 0, warnings = 0;
	for (size_t i = 0; i < l.diags.n; i++) {
		const struct diag *d = &l.diags.v[i];
		if (d->sev == SEV_ERROR && !rule_no_verdict(d->rid))
			config_errors++;
		if (d->sev == SEV_WARNING)
			warnings++;
	}
	if (config_errors > 0 || (o.strict && warnings > 0))
		status = EXIT_FINDINGS;
	else if (lv.unreachable)
		status = EXIT_UNREACHABLE;
	else
		status = EXIT_FINE;
	/* the report, to standard output or whole into --output */
	struct buf rb, *to = output ? &rb : out;
	buf_init(&rb);
	if (fmt == REPORT_PROMETHEUS)
		report_prom_write(to, &l, offline ? NULL : &lv, status,
		    (long long)time(NULL));
	else
		report_write(to, &l, offline ? NULL : &lv, fmt, (fmt ==
		    REPORT_TEXT && output == NULL && exec_argv == NULL &&
		    report_want_color() ? REPORT_COLOR : 0) |
		    (quiet ? REPORT_QUIET : 0));
	if (output != NULL && report_write_file(output, &rb, &cause) != 0) {
		cli_error("check: --output %s", cause);
		free(cause);
		status = EXIT_USAGE;
	}
	buf_free(&rb);
	if (exec_argv != NULL) {
		if (status == EXIT_UNREACHABLE && allow_unreachable) {
			cli_error("warning: no verdict reachable from the "
			    "provider; running '%s' anyway (--allow-unreachable)",
			    exec_argv[0]);
			status = EXIT_FINE;
		}
		if (status == EXIT_FINE)
			cli_exec_argv = exec_argv;
	}
	live_free(&lv);
	lint_free(&l);
done:
	free(co.files);
	free(co.profiles);
	free_vec(ignore, nignore);
	free_vec(catalogs, ncatalogs);
	free(args);
	return status;
}
