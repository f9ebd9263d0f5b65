/* live.c - what to ask the provider, and what its answers mean for the
 * .env. Keys are sent only to the configured base URL or, for the region
 * diagnosis, to a catalog sibling of it; never over plain HTTP beyond
 * loopback unless --allow-http. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "live.h"
#include "secret.h"
#include "url.h"

#define BASE_VAR "API_OPENAI_FORCE_BASE_URL"
#define MODEL_VAR "API_LLM_PROVIDER_MODEL"

struct run {
	struct lint		*l;
	const struct live_opts	*o;
	struct live		*lv;
	const struct fixedmode	*fm;
	struct probe		*models, *balance, *chat;
	struct probe		*sib[8];
	const struct provider	*sibp[8];
	size_t			 nsib;
	const struct provider	*unsent[8];	/* siblings not asked */
	char			*unsent_why[8];
	size_t			 nunsent;
	char			*auth_header;	/* wiped */
	size_t			 first_diag;	/* the live check's findings */
};

static void
finding(struct run *r, enum rule_id rule, enum severity sev, const char *var,
    const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* lint_var on the primary file; a rule is reported once, from its first
 * request. */
static void
finding(struct run *r, enum rule_id rule, enum severity sev, const char *var,
    const char *hint, const char *fmt, ...)
{
	struct lint *l = r->l;
	for (size_t i = r->first_diag; i < l->diags.n; i++)
		if (l->diags.v[i].rid == rule)
			return;
	va_list ap;
	va_start(ap, fmt);
	lint_vvar(l, &l->f[l->primary], rule, sev, var, hint, fmt, ap);
	va_end(ap);
}

static char *
join(const char *base, const char *path)
{
	size_t bl = strlen(base);
	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	return xasprintf("%.*s%s", (int)bl, base, path);
}

static const char *
host_of(const char *u, char *out, size_t n)
{
	struct url x;
	const char *why;
	if (url_parse(u, &x, &why) != 0) {
		snprintf(out, n, "%s", u);
		return out;
	}
	if (x.port > 0)
		snprintf(out, n, "%s:%d", x.host, x.port);
	else
		snprintf(out, n, "%s", x.host);
	url_free(&x);
	return out;
}

static const char *
provider_name(const struct run *r)
{
	return r->fm->provider ? r->fm->provider->name : "the provider";
}

/* May the key travel to u? NULL when it may, else why not, in words
 * for "not sent: ...". Where the bytes really go decides: over http://
 * they cross in clear text to the host, or to a proxy (any proxy: it
 * reads them, and forwards them who knows where); over https:// a proxy
 * only tunnels TLS (CONNECT). --allow-http lifts both. *proxied: the
 * refusal is about a proxy. */
static char *
transport_refusal(const struct run *r, const char *u, int *proxied)
{
	struct url x;
	const char *why, *var;
	*proxied = 0;
	if (url_parse(u, &x, &why) != 0 || x.scheme == NULL) {
		url_free(&x);
		return xstrdup("the base URL is not a URL");
	}
	char *no = NULL;
	if (strcmp(x.scheme, "https") != 0 && strcmp(x.scheme, "http") != 0)
		no = xasprintf("the base URL scheme is %s", x.scheme);
	else if (strcmp(x.scheme, "http") == 0 && !r->o->allow_http) {
		const char *proxy = probe_proxy_for(u, &var);
		if (!url_host_is_loopback(x.host))
			no = xasprintf("the key would cross the network to %s "
			    "in clear text (http://)", x.host);
		else if (proxy != NULL) {
			char *shown = probe_proxy_shown(proxy);
			no = xasprintf("the key would cross to the proxy %s "
			    "(%s) in clear text (http://)", shown, var);
			free(shown);
			*proxied = 1;
		}
	}
	url_free(&x);
	return no;
}

static void
on_done(struct probe_engine *e, struct probe *p, void *ctx)
{
	struct run *r = ctx;
	if (p != r->models || p->cls.v != V_AUTH_FAILED || p->status != 401)
		return;
	/* A 401 costs nothing more on this host: drop what is queued. */
	if (r->balance && !r->balance->done)
		probe_cancel(e, r->balance);
	if (r->chat && !r->chat->done)
		probe_cancel(e, r->chat);
	const struct provider *pv = r->fm->provider;
	if (!r->o->cross_region || pv == NULL || r->fm->kind != FM_OPENAI)
		return;
	/* Moonshot answers a key from the other region with a bare 401:
	 * the only way to know is to ask the sibling with the same key. */
	const char *hdr[] = { r->auth_header, NULL };
	for (size_t i = 0; i < pv->nsiblings && r->nsib < 8; i++) {
		const struct provider *s = catalog_provider(&r->l->cat,
		    pv->siblings[i]);
		if (s == NULL || strcmp(s->api, "openai") != 0)
			continue;
		/* the same transport rules as the base URL */
		int proxied;
		char *no = transport_refusal(r, s->base_url, &proxied);
		if (no != NULL) {
			if (r->nunsent < 8) {
				r->unsent[r->nunsent] = s;
				r->unsent_why[r->nunsent++] = no;
			} else
				free(no);
			continue;
		}
		char *u = join(s->base_url, "/models");
		char *name = xasprintf("models on %s", s->id);
		r->sibp[r->nsib] = s;
		r->sib[r->nsib++] = probe_add(e, name, PK_MODELS, "GET", u,
		    NULL, hdr, s->max_concurrency, NULL);
		free(name);
		free(u);
	}
}

/* The closest ids in the provider's own list. */
static char *
closest_ids(const char *want, struct model_entry *m, long n)
{
	struct buf b;
	buf_init(&b);
	size_t wl = strlen(want), limit = 2 + wl / 3;
	int shown = 0;
	for (size_t d = 0; d <= limit && shown < 3; d++)
		for (long i = 0; i < n && shown < 3; i++) {
			size_t ml = strlen(m[i].id);
			size_t dist = (ml > wl && strncmp(m[i].id, want, wl)
			    == 0) || (wl > ml && strncmp(want, m[i].id, ml) ==
			    0) ? 1 : edit_distance_max(want, wl, m[i].id, ml,
			    limit);
			if (dist == d) {
				char *s = display_text(m[i].id, ml, 60);
				buf_printf(&b, "%s%s", shown ? ", " : "", s);
				free(s);
				shown++;
			}
		}
	return buf_steal(&b);
}

static void
judge_models(struct run *r)
{
	struct probe *p = r->models;
	const struct fixedmode *fm = r->fm;
	const char *keyvar = fm->key_var;
	char host[128];
	char *mk = secret_mask(fm->key, fm->key_len);

	if (p->cls.v == V_AUTH_FAILED && p->status == 401) {
		for (size_t i = 0; i < r->nsib; i++) {
			const struct probe *s = r->sib[i];
			if (s->cancelled || s->cls.v != V_OK)
				continue;
			const struct provider *sp = r->sibp[i];
			char *hint = xasprintf("%s=%s", BASE_VAR, sp->base_url);
			char plat[128] = "", there[128];
			if (sp->console != NULL)
				host_of(sp->console, plat, sizeof plat);
			finding(r, R_REGION_MISMATCH, SEV_ERROR,
			    fm->base_from_env ? BASE_VAR : keyvar, hint,
			    "the key %s was issued on %s (%s): %s refuses it "
			    "with 401 and %s accepts it", mk, *plat ? plat :
			    sp->name, sp->name, host_of(p->url, host,
			    sizeof host), host_of(sp->base_url, there,
			    sizeof there));
			free(hint);
			free(mk);
			return;
		}
	}

	/* 5xx after the retries, network, TLS, proxy: no verdict */
	if (verdict_unreachable(p->cls.v))
		r->lv->unreachable = 1;
	switch (p->cls.v) {
	case V_OK: {
		r->lv->models_ok = 1;
		struct model_entry *m = NULL;
		long n = parse_model_list(p->resp.data ? p->resp.data : "",
		    p->resp.len, &m);
		if (n < 0) {
			r->lv->unreachable = 1;
			finding(r, R_PROVIDER_ERROR, SEV_ERROR, BASE_VAR, NULL,
			    "%s answered 200 but the model list is not valid "
			    "JSON: something between here and %s is answering",
			    host_of(p->url, host, sizeof host),
			    provider_name(r));
			break;
		}
		r->lv->model_listed = 0;
		for (long i = 0; i < n; i++)
			if (strcmp(m[i].id, fm->model) == 0) {
				r->lv->model_listed = 1;
				r->lv->context = m[i].context;
			}
		if (!r->lv->model_listed) {
			char *near = closest_ids(fm->model, m, n);
			char *hint = NULL;
			if (*near) {
				size_t l = strcspn(near, ",");
				hint = xasprintf("%s=%.*s", MODEL_VAR, (int)l,
				    near);
			}
			finding(r, R_MODEL_NOT_FOUND, SEV_ERROR, MODEL_VAR,
			    hint, "%s is not among the %ld models this key "
			    "can use at %s%s%s", fm->model, n,
			    host_of(p->url, host, sizeof host),
			    *near ? "; closest: " : "", near);
			free(hint);
			free(near);
		}
		free_model_list(m, n);
		break;
	}
	case V_AUTH_FAILED: {
		/* the siblings that refused the key, and those that could
		 * not tell (unreachable, down): only the first are evidence */
		struct buf refused, unknown;
		buf_init(&refused);
		buf_init(&unknown);
		for (size_t i = 0; i < r->nsib; i++) {
			const struct probe *s = r->sib[i];
			if (s->cancelled)
				continue;
			char h[128];
			host_of(r->sibp[i]->base_url, h, sizeof h);
			if (s->cls.v == V_AUTH_FAILED)
				buf_printf(&refused, "%s%s", refused.len ?
				    ", " : "", h);
			else
				buf_printf(&unknown, "%s%s (%s)", unknown.len ?
				    ", " : "", h, verdict_rule(s->cls.v));
		}
		for (size_t i = 0; i < r->nunsent; i++) {
			char h[128];
			host_of(r->unsent[i]->base_url, h, sizeof h);
			buf_printf(&unknown, "%s%s (not sent: %s)", unknown.len ?
			    ", " : "", h, r->unsent_why[i]);
		}
		char *hint = fm->provider && fm->provider->console ?
		    xasprintf("create a key at %s and set %s",
		    fm->provider->console, keyvar) : xasprintf("set %s to a "
		    "valid key", keyvar);
		finding(r, R_AUTH_FAILED, SEV_ERROR, keyvar, hint, "%s %s: "
		    "HTTP %ld for the key %s (%s)%s%s%s%s%s%s", p->method,
		    p->url, p->status, mk, p->cls.message, refused.len ?
		    "; the other regions refuse it too (" : "", refused.len ?
		    refused.data : "", refused.len ? ")" : "", unknown.len ?
		    "; could not ask " : "", unknown.len ? unknown.data : "",
		    unknown.len ? " whether it accepts it" : "");
		free(hint);
		buf_free(&refused);
		buf_free(&unknown);
		break;
	}
	default:
		break;
	}
	free(mk);
}

static void
judge_common(struct run *r, struct probe *p)
{
	const struct fixedmode *fm = r->fm;
	const char *keyvar = fm->key_var;
	const char *urlvar = fm->base_from_env ? BASE_VAR : keyvar;
	char host[128];
	host_of(p->url, host, sizeof host);
	const char *console = fm->provider && fm->provider->console ?
	    fm->provider->console : NULL;
	char *hint = NULL;

	/* any request without an answer leaves the run without a verdict
	 * (the balance's or the chat's as much as the model list's) */
	if (verdict_unreachable(p->cls.v))
		r->lv->unreachable = 1;
	switch (p->cls.v) {
	case V_OK:
	case V_AUTH_FAILED:
	case V_REGION_MISMATCH:
		break;
	case V_INSUFFICIENT_BALANCE:
		hint = console ? xasprintf("add funds at %s", console) : NULL;
		finding(r, R_INSUFFICIENT_BALANCE, SEV_ERROR, keyvar, hint,
		    "the account has no money left: %s answers HTTP %ld (%s); "
		    "every review would fail", host, p->status, p->cls.message);
		break;
	case V_RATE_LIMITED:
		finding(r, R_RATE_LIMITED, SEV_WARNING, keyvar, NULL,
		    "HTTP 429 "
		    "from %s: the key works, but the account is throttled "
		    "(%s)", host, p->cls.message);
		break;
	case V_MODEL_NOT_FOUND:
		finding(r, R_MODEL_NOT_FOUND, SEV_ERROR, MODEL_VAR, NULL,
		    "%s answers 404 for the model %s (%s)", host, fm->model,
		    p->cls.message);
		break;
	case V_BASE_URL_NOT_FOUND:
		hint = fm->provider ? xasprintf("%s=%s", BASE_VAR,
		    fm->provider->base_url) : NULL;
		finding(r, R_BASE_URL_NOT_FOUND, SEV_ERROR, urlvar, hint,
		    "%s %s answers 404: there is no API at this base URL",
		    p->method, p->url);
		break;
	case V_IP_NOT_ALLOWED:
		hint = console ? xasprintf("add this machine's address to the "
		    "allow-list at %s", console) : NULL;
		finding(r, R_IP_NOT_ALLOWED, SEV_ERROR, keyvar, hint,
		    "HTTP 403 "
		    "from %s: this machine's IP address is not on the "
		    "organisation's allow-list (%s)", host, p->cls.message);
		break;
	case V_REDIRECT:
		hint = fm->provider ? xasprintf("%s=%s", BASE_VAR,
		    fm->provider->base_url) : NULL;
		finding(r, R_REDIRECT, SEV_ERROR, urlvar, hint, "HTTP %ld from "
		    "%s, redirecting to %s: the base URL is not the API itself "
		    "(redirects are not followed, so the key never goes to "
		    "another host)", p->status, host, p->cls.location_host ?
		    p->cls.location_host : "(no Location)");
		break;
	case V_PROVIDER_ERROR:
		finding(r, R_PROVIDER_ERROR, SEV_ERROR, urlvar, NULL, "%s %s: "
		    "%s after %d attempt%s: no verdict, try again later",
		    p->method, p->url, p->cls.message, p->attempts,
		    p->attempts == 1 ? "" : "s");
		break;
	case V_NETWORK:
		finding(r, R_NETWORK, SEV_ERROR, urlvar, NULL, "%s: %s after "
		    "%d attempt%s", host, p->cls.message, p->attempts,
		    p->attempts == 1 ? "" : "s");
		break;
	case V_TLS:
		finding(r, R_TLS, SEV_ERROR, urlvar, "if the provider uses a "
		    "private CA, pass --cacert FILE", "the TLS connection to "
		    "%s is not trusted: %s", host, p->cls.message);
		break;
	case V_PROXY:
		finding(r, R_PROXY, SEV_ERROR, urlvar, "check https_proxy, "
		    "all_proxy and no_proxy", "the proxy on the way to %s "
		    "failed: %s", host, p->cls.message);
		break;
	case V_COUNT:
		break;
	}
	free(hint);
}

static void
judge_balance(struct run *r)
{
	struct probe *p = r->balance;
	if (p == NULL || p->cancelled || p->cls.v != V_OK)
		return;
	double avail;
	if (parse_balance(p->resp.data ? p->resp.data : "", p->resp.len,
	    &avail) != 0)
		return;
	r->lv->have_balance = 1;
	r->lv->balance = avail;
	r->lv->currency = r->fm->provider ? r->fm->provider->currency : NULL;
	if (avail <= 0) {
		const char *console = r->fm->provider ?
		    r->fm->provider->console : NULL;
		char *hint = console ? xasprintf("add funds at %s", console) :
		    NULL;
		finding(r, R_INSUFFICIENT_BALANCE, SEV_ERROR, r->fm->key_var,
		    hint, "the available balance is %.2f%s%s: requests with "
		    "this key will fail", avail, r->lv->currency ? " " : "",
		    r->lv->currency ? r->lv->currency : "");
		free(hint);
	} else if (r->o->have_min_balance && avail < r->o->min_balance) {
		/* still working, but not for long: a scheduled run says so
		 * before the reviews stop */
		const char *console = r->fm->provider ?
		    r->fm->provider->console : NULL;
		const char *cur = r->lv->currency ? r->lv->currency : "";
		char *hint = console ? xasprintf("add funds at %s", console) :
		    NULL;
		finding(r, R_BALANCE_LOW, SEV_WARNING, r->fm->key_var, hint,
		    "the available balance is %.2f%s%s, under the floor of "
		    "%.2f%s%s (--min-balance): reviews stop when it reaches "
		    "zero", avail, *cur ? " " : "", cur, r->o->min_balance,
		    *cur ? " " : "", cur);
		free(hint);
	}
}

/* --deep: a chat answer that took longer than --slow-after. */
static void
judge_speed(struct run *r)
{
	struct probe *p = r->chat;
	if (p == NULL || p->cancelled || p->cls.v != V_OK ||
	    p->timing.total_us < 0)
		return;
	double s = (double)p->timing.total_us / 1e6;
	if (s <= r->o->slow_after)
		return;
	finding(r, R_SLOW_RESPONSE, SEV_INFO, MODEL_VAR, "if latency "
	    "matters, use a non-thinking model for routine reviews",
	    "the chat request to %s took %.1f s to answer (over %g s, "
	    "--slow-after): the first call after a quiet period may "
	    "cold-start on %s's side, or %s is a thinking model where a "
	    "non-thinking one would serve routine reviews", r->fm->model,
	    s, r->o->slow_after, provider_name(r), r->fm->model);
}

/* Can the key be sent to the base URL? */
static int
allowed(struct run *r, const char *u)
{
	int proxied;
	char *no = transport_refusal(r, u, &proxied);
	if (no == NULL)
		return 1;
	struct url x;
	const char *why;
	int is_http = url_parse(u, &x, &why) == 0 && x.scheme != NULL &&
	    strcmp(x.scheme, "http") == 0;
	url_free(&x);
	if (proxied) {
		/* the .env may be right: this run cannot tell, status 3 */
		r->lv->unreachable = 1;
		finding(r, R_PROXY, SEV_ERROR, BASE_VAR, "use https://, name "
		    "the host in no_proxy, or pass --allow-http to send the "
		    "key in clear text anyway", "not sent: %s", no);
	} else if (is_http)
		finding(r, R_BASE_URL_SCHEME, SEV_ERROR, BASE_VAR, "use "
		    "https://, or pass --allow-http to send the key in clear "
		    "text anyway", "not sent: %s", no);
	r->lv->skipped = no;
	return 0;
}

static void
plan(struct run *r, struct probe_engine *e)
{
	const struct fixedmode *fm = r->fm;
	int maxc = fm->provider ? fm->provider->max_concurrency : 1;
	const char *hdr[3] = { NULL, NULL, NULL };
	char *body = NULL;

	switch (fm->kind) {
	case FM_ANTHROPIC:
		r->auth_header = xasprintf("x-api-key: %s", fm->key);
		hdr[0] = r->auth_header;
		hdr[1] = "anthropic-version: 2023-06-01";
		break;
	case FM_GEMINI:
		r->auth_header = xasprintf("x-goog-api-key: %s", fm->key);
		hdr[0] = r->auth_header;
		break;
	default:
		r->auth_header = xasprintf("Authorization: Bearer %s", fm->key);
		hdr[0] = r->auth_header;
		break;
	}
	char *u = join(fm->base_url, "/models");
	r->models = probe_add(e, "models", PK_MODELS, "GET", u, NULL, hdr,
	    maxc, NULL);
	free(u);
	if (fm->kind == FM_OPENAI && fm->provider &&
	    fm->provider->balance_path) {
		u = join(fm->base_url, fm->provider->balance_path);
		r->balance = probe_add(e, "balance", PK_BALANCE, "GET", u,
		    NULL, hdr, maxc, NULL);
		free(u);
	}
	if (!r->o->deep)
		return;
	/* As Kodus's own Test button: "ping", 16 tokens, no temperature
	 * or top_p (fixed-temperature models refuse any other value). */
	char *m = json_quote(fm->model);
	switch (fm->kind) {
	case FM_GEMINI: {
		char *path = xasprintf("/models/%s:generateContent", fm->model);
		u = join(fm->base_url, path);
		free(path);
		body = xstrdup("{\"contents\":[{\"parts\":[{\"text\":\"ping\"}]}],"
		    "\"generationConfig\":{\"maxOutputTokens\":16}}");
		break;
	}
	case FM_ANTHROPIC:
		u = join(fm->base_url, "/messages");
		body = xasprintf("{\"model\":%s,\"max_tokens\":16,\"messages\":"
		    "[{\"role\":\"user\",\"content\":\"ping\"}]}", m);
		break;
	default:
		u = join(fm->base_url, "/chat/completions");
		body = xasprintf("{\"model\":%s,\"messages\":[{\"role\":\"user\","
		    "\"content\":\"ping\"}],\"max_tokens\":16}", m);
		break;
	}
	r->chat = probe_add(e, "chat", PK_CHAT, "POST", u, body, hdr, maxc,
	    NULL);
	free(m);
	free(u);
	free(body);
}

/* A server may echo what it was sent: never let the key through in its
 * words, whatever the key's shape or length. Every occurrence of the
 * whole key becomes its mask; then a word sharing a run of characters
 * with the key (6, or a third of a key shorter than 18, at least 3: its
 * start, a middle, its end) becomes the key's mask; then any other
 * key-shaped word is masked as well. */
static int
word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static void
scrub(char **msg, const char *key, size_t klen)
{
	if (*msg == NULL || klen == 0)
		return;
	size_t run = klen >= 18 ? 6 : klen / 3 < 3 ? 3 : klen / 3;
	char *m = secret_mask(key, klen);
	const char *s = *msg;
	size_t n = strlen(s), i = 0;
	struct buf a, b;
	buf_init(&a);
	buf_init(&b);
	while (i < n) {
		const char *p = memmem(s + i, n - i, key, klen);
		if (p == NULL) {
			buf_add(&a, s + i, n - i);
			break;
		}
		buf_add(&a, s + i, (size_t)(p - s) - i);
		buf_addstr(&a, m);
		i = (size_t)(p - s) + klen;
	}
	s = a.data ? a.data : "";
	n = a.len;
	i = 0;
	while (i < n) {
		size_t w = i;
		while (w < n && word_char(s[w]))
			w++;
		int hit = 0;
		for (size_t k = i; klen >= run && w - i >= run && k + run <= w &&
		    !hit; k++)
			hit = memmem(key, klen, s + k, run) != NULL;
		if (hit)
			buf_addstr(&b, m);
		else
			buf_add(&b, s + i, w - i);
		i = w;
		while (i < n && !word_char(s[i]))
			buf_addc(&b, s[i++]);
	}
	size_t rl;
	char *r = secret_redact(b.data ? b.data : "", b.len, &rl);
	buf_wipe(&a);
	buf_wipe(&b);
	free(m);
	wipe(*msg, strlen(*msg));
	free(*msg);
	*msg = r;
}

int
live_run(struct lint *l, const struct live_opts *o, struct live *lv,
    char **cause)
{
	memset(lv, 0, sizeof *lv);
	lv->model_listed = -1;
	if (l->nf == 0)
		return 0;
	const struct fixedmode *fm = &l->fm;
	struct run r;
	memset(&r, 0, sizeof r);
	r.l = l;
	r.o = o;
	r.lv = lv;
	r.fm = fm;
	r.first_diag = l->diags.n;
	lv->provider = fm->provider;
	lv->base_url = fm->base_url ? xstrdup(fm->base_url) : NULL;
	lv->model = fm->model ? xstrdup(fm->model) : NULL;
	lv->have_min_balance = o->have_min_balance;
	lv->min_balance = o->min_balance;

	if (fm->kind == FM_OFF) {
		lv->skipped = xstrdup("Fixed Mode is off");
		return 0;
	}
	if (fm->key == NULL) {
		lv->skipped = xasprintf("%s is empty", fm->key_var);
		return 0;
	}
	if (fm->kind == FM_VERTEX || fm->base_url == NULL) {
		lv->skipped = xstrdup("Vertex AI is not checked live");
		return 0;
	}
	char kb[64];
	size_t at;
	if (fm_key_unsendable(fm->key, fm->key_len, &at, kb, sizeof kb) !=
	    NULL) {
		/* key-invalid says why; a CR or LF would forge headers */
		lv->skipped = xasprintf("%s cannot be sent in an HTTP header",
		    fm->key_var);
		return 0;
	}
	if (url_secret_part(fm->base_url, fm->key, fm->key_len) != NULL) {
		/* reported offline as secret-in-url */
		lv->skipped = xstrdup("the base URL holds a secret; not sent");
		return 0;
	}
	if (!allowed(&r, fm->base_url))
		return 0;

	struct probe_engine *e = probe_engine_new(&o->probe, cause);
	if (e == NULL)
		return -1;
	plan(&r, e);
	lv->ran = 1;
	probe_run(e, on_done, &r);
	for (size_t i = 0; i < probe_count(e); i++) {
		struct probe *p = probe_get(e, i);
		scrub(&p->cls.message, fm->key, fm->key_len);
		scrub(&p->cls.error_type, fm->key, fm->key_len);
		scrub(&p->cls.location_host, fm->key, fm->key_len);
	}

	judge_models(&r);
	judge_common(&r, r.models);
	for (size_t i = 0; i < probe_count(e); i++) {
		struct probe *p = probe_get(e, i);
		if (p == r.models || p->cancelled)
			continue;
		int sibling = 0;
		for (size_t k = 0; k < r.nsib; k++)
			sibling |= p == r.sib[k];
		if (!sibling)
			judge_common(&r, p);
	}
	judge_balance(&r);
	judge_speed(&r);

	lv->probes = xcalloc(probe_count(e) ? probe_count(e) : 1,
	    sizeof *lv->probes);
	for (size_t i = 0; i < probe_count(e); i++) {
		struct probe *p = probe_get(e, i);
		if (p->cancelled)
			continue;
		struct live_probe *q = &lv->probes[lv->nprobes++];
		q->name = xstrdup(p->name);
		q->method = xstrdup(p->method);
		q->url = xstrdup(p->url);
		q->status = p->status;
		q->verdict = xstrdup(verdict_rule(p->cls.v));
		q->elapsed_ms = p->elapsed_ms;
		q->attempts = p->attempts;
		q->timing = p->timing;
	}
	probe_engine_free(e);
	for (size_t i = 0; i < r.nunsent; i++)
		free(r.unsent_why[i]);
	if (r.auth_header != NULL)
		wipe(r.auth_header, strlen(r.auth_header));
	free(r.auth_header);
	return 0;
}

void
live_free(struct live *lv)
{
	for (size_t i = 0; i < lv->nprobes; i++) {
		free(lv->probes[i].name);
		free(lv->probes[i].method);
		free(lv->probes[i].url);
		free(lv->probes[i].verdict);
	}
	free(lv->probes);
	free(lv->skipped);
	free(lv->base_url);
	free(lv->model);
	memset(lv, 0, sizeof *lv);
}
