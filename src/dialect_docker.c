/* dialect_docker.c - docker run --env-file's reading: docker/cli
 * pkg/kvfile, one line at a time. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "dialect.h"
#include "dialect_impl.h"
#include "envmap.h"

void
dialect_docker_eval(const char *d, size_t n, env_lookup_fn lookup,
    void *ctx, struct dialect_result *r)
{
	size_t p = 0;
	unsigned lineno = 0;

	while (p < n) {
		struct kv_line l;
		switch (dialect_kv_line(d, n, p, &lineno, &l)) {
		case KV_TOO_LONG:
			dialect_set_error(r, DIALECT_ERR_REFUSED, p, "line "
			    "longer than 64 KiB: docker run --env-file stops "
			    "reading (bufio: token too long)");
			return;
		case KV_BAD_UTF8:
			dialect_set_error(r, DIALECT_ERR_REFUSED, l.bad,
			    "invalid UTF-8: docker run --env-file refuses the "
			    "file");
			return;
		case KV_LINE:
			break;
		}
		size_t s = l.s, end = l.end;
		if (s < end && d[s] != '#') {
			const char *eq = memchr(d + s, '=', end - s);
			size_t ke = eq ? (size_t)(eq - d) : end;
			if (memchr(d + s, ' ', ke - s) != NULL ||
			    memchr(d + s, '\t', ke - s) != NULL) {
				dialect_set_error(r, DIALECT_ERR_REFUSED, s,
				    "variable name contains white space: "
				    "docker run --env-file refuses the file");
				return;
			}
			if (ke == s) {
				dialect_set_error(r, DIALECT_ERR_REFUSED, s,
				    "no variable name before '='");
				return;
			}
			if (eq != NULL)
				envmap_set(&r->env, d + s, ke - s, eq + 1,
				    end - ke - 1, s, ENVMAP_DEFER);
			else {
				const char *v;
				size_t vl;
				if (lookup != NULL &&
				    lookup(ctx, d + s, end - s, &v, &vl))
					envmap_set(&r->env, d + s, end - s, v,
					    vl, s, ENVMAP_COPY_VAL | ENVMAP_DEFER);
			}
		}
		p = l.next;
	}
}
