/* rules_kodus.c - the Kodus schema: required variables, types, the
 * secret formats the installer generates, legacy names, webhooks, the
 * RabbitMQ URI, and api/worker drift. The installer's own scripts check
 * some of these; none of them checks what the rules in rules_llm.c do. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "url.h"

#define NONE ((size_t)-1)

/* The first file that sets name to a non-empty value. */
static const struct envvar *
find_set(const struct lint *l, const char *name, size_t nl,
    struct lintfile **where)
{
	for (size_t i = 0; i < l->nf; i++) {
		struct lintfile *lf = &l->f[i];
		if (lf->env == NULL)
			continue;
		const struct envvar *v = envmap_get(lf->env, name, nl);
		if (v != NULL && v->vlen > 0) {
			if (where)
				*where = lf;
			return v;
		}
	}
	return NULL;
}

static int
all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A number as JavaScript reads one (parseFloat reading it all): 100,
 * 0.7, -1, .5, 1e0. */
static int
valid_number(const char *s, size_t n)
{
	double d;
	return n > 0 && (s[0] == '-' || s[0] == '+' || s[0] == '.' ||
	    isdigit((unsigned char)s[0])) && js_parse_float(s, n, &d) == n &&
	    isfinite(d);
}

static int
valid_email(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	if (at == NULL || at == s || memchr(at + 1, '@', n - (size_t)(at -
	    s) - 1) != NULL)
		return 0;
	const char *dom = at + 1;
	size_t dl = n - (size_t)(dom - s);
	const char *dot = memchr(dom, '.', dl);
	if (dot == NULL || dot == dom || dot == dom + dl - 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ')
			return 0;
	return 1;
}

static int
valid_cron(const char *s, size_t n)
{
	int fields = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		size_t st = i;
		while (i < n && s[i] != ' ') {
			char c = s[i];
			if (!isalnum((unsigned char)c) && strchr("*/,?#-", c) ==
			    NULL)
				return 0;
			i++;
		}
		if (i > st)
			fields++;
	}
	return fields == 5 || fields == 6;
}

static int
valid_url(const char *s, size_t n)
{
	char *z = xstrndup(s, n);
	struct url u;
	const char *why;
	/* url_parse leaves u freeable whether or not it succeeds */
	int ok = url_parse(z, &u, &why) == 0 && u.scheme != NULL &&
	    url_host_valid(u.host);
	url_free(&u);
	free(z);
	return ok;
}

/* Bytes a base64 text decodes to, or -1 when it is not base64. */
static long
base64_len(const char *s, size_t n)
{
	while (n > 0 && s[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++)
		if (b64_value((unsigned char)s[i]) < 0)
			return -1;
	if (n % 4 == 1)
		return -1;
	return (long)(n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0));
}

static void
check_type(struct lint *l, struct lintfile *lf, const struct schemavar *sv,
    const struct envvar *v)
{
	const char *s = v->val;
	size_t n = v->vlen;
	const char *want = NULL;
	char *hint = NULL;
	size_t off = lint_value_off(lf, v->key, v->klen);
	size_t ei = lint_entry_for(lf, v->key, v->klen);

	if (n == 0 || lint_is_placeholder(s, n))
		return;
	switch (sv->type) {
	case VT_PORT: {
		long p;
		char *z = xstrndup(s, n);
		if (!all_digits(s, n) || parse_long(z, 1, 65535, &p) != 0)
			want = "a port number from 1 to 65535";
		free(z);
		break;
	}
	case VT_NUMBER: {
		double d;
		size_t used = js_parse_float(s, n, &d);
		if (valid_number(s, n))
			break;
		if (used > 0 && used < n && isfinite(d)) {
			/* Kodus reads numbers with parseFloat/parseInt: the
			 * number at the start counts, the rest is ignored */
			char *shown = lint_show(l, v->key, v->klen, s, n);
			hint = xasprintf("%s=%.*s", sv->name, (int)used, s);
			lint_report(l, lf, ei, R_TYPE_MISMATCH, SEV_WARNING,
			    off, v->key, v->klen, hint, "'%s' is not a clean "
			    "number: JavaScript's parseFloat reads %g and "
			    "ignores the rest", shown, d);
			free(shown);
			free(hint);
			return;
		}
		want = "a number (like 100 or 0.7)";
		break;
	}
	case VT_BOOLEAN:
		if (!((n == 4 && memcmp(s, "true", 4) == 0) ||
		    (n == 5 && memcmp(s, "false", 5) == 0))) {
			want = "true or false (lower case: Kodus compares the "
			    "text)";
			char low[8] = "";
			for (size_t i = 0; i < n && i < 7; i++)
				low[i] = (char)tolower((unsigned char)s[i]);
			int t = n < 6 && (strcmp(low, "true") == 0 ||
			    strcmp(low, "yes") == 0 || strcmp(low, "1") == 0 ||
			    strcmp(low, "on") == 0);
			int f = n < 6 && (strcmp(low, "false") == 0 ||
			    strcmp(low, "no") == 0 || strcmp(low, "0") == 0 ||
			    strcmp(low, "off") == 0);
			if (t || f)
				hint = xasprintf("%s=%s", sv->name,
				    t ? "true" : "false");
		}
		break;
	case VT_URL:
		if (!valid_url(s, n))
			want = "a URL (scheme://host...)";
		break;
	case VT_EMAIL:
		if (!valid_email(s, n))
			want = "an e-mail address";
		break;
	case VT_CRON:
		if (!valid_cron(s, n))
			want = "a cron expression of 5 or 6 fields";
		break;
	case VT_ENUM: {
		int ok = 0;
		for (size_t i = 0; i < sv->nenum && !ok; i++)
			ok = strlen(sv->enumv[i]) == n &&
			    memcmp(sv->enumv[i], s, n) == 0;
		if (!ok) {
			struct buf b;
			buf_init(&b);
			for (size_t i = 0; i < sv->nenum; i++) {
				buf_printf(&b, "%s%s", i ? ", " : "one of ",
				    sv->enumv[i]);
				if (strlen(sv->enumv[i]) == n &&
				    strncasecmp(sv->enumv[i], s, n) == 0 &&
				    hint == NULL)
					hint = xasprintf("%s=%s", sv->name,
					    sv->enumv[i]);
			}
			char *list = buf_steal(&b);
			char *shown = lint_show(l, v->key, v->klen, s, n);
			lint_report(l, lf, ei, R_TYPE_MISMATCH, SEV_ERROR, off,
			    v->key, v->klen, hint, "'%s' is not %s", shown,
			    list);
			free(shown);
			free(list);
			free(hint);
			return;
		}
		break;
	}
	case VT_STRING:
	case VT_HOSTNAME:
		break;
	}
	if (want != NULL) {
		char *shown = lint_show(l, v->key, v->klen, s, n);
		lint_report(l, lf, ei, R_TYPE_MISMATCH, SEV_ERROR, off, v->key,
		    v->klen, hint, "'%s' is not %s", shown, want);
		free(shown);
	}
	free(hint);
}

static void
check_format(struct lint *l, struct lintfile *lf, const struct schemavar *sv,
    const struct envvar *v)
{
	size_t ei = lint_entry_for(lf, v->key, v->klen);
	if (v->vlen == 0 || sv->format == NULL ||
	    lint_is_placeholder(v->val, v->vlen))
		return;
	size_t off = lint_value_off(lf, v->key, v->klen);
	if (strcmp(sv->format, "hex64") == 0) {
		int ok = v->vlen == 64;
		for (size_t i = 0; ok && i < v->vlen; i++)
			ok = isxdigit((unsigned char)v->val[i]);
		if (!ok)
			lint_report(l, lf, ei, R_SECRET_FORMAT, SEV_ERROR, off,
			    v->key, v->klen, "generate one: openssl rand -hex "
			    "32", "Kodus decodes this secret as 32 bytes of "
			    "hex, so it must be 64 hex digits (this one has "
			    "%zu characters%s)", v->vlen, v->vlen == 64 ?
			    ", not all hex" : "");
	} else if (base64_len(v->val, v->vlen) != 32)
		lint_report(l, lf, ei, R_SECRET_FORMAT, SEV_WARNING, off,
		    v->key, v->klen, "generate one: openssl rand -base64 32",
		    "not 32 random bytes in base64, as the installer "
		    "generates (%zu characters)", v->vlen);
}

static void
check_legacy(struct lint *l, struct lintfile *lf, const struct envvar *v,
    const struct legacy *lg)
{
	size_t ei = lint_entry_for(lf, v->key, v->klen);
	size_t off = lint_key_off(lf, v->key, v->klen);
	char *name = display_text(v->key, v->klen, 80);
	if (lg->replacement != NULL) {
		const struct envvar *now = envmap_getz(lf->env,
		    lg->replacement);
		char *hint = lint_hint_line(l, lg->replacement,
		    strlen(lg->replacement), v->val, v->vlen);
		if (now != NULL && now->vlen > 0)
			lint_report(l, lf, ei, R_LEGACY_NAME, SEV_WARNING, off,
			    v->key, v->klen, NULL, "%s is an old name: Kodus "
			    "reads %s, which is also set; delete this line",
			    name, lg->replacement);
		else
			lint_report(l, lf, ei, R_LEGACY_NAME, SEV_ERROR, off,
			    v->key, v->klen, hint, "Kodus no longer reads %s: "
			    "rename it to %s", name, lg->replacement);
		free(hint);
	} else
		lint_report(l, lf, ei, R_LEGACY_NAME, SEV_WARNING, off, v->key,
		    v->klen, NULL, "%s is ignored: %s", name,
		    lg->reason ? lg->reason : "no longer read by Kodus");
	free(name);
}

static void
check_hostname(struct lint *l, struct lintfile *lf, const struct schemavar *sv,
    const struct envvar *v)
{
	if (v->vlen == 0)
		return;
	char *z = xstrndup(v->val, v->vlen);
	struct url u;
	const char *why;
	char *hint = NULL;
	const char *problem = NULL;
	if (strstr(z, "://") != NULL) {
		problem = "has a scheme";
		if (url_parse(z, &u, &why) == 0) {
			hint = xasprintf("%s=%s", sv->name, u.host);
			url_free(&u);
		}
	} else if (strchr(z, '/') != NULL) {
		problem = "has a path or a slash";
		hint = xasprintf("%s=%.*s", sv->name, (int)strcspn(z, "/"),
		    z);
	} else if (strchr(z, ':') != NULL && z[0] != '[')
		problem = "has a port";
	else if (!url_host_valid(z))
		problem = "is not a host name";
	if (problem != NULL) {
		char *shown = display_text(v->val, v->vlen, 80);
		lint_report(l, lf, lint_entry_for(lf, v->key, v->klen),
		    R_HOSTNAME_FORMAT, SEV_ERROR, lint_value_off(lf, v->key,
		    v->klen), v->key, v->klen, hint, "'%s' %s: %s must be a "
		    "bare host name (Kodus builds URLs from it)", shown,
		    problem, sv->name);
		free(shown);
	}
	free(hint);
	free(z);
}

static void
check_rabbit(struct lint *l, struct lintfile *lf, const struct schemavar *sv,
    const struct envvar *v)
{
	if (v->vlen == 0)
		return;
	size_t ei = lint_entry_for(lf, v->key, v->klen);
	if (lint_is_placeholder(v->val, v->vlen))
		return;
	size_t off = lint_value_off(lf, v->key, v->klen);
	char *z = xstrndup(v->val, v->vlen);
	struct url u;
	const char *why;
	if (url_parse(z, &u, &why) != 0 || u.scheme == NULL ||
	    (strcmp(u.scheme, "amqp") != 0 && strcmp(u.scheme, "amqps") != 0)) {
		lint_report(l, lf, ei, R_RABBITMQ_URI, SEV_ERROR, off, v->key,
		    v->klen, NULL, "%s must be an amqp:// (or amqps://) URI",
		    sv->name);
		if (u.scheme != NULL || u.host != NULL)
			url_free(&u);
		free(z);
		return;
	}
	const char *vh = u.path[0] == '/' ? u.path + 1 : u.path;
	if (sv->vhost != NULL && strcmp(vh, sv->vhost) != 0) {
		char port[16] = "";
		if (u.port > 0)
			snprintf(port, sizeof port, ":%d", u.port);
		char *user = u.userinfo ? xstrndup(u.userinfo,
		    strcspn(u.userinfo, ":")) : NULL;
		char *hint = xasprintf("%s=%s://%s%s%s%s%s/%s", sv->name,
		    u.scheme, user ? user : "", user && strchr(u.userinfo, ':')
		    ? ":***" : "", user ? "@" : "", u.host, port, sv->vhost);
		char *shown = display_text(vh, strlen(vh), 60);
		lint_report(l, lf, ei, R_RABBITMQ_URI, SEV_WARNING, off, v->key,
		    v->klen, hint, "the virtual host is '%s', not '%s' as the "
		    "Kodus broker is set up", *vh ? shown : "/", sv->vhost);
		free(shown);
		free(hint);
		free(user);
	}
	url_free(&u);
	free(z);
}

/* Webhooks: https, on WEB_HOSTNAME_API, at the path Kodus serves. */
static void
check_webhooks(struct lint *l)
{
	int any = 0;
	for (size_t f = 0; f < l->nf; f++) {
		struct lintfile *lf = &l->f[f];
		if (lf->env == NULL)
			continue;
		const struct envvar *host = env_nonempty(lf->env,
		    "WEB_HOSTNAME_API");
		for (size_t i = 0; i < l->schema.n; i++) {
			const struct schemavar *sv = &l->schema.v[i];
			if (sv->nwebhook == 0)
				continue;
			const struct envvar *v = env_nonempty(lf->env,
			    sv->name);
			if (v == NULL)
				continue;
			any = 1;
			size_t ei = lint_entry_for(lf, v->key, v->klen);
			if (lint_is_placeholder(v->val, v->vlen))
				continue;
			size_t off = lint_value_off(lf, v->key, v->klen);
			char *z = xstrndup(v->val, v->vlen);
			struct url u;
			const char *why;
			if (url_parse(z, &u, &why) != 0 || u.scheme == NULL) {
				lint_report(l, lf, ei, R_WEBHOOK_URL, SEV_ERROR,
				    off, v->key, v->klen, NULL, "not a URL: "
				    "the git provider cannot deliver to it");
				if (u.host != NULL)
					url_free(&u);
				free(z);
				continue;
			}
			char *hostz = host ? xstrndup(host->val, host->vlen) :
			    NULL;
			if (hostz == NULL || !url_host_valid(hostz)) {
				/* no usable WEB_HOSTNAME_API: keep the URL's */
				free(hostz);
				hostz = xstrdup(u.host);
				host = NULL;
			}
			int ok_path = 0;
			for (size_t k = 0; k < sv->nwebhook; k++)
				ok_path |= strcmp(u.path, sv->webhook[k]) == 0;
			if (!ok_path) {
				char *hint = xasprintf("%s=https://%s%s",
				    sv->name, hostz, sv->webhook[0]);
				char *shown = display_text(u.path,
				    strlen(u.path), 60);
				lint_report(l, lf, ei, R_WEBHOOK_URL, SEV_ERROR,
				    off, v->key, v->klen, hint, "the path is "
				    "'%s': Kodus receives these webhooks at %s",
				    *u.path ? shown : "/", sv->webhook[0]);
				free(shown);
				free(hint);
			} else if (strcmp(u.scheme, "https") != 0) {
				char *hint = xasprintf("%s=https://%s%s",
				    sv->name, hostz, u.path);
				lint_report(l, lf, ei, R_WEBHOOK_URL,
				    SEV_WARNING, off, v->key, v->klen, hint,
				    "not https: git providers deliver webhooks "
				    "to public HTTPS endpoints");
				free(hint);
			} else if (host != NULL && strcmp(u.host, hostz) != 0) {
				char *hint = xasprintf("%s=https://%s%s",
				    sv->name, hostz, u.path);
				char *shown = display_text(u.host,
				    strlen(u.host), 60);
				lint_report(l, lf, ei, R_WEBHOOK_URL,
				    SEV_WARNING, off, v->key, v->klen, hint,
				    "the host '%s' is not WEB_HOSTNAME_API "
				    "(%s)", shown, hostz);
				free(shown);
				free(hint);
			}
			free(hostz);
			url_free(&u);
			free(z);
		}
	}
	if (!any && l->nf > 0 && !l->f[l->primary].is_environ)
		lint_report(l, &l->f[l->primary], NONE, R_WEBHOOK_URL,
		    SEV_WARNING, NONE, NULL, 0, "set the one for your git "
		    "provider, e.g. API_GITHUB_CODE_MANAGEMENT_WEBHOOK="
		    "https://<WEB_HOSTNAME_API>/github/webhook", "no "
		    "code-management webhook URL is set: Kodus receives no "
		    "pull-request events");
}

static void
check_required(struct lint *l)
{
	struct lintfile *target = l->nf ? &l->f[l->primary] : NULL;
	for (size_t i = 0; i < l->schema.n; i++) {
		const struct schemavar *sv = &l->schema.v[i];
		int need = sv->required;
		const char *because = NULL;
		if (!need && sv->req_if_name != NULL) {
			const struct envvar *c = find_set(l, sv->req_if_name,
			    strlen(sv->req_if_name), NULL);
			need = c != NULL && c->vlen == strlen(sv->req_if_value)
			    && memcmp(c->val, sv->req_if_value, c->vlen) == 0;
			because = sv->req_if_name;
		}
		if (!need || find_set(l, sv->name, strlen(sv->name), NULL))
			continue;
		const char *gen = sv->format == NULL ? NULL :
		    strcmp(sv->format, "hex64") == 0 ? "openssl rand -hex 32" :
		    "openssl rand -base64 32";
		char *hint = gen ? xasprintf("generate one: %s", gen) : NULL;
		if (sv->equals != NULL)
			hint = (free(hint), xasprintf("%s=<the value of %s>",
			    sv->name, sv->equals));
		if (because)
			lint_report(l, target, NONE, R_REQUIRED_MISSING,
			    SEV_ERROR, NONE, sv->name, strlen(sv->name), hint,
			    "%s is required when %s=%s, and is not set",
			    sv->name, because, sv->req_if_value);
		else
			lint_report(l, target, NONE, R_REQUIRED_MISSING,
			    SEV_ERROR, NONE, sv->name, strlen(sv->name), hint,
			    "%s is required and %s", sv->name,
			    envmap_getz(target && target->env ? target->env :
			    &l->penv, sv->name) ? "empty" : "not set");
		free(hint);
	}
}

static void
check_equals(struct lint *l, struct lintfile *lf, const struct schemavar *sv,
    const struct envvar *v)
{
	const struct envvar *o = env_nonempty(lf->env, sv->equals);
	if (v->vlen == 0 || o == NULL)
		return;
	if (o->vlen == v->vlen && memcmp(o->val, v->val, v->vlen) == 0)
		return;
	size_t oi = lint_key_off(lf, o->key, o->klen);
	unsigned line = oi != NONE ? lint_line(lf, oi) : 0;
	char *hint = xasprintf("%s=<the value of %s>", sv->name, sv->equals);
	char where[32] = "";
	if (line)
		snprintf(where, sizeof where, " (line %u)", line);
	lint_report(l, lf, lint_entry_for(lf, v->key, v->klen),
	    R_SECRET_MISMATCH, SEV_ERROR, lint_value_off(lf, v->key, v->klen),
	    v->key, v->klen, hint, "%s differs from %s%s: the web app and the "
	    "API must share this secret, or every sign-in fails", sv->name,
	    sv->equals, where);
	free(hint);
}

static void
check_drift(struct lint *l)
{
	struct lintfile *api = NULL, *wk = NULL;
	for (size_t i = 0; i < l->nf; i++) {
		if (l->f[i].role && strcmp(l->f[i].role, "api") == 0)
			api = &l->f[i];
		if (l->f[i].role && strcmp(l->f[i].role, "worker") == 0)
			wk = &l->f[i];
	}
	if (api == NULL || wk == NULL || api->env == NULL || wk->env == NULL ||
	    strcmp(api->path, wk->path) == 0)
		return;
	for (int pass = 0; pass < 2; pass++) {
		const struct envmap *a = pass ? wk->env : api->env;
		const struct envmap *b = pass ? api->env : wk->env;
		for (size_t i = 0; i < a->n; i++) {
			const struct envvar *x = &a->v[i];
			const struct envvar *y = envmap_get(b, x->key, x->klen);
			if (pass == 1 && y != NULL)
				continue;	/* compared in pass 0 */
			if (y != NULL && y->vlen == x->vlen &&
			    memcmp(y->val, x->val, x->vlen) == 0)
				continue;
			const struct schemavar *sv = schema_get(&l->schema,
			    x->key, x->klen);
			int llm = sv != NULL && sv->llm;
			char *xa = lint_show(l, x->key, x->klen, x->val,
			    x->vlen);
			char *yb = y ? lint_show(l, x->key, x->klen, y->val,
			    y->vlen) : xstrdup("(not set)");
			char *kn = display_text(x->key, x->klen, 60);
			struct lintfile *at = pass ? api : wk;
			const struct envvar *atv = pass ? x : y;
			size_t off = atv ? lint_value_off(at, x->key,
			    x->klen) : NONE;
			lint_report(l, at, lint_entry_for(at, x->key, x->klen),
			    R_API_WORKER_DRIFT, llm ? SEV_ERROR : SEV_WARNING,
			    off, x->key, x->klen, NULL, "%s: the api file (%s) "
			    "says '%s', the worker file (%s) '%s'%s", kn,
			    api->path, pass ? yb : xa, wk->path, pass ? xa : yb,
			    llm ? ": reviews run in the worker with another "
			    "LLM setup than the API checks" : "");
			free(xa);
			free(yb);
			free(kn);
		}
	}
}

void
rules_kodus(struct lint *l)
{
	check_required(l);
	for (size_t f = 0; f < l->nf; f++) {
		struct lintfile *lf = &l->f[f];
		if (lf->env == NULL)
			continue;
		for (size_t i = 0; i < lf->env->n; i++) {
			const struct envvar *v = &lf->env->v[i];
			const struct schemavar *sv = schema_get(&l->schema,
			    v->key, v->klen);
			if (sv == NULL) {
				const struct legacy *lg = schema_legacy(
				    &l->schema, v->key, v->klen);
				if (lg != NULL) {
					check_legacy(l, lf, v, lg);
					continue;
				}
				int valid = v->klen > 0;
				for (size_t k = 0; k < v->klen; k++)
					valid &= isalnum((unsigned char)
					    v->key[k]) || v->key[k] == '_';
				if (!valid)
					continue;
				const char *near = schema_closest(&l->schema,
				    v->key, v->klen);
				if (lf->is_environ && near == NULL)
					continue;	/* PATH, HOME, ... */
				char *hint = near ? lint_hint_line(l, near,
				    strlen(near), v->val, v->vlen) : NULL;
				size_t ei = lint_entry_for(lf, v->key, v->klen);
				char *name = display_text(v->key, v->klen, 80);
				lint_report(l, lf, ei, R_UNKNOWN_VARIABLE,
				    SEV_INFO, lint_key_off(lf, v->key,
				    v->klen), v->key, v->klen, hint, near ? "%s is not a Kodus "
				    "variable: did you mean %s?" : "%s is not a "
				    "Kodus variable%s", name, near ? near :
				    l->schema.example ? "" :
				    " (in the built-in schema)");
				free(name);
				free(hint);
				continue;
			}
			check_type(l, lf, sv, v);
			check_format(l, lf, sv, v);
			if (sv->equals != NULL)
				check_equals(l, lf, sv, v);
			if (sv->type == VT_HOSTNAME)
				check_hostname(l, lf, sv, v);
			if (sv->vhost != NULL)
				check_rabbit(l, lf, sv, v);
		}
	}
	check_webhooks(l);
	check_drift(l);
}
