/* rules_template.c - compare with the template: every variable of the
 * installer's .env.example that no checked file sets (template-missing).
 * The required ones are required-missing's; the variables the template
 * does not know are unknown-variable's. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "secret.h"
#include "template.h"

static int
present(const struct lint *l, const char *name)
{
	for (size_t i = 0; i < l->nf; i++)
		if (l->f[i].env != NULL && envmap_getz(l->f[i].env, name))
			return 1;
	return 0;
}

void
rules_template(struct lint *l)
{
	struct tmpl t;
	char *cause = NULL;
	if (l->schema.example == NULL || l->nf == 0)
		return;
	if (template_read(l->schema.example, &t, &cause) != 0) {
		free(cause);	/* the schema has just read it */
		return;
	}
	struct lintfile *target = &l->f[l->primary];
	for (size_t i = 0; i < t.n; i++) {
		const struct tmplvar *v = &t.v[i];
		size_t nl = strlen(v->name);
		const struct schemavar *sv = schema_get(&l->schema, v->name,
		    nl);
		if (v->optional || present(l, v->name) || (sv != NULL &&
		    (sv->required || sv->req_if_name != NULL)))
			continue;
		int secret = (sv != NULL && sv->secret) ||
		    secret_name(v->name, nl);
		char *hint;
		if (secret)
			hint = xasprintf("a secret: generate one, e.g. %s",
			    sv != NULL && sv->format != NULL &&
			    strcmp(sv->format, "base64-32") == 0 ?
			    "openssl rand -base64 32" : "openssl rand -hex 32");
		else
			hint = lint_hint_line(l, v->name, nl, v->value,
			    strlen(v->value));
		lint_report(l, target, SIZE_MAX, R_TEMPLATE_MISSING, SEV_INFO,
		    SIZE_MAX, v->name, nl, hint, "%s is in the template (%s) "
		    "and not set; kodus-envcheck fix --add-missing adds it",
		    v->name, l->schema.example);
		free(hint);
	}
	template_free(&t);
}
