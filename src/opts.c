/* opts.c - option parsing shared by every subcommand. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "opts.h"
#include "util.h"

void
opts_begin(void)
{
	/* 0, not 1: glibc then also resets its permutation state */
	optind = 0;
	opterr = 0;
}

int
opts_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	struct buf b;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	msg_error("%s: %s", cmd, b.data ? b.data : "");
	fprintf(stderr, "Try 'kodus-envcheck %s --help'.\n", cmd);
	buf_free(&b);
	return EXIT_USAGE;
}

int
opts_next(int argc, char **argv, struct cmd_ctx *ctx,
    const struct option *longopts)
{
	const char *cmd = ctx->cmd->name;
	/* ":" first: a missing value is ':' and not '?' */
	int c = getopt_long(argc, argv, ":h", longopts, NULL);
	if (c == 'h') {
		buf_addstr(ctx->out, ctx->cmd->usage);
		return OPTS_HELP;
	}
	if (c != '?' && c != ':')
		return c;
	const char *arg = argv[optind - 1];
	int len = (int)strcspn(arg, "=");
	if (strncmp(arg, "--", 2) != 0)
		opts_usage_error(cmd, c == ':' ? "option '-%c' needs a value" :
		    "unknown option '-%c'", optopt);
	else if (c == ':')
		opts_usage_error(cmd, "option '%s' needs a value", arg);
	else if (optopt != 0)
		opts_usage_error(cmd, "option '%.*s' takes no value", len, arg);
	else
		opts_usage_error(cmd, "unknown option '%.*s'", len, arg);
	return OPTS_ERROR;
}
