/* cli.h - the command line: subcommands, options, exit statuses. */
#ifndef KEC_CLI_H
#define KEC_CLI_H

#include "msg.h"	/* the exit statuses */

int cli_main(int argc, char **argv);

/* Subcommands; each returns an exit status and writes its whole output
 * to out (printed by cli_main, so a write error is caught in one place). */
struct buf;
int cmd_env(int argc, char **argv, struct buf *out);
int cmd_check(int argc, char **argv, struct buf *out);
int cmd_providers(int argc, char **argv, struct buf *out);
int cmd_rules(int argc, char **argv, struct buf *out);
int cmd_fix(int argc, char **argv, struct buf *out);

/* A command to execvp() once the output is written (check --exec), or
 * NULL. Set by cmd_check only when the check allows it. */
extern char **cli_exec_argv;

#endif
