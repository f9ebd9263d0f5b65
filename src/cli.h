/* cli.h - the command line: subcommands, options, exit statuses. */
#ifndef KEC_CLI_H
#define KEC_CLI_H

/* Exit statuses of the whole tool (documented in kodus-envcheck(1)). */
enum {
	EXIT_FINE = 0,		/* nothing to fix */
	EXIT_FINDINGS = 1,	/* errors found, or the reader refuses */
	EXIT_USAGE = 2,		/* usage, unreadable input, cannot run */
	EXIT_UNREACHABLE = 3	/* live check: no verdict reachable */
};

int cli_main(int argc, char **argv);

/* Subcommands; each returns an exit status and writes its whole output
 * to out (printed by cli_main, so a write error is caught in one place). */
struct buf;
int cmd_env(int argc, char **argv, struct buf *out);
int cmd_check(int argc, char **argv, struct buf *out);
int cmd_providers(int argc, char **argv, struct buf *out);
int cmd_rules(int argc, char **argv, struct buf *out);
int cmd_fix(int argc, char **argv, struct buf *out);

/* Write out to standard output once it holds 64 KiB or more, and empty
 * it: large outputs stream instead of growing in memory. A write error is
 * remembered and reported once, at the end. */
void cli_drain(struct buf *out);

/* A command to execvp() once the output is written (check --exec), or
 * NULL. Set by cmd_check only when the check allows it. */
extern char **cli_exec_argv;

/* Set by check --exec: the output goes to standard error, as standard
 * output belongs to the command that is run. */
extern int cli_out_stderr;

/* Print "kodus-envcheck: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
