/* opts.h - the one way subcommands parse their options: getopt_long with
 * GNU permutation (options may follow operands, up to "--"), --help/-h on
 * every subcommand, and one wording for usage errors. */
#ifndef KEC_OPTS_H
#define KEC_OPTS_H

#include <getopt.h>

/* What opts_next returns for a usage error it has already reported. */
#define OPTS_ERROR '?'
/* What opts_next returns for -h or --help, once it has written the
 * command's usage (struct command) to its output: stop, status 0. */
#define OPTS_HELP (-2)

struct cmd_ctx;

/* Start parsing a subcommand's arguments (argv[0] is the subcommand). */
void opts_begin(void);
/* The next option of the command ctx runs, as getopt_long returns it; -1
 * at the end, with the operands moved to argv[optind..argc-1]. "-h" and
 * "--help" write the usage and return OPTS_HELP (add { "help",
 * no_argument, NULL, 'h' } to longopts). An unknown option or a missing
 * value is reported with opts_usage_error and returns OPTS_ERROR. */
int opts_next(int argc, char **argv, struct cmd_ctx *ctx,
    const struct option *longopts);
/* Report a usage error of cmd on standard error:
 *   kodus-envcheck: CMD: MESSAGE
 *   Try 'kodus-envcheck CMD --help'.
 * Returns EXIT_USAGE. */
int opts_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
