/* probe.h - the HTTP requests of the live check, run concurrently on one
 * libcurl multi handle.
 *
 * Requests to one host share one connection and never exceed the
 * provider's max_concurrency (Moonshot's lowest tier allows one request
 * at a time); different hosts run at once. Every request has a deadline
 * inside the whole phase's; transient failures are retried with
 * exponential backoff and jitter, honouring Retry-After. Redirects are
 * never followed, bodies are capped (answer_cap()), TLS is always
 * verified, the proxy is the one probe_proxy_for() names, and keys travel
 * only in headers that are wiped after use. */
#ifndef KEC_PROBE_H
#define KEC_PROBE_H

#include <stddef.h>

#include "classify.h"
#include "util.h"

struct probe_opts {
	double		 timeout;	/* seconds for one attempt, and for
					   the whole phase without wait */
	double		 wait;		/* > 0: seconds for the whole phase,
					   retrying transient failures */
	int		 retries;	/* attempts after the first */
	const char	*cacert;	/* CA bundle, or NULL */
	int		 progress;	/* a line on stderr while waiting */
};

/* One request's time, split as libcurl measures it (microseconds, the
 * last attempt; -1 when unknown): DNS, the TCP connect, the TLS
 * handshake (0 over http://), the wait for the first byte after the
 * request was sent, and the whole request. A reused connection spends
 * nothing on the first three. */
struct probe_timing {
	long long	 dns_us, connect_us, tls_us, first_byte_us, total_us;
};

struct probe {
	/* what to send (set through probe_add) */
	char		*name;		/* "models", "balance", "chat", ... */
	enum probe_kind	 kind;
	const char	*method;
	char		*url;		/* never holds a key */
	char		*body;		/* request body, or NULL */
	int		 max_concurrency;
	void		*user;		/* the caller's */

	/* what came back */
	long		 status;	/* 0: no HTTP answer */
	enum transport	 transport;
	char		*detail;	/* the transport's words, or NULL */
	char		*location, *retry_after, *retry_after_ms, *ctype;
	struct buf	 resp;
	int		 attempts;
	long		 elapsed_ms;
	struct probe_timing timing;	/* the last attempt's */
	int		 done;
	int		 cancelled;
	struct classified cls;		/* valid once done */

	/* engine state */
	struct curl_slist *hdrs;
	void		*easy;
	char		*hostkey;
	long long	 not_before;	/* ms, monotonic */
	long long	 started;
	int		 active;
	char		 errbuf[256];
	int		 sock_errno;	/* socket() failed with this */
	int		 by_wait;	/* the attempt ends at --wait's deadline */
	int		 bad_header;	/* a header value HTTP forbids: unsent */
};

struct probe_engine;

/* Loads libcurl. Returns NULL with *cause when it cannot. */
struct probe_engine *probe_engine_new(const struct probe_opts *,
    char **cause);
/* Queue a request. headers: NULL-terminated "Name: value" strings (copied
 * and wiped after use). The probe belongs to the engine. */
struct probe *probe_add(struct probe_engine *, const char *name,
    enum probe_kind, const char *method, const char *url, const char *body,
    const char *const *headers, int max_concurrency, void *user);
/* Drop a request that has not finished. */
void probe_cancel(struct probe_engine *, struct probe *);
/* Called once per request when it is done for good (after retries). */
typedef void (*probe_done_fn)(struct probe_engine *, struct probe *,
    void *ctx);
/* Run until every request is done or the deadline passes. */
void probe_run(struct probe_engine *, probe_done_fn, void *ctx);
/* The proxy a request to url goes through, or NULL, read from the
 * environment as libcurl reads it: the scheme's variable (http_proxy in
 * lower case only, https_proxy or HTTPS_PROXY), else all_proxy or
 * ALL_PROXY; none when no_proxy (or NO_PROXY) names the host. *var: the
 * variable it came from. The engine gives libcurl exactly this proxy. */
const char *probe_proxy_for(const char *url, const char **var);
/* The proxy's host[:port], without scheme or credentials, printable. */
char *probe_proxy_shown(const char *proxy);
size_t probe_count(const struct probe_engine *);
struct probe *probe_get(const struct probe_engine *, size_t i);
void probe_engine_free(struct probe_engine *);

#endif
