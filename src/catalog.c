/* catalog.c - the provider and model catalog. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "envmap.h"
#include "inifile.h"
#include "url.h"
#include "util.h"

struct rawkv {
	char		*key;
	char		*value;
	const char	*source;
	unsigned	 line;
};

struct rawsec {
	char		*kind;		/* "provider", "model" or "kodus" */
	char		*id;
	struct rawkv	*kv;
	size_t		 nkv;
	const char	*source;
	unsigned	 line;
};

static const char *const provider_keys[] = {
	"name", "base_url", "region", "siblings", "key_prefixes",
	"key_contains", "balance_path", "currency", "console",
	"max_concurrency", "api", "base_paths", NULL
};
static const char *const model_keys[] = {
	"provider", "context", "temperature", "retired", "replacement", NULL
};
static const char *const kodus_keys[] = {
	"claude_models", "gemini_models", "temperature_one_models",
	"native_anthropic_host", "auto_helper_base_url", NULL
};

static const char *
source_intern(struct catalog *c, const char *s)
{
	for (size_t i = 0; i < c->nsources; i++)
		if (strcmp(c->sources[i], s) == 0)
			return c->sources[i];
	c->sources = xreallocarray(c->sources, c->nsources + 1,
	    sizeof *c->sources);
	return c->sources[c->nsources++] = xstrdup(s);
}

static int
known_key(const char *const *keys, const char *k)
{
	for (; *keys != NULL; keys++)
		if (strcmp(*keys, k) == 0)
			return 1;
	return 0;
}

/* The index key of a raw section: its kind's initial, then its id. */
static void
raw_key(struct buf *k, const char *kind, const char *id)
{
	buf_reset(k);
	buf_addc(k, kind[0]);	/* provider, model, kodus */
	buf_addstr(k, id);
}

static int
merge_doc(struct catalog *c, const struct ini_doc *d, char **cause)
{
	const char *src = source_intern(c, d->source);
	/* sections by kind and id, so that a large catalog merges in
	 * linear time */
	struct envmap idx;
	struct buf k;
	int r = 0;
	envmap_init(&idx);
	buf_init(&k);
	for (size_t j = 0; j < c->nraw; j++) {
		raw_key(&k, c->raw[j].kind, c->raw[j].id);
		envmap_set(&idx, k.data, k.len, "", 0, j, ENVMAP_COPY_KEY);
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct ini_entry *e = &d->e[i];
		const char *sp = strchr(e->section, ' ');
		size_t kl = sp ? (size_t)(sp - e->section) : 0;
		const char *id = sp ? sp + 1 : "";
		while (*id == ' ')
			id++;
		int is_p = kl == 8 && strncmp(e->section, "provider", 8) == 0;
		int is_m = kl == 5 && strncmp(e->section, "model", 5) == 0;
		int is_k = strcmp(e->section, "kodus") == 0;
		if (is_k)
			id = "";
		else if ((!is_p && !is_m) || *id == '\0') {
			*cause = xasprintf("%s:%u: section [%s] is neither "
			    "[provider ID], [model ID] nor [kodus]", src,
			    e->line, e->section);
			r = -1;
			break;
		}
		const char *kind = is_p ? "provider" : is_m ? "model" : "kodus";
		if (!known_key(is_p ? provider_keys : is_m ? model_keys :
		    kodus_keys, e->name)) {
			*cause = xasprintf("%s:%u: unknown key '%s' in [%s]",
			    src, e->line, e->name, e->section);
			r = -1;
			break;
		}
		struct rawsec *s = NULL;
		raw_key(&k, kind, id);
		const struct envvar *x = envmap_get(&idx, k.data, k.len);
		if (x != NULL)
			s = &c->raw[x->key_off];
		if (s == NULL) {
			c->raw = xgrow(c->raw, c->nraw, &c->capraw,
			    sizeof *c->raw);
			envmap_set(&idx, k.data, k.len, "", 0, c->nraw,
			    ENVMAP_COPY_KEY);
			s = &c->raw[c->nraw++];
			memset(s, 0, sizeof *s);
			s->kind = xstrdup(kind);
			s->id = xstrdup(id);
		}
		s->source = src;
		s->line = e->line;
		struct rawkv *kv = NULL;
		for (size_t j = 0; j < s->nkv; j++)
			if (strcmp(s->kv[j].key, e->name) == 0)
				kv = &s->kv[j];
		if (kv == NULL) {
			s->kv = xreallocarray(s->kv, s->nkv + 1, sizeof *s->kv);
			kv = &s->kv[s->nkv++];
			kv->key = xstrdup(e->name);
			kv->value = NULL;
		}
		free(kv->value);
		kv->value = xstrdup(e->value);
		kv->source = src;
		kv->line = e->line;
	}
	envmap_free(&idx);
	buf_free(&k);
	return r;
}

static const struct rawkv *
raw_get(const struct rawsec *s, const char *k)
{
	for (size_t i = 0; i < s->nkv; i++)
		if (strcmp(s->kv[i].key, k) == 0)
			return &s->kv[i];
	return NULL;
}

static const char *
raw_str(const struct rawsec *s, const char *k)
{
	const struct rawkv *kv = raw_get(s, k);
	return kv && kv->value[0] ? kv->value : NULL;
}

/* Split a comma list into a NULL-terminated vector of trimmed items. */
static char **
split_list(const char *v, size_t *n)
{
	char **out = NULL;
	*n = 0;
	if (v == NULL)
		return NULL;
	const char *p = v;
	for (;;) {
		const char *c = strchr(p, ',');
		const char *e = c ? c : p + strlen(p);
		while (p < e && isspace((unsigned char)*p))
			p++;
		const char *t = e;
		while (t > p && isspace((unsigned char)t[-1]))
			t--;
		if (t > p) {
			out = xreallocarray(out, *n + 2, sizeof *out);
			out[(*n)++] = xstrndup(p, (size_t)(t - p));
			out[*n] = NULL;
		}
		if (c == NULL)
			break;
		p = c + 1;
	}
	return out;
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
bad(char **cause, const struct rawsec *s, const char *k, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
bad(char **cause, const struct rawsec *s, const char *k, const char *fmt, ...)
{
	const struct rawkv *kv = raw_get(s, k);
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	*cause = xasprintf("%s:%u: [%s %s] %s: %s",
	    kv ? kv->source : s->source, kv ? kv->line : s->line, s->kind,
	    s->id, k, m);
	free(m);
	return -1;
}

static int
valid_date(const char *d)
{
	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)d[i]))
			return 0;
	int m = (d[5] - '0') * 10 + (d[6] - '0');
	int day = (d[8] - '0') * 10 + (d[9] - '0');
	return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

static int
build_provider(struct catalog *c, const struct rawsec *s, char **cause)
{
	struct provider *p = &c->p[c->np];
	memset(p, 0, sizeof *p);
	p->id = s->id;
	p->name = raw_str(s, "name") ? raw_str(s, "name") : s->id;
	p->base_url = raw_str(s, "base_url");
	p->region = raw_str(s, "region");
	p->key_contains = raw_str(s, "key_contains");
	p->balance_path = raw_str(s, "balance_path");
	p->currency = raw_str(s, "currency");
	p->console = raw_str(s, "console");
	p->api = raw_str(s, "api") ? raw_str(s, "api") : "openai";
	p->source = s->source;
	p->line = s->line;
	if (p->base_url == NULL)
		return bad(cause, s, "base_url", "%s", "missing");
	struct url u;
	const char *why;
	if (url_parse(p->base_url, &u, &why) != 0)
		return bad(cause, s, "base_url", "not a URL: %s", why);
	int http = u.scheme && (strcmp(u.scheme, "https") == 0 ||
	    strcmp(u.scheme, "http") == 0);
	url_free(&u);
	if (!http)
		return bad(cause, s, "base_url", "%s", "must start with "
		    "https:// (or http://)");
	if (p->balance_path && p->balance_path[0] != '/')
		return bad(cause, s, "balance_path", "%s", "must start with /");
	if (strcmp(p->api, "openai") != 0 && strcmp(p->api, "anthropic") != 0
	    && strcmp(p->api, "gemini") != 0)
		return bad(cause, s, "api", "'%s' is not openai, anthropic "
		    "or gemini", p->api);
	p->max_concurrency = 1;
	const char *mc = raw_str(s, "max_concurrency");
	long v;
	if (mc != NULL) {
		if (parse_long(mc, 1, 64, &v) != 0)
			return bad(cause, s, "max_concurrency", "'%s' is not "
			    "a whole number from 1 to 64", mc);
		p->max_concurrency = (int)v;
	}
	p->siblings = split_list(raw_str(s, "siblings"), &p->nsiblings);
	p->key_prefixes = split_list(raw_str(s, "key_prefixes"),
	    &p->nkey_prefixes);
	p->base_paths = split_list(raw_str(s, "base_paths"),
	    &p->nbase_paths);
	c->np++;
	for (size_t i = 0; i < p->nbase_paths; i++)
		if (p->base_paths[i][0] != '/')
			return bad(cause, s, "base_paths", "'%s' does not "
			    "start with /", p->base_paths[i]);
	return 0;
}

static int
build_model(struct catalog *c, const struct rawsec *s, char **cause)
{
	struct model *m = &c->m[c->nm];
	memset(m, 0, sizeof *m);
	m->id = s->id;
	m->retired = raw_str(s, "retired");
	m->replacement = raw_str(s, "replacement");
	m->temperature = raw_str(s, "temperature");
	m->providers = split_list(raw_str(s, "provider"), &m->nproviders);
	c->nm++;
	if (m->nproviders == 0)
		return bad(cause, s, "provider", "%s", "missing");
	const char *ctx = raw_str(s, "context");
	if (ctx != NULL && parse_long(ctx, 0, 1L << 40, &m->context) != 0)
		return bad(cause, s, "context", "'%s' is not a whole number",
		    ctx);
	if (m->retired != NULL && !valid_date(m->retired) &&
	    strcmp(m->retired, "yes") != 0)
		return bad(cause, s, "retired", "'%s' is not a date "
		    "YYYY-MM-DD or yes", m->retired);
	size_t nt;
	char **t = split_list(m->temperature, &nt);
	for (size_t i = 0; i < nt; i++) {
		double d;
		if (i >= CATALOG_MAX_TEMPS || parse_seconds(t[i], 2.0, &d)
		    != 0) {
			free_list(t, nt);
			return bad(cause, s, "temperature", "'%s' is not a "
			    "list of up to 8 numbers from 0 to 2",
			    m->temperature);
		}
		m->temps[m->ntemps++] = d;
	}
	free_list(t, nt);
	return 0;
}

static void
build_kodus(struct catalog *c, const struct rawsec *s)
{
	struct kodus_rules *k = &c->kodus;
	k->claude = split_list(raw_str(s, "claude_models"), &k->nclaude);
	k->gemini = split_list(raw_str(s, "gemini_models"), &k->ngemini);
	k->temperature_one = split_list(raw_str(s, "temperature_one_models"),
	    &k->ntemperature_one);
	k->native_anthropic_host = raw_str(s, "native_anthropic_host");
	k->auto_helper_base_url = raw_str(s, "auto_helper_base_url");
}

/* An index for catalog_provider and catalog_model: the cross references
 * and the rules look ids up. */
static void
build_index(struct catalog *c)
{
	struct buf k;
	c->idx = xmalloc(sizeof *c->idx);
	envmap_init(c->idx);
	envmap_reserve(c->idx, c->np + c->nm);	/* no rehash while filling */
	buf_init(&k);
	for (size_t i = 0; i < c->np; i++) {
		raw_key(&k, "provider", c->p[i].id);
		if (envmap_get(c->idx, k.data, k.len) == NULL)
			envmap_set(c->idx, k.data, k.len, "", 0, i,
			    ENVMAP_COPY_KEY);
	}
	for (size_t i = 0; i < c->nm; i++) {
		raw_key(&k, "model", c->m[i].id);
		if (envmap_get(c->idx, k.data, k.len) == NULL)
			envmap_set(c->idx, k.data, k.len, "", 0, i,
			    ENVMAP_COPY_KEY);
	}
	buf_free(&k);
}

static int
load(struct catalog *c, char *const *extra, size_t n, const char *text,
    size_t len, char **cause)
{
	struct ini_doc d;

	memset(c, 0, sizeof *c);
	if (ini_load_text("built-in providers.ini", builtin_providers_ini,
	    strlen(builtin_providers_ini), &d, cause) != 0)
		return -1;
	int r = merge_doc(c, &d, cause);
	ini_doc_free(&d);
	for (size_t i = 0; r == 0 && i < n; i++) {
		char *why = NULL;
		if (ini_load_file(extra[i], &d, &why) != 0) {
			*cause = xasprintf("catalog %s", why);
			free(why);
			r = -1;
			break;
		}
		r = merge_doc(c, &d, cause);
		ini_doc_free(&d);
	}
	if (r == 0 && text != NULL) {
		char *why = NULL;
		if (ini_load_text("catalog text", text, len, &d, &why) != 0) {
			*cause = why;
			r = -1;
		} else {
			r = merge_doc(c, &d, cause);
			ini_doc_free(&d);
		}
	}
	if (r != 0)
		goto fail;

	c->p = xcalloc(c->nraw ? c->nraw : 1, sizeof *c->p);
	c->m = xcalloc(c->nraw ? c->nraw : 1, sizeof *c->m);
	for (size_t i = 0; i < c->nraw; i++) {
		const struct rawsec *s = &c->raw[i];
		if (strcmp(s->kind, "kodus") == 0) {
			build_kodus(c, s);
			continue;
		}
		r = strcmp(s->kind, "provider") == 0 ?
		    build_provider(c, s, cause) : build_model(c, s, cause);
		if (r != 0)
			goto fail;
	}
	build_index(c);
	if (c->kodus.auto_helper_base_url != NULL) {
		struct url u;
		const char *why;
		if (url_parse(c->kodus.auto_helper_base_url, &u, &why) != 0) {
			*cause = xasprintf("catalog: [kodus] "
			    "auto_helper_base_url: not a URL: %s", why);
			goto fail;
		}
		url_free(&u);
	}
	/* cross references */
	for (size_t i = 0; i < c->np; i++) {
		const struct provider *p = &c->p[i];
		for (size_t j = 0; j < p->nsiblings; j++) {
			if (catalog_provider(c, p->siblings[j]) == NULL) {
				*cause = xasprintf("%s:%u: [provider %s] "
				    "siblings: no provider '%s'", p->source,
				    p->line, p->id, p->siblings[j]);
				goto fail;
			}
		}
	}
	for (size_t i = 0; i < c->nm; i++) {
		const struct model *m = &c->m[i];
		for (size_t j = 0; j < m->nproviders; j++) {
			if (catalog_provider(c, m->providers[j]) == NULL) {
				*cause = xasprintf("catalog: [model %s] "
				    "provider: no provider '%s'", m->id,
				    m->providers[j]);
				goto fail;
			}
		}
		if (m->replacement && catalog_model(c, m->replacement) ==
		    NULL) {
			*cause = xasprintf("catalog: [model %s] replacement: "
			    "no model '%s'", m->id, m->replacement);
			goto fail;
		}
	}
	return 0;
fail:
	catalog_free(c);
	return -1;
}

int
catalog_load(struct catalog *c, char *const *extra, size_t n, char **cause)
{
	if (n == 0 && builtin_catalog.np > 0) {
		/* the compiled tables, checked when they were made */
		*c = builtin_catalog;
		build_index(c);
		return 0;
	}
	return load(c, extra, n, NULL, 0, cause);
}

int
catalog_load_parsed(struct catalog *c, char **cause)
{
	return load(c, NULL, 0, NULL, 0, cause);
}

int
catalog_load_text(struct catalog *c, const char *text, size_t len,
    char **cause)
{
	return load(c, NULL, 0, text, len, cause);
}

void
catalog_env_files(char ***v, size_t *n)
{
	const char *p = getenv("KODUS_ENVCHECK_CATALOG");
	while (p != NULL && *p != '\0') {
		size_t l = strcspn(p, ":");
		if (l > 0) {
			*v = xreallocarray(*v, *n + 1, sizeof **v);
			(*v)[(*n)++] = xstrndup(p, l);
		}
		p += l + (p[l] == ':');
	}
}

void
catalog_free(struct catalog *c)
{
	if (c->builtin) {
		/* the tables are not the heap's */
		if (c->idx != NULL)
			envmap_free(c->idx);
		free(c->idx);
		memset(c, 0, sizeof *c);
		return;
	}
	for (size_t i = 0; i < c->np; i++) {
		free_list(c->p[i].siblings, c->p[i].nsiblings);
		free_list(c->p[i].key_prefixes, c->p[i].nkey_prefixes);
		free_list(c->p[i].base_paths, c->p[i].nbase_paths);
	}
	free_list(c->kodus.claude, c->kodus.nclaude);
	free_list(c->kodus.gemini, c->kodus.ngemini);
	free_list(c->kodus.temperature_one, c->kodus.ntemperature_one);
	for (size_t i = 0; i < c->nm; i++)
		free_list(c->m[i].providers, c->m[i].nproviders);
	free(c->p);
	free(c->m);
	for (size_t i = 0; i < c->nraw; i++) {
		for (size_t j = 0; j < c->raw[i].nkv; j++) {
			free(c->raw[i].kv[j].key);
			free(c->raw[i].kv[j].value);
		}
		free(c->raw[i].kv);
		free(c->raw[i].kind);
		free(c->raw[i].id);
	}
	free(c->raw);
	for (size_t i = 0; i < c->nsources; i++)
		free(c->sources[i]);
	free(c->sources);
	if (c->idx != NULL)
		envmap_free(c->idx);
	free(c->idx);
	memset(c, 0, sizeof *c);
}

/* The first index of id among the providers (is_p) or models, through
 * the index; -1 when absent, -2 when there is no index. */
static long
indexed(const struct catalog *c, int is_p, const char *id)
{
	if (c->idx == NULL)
		return -2;
	size_t n = strlen(id);
	char small[128];
	char *k = n + 2 <= sizeof small ? small : xmalloc(n + 2);
	k[0] = is_p ? 'p' : 'm';
	memcpy(k + 1, id, n + 1);
	const struct envvar *x = envmap_get(c->idx, k, n + 1);
	if (k != small)
		free(k);
	return x ? (long)x->key_off : -1;
}

const struct provider *
catalog_provider(const struct catalog *c, const char *id)
{
	long x = indexed(c, 1, id);
	if (x != -2)
		return x >= 0 ? &c->p[x] : NULL;
	for (size_t i = 0; i < c->np; i++)
		if (strcmp(c->p[i].id, id) == 0)
			return &c->p[i];
	return NULL;
}

const struct model *
catalog_model(const struct catalog *c, const char *id)
{
	long x = indexed(c, 0, id);
	if (x != -2)
		return x >= 0 ? &c->m[x] : NULL;
	for (size_t i = 0; i < c->nm; i++)
		if (strcmp(c->m[i].id, id) == 0)
			return &c->m[i];
	return NULL;
}

int
model_has_provider(const struct model *m, const char *pid)
{
	for (size_t i = 0; i < m->nproviders; i++)
		if (strcmp(m->providers[i], pid) == 0)
			return 1;
	return 0;
}

int
provider_has_models(const struct catalog *c, const char *pid)
{
	for (size_t i = 0; i < c->nm; i++)
		if (model_has_provider(&c->m[i], pid))
			return 1;
	return 0;
}

int
provider_is_sibling(const struct provider *p, const char *sib)
{
	for (size_t i = 0; i < p->nsiblings; i++)
		if (strcmp(p->siblings[i], sib) == 0)
			return 1;
	return 0;
}

static size_t
path_prefix_len(const char *base, const char *path)
{
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	if (strncmp(base, path, n) == 0 && (path[n] == '\0' ||
	    path[n] == '/'))
		return n + 1;
	return 0;
}

const struct provider *
catalog_match_url(const struct catalog *c, const char *s)
{
	struct url u;
	const char *why;
	if (url_parse(s, &u, &why) != 0)
		return NULL;
	const struct provider *best = NULL, *any = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < c->np; i++) {
		struct url b;
		if (url_parse(c->p[i].base_url, &b, &why) != 0)
			continue;
		if (strcmp(b.host, u.host) == 0 && b.port == u.port) {
			if (any == NULL)
				any = &c->p[i];
			for (size_t j = 0; j <= c->p[i].nbase_paths; j++) {
				size_t l = path_prefix_len(j == 0 ? b.path :
				    c->p[i].base_paths[j - 1], u.path);
				if (l > best_len) {
					best_len = l;
					best = &c->p[i];
				}
			}
		}
		url_free(&b);
	}
	url_free(&u);
	return best ? best : any;
}

int
provider_key_matches(const struct provider *p, const char *key, size_t klen,
    size_t *plen)
{
	size_t best = 0;
	for (size_t i = 0; i < p->nkey_prefixes; i++) {
		size_t l = strlen(p->key_prefixes[i]);
		if (l <= klen && memcmp(key, p->key_prefixes[i], l) == 0 &&
		    l > best)
			best = l;
	}
	if (p->key_contains != NULL) {
		size_t l = strlen(p->key_contains);
		for (size_t i = 0; l > 0 && i + l <= klen; i++)
			if (memcmp(key + i, p->key_contains, l) == 0) {
				/* a marker inside the key is a strong sign */
				best = l + 16;
				break;
			}
	}
	*plen = best;
	return best > 0;
}

const struct provider *
catalog_match_key(const struct catalog *c, const char *key, size_t klen,
    size_t *plen, int *ambiguous)
{
	const struct provider *best = NULL;
	size_t bl = 0;
	*ambiguous = 0;
	for (size_t i = 0; i < c->np; i++) {
		size_t l;
		if (!provider_key_matches(&c->p[i], key, klen, &l))
			continue;
		if (l > bl) {
			bl = l;
			best = &c->p[i];
			*ambiguous = 0;
		} else if (l == bl)
			*ambiguous = 1;
	}
	*plen = bl;
	return best;
}

/* A path without its trailing slashes; "" for the root. */
static size_t
path_len(const char *p)
{
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	return n;
}

int
provider_serves_path(const struct provider *p, const char *path)
{
	size_t n = path_len(path);
	struct url b;
	const char *why;
	int ok = 0;
	if (url_parse(p->base_url, &b, &why) == 0) {
		ok = path_len(b.path) == n && strncmp(b.path, path, n) == 0;
		url_free(&b);
	}
	for (size_t i = 0; !ok && i < p->nbase_paths; i++)
		ok = path_len(p->base_paths[i]) == n &&
		    strncmp(p->base_paths[i], path, n) == 0;
	return ok;
}

int
model_gone(const struct model *m, const char *today)
{
	return m->retired != NULL && (strcmp(m->retired, "yes") == 0 ||
	    strcmp(m->retired, today) <= 0);
}

int
kodus_model_matches(char *const *prefixes, size_t n, const char *model,
    size_t len)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(prefixes[i]);
		if (l <= len && strncasecmp(model, prefixes[i], l) == 0)
			return 1;
	}
	return 0;
}

static int
word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

int
kodus_via_proxy(const struct catalog *c, const char *url, size_t len)
{
	if (len == 0)
		return 0;
	const char *h = c->kodus.native_anthropic_host;
	size_t hl = h ? strlen(h) : 0;
	if (hl == 0)
		return 1;
	for (size_t i = 0; i + hl <= len; i++) {
		if (i != 0 && (i < 2 || url[i - 1] != '/' || url[i - 2] != '/'))
			continue;
		if (strncasecmp(url + i, h, hl) == 0 && (i + hl == len ||
		    !word_char(url[i + hl])))
			return 0;
	}
	return 1;
}
