/* check_compose.c - check's view of a compose project: the environment
 * each Kodus service that reads the LLM block (api, worker,
 * worker-analytics when its profile is on) really receives, compared
 * with the api's. A separate step after lint_run: it adds findings that
 * point at the line that set the value, in the .env or the compose file. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_compose.h"
#include "compose.h"
#include "secret.h"

static int
same_file(const char *a, const char *b)
{
	while (a[0] == '.' && a[1] == '/')
		a += 2;
	while (b[0] == '.' && b[1] == '/')
		b += 2;
	return strcmp(a, b) == 0;
}

static const struct envvar *
final_var(const struct compose_service *s, const char *k, size_t kl,
    const struct corigin **o)
{
	const struct envvar *v = envmap_get(&s->env, k, kl);
	if (v == NULL)
		return NULL;
	*o = &s->orig[v - s->env.v];
	return (*o)->removed ? NULL : v;
}

static void
drift(struct lint *l, const struct compose_service *api,
    const struct compose_service *w, const struct envmap *keys)
{
	for (size_t i = 0; i < keys->n; i++) {
		const char *k = keys->v[i].key;
		size_t kl = keys->v[i].klen;
		const struct corigin *ao = NULL, *wo = NULL;
		const struct envvar *a = final_var(api, k, kl, &ao);
		const struct envvar *b = final_var(w, k, kl, &wo);
		if (a == NULL && b == NULL)
			continue;
		if (a != NULL && b != NULL && a->vlen == b->vlen &&
		    memcmp(a->val, b->val, a->vlen) == 0)
			continue;
		char *as = a ? lint_show(l, k, kl, a->val, a->vlen) :
		    xstrdup("(not set)");
		char *bs = b ? lint_show(l, k, kl, b->val, b->vlen) :
		    xstrdup("(not set)");
		/* at the line that makes the worker differ: its own, else
		 * the api's */
		const struct corigin *at = wo != NULL ? wo : ao;
		char *msg = xasprintf("service %s receives '%s', service %s "
		    "'%s' (%s:%u): reviews run in the worker with another LLM "
		    "setup than the API checks", w->name, bs, api->name, as,
		    ao ? ao->file : api->file, ao ? ao->line : api->line);
		if (!lint_ignored(l, R_API_WORKER_DRIFT))
			diag_add(&l->diags, R_API_WORKER_DRIFT, SEV_ERROR,
			    at ? at->file : w->file, (size_t)-1,
			    at ? at->line : w->line, at ? at->col : 1, k, kl,
			    NULL, msg);
		free(msg);
		free(as);
		free(bs);
	}
}

static int
is_llm(const struct lint *l, const char *k, size_t kl)
{
	const struct schemavar *sv = schema_get(&l->schema, k, kl);
	return sv != NULL && sv->llm;
}

/* Does the api container get another LLM block than the checked file
 * says? */
static int
llm_differs(const struct lint *l, const struct compose_service *api,
    const struct envmap *file)
{
	for (size_t i = 0; i < api->env.n; i++) {
		const struct envvar *v = &api->env.v[i];
		if (!is_llm(l, v->key, v->klen))
			continue;
		const struct envvar *f = envmap_get(file, v->key, v->klen);
		if (api->orig[i].removed ? f != NULL : f == NULL ||
		    f->vlen != v->vlen || memcmp(f->val, v->val, v->vlen) != 0)
			return 1;
	}
	for (size_t i = 0; i < file->n; i++) {
		const struct envvar *f = &file->v[i];
		if (is_llm(l, f->key, f->klen) &&
		    envmap_get(&api->env, f->key, f->klen) == NULL)
			return 1;
	}
	return 0;
}

/* The LLM rules on what the api container receives, in place of their
 * findings on the file alone; the live check then uses that setup too. */
static void
llm_rules_on_api(struct lint *l, const struct compose_service *api)
{
	/* the final environment as an env file docker run reads literally;
	 * a value with a newline cannot be written so and is left out */
	struct buf text;
	buf_init(&text);
	for (size_t i = 0; i < api->env.n; i++) {
		const struct envvar *v = &api->env.v[i];
		if (api->orig[i].removed || v->klen == 0 ||
		    memchr(v->val, '\n', v->vlen) != NULL ||
		    strcspn(v->key, "= \t\n#") != v->klen)
			continue;
		buf_add(&text, v->key, v->klen);
		buf_addc(&text, '=');
		buf_add(&text, v->val, v->vlen);
		buf_addc(&text, '\n');
	}
	struct lint sub;
	struct lintopts o = l->opt;
	char *cause = NULL;
	o.schema_path = strcmp(l->schema_note, "built-in") != 0 ?
	    l->schema_note : NULL;
	o.no_auto_schema = 1;
	if (lint_init(&sub, &o, &cause) != 0) {
		free(cause);
		buf_wipe(&text);
		return;
	}
	lint_add_text(&sub, api->name, text.data ? text.data : "", text.len);
	sub.f[0].env_from = DIALECT_DOCKER;
	if (!sub.f[0].dia[DIALECT_DOCKER].ok ||
	    lint_run(&sub, &cause) != 0) {
		free(cause);
		lint_free(&sub);
		buf_wipe(&text);
		return;
	}
	/* drop the file's LLM findings ... */
	size_t k = 0;
	for (size_t i = 0; i < l->diags.n; i++) {
		struct diag *d = &l->diags.v[i];
		/* its strings stay with the list until diaglist_free */
		if (strcmp(rule_table[d->rid].group, "llm") == 0)
			continue;
		l->diags.v[k++] = *d;
	}
	l->diags.n = k;
	/* ... for the api's, at the lines that set the values */
	struct buf scratch;
	buf_init(&scratch);
	for (size_t i = 0; i < sub.diags.n; i++) {
		const struct diag *d = &sub.diags.v[i];
		if (strcmp(rule_table[d->rid].group, "llm") != 0)
			continue;
		const char *file = api->file;
		unsigned line = api->line, col = 1;
		const struct envvar *v = d->key ? envmap_getz(&api->env,
		    d->key) : NULL;
		if (v != NULL) {
			const struct corigin *o2 = &api->orig[v - api->env.v];
			file = o2->file;
			line = o2->line;
			col = o2->col;
		}
		char *msg = xasprintf("service %s: %s", api->name,
		    diag_message(d, &scratch));
		diag_add(&l->diags, d->rid, d->sev, file, (size_t)-1, line,
		    col, d->key, d->key ? strlen(d->key) : 0, d->hint, msg);
		free(msg);
	}
	buf_wipe(&scratch);
	fixedmode_free(&l->fm);
	l->fm = sub.fm;
	memset(&sub.fm, 0, sizeof sub.fm);
	lint_free(&sub);
	buf_wipe(&text);
}

/* The notes of what the model did not follow, as findings: a note
 * "FILE:LINE: what" at that line, any other about the first file. */
static void
not_followed(struct lint *l, const struct compose_project *p)
{
	if (lint_ignored(l, R_COMPOSE_NOT_FOLLOWED))
		return;
	for (size_t i = 0; i < p->nnotes; i++) {
		const char *n = p->notes[i];
		const char *file = p->nfiles > 0 ? p->files[0] : NULL;
		unsigned line = 0;
		const char *msg = n;
		for (size_t f = 0; f < p->nfiles; f++) {
			size_t len = strlen(p->files[f]);
			if (strncmp(n, p->files[f], len) != 0 || n[len] != ':')
				continue;
			const char *q = n + len + 1;
			unsigned v = 0;
			while (*q >= '0' && *q <= '9' && v < 10000000)
				v = v * 10 + (unsigned)(*q++ - '0');
			if (q[0] == ':' && q[1] == ' ') {
				file = p->files[f];
				line = v;
				msg = q + 2;
			} else if (n[len + 1] == ' ') {
				file = p->files[f];
				msg = n + len + 2;
			}
			break;
		}
		diag_add(&l->diags, R_COMPOSE_NOT_FOLLOWED, SEV_INFO, file,
		    (size_t)-1, line, line ? 1 : 0, NULL, 0, NULL, msg);
	}
}

int
check_compose(struct lint *l, const struct compose_opts *co, char **cause)
{
	struct compose_project p;
	char *why = NULL, *refused = NULL;
	int rc = compose_load(&p, co, &why, &refused);
	if (rc == COMPOSE_NONE)
		return 0;
	if (rc == COMPOSE_REFUSED) {
		/* a file the lint reads: its refusal is a finding already */
		for (size_t i = 0; i < l->nf; i++)
			if (same_file(l->f[i].path, refused)) {
				free(why);
				free(refused);
				compose_free(&p);
				return 0;
			}
	}
	if (rc != COMPOSE_OK) {
		*cause = why;
		free(refused);
		compose_free(&p);
		return -1;
	}
	not_followed(l, &p);
	const struct compose_service *api = NULL;
	for (size_t i = 0; i < p.nsvc && api == NULL; i++)
		if (p.svc[i].role == KODUS_API && p.svc[i].active)
			api = &p.svc[i];
	if (api != NULL && l->nf > 0 && l->f[l->primary].env != NULL &&
	    llm_differs(l, api, l->f[l->primary].env))
		llm_rules_on_api(l, api);
	for (size_t i = 0; api != NULL && i < p.nsvc; i++) {
		const struct compose_service *w = &p.svc[i];
		if (!w->active || (w->role != KODUS_WORKER &&
		    w->role != KODUS_WORKER_ANALYTICS))
			continue;
		/* the LLM block's names in either service */
		struct envmap keys;
		envmap_init(&keys);
		for (int pass = 0; pass < 2; pass++) {
			const struct envmap *m = pass ? &w->env : &api->env;
			for (size_t j = 0; j < m->n; j++) {
				const struct schemavar *sv = schema_get(
				    &l->schema, m->v[j].key, m->v[j].klen);
				if (sv != NULL && sv->llm)
					envmap_set(&keys, m->v[j].key,
					    m->v[j].klen, "", 0, 0, 0);
			}
		}
		drift(l, api, w, &keys);
		envmap_free(&keys);
	}
	diag_sort(&l->diags);
	compose_free(&p);
	return 0;
}
