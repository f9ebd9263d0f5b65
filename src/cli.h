/* cli.h - the command line: the command table, what a subcommand is
 * given and gives back, exit statuses (msg.h). */
#ifndef KEC_CLI_H
#define KEC_CLI_H

#include <stddef.h>

#include "msg.h"	/* the exit statuses */

struct buf;
struct command;

/* What a subcommand is given, and what it hands back to cli_main. */
struct cmd_ctx {
	const struct command *cmd;	/* its entry in cli_commands */
	struct buf *out;	/* its output, streamed in chunks (msg.h);
				 * a write error is caught in one place */
	char **exec_argv;	/* check --exec: the command to execvp() once
				 * the output is written, set only when the
				 * check allows it; else NULL */
};

/* One subcommand: the table drives dispatch, the top-level --help and
 * each subcommand's --help (opts_next). */
struct command {
	const char *name;
	int (*run)(int argc, char **argv, struct cmd_ctx *);
	const char *usage;	/* what `kodus-envcheck NAME --help` prints */
	const char *summary;	/* its part of `kodus-envcheck --help` */
};
extern const struct command cli_commands[];
extern const size_t cli_ncommands;

int cli_main(int argc, char **argv);

/* The subcommands; each returns an exit status (argv[0] is its name). */
int cmd_env(int argc, char **argv, struct cmd_ctx *);
int cmd_check(int argc, char **argv, struct cmd_ctx *);
int cmd_providers(int argc, char **argv, struct cmd_ctx *);
int cmd_rules(int argc, char **argv, struct cmd_ctx *);
int cmd_fix(int argc, char **argv, struct cmd_ctx *);

#endif
