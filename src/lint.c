/* lint.c - running the rules over the files of one check. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lint.h"
#include "secret.h"
#include "url.h"

extern char **environ;

int
lint_init(struct lint *l, const struct lintopts *o, char **cause)
{
	memset(l, 0, sizeof *l);
	l->opt = *o;
	for (size_t i = 0; i < o->nignore; i++) {
		enum rule_id r;
		if (rule_find(o->ignore[i], strlen(o->ignore[i]), &r) == 0)
			l->ignored[r] = 1;
	}
	if (catalog_load(&l->cat, o->catalogs, o->ncatalogs, cause) != 0)
		return -1;
	if (schema_load_builtin(&l->schema, cause) != 0) {
		catalog_free(&l->cat);
		return -1;
	}
	environ_to_map(&l->penv);
	return 0;
}

#define NAME_TAGGED	(1u << 24)	/* fewer entries: slots have tags */

/* The slot of a name in lf->names: its own, or the empty one where it
 * goes. */
static uint32_t *
name_slot(const struct lintfile *lf, const char *key, size_t klen)
{
	uint64_t h = envmap_hash(key, klen);
	size_t mask = lf->nslots - 1, i = (size_t)h & mask;
	int tagged = lf->lex.nentries < NAME_TAGGED - 1;
	uint32_t tag = tagged ? (uint32_t)(h >> 56) << 24 : 0;
	uint32_t low = tagged ? NAME_TAGGED - 1 : UINT32_MAX;
	for (;;) {
		uint32_t *s = &lf->names[i];
		if (*s == 0)
			return s;
		if ((*s & ~low) == tag) {
			const struct entry *e = &lf->lex.entries[(*s & low) - 1];
			if (e->key_len == klen && memcmp(lf->data.data +
			    e->key_off, key, klen) == 0)
				return s;
		}
		i = (i + 1) & mask;
	}
}

/* The lexer, the per-entry flags, and the index from a name to the last
 * entry that sets it: 4 bytes a slot, at most three quarters full (a
 * struct envmap took 40 bytes a name more). */
static void
index_entries(struct lintfile *lf)
{
	envfile_lex(&lf->lex, lf->data.data, lf->data.len);
	size_t n = lf->lex.nentries;
	lf->flagged = xcalloc(n ? n : 1, 1);
	lf->nslots = 16;
	while (lf->nslots / 4 * 3 < n)
		lf->nslots *= 2;
	lf->names = xcalloc(lf->nslots, sizeof *lf->names);
	int tagged = n < NAME_TAGGED - 1;
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &lf->lex.entries[i];
		const char *k = lf->data.data + e->key_off;
		uint32_t *s = name_slot(lf, k, e->key_len);
		if (*s == 0)
			lf->nnames++;
		*s = (uint32_t)(i + 1);
		if (tagged)
			*s |= (uint32_t)(envmap_hash(k, e->key_len) >> 56) <<
			    24;
	}
}

static void
evaluate(struct lint *l, struct lintfile *lf)
{
	lf->project_env = !l->opt.env_file_only &&
	    dialect_is_project_env(lf->path);
	/* the lexer first: its count of names sizes the readers' maps */
	index_entries(lf);
	size_t keys = lf->nnames;
	for (int d = 0; d < DIALECT_COUNT; d++)
		if (d == DIALECT_COMPOSE && lf->project_env) {
			dialect_eval_project_sized(lf->data.data,
			    lf->data.len, env_lookup_map, &l->penv, keys,
			    &lf->dia[d]);
			dialect_eval_sized(DIALECT_COMPOSE, lf->data.data,
			    lf->data.len, env_lookup_map, &l->penv, keys,
			    &lf->plain);
		} else
			dialect_eval_sized((enum dialect)d, lf->data.data,
			    lf->data.len, env_lookup_map, &l->penv, keys,
			    &lf->dia[d]);
	/* Node never refuses, so some reader always gives values; lf->env
	 * is pointed at them in lint_run, once l->f no longer moves. */
	static const enum dialect pref[] = {
		DIALECT_COMPOSE, DIALECT_DOCKER, DIALECT_NODE
	};
	for (size_t i = 0; i < 3; i++) {
		if (lf->dia[pref[i]].ok) {
			lf->env_from = pref[i];
			break;
		}
	}
}

static struct lintfile *
new_file(struct lint *l)
{
	l->f = xreallocarray(l->f, l->nf + 1, sizeof *l->f);
	struct lintfile *lf = &l->f[l->nf];
	memset(lf, 0, sizeof *lf);
	lf->index = l->nf++;
	return lf;
}

static void
add_data(struct lint *l, const char *name, const char *role,
    struct buf data)
{
	struct lintfile *lf = new_file(l);
	lf->path = xstrdup(name);
	lf->role = role;
	lf->data = data;
	if (role && strcmp(role, "api") == 0)
		l->have_api = 1;
	if (role && strcmp(role, "worker") == 0)
		l->have_worker = 1;
	evaluate(l, lf);
}

int
lint_add_file(struct lint *l, const char *path, const char *role,
    char **cause)
{
	struct buf data;
	char *why = NULL;
	const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
	oom_context(shown);
	if (read_file(path, &data, &why) != 0) {
		*cause = xasprintf("%s: %s", shown, why);
		free(why);
		return -1;
	}
	add_data(l, shown, role, data);
	/* Past a limit of the interpolation the file cannot be judged. */
	struct lintfile *lf = &l->f[l->nf - 1];
	const struct dialect_result *c = &lf->dia[DIALECT_COMPOSE];
	if (!c->ok && c->limit) {
		unsigned line, col;
		textpos_at(&lf->lex.tp, c->err_off, &line, &col);
		*cause = xasprintf("%s:%u:%u: %s", shown, line, col, c->error);
		return -1;
	}
	return 0;
}

void
lint_add_text(struct lint *l, const char *name, const char *text,
    size_t len)
{
	struct buf data;
	buf_init(&data);
	buf_add(&data, text, len);
	add_data(l, name, NULL, data);
}

void
lint_add_environ(struct lint *l)
{
	struct lintfile *lf = new_file(l);
	lf->path = xstrdup("environ");
	lf->is_environ = 1;
	/* The environment as an .env text, one NAME=value a line, so every
	 * value rule applies; values with a newline cannot be written that
	 * way and are checked from the map only. */
	buf_init(&lf->data);
	for (char **e = environ; e != NULL && *e != NULL; e++)
		if (strchr(*e, '\n') == NULL) {
			buf_addstr(&lf->data, *e);
			buf_addc(&lf->data, '\n');
		}
	if (lf->data.data == NULL)
		buf_reserve(&lf->data, 0);
	index_entries(lf);
	/* What the program gets is the environment itself. */
	lf->env_from = DIALECT_DOCKER;
}

/* seen: a map already remembered, or NULL. A name with the same value
 * there was judged then: the four readings agree on most names, and
 * secret_name and the schema lookup were most of the cost. */
static void
remember_map(const struct lint *l, const struct envmap *m,
    const struct envmap *seen)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct envvar *v = &m->v[i];
		const struct envvar *o = seen != NULL ? envmap_get(seen,
		    v->key, v->klen) : NULL;
		if (o != NULL && o->vlen == v->vlen && (o->val == v->val ||
		    memcmp(o->val, v->val, v->vlen) == 0))
			continue;
		/* a key-shaped word elsewhere is masked on its own */
		if (lint_is_secret(l, v->key, v->klen) &&
		    lint_is_placeholder(v->val, v->vlen) != 1)
			secret_remember(v->val, v->vlen);
	}
}

/* Every secret value of the run, as each reader sees it, for the output
 * path to mask wherever it shows up (secret.h); the key first. */
static void
remember_secrets(const struct lint *l)
{
	if (l->fm.key != NULL)
		secret_remember(l->fm.key, l->fm.key_len);
	for (size_t i = 0; i < l->nf; i++) {
		const struct lintfile *lf = &l->f[i];
		if (lf->is_environ) {
			remember_map(l, &l->penv, NULL);
			continue;
		}
		for (int d = 0; d < DIALECT_COUNT; d++)
			remember_map(l, &lf->dia[d].env,
			    d > 0 ? &lf->dia[0].env : NULL);
	}
}

/* A URL variable that is not a URL is said twice: by the schema's type
 * check (type-mismatch) and by the variable's own rule (base-url-scheme,
 * webhook-url, rabbitmq-uri), which names what is wrong or what Kodus
 * needs. One finding for one mistake: such a type-mismatch goes where the
 * own rule has an error at the same place and the value does not parse as
 * a URL with a scheme (the own rules' other errors are about a URL the
 * type check accepts; their warnings never replace an error). The first
 * COVER_MAX such places are looked at; past them both findings stay. */
#define COVER_MAX 64

struct place {
	uint32_t file;
	unsigned line, col;
};

static int
same_place(const struct place *at, size_t n, const struct diag *d)
{
	for (size_t i = 0; i < n; i++)
		if (at[i].file == d->file_index && at[i].line == d->line &&
		    at[i].col == d->col)
			return 1;
	return 0;
}

/* Does the variable of finding d hold a URL with a scheme (or cannot it
 * be told)? */
static int
has_url(const struct lint *l, const struct diag *d)
{
	if (d->key == NULL || d->file_index >= l->nf ||
	    l->f[d->file_index].env == NULL)
		return 1;
	const struct envvar *v = envmap_getz(l->f[d->file_index].env,
	    d->key);
	if (v == NULL)
		return 1;
	char *z = xstrndup(v->val, v->vlen);
	struct url u;
	const char *why;
	int ok = url_parse(z, &u, &why) == 0;
	if (ok) {
		ok = u.scheme != NULL;
		url_free(&u);
	}
	free(z);
	return ok;
}

static void
drop_covered(struct lint *l)
{
	struct diaglist *dl = &l->diags;
	struct place at[COVER_MAX];
	size_t nat = 0;
	for (size_t i = 0; i < dl->n && nat < COVER_MAX; i++) {
		const struct diag *d = &dl->v[i];
		if ((d->rid == R_BASE_URL_SCHEME || d->rid == R_WEBHOOK_URL ||
		    d->rid == R_RABBITMQ_URI) && d->sev == SEV_ERROR &&
		    d->line != 0)
			at[nat++] = (struct place){ d->file_index, d->line,
			    d->col };
	}
	if (nat == 0)
		return;
	size_t k = 0;
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->v[i];
		if (d->rid == R_TYPE_MISMATCH && d->sev == SEV_ERROR &&
		    same_place(at, nat, d) && !has_url(l, d))
			continue;
		dl->v[k++] = *d;
	}
	dl->n = k;
}

int
lint_run(struct lint *l, char **cause)
{
	/* Which schema: --schema, else a .env.example beside the first
	 * checked file, else the built-in one. */
	const char *example = l->opt.schema_path;
	char *found = NULL;
	if (example == NULL && !l->opt.no_auto_schema) {
		for (size_t i = 0; i < l->nf && found == NULL; i++) {
			if (l->f[i].is_environ ||
			    strcmp(l->f[i].path, "<stdin>") == 0)
				continue;
			char *dir = path_dir(l->f[i].path);
			char *cand = xasprintf("%s/.env.example", dir);
			free(dir);
			struct stat st;
			if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
			    strcmp(cand, l->f[i].path) != 0)
				found = cand;
			else
				free(cand);
		}
		example = found;
		l->schema_auto = found != NULL;
	}
	if (example != NULL) {
		if (schema_load_example(&l->schema, example, cause) != 0) {
			free(found);
			return -1;
		}
		l->schema_note = xstrdup(example);
	} else
		l->schema_note = xstrdup("built-in");
	free(found);

	for (size_t i = 0; i < l->nf; i++)
		l->f[i].env = l->f[i].is_environ ? &l->penv :
		    &l->f[i].dia[l->f[i].env_from].env;

	l->primary = 0;
	for (size_t i = 0; i < l->nf; i++)
		if (l->f[i].role && strcmp(l->f[i].role, "api") == 0) {
			l->primary = i;
			break;
		}
	if (l->nf > 0 && l->f[l->primary].env != NULL)
		fixedmode_resolve(l->f[l->primary].env, &l->cat, &l->fm);

	remember_secrets(l);
	for (size_t i = 0; i < l->nf; i++)
		rules_file(l, &l->f[i]);
	/* reads what the rules above said of each entry */
	for (size_t i = 0; i < l->nf; i++)
		rules_file_mismatch(l, &l->f[i]);
	/* The rules below read only lf->env: the other readings' values
	 * go (their ok and error stay), so that the findings to come do
	 * not pile up on four maps of every name. */
	for (size_t i = 0; i < l->nf; i++) {
		struct lintfile *lf = &l->f[i];
		for (int d = 0; d < DIALECT_COUNT && !lf->is_environ; d++)
			if (lf->env != &lf->dia[d].env) {
				envmap_free(&lf->dia[d].env);
				buf_wipe(&lf->dia[d].keep);
			}
		if (lf->project_env) {
			envmap_free(&lf->plain.env);
			buf_wipe(&lf->plain.keep);
		}
	}
	rules_kodus(l);
	rules_template(l);
	rules_llm(l);
	drop_covered(l);
	diag_sort(&l->diags);
	return 0;
}

void
lint_free(struct lint *l)
{
	for (size_t i = 0; i < l->nf; i++) {
		struct lintfile *lf = &l->f[i];
		for (int d = 0; d < DIALECT_COUNT; d++)
			if (!lf->is_environ)
				dialect_result_free(&lf->dia[d]);
		if (lf->project_env)
			dialect_result_free(&lf->plain);
		envfile_free(&lf->lex);
		free(lf->names);
		buf_wipe(&lf->data);
		free(lf->flagged);
		free(lf->path);
	}
	free(l->f);
	catalog_free(&l->cat);
	schema_free(&l->schema);
	envmap_free(&l->penv);
	fixedmode_free(&l->fm);
	diaglist_free(&l->diags);
	free(l->schema_note);
	memset(l, 0, sizeof *l);
}

int
lint_ignored(const struct lint *l, enum rule_id rule)
{
	return l->ignored[rule];
}

void
lint_mark(struct lintfile *lf, size_t entry)
{
	if (entry < lf->lex.nentries && lf->flagged[entry] == 0)
		lf->flagged[entry] = 1;
}

unsigned
lint_said(const struct lintfile *lf, size_t entry)
{
	return entry < lf->lex.nentries ? lf->flagged[entry] : 0;
}

static void
vreport(struct lint *l, struct lintfile *lf, size_t entry,
    enum rule_id rule, enum severity sev, size_t off, const char *key,
    size_t klen, const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 10, 0)));

static void
vreport(struct lint *l, struct lintfile *lf, size_t entry,
    enum rule_id rule, enum severity sev, size_t off, const char *key,
    size_t klen, const char *hint, const char *fmt, va_list ap)
{
	unsigned line = 0, col = 0;
	/* the environment has names, not lines */
	if (lf != NULL && off != SIZE_MAX && !lf->is_environ)
		textpos_at(&lf->lex.tp, off, &line, &col);
	/* A silenced finding still counts as said for its entry, so that
	 * dialect-mismatch does not repeat it in other words. */
	if (lf != NULL && entry != SIZE_MAX && entry < lf->lex.nentries &&
	    lf->flagged[entry] < sev + 1)
		lf->flagged[entry] = (unsigned char)(sev + 1);
	if (l->ignored[rule])
		return;
	if (lf != NULL && line > 0 &&
	    envfile_ignored(&lf->lex, line, rule_name(rule)))
		return;
	if (lf == NULL || !lf->is_environ || key == NULL || klen == 0) {
		diag_vaddf(&l->diags, rule, sev, lf ? lf->path : NULL,
		    lf ? lf->index : (size_t)-1, line, col, key, klen, hint,
		    fmt, ap);
		return;
	}
	char *msg = xvasprintf(fmt, ap);
	if (strncmp(msg, key, klen) != 0) {
		/* no lines to point at: say which variable */
		char *k = display_text(key, klen, 100);
		char *m = xasprintf("%s: %s", k, msg);
		free(k);
		free(msg);
		msg = m;
	}
	diag_add(&l->diags, rule, sev, lf->path, lf->index, line, col, key,
	    klen, hint, msg);
	free(msg);
}

void
lint_report(struct lint *l, struct lintfile *lf, size_t entry,
    enum rule_id rule, enum severity sev, size_t off, const char *key,
    size_t klen, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(l, lf, entry, rule, sev, off, key, klen, hint, fmt, ap);
	va_end(ap);
}

void
lint_vvar(struct lint *l, struct lintfile *lf, enum rule_id rule,
    enum severity sev, const char *var, const char *hint, const char *fmt,
    va_list ap)
{
	size_t vl = var ? strlen(var) : 0;
	vreport(l, lf, var ? lint_entry_for(lf, var, vl) : SIZE_MAX, rule, sev,
	    var ? lint_value_off(lf, var, vl) : SIZE_MAX, var, vl, hint, fmt,
	    ap);
}

void
lint_var(struct lint *l, struct lintfile *lf, enum rule_id rule,
    enum severity sev, const char *var, const char *hint, const char *fmt,
    ...)
{
	va_list ap;
	va_start(ap, fmt);
	lint_vvar(l, lf, rule, sev, var, hint, fmt, ap);
	va_end(ap);
}

int
lint_is_secret(const struct lint *l, const char *key, size_t klen)
{
	const struct schemavar *v = schema_get(&l->schema, key, klen);
	return secret_name(key, klen) || (v != NULL && v->secret);
}

char *
lint_show(const struct lint *l, const char *key, size_t klen,
    const char *val, size_t vlen)
{
	if (lint_is_secret(l, key, klen))
		return secret_mask(val, vlen);
	/* a key-shaped word, a remembered secret or a URL's password in
	 * another variable: masked where it stands; a URL variable's value
	 * as a URL even without a scheme */
	const struct schemavar *sv = schema_get(&l->schema, key, klen);
	size_t hl;
	char *u = NULL;
	if ((sv != NULL && sv->type == VT_URL) || (klen >= 4 &&
	    (memcmp(key + klen - 4, "_URL", 4) == 0 ||
	    memcmp(key + klen - 4, "_URI", 4) == 0))) {
		u = secret_url(val, vlen, &vlen);
		val = u;
	}
	char *h = secret_hide(val, vlen, &hl);
	free(u);
	char *r = display_text(h, hl, 80);
	free(h);
	return r;
}

char *
lint_hint_line(const struct lint *l, const char *key, size_t klen,
    const char *val, size_t vlen)
{
	char *k = display_text(key, klen, 200);
	char *v = lint_show(l, key, klen, val, vlen);
	struct buf h;
	buf_init(&h);
	buf_addstr(&h, k);
	buf_addc(&h, '=');
	buf_addstr(&h, v);
	free(k);
	free(v);
	return buf_steal(&h);
}

size_t
lint_entry_for(const struct lintfile *lf, const char *key, size_t klen)
{
	if (lf->nslots == 0)
		return SIZE_MAX;
	uint32_t s = *name_slot(lf, key, klen);
	if (s == 0)
		return SIZE_MAX;
	return (s & (lf->lex.nentries < NAME_TAGGED - 1 ? NAME_TAGGED - 1 :
	    UINT32_MAX)) - 1;
}

size_t
lint_value_off(const struct lintfile *lf, const char *key, size_t klen)
{
	size_t i = lint_entry_for(lf, key, klen);
	if (i == SIZE_MAX)
		return SIZE_MAX;
	const struct entry *e = &lf->lex.entries[i];
	return e->delim ? e->val_off : e->key_off;
}

size_t
lint_nentries(const struct lintfile *lf)
{
	return lf->lex.nentries;
}

const struct entry *
lint_entry(const struct lintfile *lf, size_t i)
{
	return &lf->lex.entries[i];
}

const struct dialect_result *
lint_reading(const struct lintfile *lf, enum dialect d)
{
	return &lf->dia[d];
}

size_t
lint_key_off(const struct lintfile *lf, const char *key, size_t klen)
{
	size_t i = lint_entry_for(lf, key, klen);
	return i == SIZE_MAX ? SIZE_MAX : lf->lex.entries[i].key_off;
}

unsigned
lint_line(struct lintfile *lf, size_t off)
{
	unsigned line, col;
	textpos_at(&lf->lex.tp, off, &line, &col);
	return line;
}

static const char *const placeholders[] = {
	"changeme", "change-me", "change_me", "replaceme", "replace-me",
	"replace_me", "placeholder", "todo", "fixme", "secret", "password",
	"123456", "xxx", NULL
};

int
lint_is_placeholder(const char *v, size_t n)
{
	if (n == 0)
		return 0;
	char low[64];
	if (n < sizeof low) {
		for (size_t i = 0; i < n; i++)
			low[i] = (char)tolower((unsigned char)v[i]);
		low[n] = '\0';
		for (size_t i = 0; placeholders[i] != NULL; i++)
			if (strcmp(low, placeholders[i]) == 0)
				return 1;
		if (strncmp(low, "your-", 5) == 0 ||
		    strncmp(low, "your_", 5) == 0 ||
		    strncmp(low, "<your", 5) == 0)
			return 1;
		if (n >= 3 && strspn(low, "x") == n)
			return 1;
	}
	if (n >= 2 && n < 64 && v[0] == '<' && v[n - 1] == '>')
		return 1;
	if (n >= 3 && memcmp(v + n - 3, "...", 3) == 0)
		return 2;
	if (n >= 3 && memcmp(v + n - 3, "\xE2\x80\xA6", 3) == 0)
		return 2;
	if (memmem(v, n, "xxxx", 4) != NULL || memmem(v, n, "XXXX", 4) != NULL)
		return 2;
	return 0;
}
