/* url.h - just enough URL parsing for base URLs and webhooks. */
#ifndef KEC_URL_H
#define KEC_URL_H

#include <stddef.h>

struct url {
	char	*scheme;	/* lower case; NULL when there is no "://" */
	char	*userinfo;	/* may be NULL */
	char	*host;		/* lower case, brackets kept for IPv6 */
	int	 port;		/* -1 when absent */
	char	*path;		/* "" when absent */
	char	*rest;		/* query and fragment, "" when absent */
};

/* Returns 0, or -1 with a short reason in *why (static string). Either
 * way the struct may be passed to url_free. */
int url_parse(const char *s, struct url *, const char **why);
void url_free(struct url *);
/* localhost, 127.0.0.0/8, ::1 */
int url_host_is_loopback(const char *host);
/* A host name or IP address: letters, digits, '-', '.', or [v6]. */
int url_host_valid(const char *host);

/* Where the URL s carries a secret, or NULL: "credentials" (a user name
 * or password), "query" (the key, a key-shaped word, or a parameter named
 * like a secret: key, token, password, ...), "fragment", or "path" (the
 * key or a key-shaped segment). key may be NULL. */
const char *url_secret_part(const char *s, const char *key, size_t klen);

#endif
