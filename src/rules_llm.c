/* rules_llm.c - Fixed Mode: the one global LLM provider, checked against
 * the catalog before anything is sent. None of the installer's scripts
 * looks at these variables; a mistake here shows up as a failed review. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "secret.h"
#include "url.h"

#define BASE_VAR "API_OPENAI_FORCE_BASE_URL"
#define MODEL_VAR "API_LLM_PROVIDER_MODEL"
#define TEMP_VAR "API_LLM_TEMPERATURE_OVERRIDE"

struct ctx {
	struct lint	*l;
	struct lintfile	*lf;
	const struct fixedmode *fm;
};

static const char *const endpoints[] = {
	"/chat/completions", "/completions", "/responses", "/messages",
	"/models", "/embeddings", NULL
};

/* The second-level label of a host: "moonshot" of "api.moonshot.ai". */
static size_t
site_label(const char *host, const char **start)
{
	const char *last = strrchr(host, '.');
	if (last == NULL || last == host)
		return 0;
	const char *p = last;
	while (p > host && p[-1] != '.')
		p--;
	*start = p;
	return (size_t)(last - p);
}

static int
is_ip(const char *h)
{
	return h[0] == '[' || strspn(h, "0123456789.") == strlen(h);
}

/* A host that looks like a catalog provider's but is not one: reported,
 * and the likeliest provider returned (NULL when none looks alike). */
static const struct provider *
typo_host(struct ctx *c, const struct url *u)
{
	const struct catalog *cat = &c->l->cat;
	if (is_ip(u->host) || url_host_is_loopback(u->host))
		return NULL;
	const char *lab = NULL;
	size_t ll = site_label(u->host, &lab);
	struct buf list;
	buf_init(&list);
	const struct provider *first = NULL;
	for (size_t i = 0; i < cat->np; i++) {
		struct url b;
		const char *why;
		if (url_parse(cat->p[i].base_url, &b, &why) != 0)
			continue;
		const char *bl = NULL;
		size_t bll = site_label(b.host, &bl);
		size_t d = edit_distance(u->host, strlen(u->host), b.host,
		    strlen(b.host));
		int same_site = ll > 3 && ll == bll && memcmp(lab, bl, ll) == 0;
		if ((same_site || d <= 2) && strcmp(b.host, u->host) != 0) {
			buf_printf(&list, "%s%s (%s)", first ? " or " : "",
			    cat->p[i].base_url, cat->p[i].name);
			if (first == NULL)
				first = &cat->p[i];
		}
		url_free(&b);
	}
	if (first != NULL) {
		char *hint = xasprintf("%s=%s", BASE_VAR, first->base_url);
		lint_var(c->l, c->lf, R_BASE_URL_SHAPE, SEV_ERROR, BASE_VAR,
		    hint, "%s is "
		    "not a host of any provider in the catalog: did you mean "
		    "%s?", u->host, list.data);
		free(hint);
	}
	buf_free(&list);
	return first;
}

/* A secret in the base URL: the live check never sends such a URL
 * (live.c asks url_secret_part too). */
static void
check_secret(struct ctx *c)
{
	const struct fixedmode *fm = c->fm;
	const char *part = url_secret_part(fm->base_url, fm->key,
	    fm->key_len);
	if (part == NULL)
		return;
	char *hint = xasprintf("take the secret out of %s: Kodus sends the "
	    "key from %s in a header", BASE_VAR, fm->key_var);
	if (strcmp(part, "credentials") == 0)
		lint_var(c->l, c->lf, R_SECRET_IN_URL, SEV_ERROR, BASE_VAR,
		    hint, "the "
		    "base URL carries a user name or password (user:***@): "
		    "Node's fetch, which Kodus's OpenAI client uses, refuses "
		    "such a URL, so every request fails, and its error "
		    "message quotes the URL");
	else if (strcmp(part, "path") == 0)
		lint_var(c->l, c->lf, R_SECRET_IN_URL, SEV_ERROR, BASE_VAR,
		    hint, "the "
		    "base URL holds the key in its path: it would travel in "
		    "every request line, which proxies and access logs "
		    "record; not sent");
	else
		lint_var(c->l, c->lf, R_SECRET_IN_URL, SEV_ERROR, BASE_VAR,
		    hint, "the "
		    "base URL holds a secret in its %s: Kodus appends "
		    "/chat/completions after it, so every request fails%s; "
		    "not sent", strcmp(part, "query") == 0 ? "query string" :
		    "fragment ('#...')", strcmp(part, "query") == 0 ? ", and "
		    "the secret is written to every access log on the way" :
		    "");
	free(hint);
}

static void
check_base(struct ctx *c)
{
	const struct fixedmode *fm = c->fm;
	const char *s = fm->base_url;
	struct url u;
	const char *why;

	check_secret(c);
	if (url_parse(s, &u, &why) != 0) {
		char *masked = secret_url(s, strlen(s), NULL);
		char *shown = display_text(masked, strlen(masked), 80);
		free(masked);
		lint_var(c->l, c->lf, R_BASE_URL_SCHEME, SEV_ERROR, BASE_VAR,
		    NULL, "'%s' " "is not a URL: %s", shown, why);
		free(shown);
		return;
	}
	if (u.scheme == NULL) {
		char *masked = secret_url(s, strlen(s), NULL);
		char *hint = xasprintf("%s=https://%s", BASE_VAR, masked);
		free(masked);
		lint_var(c->l, c->lf, R_BASE_URL_SCHEME, SEV_ERROR, BASE_VAR,
		    hint, "the "
		    "base URL has no scheme: Kodus needs https://");
		free(hint);
		url_free(&u);
		return;
	}
	const struct provider *p = fm->provider;
	if (strcmp(u.scheme, "http") != 0 && strcmp(u.scheme, "https") != 0) {
		lint_var(c->l, c->lf, R_BASE_URL_SCHEME, SEV_ERROR, BASE_VAR,
		    NULL, "the "
		    "base URL scheme is %s: Kodus speaks https:// (or http:// "
		    "to a local server)", u.scheme);
		url_free(&u);
		return;
	}
	if (strcmp(u.scheme, "http") == 0 && !url_host_is_loopback(u.host)) {
		char *hint = xasprintf("%s=https://%s", BASE_VAR,
		    s + strlen("http://"));
		if (p != NULL)
			lint_var(c->l, c->lf, R_BASE_URL_SCHEME, SEV_ERROR,
			    BASE_VAR, hint,
			    "http:// to %s: the key would cross the network "
			    "in clear text, and %s serves https only", u.host,
			    p->name);
		else
			lint_var(c->l, c->lf, R_BASE_URL_SCHEME, SEV_WARNING,
			    BASE_VAR, hint,
			    "http:// to %s: the key crosses the network "
			    "in clear text (Kodus's own Test button refuses "
			    "non-https base URLs)", u.host);
		free(hint);
	}

	/* an endpoint at the end: the SDK appends its own */
	size_t pl = strlen(u.path);
	for (size_t i = 0; endpoints[i] != NULL; i++) {
		size_t el = strlen(endpoints[i]);
		if (pl >= el && strcmp(u.path + pl - el, endpoints[i]) == 0) {
			/* a typo'd host too: the hint is the whole right URL */
			const struct provider *t = p ? NULL : typo_host(c, &u);
			size_t keep = strlen(s) - strlen(u.rest) - el;
			char *hint = t ? xasprintf("%s=%s", BASE_VAR,
			    t->base_url) : xasprintf("%s=%.*s", BASE_VAR,
			    (int)keep, s);
			lint_var(c->l, c->lf, R_BASE_URL_ENDPOINT, SEV_ERROR,
			    BASE_VAR, hint,
			    "the base URL ends in the endpoint %s: Kodus "
			    "appends it itself, so requests would go to "
			    "...%s%s", endpoints[i], endpoints[i],
			    strcmp(endpoints[i], "/chat/completions") == 0 ?
			    "/chat/completions" : "/...");
			free(hint);
			url_free(&u);
			return;
		}
	}
	size_t slashes = 0;
	while (slashes < pl && u.path[pl - 1 - slashes] == '/')
		slashes++;
	if (slashes >= 2) {
		/* the clients drop one trailing slash, not more */
		char *hint = xasprintf("%s=%.*s", BASE_VAR,
		    (int)(strlen(s) - strlen(u.rest) - slashes), s);
		char *shown = display_text(u.path, pl - 1, 60);
		lint_var(c->l, c->lf, R_BASE_URL_SHAPE, SEV_WARNING, BASE_VAR,
		    hint, "the "
		    "base URL ends in '%.*s': the clients drop only one "
		    "trailing slash, so requests go to %s%s, which servers "
		    "answer with 404", (int)slashes, u.path + pl - slashes,
		    shown, fm->kind == FM_ANTHROPIC ? "/messages" :
		    "/chat/completions");
		free(shown);
		free(hint);
	} else if (p != NULL) {
		if (!provider_serves_path(p, u.path)) {
			struct url b;
			struct buf paths;
			buf_init(&paths);
			if (url_parse(p->base_url, &b, &why) == 0) {
				buf_addstr(&paths, *b.path ? b.path : "/");
				url_free(&b);
			}
			for (size_t i = 0; i < p->nbase_paths; i++)
				buf_printf(&paths, " or %s", p->base_paths[i]);
			char *hint = xasprintf("%s=%s", BASE_VAR, p->base_url);
			char *shown = display_text(u.path, pl, 60);
			lint_var(c->l, c->lf, R_BASE_URL_SHAPE, SEV_ERROR,
			    BASE_VAR, hint,
			    "%s serves its API under %s, not '%s': requests "
			    "would get 404", p->name, paths.data, *u.path ?
			    shown : "/");
			free(shown);
			free(hint);
			buf_free(&paths);
		}
	} else
		typo_host(c, &u);
	url_free(&u);
}

static const char *
provider_label(const struct provider *p)
{
	return p ? p->name : "the provider";
}

static void
check_key(struct ctx *c)
{
	const struct fixedmode *fm = c->fm;
	const struct provider *p = fm->provider;
	if (fm->key == NULL || p == NULL)
		return;
	size_t bl, pl;
	int amb;
	const struct provider *best = catalog_match_key(&c->l->cat, fm->key,
	    fm->key_len, &bl, &amb);
	if (best == NULL || amb || best == p)
		return;
	if (provider_key_matches(p, fm->key, fm->key_len, &pl) && pl >= bl)
		return;
	char prefix[32];
	size_t n = 0;
	for (size_t i = 0; i < best->nkey_prefixes; i++) {
		size_t l = strlen(best->key_prefixes[i]);
		if (l <= fm->key_len && memcmp(fm->key, best->key_prefixes[i],
		    l) == 0 && l > n && l < sizeof prefix) {
			n = l;
			memcpy(prefix, best->key_prefixes[i], l);
		}
	}
	prefix[n] = '\0';
	char *hint;
	if (strcmp(best->api, "anthropic") == 0)
		hint = xasprintf("for Anthropic, leave %s empty and use a "
		    "claude-* model", BASE_VAR);
	else if (strcmp(best->api, "gemini") == 0)
		hint = xasprintf("put a Gemini key in API_GOOGLE_AI_API_KEY "
		    "and use a gemini-* model");
	else
		hint = xasprintf("%s=%s", BASE_VAR, best->base_url);
	lint_var(c->l, c->lf, R_KEY_PROVIDER_MISMATCH, SEV_WARNING, fm->key_var,
	    hint,
	    "the key looks like a %s key%s%s%s, but the base URL is %s's: "
	    "expect 401 Unauthorized", best->name, n ? " (" : "", n ? prefix :
	    "", n ? "...)" : "", provider_label(p));
	free(hint);
}

/* A key Node cannot put in a header fails every request (Node throws
 * "Invalid character in header content"); the live check never sends
 * it either: a CR or LF would start a header or request of its own. */
static void
check_key_sendable(struct ctx *c)
{
	const struct fixedmode *fm = c->fm;
	char buf[64];
	size_t at;
	const char *why = fm_key_unsendable(fm->key, fm->key_len, &at, buf,
	    sizeof buf);
	if (why == NULL)
		return;
	const char *hdr = fm->kind == FM_ANTHROPIC ? "x-api-key" :
	    fm->kind == FM_GEMINI ? "x-goog-api-key" : "Authorization";
	if (fm->key_len > FM_KEY_MAX) {
		lint_var(c->l, c->lf, R_KEY_INVALID, SEV_ERROR, fm->key_var,
		    "paste the "
		    "key alone: provider keys are at most a few hundred "
		    "characters", "the key is %s bytes: longer than any "
		    "provider's key, and a %s header that long is refused "
		    "by HTTP servers; not sent", why, hdr);
		return;
	}
	char *hint = xasprintf("set %s to the key alone, on one line",
	    fm->key_var);
	lint_var(c->l, c->lf, R_KEY_INVALID, SEV_ERROR, fm->key_var, hint,
	    "the key holds "
	    "%s (character %zu): Node refuses it in the %s header, so every "
	    "request to the provider fails; not sent", why, at, hdr);
	free(hint);
}

/* How close two model ids are: 0 for a case-only difference, small when
 * one is the other plus a suffix, else the edit distance. */
static size_t
model_score(const char *want, const char *id)
{
	size_t a = strlen(want), b = strlen(id);
	if (a == b && strncasecmp(want, id, a) == 0)
		return 0;
	if ((a < b && strncmp(id, want, a) == 0) ||
	    (b < a && strncmp(want, id, b) == 0))
		return 1;
	/* the same model with or without an aggregator's vendor prefix */
	const char *ws = strrchr(want, '/'), *is = strrchr(id, '/');
	if (strcmp(ws ? ws + 1 : want, is ? is + 1 : id) == 0)
		return 1;
	return edit_distance(want, a, id, b) + 1;
}

/* An aggregator: a provider whose catalog ids carry a vendor prefix
 * ("moonshotai/kimi-k2.6"). Its catalog is judged complete only for the
 * vendor prefixes it lists. */
static int
is_aggregator(const struct catalog *cat, const char *pid)
{
	for (size_t i = 0; i < cat->nm; i++)
		if (model_has_provider(&cat->m[i], pid) &&
		    strchr(cat->m[i].id, '/') != NULL)
			return 1;
	return 0;
}

/* Does the aggregator pid list a model under the vendor prefix of id, or
 * id itself under some vendor prefix? Then the catalog can judge id. */
static int
aggregator_knows(const struct catalog *cat, const char *pid, const char *id)
{
	const char *slash = strrchr(id, '/');
	size_t vl = slash ? (size_t)(slash - id) + 1 : 0;
	size_t il = strlen(id);
	for (size_t i = 0; i < cat->nm; i++) {
		const char *x = cat->m[i].id;
		size_t xl = strlen(x);
		if (!model_has_provider(&cat->m[i], pid))
			continue;
		if (vl > 0 && strncmp(x, id, vl) == 0)
			return 1;
		if (vl == 0 && xl > il && x[xl - il - 1] == '/' &&
		    strcmp(x + xl - il, id) == 0)
			return 1;
	}
	return 0;
}

static void
unknown_model(struct ctx *c, const struct provider *p, int aggregator)
{
	const struct fixedmode *fm = c->fm;
	const struct catalog *cat = &c->l->cat;
	const char *today = c->l->opt.today;
	/* the three closest ids this provider serves */
	const struct model *best[3] = { NULL, NULL, NULL };
	size_t score[3] = { (size_t)-1, (size_t)-1, (size_t)-1 };
	for (size_t i = 0; i < cat->nm; i++) {
		const struct model *x = &cat->m[i];
		if (!model_has_provider(x, p->id))
			continue;
		size_t sc = model_score(fm->model, x->id) * 2 +
		    model_gone(x, today);
		for (int k = 0; k < 3; k++) {
			if (sc < score[k]) {
				for (int j = 2; j > k; j--) {
					score[j] = score[j - 1];
					best[j] = best[j - 1];
				}
				score[k] = sc;
				best[k] = x;
				break;
			}
		}
	}
	size_t limit = (1 + strlen(fm->model) / 3 + 1) * 2 + 1;
	struct buf b;
	buf_init(&b);
	const char *suggest = NULL;
	for (int k = 0; k < 3; k++) {
		if (best[k] == NULL || score[k] > limit)
			continue;
		const struct model *x = best[k];
		int gone = model_gone(x, today);
		buf_printf(&b, "%s%s", b.len ? ", " : "", x->id);
		if (gone && strcmp(x->retired, "yes") == 0)
			buf_printf(&b, " (retired%s%s)", x->replacement ?
			    ", use " : "", x->replacement ? x->replacement :
			    "");
		else if (gone)
			buf_printf(&b, " (retired %s%s%s)", x->retired,
			    x->replacement ? ", use " : "",
			    x->replacement ? x->replacement : "");
		if (suggest == NULL)
			suggest = gone && x->replacement ? x->replacement :
			    gone ? NULL : x->id;
	}
	char *hint = suggest ? xasprintf("%s=%s", MODEL_VAR, suggest) : NULL;
	int casediff = best[0] && score[0] == 0;
	char *shown = display_text(fm->model, strlen(fm->model), 80);
	lint_var(c->l, c->lf, R_MODEL_UNKNOWN, aggregator ? SEV_WARNING :
	    SEV_ERROR, MODEL_VAR, hint, "%s has no model '%s'%s%s%s", p->name,
	    shown, casediff ? " (model ids are case-sensitive)" : aggregator ?
	    " in the catalog" : " (it answers 404)", b.len ? "; closest: " : "",
	    b.len ? b.data : "");
	free(shown);
	buf_free(&b);
	free(hint);
}

static void
check_temperature(struct ctx *c, const struct model *m, int aggregator)
{
	const struct kodus_rules *k = &c->l->cat.kodus;
	const char *model = c->fm->model;
	const struct envvar *t = envmap_getz(c->lf->env, TEMP_VAR);
	double d = 0;
	size_t used = t && t->vlen ? js_parse_float(t->val, t->vlen, &d) : 0;
	int clamp = kodus_model_matches(k->temperature_one,
	    k->ntemperature_one, model, strlen(model));
	/* Kodus sends: the override if parseFloat reads one; else 1 for the
	 * models it clamps itself; else its prompts' own temperature (0) */
	double sent = used ? d : clamp ? 1 : 0;
	for (size_t i = 0; i < m->ntemps; i++)
		if (sent == m->temps[i])
			return;

	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < m->ntemps; i++)
		buf_printf(&b, "%s%g", i ? " or " : "", m->temps[i]);
	char *hint = xasprintf("%s=%g", TEMP_VAR, m->temps[0]);
	char *shown = t ? display_text(t->val, t->vlen, 20) : NULL;
	char *why;
	if (used && used < t->vlen)
		why = xasprintf("%s is '%s', which Kodus reads as %g "
		    "(parseFloat)", TEMP_VAR, shown, d);
	else if (used)
		why = xasprintf("%s is %s", TEMP_VAR, shown);
	else if (clamp)
		why = xasprintf("without %s Kodus sends temperature 1 itself",
		    TEMP_VAR);
	else if (t != NULL && t->vlen > 0)
		why = xasprintf("%s '%s' does not parse as a number "
		    "(Kodus reads it with parseFloat), so Kodus sends its "
		    "prompts' own temperature (0)", TEMP_VAR, shown);
	else if (t != NULL)
		why = xasprintf("%s is empty, so Kodus sends its prompts' own "
		    "temperature (0)", TEMP_VAR);
	else
		why = xasprintf("without %s Kodus sends its prompts' own "
		    "temperature (0)", TEMP_VAR);
	if (aggregator)
		lint_var(c->l, c->lf, R_TEMPERATURE_OVERRIDE, SEV_WARNING, t ?
		    TEMP_VAR : MODEL_VAR, hint,
		    "%s accepts only temperature %s; %s: "
		    "the providers behind %s are likely to answer 400 "
		    "\"invalid temperature\"", m->id, b.data, why,
		    c->fm->provider->name);
	else
		lint_var(c->l, c->lf, R_TEMPERATURE_OVERRIDE, SEV_ERROR, t ?
		    TEMP_VAR : MODEL_VAR, hint,
		    "%s accepts only temperature %s; %s: "
		    "every review fails with 400 \"invalid temperature\"",
		    m->id, b.data, why);
	free(why);
	free(shown);
	free(hint);
	buf_free(&b);
}

static void
check_model(struct ctx *c)
{
	const struct fixedmode *fm = c->fm;
	const struct catalog *cat = &c->l->cat;
	const struct provider *p = fm->provider;
	const char *today = c->l->opt.today;
	const struct model *m = catalog_model(cat, fm->model);
	int served = m != NULL && p != NULL && (model_has_provider(m, p->id) ||
	    (m->nproviders > 0 && provider_is_sibling(p, m->providers[0])));
	int has_models = p != NULL && provider_has_models(cat, p->id);
	int aggregator = p != NULL && is_aggregator(cat, p->id);

	if (m != NULL && p != NULL && !served && !has_models) {
		/* e.g. a Moonshot model sent to OpenAI's default URL */
		const struct provider *home = catalog_provider(cat,
		    m->providers[0]);
		char *hint = xasprintf("%s=%s", BASE_VAR, home->base_url);
		lint_var(c->l, c->lf, R_MODEL_UNKNOWN, SEV_ERROR, MODEL_VAR,
		    hint, "%s is "
		    "a %s model, but Kodus sends it to %s (%s)%s", fm->model,
		    home->name, fm->base_url, p->name, fm->base_from_env ? "" :
		    ": API_OPENAI_FORCE_BASE_URL is empty");
		free(hint);
		return;
	}
	if (has_models && !served) {
		if (!aggregator || aggregator_knows(cat, p->id, fm->model))
			unknown_model(c, p, aggregator);
		return;
	}
	if (m == NULL)
		return;

	if (m->retired != NULL) {
		char *hint = m->replacement ? xasprintf("%s=%s", MODEL_VAR,
		    m->replacement) : NULL;
		if (strcmp(m->retired, "yes") == 0)
			lint_var(c->l, c->lf, R_MODEL_RETIRED, SEV_ERROR,
			    MODEL_VAR, hint,
			    "%s is retired: the provider answers 404", m->id);
		else if (model_gone(m, today))
			lint_var(c->l, c->lf, R_MODEL_RETIRED, SEV_ERROR,
			    MODEL_VAR, hint,
			    "%s was retired on %s: the provider answers 404",
			    m->id, m->retired);
		else
			lint_var(c->l, c->lf, R_MODEL_RETIRED, SEV_WARNING,
			    MODEL_VAR, hint, "%s will be retired on %s", m->id,
			    m->retired);
		free(hint);
	}
	if (m->ntemps > 0)
		check_temperature(c, m, aggregator);
}

/* Fixed Mode off. Reviews then need each organisation's BYOK key, but
 * Kodus's own helper calls in auto mode still send API_OPEN_AI_API_KEY to
 * the catalog's [kodus] auto_helper_base_url, whatever the base URL. */
static void
check_off(struct ctx *c)
{
	const struct fixedmode *fm = c->fm;
	const struct catalog *cat = &c->l->cat;
	const struct envmap *env = c->lf->env;
	const struct envvar *k = env_nonempty(env, "API_OPEN_AI_API_KEY");
	const struct envvar *b = env_nonempty(env, BASE_VAR);
	const char *helper = cat->kodus.auto_helper_base_url;
	const char *state = fm->model ? "auto" : "not set";

	if (k != NULL && helper != NULL) {
		const struct provider *hp = catalog_match_url(cat, helper);
		size_t kl;
		int amb;
		const struct provider *kp = catalog_match_key(cat, k->val,
		    k->vlen, &kl, &amb);
		if (kp == hp || amb)
			kp = NULL;
		const struct provider *bp = NULL;
		char *bz = b ? xstrndup(b->val, b->vlen) : NULL;
		int foreign_base = 0;
		if (bz != NULL) {
			bp = catalog_match_url(cat, bz);
			foreign_base = bp == NULL || bp != hp;
		}
		if (kp != NULL || foreign_base) {
			struct url hu;
			const char *why;
			char host[256] = "";
			if (url_parse(helper, &hu, &why) == 0) {
				snprintf(host, sizeof host, "%s", hu.host);
				url_free(&hu);
			}
			char *whose = NULL;
			if (kp != NULL || bp != NULL)
				whose = xstrdup(kp ? kp->name : bp->name);
			else if (url_parse(bz, &hu, &why) == 0) {
				whose = display_text(hu.host, strlen(hu.host),
				    80);
				url_free(&hu);
			} else
				whose = xstrdup("another provider");
			lint_var(c->l, c->lf, R_LLM_NOT_CONFIGURED, SEV_WARNING,
			    "API_OPEN_AI_API_KEY", "set API_LLM_PROVIDER_MODEL "
			    "to your model to turn Fixed Mode on, or leave "
			    "API_OPEN_AI_API_KEY empty", "Fixed Mode is off "
			    "(%s is %s), and in auto mode Kodus's own helper "
			    "calls send API_OPEN_AI_API_KEY to %s, ignoring %s: "
			    "%s refuses a key meant for %s (401)", MODEL_VAR,
			    state, host, BASE_VAR, hp ? hp->name : host,
			    whose);
			free(whose);
			free(bz);
			return;
		}
		free(bz);
	}
	lint_var(c->l, c->lf, R_LLM_NOT_CONFIGURED, SEV_INFO,
	    envmap_getz(env, MODEL_VAR) ? MODEL_VAR : NULL, NULL,
	    "Fixed Mode is off (%s is %s): reviews use the key each "
	    "organisation sets in the web UI (BYOK)", MODEL_VAR, state);
}

/* A model that Kodus cannot use with the keys it finds: step 6 of the
 * provider choice, or an empty model. Returns 1 when nothing more is
 * worth checking. */
static int
check_unusable(struct ctx *c)
{
	const struct fixedmode *fm = c->fm;
	if (fm->model[0] == '\0') {
		if (fm->key != NULL) {
			lint_var(c->l, c->lf, R_LLM_NOT_CONFIGURED, SEV_ERROR,
			    MODEL_VAR,
			    "API_LLM_PROVIDER_MODEL=<model id>, or auto to "
			    "turn Fixed Mode off", "%s is empty, which is not "
			    "auto: with %s set Kodus counts the LLM as "
			    "configured and sends the model \"\", so every "
			    "review fails", MODEL_VAR, fm->key_var);
		} else
			lint_var(c->l, c->lf, R_LLM_NOT_CONFIGURED, SEV_INFO,
			    MODEL_VAR, NULL,
			    "%s is empty and API_OPEN_AI_API_KEY too: "
			    "Fixed Mode is not configured, reviews use the "
			    "key each organisation sets in the web UI (BYOK)",
			    MODEL_VAR);
		return 1;
	}
	char *shown = fm->gemini_fell_through ? display_text(fm->model,
	    strlen(fm->model), 80) : NULL;
	if (fm->gemini_fell_through && fm->key == NULL) {
		lint_var(c->l, c->lf, R_LLM_NOT_CONFIGURED, SEV_ERROR,
		    MODEL_VAR, "API_GOOGLE_AI_API_KEY=<your Gemini key>",
		    "%s is a Gemini "
		    "model, but none of API_GOOGLE_AI_API_KEY, "
		    "GOOGLE_GENERATIVE_AI_API_KEY, API_VERTEX_AI_API_KEY and "
		    "API_OPEN_AI_API_KEY is set: Kodus reports the LLM as not "
		    "configured and the first review fails", shown);
		free(shown);
		return 1;
	}
	if (fm->gemini_fell_through && !fm->base_from_env) {
		lint_var(c->l, c->lf, R_MODEL_UNKNOWN, SEV_ERROR, MODEL_VAR,
		    "API_GOOGLE_AI_API_KEY=<your Gemini key>", "%s is a Gemini "
		    "model, but with no Google key (API_GOOGLE_AI_API_KEY, "
		    "GOOGLE_GENERATIVE_AI_API_KEY or API_VERTEX_AI_API_KEY) "
		    "Kodus sends it to the OpenAI-compatible endpoint %s with "
		    "API_OPEN_AI_API_KEY, which has no such model", shown,
		    fm->base_url);
		free(shown);
		return 1;
	}
	free(shown);
	if (fm->key == NULL) {
		char *hint = xasprintf("%s=<your %s key>", fm->key_var,
		    fm->provider ? fm->provider->name :
		    fm->kind == FM_ANTHROPIC ? "Anthropic" : "provider");
		lint_var(c->l, c->lf, R_LLM_NOT_CONFIGURED, SEV_ERROR,
		    MODEL_VAR, hint,
		    "%s is set but %s is empty: Kodus reports the LLM as not "
		    "configured and the first review fails", MODEL_VAR,
		    fm->key_var);
		free(hint);
	}
	return 0;
}

void
rules_llm(struct lint *l)
{
	if (l->nf == 0)
		return;
	struct ctx c = { l, &l->f[l->primary], &l->fm };
	const struct fixedmode *fm = &l->fm;
	if (c.lf->env == NULL)
		return;

	if (fm->kind == FM_OFF) {
		check_off(&c);
		return;
	}
	if (check_unusable(&c))
		return;
	if (fm->base_from_env && fm->base_url != NULL &&
	    (fm->kind == FM_OPENAI || fm->kind == FM_ANTHROPIC))
		check_base(&c);
	if (fm->key != NULL && fm->kind != FM_VERTEX)
		check_key_sendable(&c);
	check_key(&c);
	check_model(&c);
	if (fm->kind == FM_OPENAI && fm->is_claude && fm->via_proxy)
		lint_var(l, c.lf, R_ANTHROPIC_PROXY, SEV_INFO, BASE_VAR, NULL,
		    "%s "
		    "with the base URL %s runs in OpenAI-compatible mode: "
		    "Kodus uses its Anthropic client only with no base URL or "
		    "one on %s", fm->model, fm->base_url,
		    l->cat.kodus.native_anthropic_host ?
		    l->cat.kodus.native_anthropic_host : "api.anthropic.com");
}
