/* url.c - URL parsing for the linter and the live check. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "url.h"
#include "util.h"

static char *
lower_dup(const char *s, size_t n)
{
	char *p = xstrndup(s, n);
	for (char *q = p; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return p;
}

int
url_parse(const char *s, struct url *u, const char **why)
{
	memset(u, 0, sizeof *u);
	u->port = -1;
	/* "//host/v1" or "://host/v1": the host is there, the scheme is
	 * not (read on, the first would be no host, the second an empty
	 * port) */
	if (strncmp(s, "//", 2) == 0 || strncmp(s, "://", 3) == 0) {
		*why = "no scheme before the //";
		return -1;
	}
	const char *sep = strstr(s, "://");
	const char *p = s;
	if (sep != NULL) {
		for (const char *q = s; q < sep; q++) {
			if (!isalnum((unsigned char)*q) && *q != '+' &&
			    *q != '-' && *q != '.') {
				sep = NULL;
				break;
			}
		}
	}
	if (sep != NULL && sep > s && isalpha((unsigned char)s[0])) {
		u->scheme = lower_dup(s, (size_t)(sep - s));
		p = sep + 3;
	}
	size_t alen = strcspn(p, "/?#");
	const char *auth_end = p + alen;
	const char *at = NULL;
	for (const char *q = p; q < auth_end; q++)
		if (*q == '@')
			at = q;
	const char *h = p;
	if (at != NULL) {
		u->userinfo = xstrndup(p, (size_t)(at - p));
		h = at + 1;
	}
	const char *hend = auth_end;
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(auth_end - h));
		if (rb == NULL) {
			*why = "unclosed '[' in the host";
			goto fail;
		}
		hend = rb + 1;
	} else {
		const char *colon = memchr(h, ':', (size_t)(auth_end - h));
		if (colon != NULL)
			hend = colon;
	}
	if (hend < auth_end && *hend == ':') {
		const char *ps = hend + 1;
		if (ps == auth_end) {
			*why = "empty port";
			goto fail;
		}
		long port = 0;
		for (const char *q = ps; q < auth_end; q++) {
			if (!isdigit((unsigned char)*q) || port > 65535) {
				*why = "port is not a number from 1 to 65535";
				goto fail;
			}
			port = port * 10 + (*q - '0');
		}
		if (port < 1 || port > 65535) {
			*why = "port is not a number from 1 to 65535";
			goto fail;
		}
		u->port = (int)port;
	} else if (hend != auth_end) {
		*why = "unexpected text after the host";
		goto fail;
	}
	u->host = lower_dup(h, (size_t)(hend - h));
	if (u->host[0] == '\0') {
		*why = "no host";
		goto fail;
	}
	size_t plen = strcspn(auth_end, "?#");
	u->path = xstrndup(auth_end, plen);
	u->rest = xstrdup(auth_end + plen);
	return 0;
fail:
	url_free(u);
	return -1;
}

void
url_free(struct url *u)
{
	free(u->scheme);
	free(u->userinfo);
	free(u->host);
	free(u->path);
	free(u->rest);
	memset(u, 0, sizeof *u);
	u->port = -1;
}

int
url_host_is_loopback(const char *h)
{
	if (strcmp(h, "localhost") == 0 || strcmp(h, "[::1]") == 0 ||
	    strcmp(h, "::1") == 0)
		return 1;
	if (strncmp(h, "127.", 4) != 0)
		return 0;
	int dots = 0;
	for (const char *p = h; *p; p++) {
		if (*p == '.')
			dots++;
		else if (!isdigit((unsigned char)*p))
			return 0;
	}
	return dots == 3;
}

int
url_host_valid(const char *h)
{
	size_t n = strlen(h);
	if (n == 0 || n > 253)
		return 0;
	if (h[0] == '[')
		return h[n - 1] == ']' && n > 2 &&
		    strspn(h + 1, "0123456789abcdefABCDEF:.") == n - 2;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (!isalnum(c) && c != '-' && c != '.' && c != '_')
			return 0;
	}
	return h[0] != '.' && h[0] != '-';
}

static int
holds_key(const char *s, size_t n, const char *key, size_t klen)
{
	return (key != NULL && klen >= SECRET_MIN_MATCH &&
	    memmem(s, n, key, klen) != NULL) || secret_value(s, n);
}

/* A query or fragment parameter name that says its value is a secret. */
static int
secret_param(const char *s, size_t n)
{
	static const char *const names[] = {
		"key", "apikey", "api_key", "api-key", "token",
		"access_token", "auth", "password", "pass", "pwd", "secret",
		"sig", "signature", NULL
	};
	const char *eq = memchr(s, '=', n);
	if (eq == NULL || eq + 1 == s + n)
		return 0;
	size_t l = (size_t)(eq - s);
	for (size_t i = 0; names[i] != NULL; i++)
		if (strlen(names[i]) == l && strncasecmp(s, names[i], l) == 0)
			return 1;
	return secret_name(s, l);
}

static int
secret_params(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && s[e] != '&' && s[e] != ';')
			e++;
		if (secret_param(s + i, e - i))
			return 1;
		i = e + 1;
	}
	return 0;
}

const char *
url_secret_part(const char *s, const char *key, size_t klen)
{
	struct url u;
	const char *why, *part = NULL;
	if (url_parse(s, &u, &why) != 0)
		return NULL;
	size_t rl = strlen(u.rest);
	const char *hash = memchr(u.rest, '#', rl);
	size_t ql = hash ? (size_t)(hash - u.rest) : rl;
	if (u.userinfo != NULL && u.userinfo[0] != '\0')
		part = "credentials";
	else if (ql > 0 && (holds_key(u.rest, ql, key, klen) ||
	    secret_params(u.rest + 1, ql - 1)))
		part = "query";
	else if (hash != NULL && (holds_key(hash, rl - ql, key, klen) ||
	    secret_params(hash + 1, rl - ql - 1)))
		part = "fragment";
	else if (holds_key(u.path, strlen(u.path), key, klen))
		part = "path";
	url_free(&u);
	return part;
}
