/* classify.c - provider answers to verdicts. */
#include "config.h"

#include <cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "diag.h"
#include "util.h"

#define VERDICT_NONE(name)
#define VERDICT_VERDICT(name)		[V_##name] = R_##name,
#define VERDICT_NO_VERDICT(name)	[V_##name] = R_##name,
static const enum rule_id verdict_rules[V_COUNT] = {
#define RULE(name, id, group, live, summary) VERDICT_##live(name)
#include "rules.def"
#undef RULE
};

const char *
verdict_rule(enum verdict v)
{
	return v == V_OK ? "ok" : rule_name(verdict_rules[v]);
}

int
verdict_unreachable(enum verdict v)
{
	return v != V_OK && rule_no_verdict(verdict_rules[v]);
}

/* Case-insensitive search for any of the words. */
static int
mentions(const char *s, const char *const *words)
{
	if (s == NULL)
		return 0;
	for (; *words != NULL; words++) {
		size_t wl = strlen(*words);
		for (const char *p = s; *p; p++)
			if (strncasecmp(p, *words, wl) == 0)
				return 1;
	}
	return 0;
}

static const char *const quota_words[] = {
	"quota", "credit", "billing", "balance", "payment", "recharge",
	"insufficient", NULL
};
static const char *const allow_words[] = {
	"allow list", "allowlist", "allow-list", "whitelist", "white list",
	"ip address", "your ip", "not allowed from", NULL
};

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

/* "Sun, 06 Nov 1994 08:49:37 GMT" */
static long
http_date(const char *s)
{
	char mon[4];
	int d, y, h, mi, se;
	const char *c = strchr(s, ',');
	if (c == NULL || sscanf(c + 1, " %d %3s %d %d:%d:%d", &d, mon, &y, &h,
	    &mi, &se) != 6)
		return -1;
	int m = -1;
	for (int i = 0; i < 12; i++)
		if (strcmp(mon, months[i]) == 0)
			m = i;
	if (m < 0 || y < 1970 || y > 3000 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 60)
		return -1;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	return (long)timegm(&tm);
}

long
retry_after_ms(const char *ra, const char *ms, long now)
{
	long v;
	if (ms != NULL) {
		char *z = xstrdup(ms);
		char *e = z + strlen(z);
		while (e > z && isspace((unsigned char)e[-1]))
			*--e = '\0';
		int ok = parse_long(z, 0, 86400000L, &v) == 0;
		free(z);
		if (ok)
			return v;
	}
	if (ra != NULL) {
		char *z = xstrdup(ra);
		char *e = z + strlen(z);
		while (e > z && isspace((unsigned char)e[-1]))
			*--e = '\0';
		int ok = parse_long(z, 0, 86400L, &v) == 0;
		free(z);
		if (ok)
			return v * 1000;
		long t = http_date(ra);
		if (t >= 0)
			return t > now ? (t - now) * 1000 : 0;
	}
	return -1;
}

/* A JSON string or number member as text. */
static char *
member_text(const cJSON *o, const char *name)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, name);
	if (cJSON_IsString(x) && x->valuestring != NULL &&
	    x->valuestring[0] != '\0')
		return xstrdup(x->valuestring);
	if (cJSON_IsNumber(x))
		return xasprintf("%.0f", x->valuedouble);
	return NULL;
}

/* {"error":{"message","type","code","status"}} (OpenAI, Moonshot,
 * Gemini) or {"type":"error","error":{...}} (Anthropic). */
static void
error_body(const char *body, size_t len, char **type, char **message)
{
	*type = *message = NULL;
	if (body == NULL || len == 0)
		return;
	cJSON *root = cJSON_ParseWithLength(body, len);
	if (root == NULL)
		return;
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
	if (cJSON_IsObject(e)) {
		*type = member_text(e, "type");
		if (*type == NULL)
			*type = member_text(e, "code");
		if (*type == NULL)
			*type = member_text(e, "status");
		*message = member_text(e, "message");
	} else if (cJSON_IsString(e) && e->valuestring != NULL)
		*message = xstrdup(e->valuestring);
	cJSON_Delete(root);
}

static int
looks_html(const struct http_result *r)
{
	if (r->content_type != NULL && strstr(r->content_type, "html"))
		return 1;
	for (size_t i = 0; i < r->body_len; i++) {
		if (isspace((unsigned char)r->body[i]))
			continue;
		return r->body[i] == '<';
	}
	return 0;
}

/* One printable line of at most 200 characters. */
static char *
line_of(const char *s)
{
	char *d = display_text(s, strlen(s), 200);
	return d;
}

static const char *
transport_words(enum transport t)
{
	switch (t) {
	case T_DNS: return "DNS lookup failed";
	case T_REFUSED: return "connection refused";
	case T_RESET: return "connection reset";
	case T_TIMEOUT: return "timed out";
	case T_TLS_VERIFY: return "TLS certificate not accepted";
	case T_TLS_HANDSHAKE: return "TLS handshake failed";
	case T_TLS_CAFILE: return "CA certificate file unusable";
	case T_PROXY: return "proxy failed";
	case T_TOO_LARGE: return "answer larger than the cap";
	default: return "transfer failed";
	}
}

size_t
answer_cap(enum probe_kind k)
{
	return k == PK_MODELS ? ANSWER_CAP_MODELS : ANSWER_CAP;
}

static int
member_is(const cJSON *o, const char *name,
    cJSON_bool (*is)(const cJSON *))
{
	return is(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* Why a 2xx is not the API's answer to this request, or NULL: a model
 * list has "data" (OpenAI, Anthropic) or "models" (Gemini); a balance
 * has data.available_balance; a chat answer has "choices" (OpenAI),
 * "content" (Anthropic) or "candidates" (Gemini). */
static char *
not_the_answer(const struct http_result *r)
{
	if (r->transport == T_TOO_LARGE)
		return xasprintf("HTTP %ld with an answer larger than %zu MiB: "
		    "not the API's answer", r->status,
		    answer_cap(r->kind) >> 20);
	cJSON *root = r->body ? cJSON_ParseWithLength(r->body, r->body_len) :
	    NULL;
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		if (looks_html(r))
			return xasprintf("HTTP %ld with an HTML page, not the "
			    "API's JSON (a gateway, proxy or login page "
			    "answered)", r->status);
		return xasprintf("HTTP %ld but the answer is not valid JSON "
		    "(something other than the API answered)", r->status);
	}
	const char *want = NULL;
	switch (r->kind) {
	case PK_MODELS:
		if (!member_is(root, "data", cJSON_IsArray) &&
		    !member_is(root, "models", cJSON_IsArray))
			want = "no model list (\"data\")";
		break;
	case PK_BALANCE: {
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "data");
		if (!cJSON_IsObject(d) || !member_is(d, "available_balance",
		    cJSON_IsNumber))
			want = "no balance (\"data\".\"available_balance\")";
		break;
	}
	case PK_CHAT:
		if (!member_is(root, "choices", cJSON_IsArray) &&
		    !member_is(root, "content", cJSON_IsArray) &&
		    !member_is(root, "candidates", cJSON_IsArray))
			want = "no completion (\"choices\")";
		break;
	}
	cJSON_Delete(root);
	return want ? xasprintf("HTTP %ld but the answer has %s: not the "
	    "API's answer", r->status, want) : NULL;
}

void
classify(const struct http_result *r, long now, struct classified *c)
{
	memset(c, 0, sizeof *c);
	c->retry_after_ms = retry_after_ms(r->retry_after, r->retry_after_ms,
	    now);
	char *type = NULL, *msg = NULL;

	if (r->status == 0) {
		switch (r->transport) {
		case T_TLS_VERIFY:
		case T_TLS_HANDSHAKE:
		case T_TLS_CAFILE:
			c->v = V_TLS;
			break;
		case T_PROXY:
			c->v = V_PROXY;
			c->retryable = 1;
			break;
		default:
			/* all transient: a container may start before its
			 * network, DNS included */
			c->v = V_NETWORK;
			c->retryable = 1;
			break;
		}
		c->message = r->detail && *r->detail ?
		    xasprintf("%s: %s", transport_words(r->transport),
		    r->detail) : xstrdup(transport_words(r->transport));
		char *l = line_of(c->message);
		free(c->message);
		c->message = l;
		return;
	}

	error_body(r->body, r->body_len, &type, &msg);
	c->error_type = type ? line_of(type) : NULL;
	free(type);
	long s = r->status;

	if (s >= 200 && s < 300) {
		/* a 200 proves nothing unless it is the API's answer */
		c->message = not_the_answer(r);
		c->v = c->message ? V_PROVIDER_ERROR : V_OK;
	} else if (s >= 300 && s < 400) {
		c->v = V_REDIRECT;
		if (r->location != NULL) {
			/* the host only: a Location may carry a query */
			const char *p = strstr(r->location, "://");
			p = p ? p + 3 : r->location;
			size_t n = strcspn(p, "/?#");
			c->location_host = display_text(p, n, 100);
		}
	} else if (s == 401) {
		c->v = V_AUTH_FAILED;
	} else if (s == 402) {
		c->v = V_INSUFFICIENT_BALANCE;
	} else if (s == 403) {
		c->v = mentions(msg, allow_words) ? V_IP_NOT_ALLOWED :
		    V_AUTH_FAILED;
	} else if (s == 404) {
		int model = mentions(msg, (const char *const[]){ "model",
		    NULL });
		c->v = r->kind == PK_MODELS ? V_BASE_URL_NOT_FOUND :
		    model ? V_MODEL_NOT_FOUND : V_BASE_URL_NOT_FOUND;
	} else if (s == 429) {
		const char *t = c->error_type ? c->error_type : "";
		if (strstr(t, "exceeded_current_quota") ||
		    strstr(t, "insufficient_quota") ||
		    mentions(msg, quota_words))
			c->v = V_INSUFFICIENT_BALANCE;
		else if (strstr(t, "overloaded") || mentions(msg,
		    (const char *const[]){ "overloaded", NULL })) {
			c->v = V_PROVIDER_ERROR;
			c->retryable = 1;
		} else
			c->v = V_RATE_LIMITED;
	} else if (s >= 500) {
		c->v = V_PROVIDER_ERROR;
		c->retryable = 1;
	} else {
		c->v = V_PROVIDER_ERROR;
	}

	if (msg != NULL) {
		free(c->message);
		c->message = line_of(msg);
	} else if (s >= 400 && looks_html(r))
		c->message = xasprintf("HTTP %ld with an HTML page (a gateway "
		    "or proxy answered, not the API)", s);
	else if (c->message == NULL)
		c->message = xasprintf("HTTP %ld", s);
	free(msg);
}

void
classified_free(struct classified *c)
{
	free(c->error_type);
	free(c->message);
	free(c->location_host);
	memset(c, 0, sizeof *c);
}

/* Caps what a hostile answer can make us hold. */
#define MAX_MODELS 4096

long
parse_model_list(const char *body, size_t len, struct model_entry **out)
{
	*out = NULL;
	cJSON *root = cJSON_ParseWithLength(body, len);
	if (root == NULL)
		return -1;
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "data");
	int gemini = 0;
	if (!cJSON_IsArray(arr)) {
		arr = cJSON_GetObjectItemCaseSensitive(root, "models");
		gemini = 1;
	}
	if (!cJSON_IsArray(arr)) {
		cJSON_Delete(root);
		return -1;
	}
	long n = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		if (n >= MAX_MODELS)
			break;
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(it,
		    gemini ? "name" : "id");
		if (!cJSON_IsString(id) || id->valuestring == NULL)
			continue;
		const char *name = id->valuestring;
		if (gemini && strncmp(name, "models/", 7) == 0)
			name += 7;
		*out = xreallocarray(*out, (size_t)n + 1, sizeof **out);
		(*out)[n].id = xstrdup(name);
		const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(it,
		    gemini ? "inputTokenLimit" : "context_length");
		(*out)[n].context = cJSON_IsNumber(ctx) && ctx->valuedouble >
		    0 && ctx->valuedouble < 1e12 ? (long)ctx->valuedouble : 0;
		n++;
	}
	cJSON_Delete(root);
	return n;
}

void
free_model_list(struct model_entry *m, long n)
{
	for (long i = 0; i < n; i++)
		free(m[i].id);
	free(m);
}

int
parse_balance(const char *body, size_t len, double *available)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	if (root == NULL)
		return -1;
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "data");
	const cJSON *a = cJSON_IsObject(d) ?
	    cJSON_GetObjectItemCaseSensitive(d, "available_balance") : NULL;
	int ok = cJSON_IsNumber(a);
	if (ok)
		*available = a->valuedouble;
	cJSON_Delete(root);
	return ok ? 0 : -1;
}
