/* gen-builtin.c - print src/builtin_tables.c: the built-in catalog and
 * schema as C tables.
 *
 * Parsing data/providers.ini and data/kodus-schema.ini at every start
 * was a third of an offline check's time. This program parses them once,
 * at build time, with the same code (catalog.c, schema.c, inih) the tool
 * runs, and prints what that code built, so the tables cannot say
 * anything the files do not; tests/unit/test_builtin.c compares the two
 * again. A data file that does not load fails the build here. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "catalog.h"
#include "schema.h"

/* This program makes the tables: it is linked with none, so the code
 * parses the text. */
const struct catalog builtin_catalog = { .np = 0 };
const struct schema builtin_schema = { .n = 0 };

static unsigned nlists;

/* A C string literal; bytes other than printable ASCII as octal. */
static void
str(const char *s)
{
	if (s == NULL) {
		fputs("NULL", stdout);
		return;
	}
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\' || *p == '?')
			printf("\\%c", *p);
		else if (*p >= 0x20 && *p < 0x7f)
			putchar(*p);
		else
			printf("\\%03o", *p);
	}
	putchar('"');
}

/* A list as a static array; returns its number, or 0 for none. */
static unsigned
list(char *const *v, size_t n)
{
	if (n == 0)
		return 0;
	printf("static char *list%u[] = { ", ++nlists);
	for (size_t i = 0; i < n; i++) {
		str(v[i]);
		fputs(", ", stdout);
	}
	puts("NULL };");
	return nlists;
}

static void
listref(const char *field, unsigned k, size_t n)
{
	if (k == 0)
		printf("\t.%s = NULL, .n%s = 0,\n", field, field);
	else
		printf("\t.%s = list%u, .n%s = %zu,\n", field, k, field, n);
}

static void
field(const char *name, const char *s)
{
	printf("\t.%s = ", name);
	str(s);
	puts(",");
}

static void
catalog(const struct catalog *c)
{
	unsigned *ps = calloc(c->np * 3 + 1, sizeof *ps);
	unsigned *ms = calloc(c->nm + 1, sizeof *ms);
	if (ps == NULL || ms == NULL)
		exit(1);
	for (size_t i = 0; i < c->np; i++) {
		const struct provider *p = &c->p[i];
		ps[3 * i] = list(p->siblings, p->nsiblings);
		ps[3 * i + 1] = list(p->key_prefixes, p->nkey_prefixes);
		ps[3 * i + 2] = list(p->base_paths, p->nbase_paths);
	}
	for (size_t i = 0; i < c->nm; i++)
		ms[i] = list(c->m[i].providers, c->m[i].nproviders);
	const struct kodus_rules *k = &c->kodus;
	unsigned kc = list(k->claude, k->nclaude);
	unsigned kg = list(k->gemini, k->ngemini);
	unsigned kt = list(k->temperature_one, k->ntemperature_one);
	unsigned src = list(c->sources, c->nsources);

	printf("\nstatic struct provider providers[%zu] = {\n", c->np);
	for (size_t i = 0; i < c->np; i++) {
		const struct provider *p = &c->p[i];
		puts("{");
		field("id", p->id);
		field("name", p->name);
		field("base_url", p->base_url);
		field("region", p->region);
		field("key_contains", p->key_contains);
		field("balance_path", p->balance_path);
		field("currency", p->currency);
		field("console", p->console);
		field("api", p->api);
		listref("siblings", ps[3 * i], p->nsiblings);
		listref("key_prefixes", ps[3 * i + 1], p->nkey_prefixes);
		listref("base_paths", ps[3 * i + 2], p->nbase_paths);
		printf("\t.max_concurrency = %d,\n", p->max_concurrency);
		field("source", p->source);
		printf("\t.line = %u,\n", p->line);
		puts("},");
	}
	puts("};");
	printf("\nstatic struct model models[%zu] = {\n", c->nm);
	for (size_t i = 0; i < c->nm; i++) {
		const struct model *m = &c->m[i];
		puts("{");
		field("id", m->id);
		listref("providers", ms[i], m->nproviders);
		printf("\t.context = %ldL,\n", m->context);
		fputs("\t.temps = {", stdout);
		for (size_t j = 0; j < m->ntemps; j++)	/* exact: hex */
			printf(" %a,", m->temps[j]);
		printf("%s },\n\t.ntemps = %zu,\n", m->ntemps ? "" : " 0",
		    m->ntemps);
		field("temperature", m->temperature);
		field("retired", m->retired);
		field("replacement", m->replacement);
		puts("},");
	}
	puts("};");
	puts("\nconst struct catalog builtin_catalog = {");
	printf("\t.p = providers, .np = %zu,\n", c->np);
	printf("\t.m = models, .nm = %zu,\n", c->nm);
	puts("\t.kodus = {");
	listref("claude", kc, k->nclaude);
	listref("gemini", kg, k->ngemini);
	listref("temperature_one", kt, k->ntemperature_one);
	field("native_anthropic_host", k->native_anthropic_host);
	field("auto_helper_base_url", k->auto_helper_base_url);
	puts("\t},");
	listref("sources", src, c->nsources);
	puts("\t.builtin = 1,\n};");
	free(ps);
	free(ms);
}

static void
schema(const struct schema *s)
{
	unsigned *ls = calloc(s->n * 2 + 1, sizeof *ls);
	if (ls == NULL)
		exit(1);
	for (size_t i = 0; i < s->n; i++) {
		ls[2 * i] = list(s->v[i].enumv, s->v[i].nenum);
		ls[2 * i + 1] = list(s->v[i].webhook, s->v[i].nwebhook);
	}
	printf("\nstatic struct schemavar vars[%zu] = {\n", s->n);
	for (size_t i = 0; i < s->n; i++) {
		const struct schemavar *v = &s->v[i];
		puts("{");
		field("name", v->name);
		printf("\t.type = %d,\n", (int)v->type);
		/* the enum's field is enumv, its count nenum */
		if (ls[2 * i] == 0)
			puts("\t.enumv = NULL, .nenum = 0,");
		else
			printf("\t.enumv = list%u, .nenum = %zu,\n", ls[2 * i],
			    v->nenum);
		printf("\t.required = %d, .secret = %d, .optional = %d, "
		    ".llm = %d,\n", v->required, v->secret, v->optional,
		    v->llm);
		field("format", v->format);
		field("equals", v->equals);
		listref("webhook", ls[2 * i + 1], v->nwebhook);
		field("req_if_name", v->req_if_name);
		field("req_if_value", v->req_if_value);
		field("vhost", v->vhost);
		printf("\t.from_example = %d,\n", v->from_example);
		puts("},");
	}
	puts("};");
	printf("\nstatic struct legacy legacy[%zu] = {\n", s->nl);
	for (size_t i = 0; i < s->nl; i++) {
		const struct legacy *l = &s->l[i];
		puts("{");
		field("name", l->name);
		printf("\t.prefix = %d,\n", l->prefix);
		field("replacement", l->replacement);
		field("reason", l->reason);
		puts("},");
	}
	puts("};");
	/* schema_closest's letter counts and names by length */
	printf("\nstatic unsigned char hist[%zu][64] = {\n", s->n);
	for (size_t i = 0; i < s->n; i++) {
		fputs("{", stdout);
		for (size_t k = 0; k < 64; k++)
			printf("%u,", s->hist[i][k]);
		puts("},");
	}
	printf("};\n\nstatic size_t lens[%zu] = {", s->n);
	for (size_t i = 0; i < s->n; i++)
		printf("%s%zu,", i % 16 ? " " : "\n\t", s->lens[i]);
	printf("\n};\n\nstatic size_t bylen[%zu] = {", s->n);
	for (size_t i = 0; i < s->n; i++)
		printf("%s%zu,", i % 16 ? " " : "\n\t", s->bylen[i]);
	puts("\n};");
	puts("\nconst struct schema builtin_schema = {");
	printf("\t.v = vars, .n = %zu,\n", s->n);
	puts("\t.hist = hist, .lens = lens, .bylen = bylen,");
	printf("\t.l = legacy, .nl = %zu,\n", s->nl);
	puts("\t.builtin = 1,\n};");
	free(ls);
}

int
main(void)
{
	struct catalog c;
	struct schema s;
	char *cause = NULL;

	if (catalog_load_parsed(&c, &cause) != 0 ||
	    schema_load_builtin_parsed(&s, &cause) != 0) {
		fprintf(stderr, "gen-builtin: %s\n", cause);
		return 1;
	}
	if (c.np == 0 || c.nm == 0 || s.n == 0 || s.nl == 0) {
		fprintf(stderr, "gen-builtin: an empty catalog or schema\n");
		return 1;
	}
	puts("/* Generated by tools/gen-builtin from data/. Do not edit. */");
	puts("#include \"config.h\"\n");
	puts("#include <stddef.h>\n");
	puts("#include \"catalog.h\"");
	puts("#include \"schema.h\"\n");
	catalog(&c);
	schema(&s);
	catalog_free(&c);
	schema_free(&s);
	return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
}
