/* test_classify.c - provider answers to verdicts, from recorded bodies. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "tap.h"

static void
check(enum probe_kind kind, long status, enum transport t, const char *body,
    const char *ctype, enum verdict want, int retry, const char *what)
{
	struct http_result r;
	struct classified c;
	memset(&r, 0, sizeof r);
	r.kind = kind;
	r.status = status;
	r.transport = t;
	r.body = body;
	r.body_len = body ? strlen(body) : 0;
	r.content_type = ctype;
	classify(&r, 0, &c);
	ok(c.v == want && c.retryable == retry && c.message != NULL,
	    "%s: %s%s (got %s%s)", what, verdict_rule(want),
	    retry ? ", retry" : "", verdict_rule(c.v),
	    c.retryable ? ", retry" : "");
	classified_free(&c);
}

int
main(void)
{
	const char *e401 = "{\"error\":{\"message\":\"Invalid Authentication\","
	    "\"type\":\"invalid_authentication_error\"}}";
	check(PK_MODELS, 401, T_NONE, e401, NULL, V_AUTH_FAILED, 0, "401");
	check(PK_MODELS, 402, T_NONE, "{}", NULL, V_INSUFFICIENT_BALANCE, 0,
	    "402");
	check(PK_MODELS, 429, T_NONE, "{\"error\":{\"message\":\"Your account "
	    "is suspended due to insufficient balance\",\"type\":"
	    "\"exceeded_current_quota_error\"}}", NULL,
	    V_INSUFFICIENT_BALANCE, 0, "Moonshot quota 429");
	check(PK_CHAT, 429, T_NONE, "{\"error\":{\"message\":\"You exceeded "
	    "your current quota\",\"type\":\"insufficient_quota\",\"code\":"
	    "\"insufficient_quota\"}}", NULL, V_INSUFFICIENT_BALANCE, 0,
	    "OpenAI quota 429");
	check(PK_MODELS, 429, T_NONE, "{\"error\":{\"message\":\"request "
	    "reached organization max RPM: 3\",\"type\":"
	    "\"rate_limit_reached_error\"}}", NULL, V_RATE_LIMITED, 0,
	    "rate limit 429");
	check(PK_MODELS, 429, T_NONE, "{\"error\":{\"message\":\"The engine is "
	    "currently overloaded\",\"type\":\"engine_overloaded_error\"}}",
	    NULL, V_PROVIDER_ERROR, 1, "overloaded 429 retried");
	check(PK_MODELS, 403, T_NONE, "{\"error\":{\"message\":\"your IP "
	    "address is not in the allow list\",\"type\":"
	    "\"permission_denied_error\"}}", NULL, V_IP_NOT_ALLOWED, 0,
	    "403 allow-list");
	check(PK_MODELS, 403, T_NONE, "{\"error\":{\"message\":\"The API is "
	    "not open\",\"type\":\"permission_denied_error\"}}", NULL,
	    V_AUTH_FAILED, 0, "other 403");
	check(PK_MODELS, 404, T_NONE, "{\"error\":{\"message\":\"not "
	    "found\"}}", NULL, V_BASE_URL_NOT_FOUND, 0, "404 on /models");
	check(PK_CHAT, 404, T_NONE, "{\"error\":{\"message\":\"Not found the "
	    "model kimi-k2 or Permission denied\",\"type\":"
	    "\"resource_not_found_error\"}}", NULL, V_MODEL_NOT_FOUND, 0,
	    "404 naming a model");
	check(PK_MODELS, 500, T_NONE, "{\"error\":{\"message\":\"boom\",\"type\":"
	    "\"server_error\"}}", NULL, V_PROVIDER_ERROR, 1, "500 retried");
	check(PK_MODELS, 302, T_NONE, "", NULL, V_REDIRECT, 0, "302");
	check(PK_MODELS, 200, T_NONE, "{\"data\":[]}", NULL, V_OK, 0, "200");
	/* a 200 counts only when it is the API's answer */
	check(PK_MODELS, 200, T_NONE, "{\"models\":[]}", NULL, V_OK, 0,
	    "200, Gemini's model list");
	check(PK_MODELS, 200, T_NONE, "{\"object\":\"list\"}", NULL,
	    V_PROVIDER_ERROR, 0, "200 without data");
	check(PK_MODELS, 200, T_NONE, "<html>sign in</html>", "text/html",
	    V_PROVIDER_ERROR, 0, "200 with HTML");
	check(PK_MODELS, 200, T_NONE, "", NULL, V_PROVIDER_ERROR, 0,
	    "200, empty");
	check(PK_MODELS, 200, T_TOO_LARGE, "{\"data\":[", NULL,
	    V_PROVIDER_ERROR, 0, "200 past the cap");
	check(PK_BALANCE, 200, T_NONE, "{\"code\":0,\"data\":"
	    "{\"available_balance\":1.5}}", NULL, V_OK, 0, "balance");
	check(PK_BALANCE, 200, T_NONE, "{\"data\":{\"available_balance\":"
	    "\"1.5\"}}", NULL, V_PROVIDER_ERROR, 0, "balance not a number");
	check(PK_BALANCE, 200, T_NONE, "{\"data\":[]}", NULL,
	    V_PROVIDER_ERROR, 0, "balance without the field");
	check(PK_CHAT, 200, T_NONE, "{\"choices\":[]}", NULL, V_OK, 0,
	    "chat with choices");
	check(PK_CHAT, 200, T_NONE, "{\"type\":\"message\",\"content\":[]}",
	    NULL, V_OK, 0, "Anthropic's message");
	check(PK_CHAT, 200, T_NONE, "{\"candidates\":[]}", NULL, V_OK, 0,
	    "Gemini's candidates");
	check(PK_CHAT, 200, T_NONE, "{\"id\":\"x\"}", NULL, V_PROVIDER_ERROR,
	    0, "chat without choices");
	check(PK_CHAT, 200, T_NONE, "[1,2]", NULL, V_PROVIDER_ERROR, 0,
	    "chat, an array");
	check(PK_MODELS, 0, T_DNS, NULL, NULL, V_NETWORK, 1, "DNS");
	check(PK_MODELS, 0, T_REFUSED, NULL, NULL, V_NETWORK, 1, "refused");
	check(PK_MODELS, 0, T_RESET, NULL, NULL, V_NETWORK, 1, "reset");
	check(PK_MODELS, 0, T_TIMEOUT, NULL, NULL, V_NETWORK, 1, "timeout");
	check(PK_MODELS, 0, T_TLS_VERIFY, NULL, NULL, V_TLS, 0, "TLS");
	check(PK_MODELS, 0, T_PROXY, NULL, NULL, V_PROXY, 1, "proxy");
	check(PK_MODELS, 400, T_NONE, "not json at all", NULL,
	    V_PROVIDER_ERROR, 0, "400 without JSON");
	/* Anthropic's error shape */
	check(PK_MODELS, 401, T_NONE, "{\"type\":\"error\",\"error\":{\"type\":"
	    "\"authentication_error\",\"message\":\"invalid x-api-key\"}}",
	    NULL, V_AUTH_FAILED, 0, "Anthropic 401");

	/* the gateway page and the provider's own words */
	struct http_result r;
	struct classified c;
	memset(&r, 0, sizeof r);
	r.status = 503;
	r.body = "<html><title>503 Service Temporarily Unavailable</title>";
	r.body_len = strlen(r.body);
	r.content_type = "text/html";
	classify(&r, 0, &c);
	ok(c.v == V_PROVIDER_ERROR && c.retryable && strstr(c.message,
	    "HTML page") != NULL, "503 HTML page: %s", c.message);
	classified_free(&c);
	r.status = 401;
	r.body = e401;
	r.body_len = strlen(e401);
	r.content_type = NULL;
	classify(&r, 0, &c);
	ok(strcmp(c.message, "Invalid Authentication") == 0 && c.error_type &&
	    strcmp(c.error_type, "invalid_authentication_error") == 0,
	    "message and type taken from the body");
	classified_free(&c);
	r.status = 302;
	r.body = "";
	r.body_len = 0;
	r.location = "https://evil.example:8443/steal?x=1";
	classify(&r, 0, &c);
	ok(c.location_host && strcmp(c.location_host, "evil.example:8443") ==
	    0, "redirect host only: %s", c.location_host);
	classified_free(&c);

	/* Retry-After */
	ok(retry_after_ms("2", NULL, 0) == 2000, "Retry-After seconds");
	ok(retry_after_ms("2", "150", 0) == 150, "retry-after-ms wins");
	ok(retry_after_ms("Wed, 21 Oct 2015 07:28:10 GMT", NULL, 1445412480L)
	    == 10000, "Retry-After date");
	ok(retry_after_ms("soon", "x", 0) == -1, "garbage ignored");

	/* model lists and balance */
	struct model_entry *m;
	const char *ml = "{\"object\":\"list\",\"data\":[{\"id\":"
	    "\"kimi-k2.6\",\"context_length\":262144},{\"id\":\"kimi-k3\"}]}";
	long n = parse_model_list(ml, strlen(ml), &m);
	ok(n == 2 && strcmp(m[0].id, "kimi-k2.6") == 0 && m[0].context ==
	    262144 && m[1].context == 0, "OpenAI-shaped list");
	free_model_list(m, n);
	const char *g = "{\"models\":[{\"name\":\"models/gemini-2.5-pro\","
	    "\"inputTokenLimit\":1048576}]}";
	n = parse_model_list(g, strlen(g), &m);
	ok(n == 1 && strcmp(m[0].id, "gemini-2.5-pro") == 0 &&
	    m[0].context == 1048576, "Gemini-shaped list");
	free_model_list(m, n);
	ok(parse_model_list("{\"data\":", 8, &m) == -1, "truncated JSON");
	double b;
	const char *bal = "{\"code\":0,\"data\":{\"available_balance\":49.58,"
	    "\"voucher_balance\":46.58,\"cash_balance\":3.0},\"status\":true}";
	ok(parse_balance(bal, strlen(bal), &b) == 0 && b > 49.57 && b < 49.59,
	    "balance");
	ok(parse_balance("{}", 2, &b) == -1, "no balance");
	return tap_done();
}
