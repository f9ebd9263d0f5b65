/* test_builtin.c - the compiled-in catalog and schema tables
 * (src/builtin_tables.c, made by tools/gen-builtin) hold what parsing
 * data/providers.ini and data/kodus-schema.ini at run time gives, field
 * by field; and a schema taken from the tables can still be changed by
 * an .env.example and freed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "schema.h"
#include "tap.h"

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

static int
same_provider(const struct provider *a, const struct provider *b)
{
	return same_str(a->id, b->id) && same_str(a->name, b->name) &&
	    same_str(a->base_url, b->base_url) &&
	    same_str(a->region, b->region) &&
	    same_str(a->key_contains, b->key_contains) &&
	    same_str(a->balance_path, b->balance_path) &&
	    same_str(a->currency, b->currency) &&
	    same_str(a->console, b->console) && same_str(a->api, b->api) &&
	    same_list(a->siblings, a->nsiblings, b->siblings, b->nsiblings) &&
	    same_list(a->key_prefixes, a->nkey_prefixes, b->key_prefixes,
	    b->nkey_prefixes) &&
	    same_list(a->base_paths, a->nbase_paths, b->base_paths,
	    b->nbase_paths) &&
	    a->max_concurrency == b->max_concurrency &&
	    same_str(a->source, b->source) && a->line == b->line;
}

static int
same_model(const struct model *a, const struct model *b)
{
	if (!same_str(a->id, b->id) || !same_list(a->providers, a->nproviders,
	    b->providers, b->nproviders) || a->context != b->context ||
	    a->ntemps != b->ntemps || !same_str(a->temperature,
	    b->temperature) || !same_str(a->retired, b->retired) ||
	    !same_str(a->replacement, b->replacement))
		return 0;
	for (size_t i = 0; i < a->ntemps; i++)
		if (a->temps[i] != b->temps[i])
			return 0;
	return 1;
}

static void
test_catalog(void)
{
	struct catalog t, p;
	char *cause = NULL;
	ok(catalog_load(&t, NULL, 0, &cause) == 0, "tables load");
	ok(catalog_load_parsed(&p, &cause) == 0, "text parses");
	ok(t.builtin && !p.builtin, "one from the tables, one parsed");
	ok(t.np == p.np && t.np > 10, "as many providers (%zu, %zu)", t.np,
	    p.np);
	ok(t.nm == p.nm && t.nm > 10, "as many models (%zu, %zu)", t.nm, p.nm);
	for (size_t i = 0; i < t.np && i < p.np; i++)
		if (!ok(same_provider(&t.p[i], &p.p[i]), "provider %s",
		    p.p[i].id))
			break;
	for (size_t i = 0; i < t.nm && i < p.nm; i++)
		if (!ok(same_model(&t.m[i], &p.m[i]), "model %s", p.m[i].id))
			break;
	const struct kodus_rules *a = &t.kodus, *b = &p.kodus;
	ok(same_list(a->claude, a->nclaude, b->claude, b->nclaude) &&
	    same_list(a->gemini, a->ngemini, b->gemini, b->ngemini) &&
	    same_list(a->temperature_one, a->ntemperature_one,
	    b->temperature_one, b->ntemperature_one) &&
	    same_str(a->native_anthropic_host, b->native_anthropic_host) &&
	    same_str(a->auto_helper_base_url, b->auto_helper_base_url) &&
	    a->nclaude > 0, "the [kodus] rules");
	ok(same_list(t.sources, t.nsources, p.sources, p.nsources),
	    "the sources");
	ok(catalog_provider(&t, p.p[t.np - 1].id) == &t.p[t.np - 1] &&
	    catalog_model(&t, p.m[t.nm - 1].id) == &t.m[t.nm - 1] &&
	    catalog_provider(&t, "nosuch") == NULL, "the tables are indexed");
	catalog_free(&t);

	/* another catalog still merges over the built-in one */
	static const char more[] = "[provider x]\nbase_url = https://x.test/v1\n"
	    "[model x-1]\nprovider = x\ntemperature = 0.5\n";
	ok(catalog_load_text(&t, more, sizeof more - 1, &cause) == 0 &&
	    !t.builtin && catalog_provider(&t, "x") != NULL &&
	    catalog_model(&t, "x-1")->temps[0] == 0.5 &&
	    t.np == p.np + 1 && t.nm == p.nm + 1, "a merge parses");
	catalog_free(&t);
	catalog_free(&p);
}

static int
same_var(const struct schemavar *a, const struct schemavar *b)
{
	return same_str(a->name, b->name) && a->type == b->type &&
	    same_list(a->enumv, a->nenum, b->enumv, b->nenum) &&
	    a->required == b->required && a->secret == b->secret &&
	    a->optional == b->optional && a->llm == b->llm &&
	    same_str(a->format, b->format) && same_str(a->equals, b->equals) &&
	    same_list(a->webhook, a->nwebhook, b->webhook, b->nwebhook) &&
	    same_str(a->req_if_name, b->req_if_name) &&
	    same_str(a->req_if_value, b->req_if_value) &&
	    same_str(a->vhost, b->vhost) &&
	    a->from_example == b->from_example;
}

static void
same_schema(const struct schema *t, const struct schema *p, const char *what)
{
	ok(t->n == p->n && t->nl == p->nl && t->n > 100 && t->nl > 0,
	    "%s: as many variables (%zu, %zu) and legacy names (%zu, %zu)",
	    what, t->n, p->n, t->nl, p->nl);
	size_t bad = 0;
	for (size_t i = 0; i < t->n && i < p->n; i++)
		if (!same_var(&t->v[i], &p->v[i]) && bad++ == 0)
			printf("# differs: %s\n", p->v[i].name);
	for (size_t i = 0; i < t->nl && i < p->nl; i++)
		if ((!same_str(t->l[i].name, p->l[i].name) ||
		    t->l[i].prefix != p->l[i].prefix ||
		    !same_str(t->l[i].replacement, p->l[i].replacement) ||
		    !same_str(t->l[i].reason, p->l[i].reason)) && bad++ == 0)
			printf("# differs: legacy %s\n", p->l[i].name);
	ok(bad == 0, "%s: every variable and legacy name", what);
	ok(t->n == p->n && memcmp(t->lens, p->lens, t->n * sizeof *t->lens) ==
	    0 && memcmp(t->bylen, p->bylen, t->n * sizeof *t->bylen) == 0 &&
	    memcmp(t->hist, p->hist, t->n * sizeof *t->hist) == 0,
	    "%s: name lengths, their order, letter counts", what);
	const char *name = p->v[p->n / 2].name;
	size_t len = strlen(name);
	ok(schema_get(t, name, len) == &t->v[p->n / 2], "%s: indexed", what);
	char typo[128];
	snprintf(typo, sizeof typo, "%.*sX", (int)len - 1, name);
	ok(schema_closest(t, typo, len) != NULL && same_str(schema_closest(t,
	    typo, len), schema_closest(p, typo, len)), "%s: closest name to "
	    "%s", what, typo);
}

static void
test_schema(void)
{
	struct schema t, p;
	char *cause = NULL;
	ok(schema_load_builtin(&t, &cause) == 0, "schema tables load");
	ok(schema_load_builtin_parsed(&p, &cause) == 0, "schema text parses");
	ok(t.builtin && !p.builtin, "one from the tables, one parsed");
	same_schema(&t, &p, "built-in");

	/* an .env.example changes a copy of the tables, not the tables */
	static const char ex[] = "# (required, type: enum(a, b))\n"
	    "API_PORT=1\n# (secret)\nNEW_ONE_1=\n# NEW_TWO=x\n";
	schema_load_example_text(&t, "ex", ex, sizeof ex - 1);
	schema_load_example_text(&p, "ex", ex, sizeof ex - 1);
	ok(!t.builtin, "the example unshares the tables");
	same_schema(&t, &p, "with an example");
	const struct schemavar *v = schema_get(&t, "API_PORT", 8);
	ok(v != NULL && v->type == VT_ENUM && v->nenum == 2 && v->required,
	    "the example's attributes");
	ok(v != NULL && (size_t)(v - t.v) < builtin_schema.n &&
	    builtin_schema.v[v - t.v].type != VT_ENUM, "the tables unchanged");
	schema_free(&t);
	schema_free(&p);

	/* and the tables are whole again for the next load */
	ok(schema_load_builtin(&t, &cause) == 0 && schema_load_builtin_parsed(
	    &p, &cause) == 0, "load again");
	same_schema(&t, &p, "again");
	schema_free(&t);
	schema_free(&p);
}

int
main(void)
{
	test_catalog();
	test_schema();
	return tap_done();
}
