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
		diag_add(&l->diags, "api-worker-drift", SEV_ERROR,
		    at ? at->file : w->file, (size_t)-1,
		    at ? at->line : w->line, at ? at->col : 1, k, kl, NULL,
		    msg);
		free(msg);
		free(as);
		free(bs);
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
	const struct compose_service *api = NULL;
	for (size_t i = 0; i < p.nsvc && api == NULL; i++)
		if (p.svc[i].role == KODUS_API && p.svc[i].active)
			api = &p.svc[i];
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
