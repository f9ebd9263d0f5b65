/* cmd_env.c - `kodus-envcheck env`: a file's variables as one reader sees
 * them, as one JSON object. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dialect.h"
#include "jsonw.h"
#include "opts.h"
#include "secret.h"
#include "textpos.h"
#include "util.h"

static const char env_usage[] =
    "usage: kodus-envcheck env [--dialect=compose|docker|node] [--reveal] "
    "FILE\n";

int
cmd_env(int argc, char **argv, struct buf *out)
{
	static const struct option longopts[] = {
		{ "dialect", required_argument, NULL, 'd' },
		{ "reveal", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum dialect dia = DIALECT_COMPOSE;
	int reveal = 0, c;

	opts_begin();
	while ((c = opts_next(argc, argv, "env", longopts)) != -1) {
		switch (c) {
		case 'd':
			if (dialect_from_name(optarg, &dia) != 0) {
				opts_usage_error("env", "unknown dialect '%s' (use "
				    "compose, docker or node)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'r':
			reveal = 1;
			break;
		case 'h':
			buf_addstr(out, env_usage);
			return EXIT_FINE;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		return opts_usage_error("env", "%s", argc - optind == 0 ?
		    "no FILE given" : "only one FILE at a time");
	}
	const char *path = argv[optind];
	const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;

	struct buf data;
	char *cause = NULL;
	oom_context(shown);
	if (read_file(path, &data, &cause) != 0) {
		cli_error("%s: %s", shown, cause);
		free(cause);
		return EXIT_USAGE;
	}

	struct dialect_result r;
	struct envmap penv;
	environ_to_map(&penv);
	dialect_eval(dia, data.data, data.len, env_lookup_map, &penv, &r);
	envmap_free(&penv);
	int status = EXIT_FINE;
	if (r.ok) {
		buf_addstr(out, "{\"ok\":true,\"env\":{");
		for (size_t i = 0; i < r.env.n; i++) {
			const struct envvar *v = &r.env.v[i];
			if (i > 0)
				buf_addc(out, ',');
			json_add_string(out, v->key, v->klen);
			buf_addc(out, ':');
			if (!reveal && secret_pair(v->key, v->klen, v->val,
			    v->vlen)) {
				char *m = secret_mask(v->val, v->vlen);
				json_add_stringz(out, m);
				free(m);
			} else
				json_add_string(out, v->val, v->vlen);
			cli_drain(out);
		}
		buf_addstr(out, "}}\n");
	} else {
		struct textpos tp;
		unsigned line, col;
		textpos_init(&tp, data.data, data.len);
		textpos_at(&tp, r.err_off, &line, &col);
		textpos_free(&tp);
		buf_addstr(out, "{\"ok\":false,\"dialect\":");
		json_add_stringz(out, dialect_name(dia));
		buf_addstr(out, ",\"file\":");
		json_add_stringz(out, shown);
		buf_addstr(out, ",\"error\":");
		json_add_stringz(out, r.error);
		buf_printf(out, ",\"line\":%u,\"column\":%u}\n", line, col);
		status = EXIT_FINDINGS;
	}
	dialect_result_free(&r);
	buf_wipe(&data);
	return status;
}
