/* probe.c - the only user of libcurl (through curlfn): the live check's
 * requests on one multi handle. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "curlfn.h"
#include "diag.h"
#include "probe.h"
#include "secret.h"
#include "url.h"

struct probe_engine {
	struct probe_opts opts;
	CURLM		*multi;
	struct probe	**p;
	size_t		 n;
	long long	 deadline;	/* ms, monotonic */
	unsigned int	 seed;
	char		*cainfo;
	int		 progress_shown;
};

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct probe_engine *
probe_engine_new(const struct probe_opts *o, char **cause)
{
	if (curlfn_load(cause) != 0)
		return NULL;
	struct probe_engine *e = xcalloc(1, sizeof *e);
	e->opts = *o;
	e->multi = curlfn.multi_init();
	if (e->multi == NULL) {
		free(e);
		*cause = xstrdup("libcurl: cannot create a multi handle");
		return NULL;
	}
	/* One connection a host: requests queue on it, or share it as
	 * HTTP/2 streams when the server offers that. */
	curlfn.multi_setopt(e->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	curlfn.multi_setopt(e->multi, CURLMOPT_PIPELINING,
	    (long)CURLPIPE_MULTIPLEX);
	/* --wait, when given, is the whole phase's budget, shorter or
	 * longer than --timeout; an attempt never outlasts --timeout */
	double span = o->wait > 0 ? o->wait : o->timeout;
	e->deadline = now_ms() + (long long)(span * 1000.0);
	e->seed = (unsigned int)(now_ms() ^ (long long)getpid());
	/* libcurl does not read these itself; the curl tool does */
	const char *ca = o->cacert;
	if (ca == NULL)
		ca = getenv("CURL_CA_BUNDLE");
	if (ca == NULL || *ca == '\0')
		ca = getenv("SSL_CERT_FILE");
	if (ca != NULL && *ca != '\0')
		e->cainfo = xstrdup(ca);
	return e;
}

static char *
host_key(const char *u)
{
	struct url x;
	const char *why;
	if (url_parse(u, &x, &why) != 0)
		return xstrdup(u);
	char *k = xasprintf("%s://%s:%d", x.scheme ? x.scheme : "",
	    x.host, x.port);
	url_free(&x);
	return k;
}

struct probe *
probe_add(struct probe_engine *e, const char *name, enum probe_kind kind,
    const char *method, const char *url, const char *body,
    const char *const *headers, int maxc, void *user)
{
	struct probe *p = xcalloc(1, sizeof *p);
	p->name = xstrdup(name);
	p->kind = kind;
	p->method = method;
	p->url = xstrdup(url);
	p->body = body ? xstrdup(body) : NULL;
	p->max_concurrency = maxc > 0 ? maxc : 1;
	p->user = user;
	p->hostkey = host_key(url);
	p->timing.dns_us = p->timing.connect_us = p->timing.tls_us =
	    p->timing.first_byte_us = p->timing.total_us = -1;
	buf_init(&p->resp);
	for (size_t i = 0; headers && headers[i]; i++) {
		/* a CR or LF would start another header or request: what
		 * Node refuses is never sent (live.c refuses such a key
		 * first; this is the last line of defence) */
		for (const unsigned char *c = (const unsigned char *)
		    headers[i]; *c; c++)
			if ((*c < 0x20 && *c != '\t') || *c == 0x7f)
				p->bad_header = 1;
		p->hdrs = curlfn.slist_append(p->hdrs, headers[i]);
	}
	p->hdrs = curlfn.slist_append(p->hdrs, "Accept: application/json");
	if (body != NULL)
		p->hdrs = curlfn.slist_append(p->hdrs,
		    "Content-Type: application/json");
	e->p = xreallocarray(e->p, e->n + 1, sizeof *e->p);
	e->p[e->n++] = p;
	return p;
}

/* Keys live in these strings: wipe before libcurl frees them. */
static void
free_headers(struct probe *p)
{
	for (struct curl_slist *s = p->hdrs; s != NULL; s = s->next)
		if (s->data != NULL)
			wipe(s->data, strlen(s->data));
	if (p->hdrs != NULL)
		curlfn.slist_free_all(p->hdrs);
	p->hdrs = NULL;
}

static size_t
on_body(char *data, size_t size, size_t n, void *vp)
{
	struct probe *p = vp;
	size_t len = size * n;
	if (p->resp.len + len > answer_cap(p->kind)) {
		p->transport = T_TOO_LARGE;
		return 0;	/* abort: a hostile answer stays small */
	}
	buf_add(&p->resp, data, len);
	return len;
}

static void
set_header(char **slot, const char *v, size_t n)
{
	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' ||
	    v[n - 1] == ' '))
		n--;
	free(*slot);
	*slot = xstrndup(v, n > 512 ? 512 : n);
}

/* The connection's socket, opened here to learn why it could not be:
 * libcurl reports a failed socket() as a refused connection. */
static curl_socket_t
on_opensocket(void *vp, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct probe *p = vp;
	(void)purpose;
	curl_socket_t fd = socket(a->family, a->socktype | SOCK_CLOEXEC,
	    a->protocol);
	p->sock_errno = fd == CURL_SOCKET_BAD ? errno : 0;
	return fd;
}

static size_t
on_header(char *data, size_t size, size_t n, void *vp)
{
	struct probe *p = vp;
	size_t len = size * n;
	static const struct {
		const char *name;
		size_t off;
	} wanted[] = {
		{ "location:", offsetof(struct probe, location) },
		{ "retry-after:", offsetof(struct probe, retry_after) },
		{ "retry-after-ms:", offsetof(struct probe, retry_after_ms) },
		{ "content-type:", offsetof(struct probe, ctype) },
	};
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new response (after a proxy's CONNECT, say) */
		for (size_t i = 0; i < sizeof wanted / sizeof *wanted; i++) {
			char **slot = (char **)((char *)p + wanted[i].off);
			free(*slot);
			*slot = NULL;
		}
		return len;
	}
	for (size_t i = 0; i < sizeof wanted / sizeof *wanted; i++) {
		size_t l = strlen(wanted[i].name);
		if (len > l && strncasecmp(data, wanted[i].name, l) == 0)
			set_header((char **)((char *)p + wanted[i].off),
			    data + l, len - l);
	}
	return len;
}

static int
host_busy(const struct probe_engine *e, const struct probe *p)
{
	int active = 0;
	for (size_t i = 0; i < e->n; i++)
		if (e->p[i]->active && strcmp(e->p[i]->hostkey, p->hostkey)
		    == 0)
			active++;
	return active >= p->max_concurrency;
}

static void
reset_result(struct probe *p)
{
	p->status = 0;
	p->transport = T_NONE;
	p->sock_errno = 0;
	free(p->detail);
	p->detail = NULL;
	buf_free(&p->resp);
	free(p->location);
	free(p->retry_after);
	free(p->retry_after_ms);
	free(p->ctype);
	p->location = p->retry_after = p->retry_after_ms = p->ctype = NULL;
	p->errbuf[0] = '\0';
}

static int
start(struct probe_engine *e, struct probe *p, long long now)
{
	CURL *h = p->easy ? p->easy : curlfn.easy_init();
	if (h == NULL)
		return -1;
	p->easy = h;
	reset_result(p);
	long long left = e->deadline - now;
	long long cap = (long long)(e->opts.timeout * 1000.0);
	long ms = (long)(left < cap ? left : cap);
	p->by_wait = e->opts.wait > 0 && left < cap;
	const char *var;
	const char *proxy = probe_proxy_for(p->url, &var);
	if (ms < 1)
		ms = 1;
	curlfn.easy_setopt(h, CURLOPT_URL, p->url);
	/* the proxy live.c judged, and no other: libcurl's own reading of
	 * the environment could differ from ours */
	curlfn.easy_setopt(h, CURLOPT_PROXY, proxy ? proxy : "");
	curlfn.easy_setopt(h, CURLOPT_NOPROXY, "");
	curlfn.easy_setopt(h, CURLOPT_HTTPHEADER, p->hdrs);
	curlfn.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curlfn.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curlfn.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curlfn.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (e->cainfo != NULL)
		curlfn.easy_setopt(h, CURLOPT_CAINFO, e->cainfo);
	if (curlfn.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") !=
	    CURLE_OK)
		curlfn.easy_setopt(h, CURLOPT_PROTOCOLS,
		    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curlfn.easy_setopt(h, CURLOPT_TIMEOUT_MS, ms);
	curlfn.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms);
	curlfn.easy_setopt(h, CURLOPT_USERAGENT, PACKAGE_NAME "/"
	    PACKAGE_VERSION);
	curlfn.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curlfn.easy_setopt(h, CURLOPT_WRITEDATA, p);
	curlfn.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curlfn.easy_setopt(h, CURLOPT_HEADERDATA, p);
	curlfn.easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_opensocket);
	curlfn.easy_setopt(h, CURLOPT_OPENSOCKETDATA, p);
	curlfn.easy_setopt(h, CURLOPT_ERRORBUFFER, p->errbuf);
	curlfn.easy_setopt(h, CURLOPT_PRIVATE, p);
	curlfn.easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
	if (p->body != NULL) {
		curlfn.easy_setopt(h, CURLOPT_POSTFIELDS, p->body);
		curlfn.easy_setopt(h, CURLOPT_POSTFIELDSIZE,
		    (long)strlen(p->body));
	} else
		curlfn.easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if (curlfn.multi_add_handle(e->multi, h) != CURLM_OK)
		return -1;
	p->active = 1;
	p->attempts++;
	if (p->started == 0)
		p->started = now;
	return 0;
}

/* The first of the variables set and not empty (libcurl's getenv takes
 * an empty value for none). */
static const char *
env_first(const char *a, const char *b, const char **var)
{
	const char *v = getenv(a);
	*var = a;
	if ((v == NULL || *v == '\0') && b != NULL) {
		v = getenv(b);
		*var = b;
	}
	return v != NULL && *v != '\0' ? v : NULL;
}

/* An address and prefix length from "addr[/bits]", brackets allowed. */
static int
parse_net(const char *s, size_t n, unsigned char a[16], int *family,
    int *bits)
{
	char tmp[64];
	const char *slash = memchr(s, '/', n);
	size_t al = slash ? (size_t)(slash - s) : n;
	const char *ad = s;
	if (al > 1 && ad[0] == '[' && ad[al - 1] == ']')
		ad++, al -= 2;
	if (al == 0 || al >= sizeof tmp)
		return -1;
	memcpy(tmp, ad, al);
	tmp[al] = '\0';
	if (inet_pton(AF_INET, tmp, a) == 1)
		*family = AF_INET, *bits = 32;
	else if (inet_pton(AF_INET6, tmp, a) == 1)
		*family = AF_INET6, *bits = 128;
	else
		return -1;
	if (slash != NULL) {
		long b;
		size_t bl = n - (size_t)(slash + 1 - s);
		if (bl == 0 || bl >= sizeof tmp)
			return -1;
		memcpy(tmp, slash + 1, bl);
		tmp[bl] = '\0';
		if (parse_long(tmp, 0, *bits, &b) != 0)
			return -1;
		*bits = (int)b;
	}
	return 0;
}

/* Does one no_proxy entry name host? "*": every host; "x" or ".x": x and
 * its subdomains; an address, with /bits: that network. */
static int
noproxy_names(const char *host, const char *w, size_t wl)
{
	if (wl == 1 && w[0] == '*')
		return 1;
	unsigned char ha[16], wa[16];
	int hf, wf, hb, wb;
	if (parse_net(host, strlen(host), ha, &hf, &hb) == 0) {
		if (parse_net(w, wl, wa, &wf, &wb) != 0 || hf != wf)
			return 0;
		for (int i = 0; i < wb; i++)
			if ((ha[i / 8] ^ wa[i / 8]) & (0x80 >> (i % 8)))
				return 0;
		return 1;
	}
	if (wl > 0 && w[0] == '.')
		w++, wl--;
	size_t hl = strlen(host);
	return wl > 0 && wl <= hl && strncasecmp(host + hl - wl, w, wl) ==
	    0 && (wl == hl || host[hl - wl - 1] == '.');
}

const char *
probe_proxy_for(const char *u, const char **var)
{
	struct url x;
	const char *why, *nvar;
	*var = NULL;
	if (url_parse(u, &x, &why) != 0 || x.scheme == NULL) {
		url_free(&x);
		return NULL;
	}
	const char *v = strcmp(x.scheme, "http") == 0 ?
	    env_first("http_proxy", NULL, var) :
	    env_first("https_proxy", "HTTPS_PROXY", var);
	if (v == NULL)
		v = env_first("all_proxy", "ALL_PROXY", var);
	const char *np = env_first("no_proxy", "NO_PROXY", &nvar);
	for (const char *q = np; v != NULL && q != NULL && *q;) {
		q += strspn(q, ", \t");
		size_t l = strcspn(q, ", \t");
		if (l > 0 && noproxy_names(x.host, q, l))
			v = NULL;
		q += l;
	}
	url_free(&x);
	if (v == NULL)
		*var = NULL;
	return v;
}

char *
probe_proxy_shown(const char *proxy)
{
	const char *p = strstr(proxy, "://");
	p = p ? p + 3 : proxy;
	size_t n = strcspn(p, "/?#");
	const char *at = NULL;
	for (const char *q = p; q < p + n; q++)
		if (*q == '@')
			at = q;
	if (at != NULL) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	return display_text(p, n, 100);
}

static const char *
x509_words(long code)
{
	switch (code) {
	case 2: return "the issuer's certificate is unknown";
	case 9: return "the certificate is not yet valid";
	case 10: return "the certificate has expired";
	case 18: return "a self-signed certificate";
	case 19: return "a self-signed certificate in the chain";
	case 20: return "signed by an unknown authority";
	case 21: return "the first certificate cannot be verified";
	case 62: return "the certificate is for another host name";
	}
	return NULL;
}

/* Why an attempt ran out of time, naming the option that set it. */
static char *
deadline_words(const struct probe_engine *e, const struct probe *p,
    long status)
{
	char *limit = p->by_wait ? xasprintf("the --wait deadline (%g s)",
	    e->opts.wait) : xasprintf("the %g s deadline (--timeout)",
	    e->opts.timeout);
	char *w = status > 0 ? xasprintf("HTTP %ld, but the answer had not "
	    "ended within %s", status, limit) : xasprintf("no answer within "
	    "%s", limit);
	free(limit);
	return w;
}

/* The attempt's phases from libcurl's cumulative times (7.61 and
 * later; an older libcurl leaves them unknown). */
static void
note_timing(struct probe *p)
{
	struct probe_timing *t = &p->timing;
	t->dns_us = t->connect_us = t->tls_us = t->first_byte_us =
	    t->total_us = -1;
#if LIBCURL_VERSION_NUM >= 0x073d00
	curl_off_t n = 0, c = 0, a = 0, pre = 0, st = 0, tot = 0;
	if (curlfn.easy_getinfo(p->easy, CURLINFO_TOTAL_TIME_T, &tot) !=
	    CURLE_OK)
		return;
	curlfn.easy_getinfo(p->easy, CURLINFO_NAMELOOKUP_TIME_T, &n);
	curlfn.easy_getinfo(p->easy, CURLINFO_CONNECT_TIME_T, &c);
	curlfn.easy_getinfo(p->easy, CURLINFO_APPCONNECT_TIME_T, &a);
	curlfn.easy_getinfo(p->easy, CURLINFO_PRETRANSFER_TIME_T, &pre);
	curlfn.easy_getinfo(p->easy, CURLINFO_STARTTRANSFER_TIME_T, &st);
	/* a phase never reached counts 0; a reused connection has none
	 * of the first three */
	t->dns_us = n;
	t->connect_us = c > n ? c - n : 0;
	t->tls_us = a > c ? a - c : 0;
	t->first_byte_us = st > pre ? st - pre : 0;
	t->total_us = tot;
#endif
}

/* What went wrong in transport terms, from libcurl's result. */
static void
note_transport(const struct probe_engine *e, struct probe *p, CURLcode rc)
{
	long oserr = 0, verify = 0, proxy = 0;
	curlfn.easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &p->status);
	note_timing(p);
	if (rc == CURLE_OK)
		return;
	curlfn.easy_getinfo(p->easy, CURLINFO_OS_ERRNO, &oserr);
	if (p->sock_errno != 0)
		oserr = p->sock_errno;
	curlfn.easy_getinfo(p->easy, CURLINFO_SSL_VERIFYRESULT, &verify);
#if LIBCURL_VERSION_NUM >= 0x074900
	curlfn.easy_getinfo(p->easy, CURLINFO_PROXY_ERROR, &proxy);
#endif
	/* a proxy that refused the CONNECT tunnel */
	long tunnel = 0;
	curlfn.easy_getinfo(p->easy, CURLINFO_HTTP_CONNECTCODE, &tunnel);
	if (tunnel >= 300)
		proxy = 1;
	const char *var;
	const char *via = probe_proxy_for(p->url, &var);
	long got = p->status;
	const char *words = p->errbuf[0] ? p->errbuf : curlfn.easy_strerror(rc);
	if (p->transport == T_TOO_LARGE)
		return;		/* our own cap, status kept */
	p->status = rc == CURLE_PARTIAL_FILE ? p->status : 0;
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		p->transport = T_DNS;
		break;
	case CURLE_COULDNT_RESOLVE_PROXY:
		p->transport = T_PROXY;
		break;
	case CURLE_COULDNT_CONNECT:
		/* no socket to be had says nothing about the host */
		if (oserr == EMFILE || oserr == ENFILE) {
			p->transport = T_OTHER;
			break;
		}
		/* the connection that failed was the proxy's */
		p->transport = proxy || via ? T_PROXY : T_REFUSED;
		break;
	case CURLE_OPERATION_TIMEDOUT:
		p->transport = T_TIMEOUT;
		break;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		p->transport = proxy ? T_PROXY : T_RESET;
		p->status = 0;
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		p->transport = T_TLS_VERIFY;
		break;
	case CURLE_SSL_CONNECT_ERROR:
		p->transport = T_TLS_HANDSHAKE;
		break;
	case CURLE_SSL_CACERT_BADFILE:
		p->transport = T_TLS_CAFILE;
		break;
	default:
		p->transport = proxy ? T_PROXY : T_OTHER;
		break;
	}
	const char *x = p->transport == T_TLS_VERIFY ? x509_words(verify) :
	    NULL;
	if (p->transport == T_TLS_VERIFY && x == NULL &&
	    (strstr(words, "subject name") || strstr(words, "host name")))
		x = x509_words(62);
	if (p->transport == T_TIMEOUT)
		p->detail = deadline_words(e, p, got);
	else if (p->transport == T_PROXY && via != NULL) {
		char *shown = probe_proxy_shown(via);
		p->detail = xasprintf("%s from %s (%s)", shown, var, words);
		free(shown);
	}
	else if (x != NULL)
		p->detail = xasprintf("%s (%s)", x, words);
	else if (oserr == EMFILE || oserr == ENFILE) {
		struct rlimit rl;
		if (oserr == EMFILE && getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
		    rl.rlim_cur != RLIM_INFINITY)
			p->detail = xasprintf("cannot open a socket: %s (the "
			    "limit is %llu: ulimit -n)", strerror((int)oserr),
			    (unsigned long long)rl.rlim_cur);
		else
			p->detail = xasprintf("cannot open a socket: %s",
			    strerror((int)oserr));
	} else if (oserr != 0 && p->transport == T_REFUSED)
		p->detail = xasprintf("%s (%s)", strerror((int)oserr), words);
	else
		p->detail = xstrdup(words);
}

static long long
backoff(struct probe_engine *e, const struct probe *p)
{
	long long base = 250LL << (p->attempts > 6 ? 6 : p->attempts - 1);
	long long cap = e->opts.wait > 0 ? 8000 : 4000;
	if (base > cap)
		base = cap;
	/* full jitter in [base/2, base] */
	long long j = base / 2 + (long long)(rand_r(&e->seed) %
	    (int)(base / 2 + 1));
	if (p->cls.retry_after_ms >= 0 && p->cls.retry_after_ms > j)
		j = p->cls.retry_after_ms;
	return j;
}

static void
show_progress(struct probe_engine *e, const struct probe *p, long long wait)
{
	if (!e->opts.progress)
		return;
	long long left = (e->deadline - now_ms()) / 1000;
	/* the server's words, through the one output path (secret.h) */
	char *host = secret_showz(p->hostkey);
	char *msg = secret_showz(p->cls.message ? p->cls.message : "");
	fprintf(stderr, "\r\033[Kkodus-envcheck: waiting for %s: %s "
	    "(attempt %d, retry in %.1f s, %lld s left)", host, msg,
	    p->attempts, (double)wait / 1000.0, left > 0 ? left : 0);
	free(host);
	free(msg);
	fflush(stderr);
	e->progress_shown = 1;
}

static void
finish(struct probe_engine *e, struct probe *p, long long now,
    probe_done_fn cb, void *ctx)
{
	p->done = 1;
	p->elapsed_ms = (long)(now - p->started);
	if (p->easy != NULL) {
		curlfn.easy_cleanup(p->easy);
		p->easy = NULL;
	}
	free_headers(p);
	if (cb != NULL)
		cb(e, p, ctx);
}

static void
judge(struct probe *p)
{
	struct http_result r;
	memset(&r, 0, sizeof r);
	r.kind = p->kind;
	r.status = p->status;
	r.transport = p->transport;
	r.detail = p->detail;
	r.location = p->location;
	r.retry_after = p->retry_after;
	r.retry_after_ms = p->retry_after_ms;
	r.content_type = p->ctype;
	r.body = p->resp.data;
	r.body_len = p->resp.len;
	classified_free(&p->cls);
	classify(&r, (long)time(NULL), &p->cls);
}

void
probe_cancel(struct probe_engine *e, struct probe *p)
{
	if (p->done)
		return;
	if (p->active) {
		curlfn.multi_remove_handle(e->multi, p->easy);
		p->active = 0;
	}
	p->cancelled = 1;
	p->done = 1;
	if (p->easy != NULL) {
		curlfn.easy_cleanup(p->easy);
		p->easy = NULL;
	}
	free_headers(p);
}

void
probe_run(struct probe_engine *e, probe_done_fn cb, void *ctx)
{
	for (;;) {
		long long now = now_ms();
		int pending = 0;
		long long next = e->deadline;

		for (size_t i = 0; i < e->n; i++) {
			struct probe *p = e->p[i];
			if (p->done || p->active)
				continue;
			if (now >= e->deadline) {
				/* never started, or no time to retry */
				if (p->attempts == 0) {
					p->transport = T_TIMEOUT;
					p->detail = xstrdup("the deadline "
					    "passed before it could be sent");
					judge(p);
				}
				finish(e, p, now, cb, ctx);
				continue;
			}
			pending = 1;
			if (p->not_before > now) {
				if (p->not_before < next)
					next = p->not_before;
				continue;
			}
			if (host_busy(e, p))
				continue;
			if (p->bad_header) {
				p->transport = T_OTHER;
				p->detail = xstrdup("not sent: a header value "
				    "holds a control character");
				judge(p);
				finish(e, p, now, cb, ctx);
				continue;
			}
			if (start(e, p, now) != 0) {
				p->transport = T_OTHER;
				p->detail = xstrdup("libcurl refused the "
				    "request");
				judge(p);
				finish(e, p, now, cb, ctx);
			}
		}

		int running = 0, progressed = 0;
		curlfn.multi_perform(e->multi, &running);
		CURLMsg *m;
		int q;
		while ((m = curlfn.multi_info_read(e->multi, &q)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			progressed = 1;
			struct probe *p = NULL;
			curlfn.easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			    (char **)&p);
			CURLcode rc = m->data.result;
			curlfn.multi_remove_handle(e->multi, m->easy_handle);
			p->active = 0;
			note_transport(e, p, rc);
			judge(p);
			now = now_ms();
			int budget = e->opts.wait > 0 ||
			    p->attempts <= e->opts.retries;
			if (p->cls.retryable && budget) {
				long long w = backoff(e, p);
				if (now + w < e->deadline) {
					p->not_before = now + w;
					show_progress(e, p, w);
					continue;
				}
			}
			finish(e, p, now, cb, ctx);
		}

		int any = 0;
		for (size_t i = 0; i < e->n; i++)
			any |= !e->p[i]->done;
		if (!any)
			break;
		now = now_ms();
		if (now >= e->deadline) {
			/* out of time: what is still on the wire timed out */
			for (size_t i = 0; i < e->n; i++) {
				struct probe *p = e->p[i];
				if (!p->active)
					continue;
				curlfn.multi_remove_handle(e->multi, p->easy);
				p->active = 0;
				long got = p->status;
				p->by_wait = e->opts.wait > 0;
				curlfn.easy_getinfo(p->easy,
				    CURLINFO_RESPONSE_CODE, &got);
				reset_result(p);
				p->transport = T_TIMEOUT;
				p->detail = deadline_words(e, p, got);
				judge(p);
				finish(e, p, now, cb, ctx);
			}
			continue;
		}
		/* something finished: a queued request may start now */
		if (progressed)
			continue;
		long long wait = next - now;
		if (wait > 200 || !pending)
			wait = 200;
		if (wait < 0)
			wait = 0;
		curlfn.multi_poll(e->multi, NULL, 0, (int)wait, NULL);
	}
	if (e->progress_shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

size_t
probe_count(const struct probe_engine *e)
{
	return e->n;
}

struct probe *
probe_get(const struct probe_engine *e, size_t i)
{
	return i < e->n ? e->p[i] : NULL;
}

void
probe_engine_free(struct probe_engine *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->n; i++) {
		struct probe *p = e->p[i];
		if (p->active)
			curlfn.multi_remove_handle(e->multi, p->easy);
		if (p->easy != NULL)
			curlfn.easy_cleanup(p->easy);
		free_headers(p);
		reset_result(p);
		classified_free(&p->cls);
		free(p->name);
		free(p->url);
		if (p->body != NULL)
			wipe(p->body, strlen(p->body));
		free(p->body);
		free(p->hostkey);
		free(p);
	}
	free(e->p);
	curlfn.multi_cleanup(e->multi);
	free(e->cainfo);
	free(e);
}
