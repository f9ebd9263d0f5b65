/* classify.h - what a provider's answer means, and what to do about it.
 *
 * Pure: status, transport error, headers and body in; a verdict, whether
 * to retry, and the provider's own words out. No sockets, no libcurl, so
 * it can be fuzzed and tested on recorded answers. Moonshot answers a key
 * from the wrong region with a bare 401 and a spent balance with a 429:
 * the verdicts here are what the body says, not just the status. */
#ifndef KEC_CLASSIFY_H
#define KEC_CLASSIFY_H

#include <stddef.h>

#include "diag.h"

/* The verdicts: V_OK and one for each VERDICT or NO_VERDICT entry of
 * rules.def, reported under that rule (V_AUTH_FAILED: auth-failed):
 *   V_AUTH_FAILED		401, or 403 not about an allow-list
 *   V_REGION_MISMATCH		set by the live check, never here
 *   V_INSUFFICIENT_BALANCE	402, or a 429 about quota or billing
 *   V_RATE_LIMITED		another 429: the key works
 *   V_MODEL_NOT_FOUND		404 naming a model
 *   V_BASE_URL_NOT_FOUND	404 on /models: wrong base URL
 *   V_IP_NOT_ALLOWED		403 about an IP allow-list
 *   V_PROVIDER_ERROR		5xx, gateway pages, other 4xx, bad JSON
 *   V_NETWORK			DNS, refused, reset, timeout
 *   V_TLS			certificate or handshake
 *   V_PROXY			a configured proxy failing
 *   V_REDIRECT			3xx: not followed */
#define VERDICT_NONE(name)
#define VERDICT_VERDICT(name)		V_##name,
#define VERDICT_NO_VERDICT(name)	V_##name,
enum verdict {
	V_OK,
#define RULE(name, id, group, live, summary) VERDICT_##live(name)
#include "rules.def"
#undef RULE
	V_COUNT
};
#undef VERDICT_NONE
#undef VERDICT_VERDICT
#undef VERDICT_NO_VERDICT

/* The id of the rule a verdict is reported under, or "ok" for V_OK. */
const char *verdict_rule(enum verdict);
/* No answer to judge the configuration by: exit status 3. */
int verdict_unreachable(enum verdict);

enum probe_kind { PK_MODELS, PK_BALANCE, PK_CHAT };

/* The most of an answer that is read: a model list can be long
 * (OpenRouter's lists hundreds of models with their descriptions), any
 * other answer is small. A 2xx past the cap is not the API's answer. */
#define ANSWER_CAP_MODELS ((size_t)8 << 20)	/* 8 MiB */
#define ANSWER_CAP ((size_t)1 << 20)		/* 1 MiB */
size_t answer_cap(enum probe_kind);

/* Transport failures, as the probe engine names them. */
enum transport {
	T_NONE,
	T_DNS,
	T_REFUSED,
	T_RESET,
	T_TIMEOUT,
	T_TLS_VERIFY,
	T_TLS_HANDSHAKE,
	T_TLS_CAFILE,
	T_PROXY,
	T_TOO_LARGE,	/* the body passed answer_cap() */
	T_OTHER
};

struct http_result {
	enum probe_kind	 kind;
	long		 status;	/* 0: no HTTP answer */
	enum transport	 transport;
	const char	*detail;	/* the transport's message, may be NULL */
	const char	*location;	/* headers, NULL when absent */
	const char	*retry_after;
	const char	*retry_after_ms;
	const char	*content_type;
	const char	*body;
	size_t		 body_len;
};

struct classified {
	enum verdict	 v;
	int		 retryable;	/* transient: 5xx, overloaded, network */
	long		 retry_after_ms; /* from the headers, -1 when none */
	char		*error_type;	/* error.type / code / status, or NULL */
	char		*message;	/* one printable line, never NULL */
	char		*location_host;	/* for V_REDIRECT */
};

/* now: seconds since the epoch, for an HTTP-date Retry-After. */
void classify(const struct http_result *, long now, struct classified *);
void classified_free(struct classified *);

/* Parse a Retry-After (seconds or HTTP date) and retry-after-ms pair;
 * -1 when neither says anything usable. */
long retry_after_ms(const char *retry_after, const char *retry_after_ms,
    long now);

/* From a 200 answer: a model list (OpenAI, Anthropic or Gemini shape).
 * Returns the number of ids (capped), -1 when the body is not a list. */
struct model_entry {
	char	*id;
	long	 context;	/* 0 when not given */
};
long parse_model_list(const char *body, size_t len, struct model_entry **out);
void free_model_list(struct model_entry *, long n);

/* From a 200 answer to the balance endpoint: 0 and *available, or -1. */
int parse_balance(const char *body, size_t len, double *available);

#endif
