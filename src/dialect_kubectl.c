/* dialect_kubectl.c - kubectl create configmap|secret --from-env-file
 * (v1.32): docker run's kvfile reading with kubectl's own checks. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "dialect_impl.h"
#include "envmap.h"
#include "diag.h"
#include "util.h"

#define KUBECTL_MAX_KEY 253	/* a ConfigMap or Secret key */

static int
kubectl_name_char(char c, int first)
{
	return c == '-' || c == '.' || c == '_' ||
	    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	    (!first && c >= '0' && c <= '9');
}

int
kubectl_name_ok(const char *k, size_t n)
{
	if (n == 0 || n > KUBECTL_MAX_KEY || !kubectl_name_char(k[0], 1))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!kubectl_name_char(k[i], 0))
			return 0;
	/* validation.IsEnvVarName's hasChDirPrefix */
	return !(n == 1 && k[0] == '.') && !(n >= 2 && k[0] == '.' &&
	    k[1] == '.');
}

/* Like docker run's kvfile, one line at a time, but: the name must be a
 * valid ConfigMap key, a name set twice refuses the file, a bare KEY
 * takes the environment's value or "" (docker drops it), and a line over
 * 64 KiB silently ends the reading (the scanner's error is not looked
 * at). */
void
dialect_kubectl_eval(const char *d, size_t n, env_lookup_fn lookup,
    void *ctx, struct dialect_result *r)
{
	size_t p = 0;
	unsigned lineno = 0;

	while (p < n) {
		struct kv_line l;
		switch (dialect_kv_line(d, n, p, &lineno, &l)) {
		case KV_TOO_LONG:
			/* the scanner's error is not looked at */
			return;
		case KV_BAD_UTF8:
			dialect_set_error(r, DIALECT_ERR_REFUSED, l.bad,
			    "invalid UTF-8 on line %u: kubectl refuses the "
			    "file", lineno + 1);
			return;
		case KV_LINE:
			break;
		}
		size_t s = l.s, end = l.end;
		p = l.next;
		if (s == end || d[s] == '#')
			continue;
		const char *eq = memchr(d + s, '=', end - s);
		size_t ke = eq ? (size_t)(eq - d) : end;
		if (!kubectl_name_ok(d + s, ke - s)) {
			char *k = display_text(d + s, ke - s, 60);
			dialect_set_error(r, DIALECT_ERR_REFUSED, s, "'%s' is "
			    "not a name kubectl takes ([-._a-zA-Z]"
			    "[-._a-zA-Z0-9]*, at most %d characters): kubectl "
			    "refuses the file", k, KUBECTL_MAX_KEY);
			free(k);
			return;
		}
		if (envmap_get(&r->env, d + s, ke - s) != NULL) {
			char *k = display_text(d + s, ke - s, 60);
			dialect_set_error(r, DIALECT_ERR_REFUSED, s, "%s is "
			    "set twice: kubectl refuses the file", k);
			free(k);
			return;
		}
		const char *v = "";
		size_t vl = 0;
		/* a value from the file is a slice of it: no copy */
		int copy = 0;
		if (eq != NULL) {
			v = eq + 1;
			vl = end - ke - 1;
		} else if (lookup == NULL || !lookup(ctx, d + s, ke - s, &v,
		    &vl)) {
			v = "";
			vl = 0;
		} else
			copy = ENVMAP_COPY_VAL;
		envmap_set(&r->env, d + s, ke - s, v, vl, s, copy);
	}
}

