/* cmd_env.c - `kodus-envcheck env`: a file's variables as one reader sees
 * them, as one JSON object. A file named .env is read under compose as
 * docker compose v2 reads a project's .env that is also the env_file
 * (unless --env-file-only). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "compose.h"
#include "dialect.h"
#include "jsonw.h"
#include "opts.h"
#include "secret.h"
#include "textpos.h"
#include "util.h"

/* The secrets first, so that another variable holding one (or a URL
 * with a password) shows only its mask. */
static void
remember_secrets(const struct envmap *env)
{
	for (size_t i = 0; i < env->n; i++) {
		const struct envvar *v = &env->v[i];
		if (secret_pair(v->key, v->klen, v->val, v->vlen))
			secret_remember(v->val, v->vlen);
	}
}

static void
add_value(struct buf *out, const struct envvar *v, int reveal)
{
	if (reveal) {
		json_add_string(out, v->val, v->vlen);
	} else if (secret_pair(v->key, v->klen, v->val, v->vlen)) {
		char *m = secret_mask(v->val, v->vlen);
		json_add_stringz(out, m);
		free(m);
	} else {
		size_t hl;
		char *h = secret_hide(v->val, v->vlen, &hl);
		json_add_string(out, h, hl);
		free(h);
	}
}

static void
add_strings(struct buf *out, char **v, size_t n)
{
	buf_addc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(out, ',');
		json_add_stringz(out, v[i]);
	}
	buf_addc(out, ']');
}

/* env --service NAME / --services: the compose project's view. */
static int
env_compose(const char *service, const struct compose_opts *co, int reveal,
    struct buf *out)
{
	struct compose_project p;
	char *cause = NULL, *refused = NULL;
	int rc = compose_load(&p, co, &cause, &refused);
	if (rc == COMPOSE_NONE) {
		msg_error("env: no compose file in %s (compose.yaml, "
		    "compose.yml, docker-compose.yml, docker-compose.yaml); "
		    "name one with --compose", co->dir);
		return EXIT_USAGE;
	}
	if (rc != COMPOSE_OK) {
		msg_error("%s", cause);
		free(cause);
		free(refused);
		compose_free(&p);
		return rc == COMPOSE_REFUSED ? EXIT_FINDINGS : EXIT_USAGE;
	}
	int status = EXIT_FINE;
	if (service == NULL) {
		buf_addstr(out, "{\"ok\":true,\"compose_files\":");
		add_strings(out, p.files, p.nfiles);
		buf_addstr(out, ",\"env_file\":");
		if (p.dotenv)
			json_add_stringz(out, p.dotenv);
		else
			buf_addstr(out, "null");
		buf_addstr(out, ",\"services\":[");
		for (size_t i = 0; i < p.nsvc; i++) {
			const struct compose_service *s = &p.svc[i];
			buf_addstr(out, i ? ",{\"name\":" : "{\"name\":");
			json_add_stringz(out, s->name);
			buf_addstr(out, ",\"image\":");
			if (s->image)
				json_add_stringz(out, s->image);
			else
				buf_addstr(out, "null");
			buf_addstr(out, ",\"kodus\":");
			if (s->role != KODUS_NONE)
				json_add_stringz(out, kodus_role_name(s->role));
			else
				buf_addstr(out, "null");
			buf_addstr(out, ",\"profiles\":");
			add_strings(out, s->profiles, s->nprofiles);
			buf_printf(out, ",\"active\":%s,\"env_files\":",
			    s->active ? "true" : "false");
			add_strings(out, s->env_files, s->nenv_files);
			buf_addstr(out, ",\"file\":");
			json_add_stringz(out, s->file);
			buf_printf(out, ",\"line\":%u}", s->line);
		}
		buf_addstr(out, "],\"notes\":");
		add_strings(out, p.notes, p.nnotes);
		buf_addstr(out, "}\n");
	} else {
		const struct compose_service *s = compose_service(&p, service);
		if (s == NULL) {
			msg_error("env: no service '%s' in %s", service,
			    p.files[0]);
			status = EXIT_USAGE;
		} else {
			if (!reveal)
				remember_secrets(&s->env);
			buf_addstr(out, "{\"ok\":true,\"service\":");
			json_add_stringz(out, s->name);
			buf_printf(out, ",\"active\":%s,\"env\":{",
			    s->active ? "true" : "false");
			int first = 1;
			for (size_t i = 0; i < s->env.n; i++) {
				if (s->orig[i].removed)
					continue;
				if (!first)
					buf_addc(out, ',');
				first = 0;
				json_add_string(out, s->env.v[i].key,
				    s->env.v[i].klen);
				buf_addc(out, ':');
				add_value(out, &s->env.v[i], reveal);
				msg_drain(out);
			}
			buf_addstr(out, "},\"from\":{");
			for (size_t i = 0; i < s->env.n; i++) {
				const struct corigin *o = &s->orig[i];
				if (i > 0)
					buf_addc(out, ',');
				json_add_string(out, s->env.v[i].key,
				    s->env.v[i].klen);
				buf_addc(out, ':');
				char *w = xasprintf("%s:%u%s", o->file, o->line,
				    o->removed ? " (unset)" : "");
				json_add_stringz(out, w);
				free(w);
			}
			buf_addstr(out, "}}\n");
		}
	}
	compose_free(&p);
	return status;
}

int
cmd_env(int argc, char **argv, struct cmd_ctx *ctx)
{
	large_blocks_whole_pages(1);	/* speed over address space */
	struct buf *out = ctx->out;
	static const struct option longopts[] = {
		{ "dialect", required_argument, NULL, 'd' },
		{ "reveal", no_argument, NULL, 'r' },
		{ "env-file-only", no_argument, NULL, 'E' },
		{ "service", required_argument, NULL, 's' },
		{ "services", no_argument, NULL, 'S' },
		{ "compose", required_argument, NULL, 'c' },
		{ "env-file", required_argument, NULL, 'e' },
		{ "profile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum dialect dia = DIALECT_COMPOSE;
	int reveal = 0, env_file_only = 0, c, services = 0, dialect_set = 0;
	const char *service = NULL;
	struct compose_opts co;
	memset(&co, 0, sizeof co);

	opts_begin();
	while ((c = opts_next(argc, argv, ctx, longopts)) != -1) {
		switch (c) {
		case 's':
			service = optarg;
			break;
		case 'S':
			services = 1;
			break;
		case 'c':
			co.files = xreallocarray(co.files, co.nfiles + 1,
			    sizeof *co.files);
			co.files[co.nfiles++] = optarg;
			break;
		case 'e':
			co.env_file = optarg;
			break;
		case 'p':
			co.profiles = xreallocarray(co.profiles,
			    co.nprofiles + 1, sizeof *co.profiles);
			co.profiles[co.nprofiles++] = optarg;
			break;
		case 'd':
			dialect_set = 1;
			if (dialect_from_name(optarg, &dia) != 0) {
				opts_usage_error("env", "unknown dialect '%s' (use "
				    "compose, docker, node or kubectl)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'r':
			reveal = 1;
			break;
		case 'E':
			env_file_only = 1;
			break;
		case OPTS_HELP:
			free(co.files);
			free(co.profiles);
			return EXIT_FINE;
		default:
			free(co.files);
			free(co.profiles);
			return EXIT_USAGE;
		}
	}
	if (service != NULL || services) {
		int st = EXIT_USAGE;
		if (service != NULL && services)
			opts_usage_error("env", "--service or --services, not "
			    "both");
		else if (dialect_set)
			opts_usage_error("env", "--dialect goes with a FILE, "
			    "not with --service: a service's env files are read "
			    "as docker compose reads them");
		else if (argc - optind > 1)
			opts_usage_error("env", "one FILE at most with "
			    "--service");
		else {
			char *dir = path_dir(argc - optind == 1 ?
			    argv[optind] : ".env");
			co.dir = dir;
			st = env_compose(service, &co, reveal, out);
			free(dir);
		}
		free(co.files);
		free(co.profiles);
		return st;
	}
	if (co.nfiles > 0 || co.env_file != NULL || co.nprofiles > 0) {
		opts_usage_error("env", "--compose, --env-file and --profile "
		    "go with --service or --services");
		free(co.files);
		free(co.profiles);
		return EXIT_USAGE;
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
		msg_error("%s: %s", shown, cause);
		free(cause);
		return EXIT_USAGE;
	}

	struct dialect_result r;
	struct envmap penv;
	environ_to_map(&penv);
	if (dia == DIALECT_COMPOSE && !env_file_only &&
	    dialect_is_project_env(path))
		dialect_eval_project(data.data, data.len, env_lookup_map, &penv,
		    &r);
	else
		dialect_eval(dia, data.data, data.len, env_lookup_map, &penv,
		    &r);
	envmap_free(&penv);
	int status = EXIT_FINE;
	if (!reveal)
		remember_secrets(&r.env);
	if (!r.ok && r.limit) {
		/* not the reader's verdict: this program gave up */
		struct textpos tp;
		unsigned line, col;
		textpos_init(&tp, data.data, data.len);
		textpos_at(&tp, r.err_off, &line, &col);
		textpos_free(&tp);
		msg_error("%s:%u:%u: %s", shown, line, col, r.error);
		status = EXIT_USAGE;
	} else if (r.ok) {
		buf_addstr(out, "{\"ok\":true,\"env\":{");
		for (size_t i = 0; i < r.env.n; i++) {
			const struct envvar *v = &r.env.v[i];
			if (i > 0)
				buf_addc(out, ',');
			json_add_string(out, v->key, v->klen);
			buf_addc(out, ':');
			add_value(out, v, reveal);
			msg_drain(out);
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
		size_t hl;
		char *h = secret_hide(r.error, strlen(r.error), &hl);
		json_add_string(out, h, hl);
		free(h);
		buf_printf(out, ",\"line\":%u,\"column\":%u}\n", line, col);
		status = EXIT_FINDINGS;
	}
	dialect_result_free(&r);
	buf_wipe(&data);
	return status;
}
