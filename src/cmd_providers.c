/* cmd_providers.c - `kodus-envcheck providers`: the merged catalog. */
#include "config.h"

#include <cJSON.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "diag.h"
#include "jsonw.h"
#include "msg.h"
#include "opts.h"
#include "secret.h"
#include "util.h"

static cJSON *
str_list(char **v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		char *m = secret_showz(v[i]);
		cJSON_AddItemToArray(a, cJSON_CreateString(m));
		free(m);
	}
	return a;
}

/* cJSON ownership: cJSON_AddItemTo* takes the item; one cJSON_Delete of
 * the root; the printed string is the caller's to free. Strings go
 * through json_add_str_or_null, the one output path (secret.h). */
static void
as_json(struct buf *out, const struct catalog *c)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *ps = cJSON_AddArrayToObject(root, "providers");
	for (size_t i = 0; i < c->np; i++) {
		const struct provider *p = &c->p[i];
		cJSON *o = cJSON_CreateObject();
		json_add_str_or_null(o, "id", p->id);
		json_add_str_or_null(o, "name", p->name);
		json_add_str_or_null(o, "base_url", p->base_url);
		json_add_str_or_null(o, "region", p->region);
		cJSON_AddItemToObject(o, "siblings", str_list(p->siblings,
		    p->nsiblings));
		cJSON_AddItemToObject(o, "key_prefixes",
		    str_list(p->key_prefixes, p->nkey_prefixes));
		/* a marker, not a key: escaped, not masked */
		if (p->key_contains != NULL) {
			char *k = display_text(p->key_contains,
			    strlen(p->key_contains), (size_t)-1);
			cJSON_AddStringToObject(o, "key_contains", k);
			free(k);
		} else
			cJSON_AddNullToObject(o, "key_contains");
		json_add_str_or_null(o, "balance_path", p->balance_path);
		json_add_str_or_null(o, "currency", p->currency);
		json_add_str_or_null(o, "console", p->console);
		cJSON_AddNumberToObject(o, "max_concurrency",
		    p->max_concurrency);
		json_add_str_or_null(o, "api", p->api);
		json_add_str_or_null(o, "source", p->source);
		cJSON_AddItemToArray(ps, o);
	}
	cJSON *ms = cJSON_AddArrayToObject(root, "models");
	for (size_t i = 0; i < c->nm; i++) {
		const struct model *m = &c->m[i];
		cJSON *o = cJSON_CreateObject();
		json_add_str_or_null(o, "id", m->id);
		cJSON_AddItemToObject(o, "provider", str_list(m->providers,
		    m->nproviders));
		if (m->context > 0)
			cJSON_AddNumberToObject(o, "context", (double)m->context);
		else
			cJSON_AddNullToObject(o, "context");
		cJSON *t = cJSON_AddArrayToObject(o, "temperature");
		for (size_t k = 0; k < m->ntemps; k++)
			cJSON_AddItemToArray(t, cJSON_CreateNumber(m->temps[k]));
		json_add_str_or_null(o, "retired", m->retired);
		json_add_str_or_null(o, "replacement", m->replacement);
		cJSON_AddItemToArray(ms, o);
	}
	char *s = cJSON_PrintUnformatted(root);
	buf_addstr(out, s);
	buf_addc(out, '\n');
	free(s);
	cJSON_Delete(root);
}

/* A line of the table, through the one output path (secret.h): a
 * catalog is a file like any other. */
static void
row(struct buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
row(struct buf *out, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *m = secret_show(b.data ? b.data : "", b.len);
	buf_addstr(out, m);
	buf_addc(out, '\n');
	free(m);
	buf_free(&b);
}

static void
as_text(struct buf *out, const struct catalog *c)
{
	row(out, "%-13s %-30s %s", "PROVIDER", "NAME", "BASE URL");
	for (size_t i = 0; i < c->np; i++)
		row(out, "%-13s %-30s %s", c->p[i].id, c->p[i].name,
		    c->p[i].base_url);
	buf_addc(out, '\n');
	row(out, "%-32s %-9s %-8s %s", "MODEL", "CONTEXT", "TEMP",
	    "PROVIDERS / RETIRED");
	for (size_t i = 0; i < c->nm; i++) {
		const struct model *m = &c->m[i];
		struct buf p;
		buf_init(&p);
		for (size_t k = 0; k < m->nproviders; k++)
			buf_printf(&p, "%s%s", k ? "," : "", m->providers[k]);
		if (m->retired)
			buf_printf(&p, "  retired %s%s%s", m->retired,
			    m->replacement ? " -> " : "",
			    m->replacement ? m->replacement : "");
		char ctx[24] = "-";
		if (m->context > 0)
			snprintf(ctx, sizeof ctx, "%ld", m->context);
		row(out, "%-32s %-9s %-8s %s", m->id, ctx,
		    m->temperature ? m->temperature : "any", p.data ? p.data :
		    "");
		buf_free(&p);
	}
	struct buf src;
	buf_init(&src);
	buf_addstr(&src, "sources:");
	for (size_t i = 0; i < c->nsources; i++)
		buf_printf(&src, " %s", c->sources[i]);
	buf_addc(out, '\n');
	row(out, "%s", src.data);
	buf_free(&src);
}

int
cmd_providers(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct buf *out = ctx->out;
	enum { OPT_FORMAT = 256, OPT_CATALOG };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "catalog", required_argument, NULL, OPT_CATALOG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char **files = NULL;
	size_t nfiles = 0;
	int json = 0, c, status = EXIT_USAGE;

	catalog_env_files(&files, &nfiles);
	opts_begin();
	while ((c = opts_next(argc, argv, ctx, longopts)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") == 0)
				json = 0;
			else {
				opts_usage_error("providers", "unknown format '%s' (use "
				    "text or json)", optarg);
				goto done;
			}
			break;
		case OPT_CATALOG:
			files = xreallocarray(files, nfiles + 1, sizeof *files);
			files[nfiles++] = xstrdup(optarg);
			break;
		case OPTS_HELP:
			status = EXIT_FINE;
			goto done;
		default:
			goto done;
		}
	}
	if (optind < argc) {
		opts_usage_error("providers", "unexpected argument '%s'",
		    argv[optind]);
		goto done;
	}
	struct catalog cat;
	char *cause = NULL;
	if (catalog_load(&cat, files, nfiles, &cause) != 0) {
		msg_error("%s", cause);
		free(cause);
		goto done;
	}
	if (json)
		as_json(out, &cat);
	else
		as_text(out, &cat);
	catalog_free(&cat);
	status = EXIT_FINE;
done:
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	return status;
}
