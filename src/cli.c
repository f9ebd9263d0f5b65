/* cli.c - subcommand dispatch, --help, --version. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "cli.h"
#include "compose.h"
#include "msg.h"
#include "secret.h"
#include "curlfn.h"
#include "util.h"

/* The top-level --help: this head, each command's summary in the
 * table's order, the tail. */
static const char help_head[] =
"usage: kodus-envcheck [--help] [--version] COMMAND [ARGS...]\n"
"\n"
"Check a Kodus self-hosted .env before the containers start.\n"
"\n"
"Commands:\n";

static const char help_tail[] =
"\n"
"Every command takes --help; options may follow the files (until --).\n"
"\n"
"Options:\n"
"  -h, --help     show this help and exit\n"
"  -V, --version  show the version and the libraries in use\n"
"\n"
"Exit status: 0 fine, 1 findings or the reader refuses the file,\n"
"2 usage error or unreadable input, 3 no verdict reachable (live check).\n"
"Environment: NO_COLOR, KODUS_ENVCHECK_CATALOG, KODUS_ENVCHECK_IGNORE,\n"
"KODUS_ENVCHECK_DATE, COMPOSE_PROFILES, CURL_CA_BUNDLE, SSL_CERT_FILE,\n"
"https_proxy, no_proxy.\n"
"See kodus-envcheck(1) and kodus-envcheck.ini(5).\n";

/* Each command's usage (its --help) and summary (its part of the
 * top-level --help) live here, and only here. */
const struct command cli_commands[] = {
	{ "check", cmd_check,
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
    "           [--exec [--allow-unreachable] -- CMD [ARGS...]]\n",
"  check [options] [FILE...]\n"
"        Lint the .env files (default ./.env), then check the LLM\n"
"        provider live. One file may serve api and worker.\n"
"        --offline           lint only; no network\n"
"        --strict            warnings count as errors for the exit status\n"
"        --format=FORMAT     text (default), json, github, sarif or\n"
"                            prometheus\n"
"        --quiet             the findings alone: no summary, no table\n"
"        --for=READER        the reader the files are for, which the\n"
"                            severities follow: compose (default),\n"
"                            docker, kubectl or node\n"
"        --env-file-only     read a file named .env as an env_file only,\n"
"                            not as compose v2's project .env\n"
"        --api FILE          the api service's file\n"
"        --worker FILE       the worker service's file\n"
"        --ignore RULE[,RULE]  silence rules (repeatable)\n"
"        --template FILE     the installer's .env.example: its schema, and\n"
"                            its variables not set (default: one beside\n"
"                            the file, else the built-in schema);\n"
"                            --schema FILE is the older name\n"
"        --catalog FILE      merge a provider catalog over the built-in\n"
"                            one (repeatable)\n"
"        --deep              also send one real chat request\n"
"        --timeout SECONDS   bound the whole live check (default 15)\n"
"        --retries N         retries of transient failures (default 2)\n"
"        --wait SECONDS      keep retrying transient failures this long\n"
"        --no-cross-region   after a 401, do not try the key on the\n"
"                            provider's other regions\n"
"        --cacert FILE       CA certificates to verify TLS with\n"
"        --allow-http        send the key over http:// beyond loopback\n"
"        --environ           check the process environment, not files\n"
"        --exec -- CMD ARGS  when the check passes, run CMD in place of\n"
"                            this process (a docker entrypoint); the\n"
"                            report goes to standard error\n"
"        --allow-unreachable with --exec: run CMD also when no verdict\n"
"                            could be had (status 3), with a warning\n"
"        --compose FILE      the compose file (repeatable; default: one\n"
"                            beside the file, as docker compose finds it);\n"
"                            compares the api's and workers' final LLM\n"
"                            environment\n"
"        --env-file FILE     the compose project's .env\n"
"        --profile NAME      a compose profile to enable (repeatable)\n"
"        --min-balance AMOUNT  a warning when the balance is under this\n"
"                            (in the account's currency)\n"
"        --slow-after SECONDS  with --deep: an info when the chat answer\n"
"                            takes longer (default 20)\n"
"        --output FILE       write the report to FILE atomically (for\n"
"                            node_exporter's textfile collector)\n" },
	{ "env", cmd_env,
    "usage: kodus-envcheck env [--dialect=compose|docker|node|kubectl] "
    "[--env-file-only]\n"
    "           [--reveal] FILE\n"
    "       kodus-envcheck env --service NAME | --services [--compose FILE]\n"
    "           [--env-file FILE] [--profile NAME] [--reveal] [FILE]\n",
"  env [--dialect=compose|docker|node|kubectl] [--env-file-only]\n"
"      [--reveal] FILE\n"
"        Print FILE's variables as one reader sees them, as JSON.\n"
"        FILE '-' is standard input. compose: docker compose env_file:\n"
"        (a file named .env as compose v2 reads a project .env, unless\n"
"        --env-file-only), docker: env files of docker run, node: Node\n"
"        dotenv 16, kubectl: env files of kubectl create configmap.\n"
"        --reveal prints secret values in full.\n"
"  env --service NAME | --services [--compose FILE] [--env-file FILE]\n"
"      [--profile NAME] [--reveal] [FILE]\n"
"        The compose project beside FILE (default ./.env): the final\n"
"        environment of one service, with the line that set each\n"
"        variable, or the services with their images, profiles and\n"
"        env files, as JSON.\n" },
	{ "fix", cmd_fix,
    "usage: kodus-envcheck fix [--dry-run] [--no-backup] "
    "[--for=compose|docker|kubectl|node]\n"
    "           [--add-missing [--template FILE]] FILE...\n",
"  fix [--dry-run] [--no-backup] [--for=READER] [--add-missing\n"
"      [--template FILE]] FILE...\n"
"        Apply the safe fixes in place: trailing blanks, typographic\n"
"        quotes, CRLF, a byte order mark, legacy names; --for=docker or\n"
"        kubectl also the quotes and inline comments they would keep.\n"
"        Keeps FILE.bak; --dry-run prints a diff instead. --add-missing\n"
"        appends the template's variables the file lacks (secrets\n"
"        empty, with how to generate one).\n" },
	{ "providers", cmd_providers,
    "usage: kodus-envcheck providers [--format=text|json] "
    "[--catalog FILE]...\n",
"  providers [--format=text|json] [--catalog FILE]\n"
"        Print the merged provider and model catalog.\n" },
	{ "rules", cmd_rules,
    "usage: kodus-envcheck rules [--format=text|json]\n",
"  rules [--format=text|json]\n"
"        List the rule ids that check reports and --ignore takes.\n" },
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

static void
version(struct buf *out)
{
	char *cause = NULL;
	buf_printf(out, "%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	if (curlfn_load(&cause) == 0) {
		curl_version_info_data *cv =
		    curlfn.version_info(CURLVERSION_NOW);
		buf_printf(out, "libcurl %s (%s)\n", cv->version,
		    cv->ssl_version ? cv->ssl_version : "no TLS");
	} else {
		buf_printf(out, "libcurl not available: %s\n", cause);
		free(cause);
	}
	buf_printf(out, "cJSON %s\n", cJSON_Version());
	buf_printf(out, "inih %s\n", INIH_VERSION);
	const char *yv = compose_yaml_version(&cause);
	if (yv != NULL)
		buf_printf(out, "libyaml %s\n", yv);
	else {
		buf_printf(out, "libyaml not available: %s\n", cause);
		free(cause);
	}
}

static void
help(struct buf *out)
{
	buf_addstr(out, help_head);
	for (size_t i = 0; i < cli_ncommands; i++)
		buf_addstr(out, cli_commands[i].summary);
	buf_addstr(out, help_tail);
}

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; i < cli_ncommands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

int
cli_main(int argc, char **argv)
{
	struct buf out;
	struct cmd_ctx ctx;
	int status;

	msg_hold_std_fds();
	/* cJSON's allocations fail as every other does (a line and status
	 * 2), not as a NULL from cJSON_Print* that the callers would print */
	cJSON_Hooks hooks = { xmalloc, free };
	cJSON_InitHooks(&hooks);
	buf_init(&out);
	memset(&ctx, 0, sizeof ctx);
	ctx.out = &out;
	if (argc < 2) {
		help(&out);
		fwrite(out.data, 1, out.len, stderr);
		buf_free(&out);
		return EXIT_USAGE;
	}
	/* from here the output streams to standard output */
	msg_set_stream(&out);
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "help") == 0) {
		help(&out);
		status = EXIT_FINE;
	} else if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		version(&out);
		status = EXIT_FINE;
	} else if ((ctx.cmd = find_command(cmd)) != NULL)
		status = ctx.cmd->run(argc - 1, argv + 1, &ctx);
	else {
		if (cmd[0] == '-')
			msg_error("unknown option '%s'", cmd);
		else
			msg_error("unknown command '%s'", cmd);
		fputs("Try 'kodus-envcheck --help'.\n", stderr);
		return EXIT_USAGE;
	}
	/* a command about to be exec'd keeps standard output open */
	status = msg_flush(&out, status, ctx.exec_argv != NULL);
	buf_wipe(&out);
	secret_forget_all();
	if (ctx.exec_argv != NULL && status == EXIT_FINE) {
		/* In place, no fork: the command becomes this process (PID 1
		 * in a container) and receives the signals. */
		execvp(ctx.exec_argv[0], ctx.exec_argv);
		int e = errno;
		msg_error("cannot run '%s': %s", ctx.exec_argv[0], strerror(e));
		return e == ENOENT ? 127 : 126;
	}
	return status;
}
