/* dialect.h - a .env file's values as each real reader sees them.
 *
 * compose: docker compose env_file: (compose-go v2.13.0 dotenv, with its
 *          interpolation); docker: docker run --env-file (docker/cli
 *          kvfile); node: npm dotenv 16 parse(). They disagree on quotes,
 *          comments, trimming and escapes; that disagreement is what the
 *          linter reports, so each is emulated byte for byte and judged
 *          by the conformance corpus. */
#ifndef KEC_DIALECT_H
#define KEC_DIALECT_H

#include <stddef.h>

#include "envmap.h"
#include "util.h"

enum dialect {
	DIALECT_COMPOSE,
	DIALECT_DOCKER,
	DIALECT_NODE,
	DIALECT_COUNT
};

const char *dialect_name(enum dialect);
/* The reader's own name for messages: "docker compose", ... */
const char *dialect_reader(enum dialect);
int dialect_from_name(const char *, enum dialect *);

/* Values from outside the file: the process environment, consulted by
 * compose interpolation and by bare KEY lines. Returns 1 when set. */
typedef int (*env_lookup_fn)(void *ctx, const char *name, size_t nlen,
    const char **val, size_t *vlen);
/* Looks names up in ctx, a struct envmap (e.g. from environ_to_map). */
int env_lookup_map(void *ctx, const char *name, size_t nlen,
    const char **val, size_t *vlen);
/* The process environment as a map, for many fast lookups. */
void environ_to_map(struct envmap *);

/* A compose variable reference that resolved to nothing. */
struct dialect_ref {
	char	*name;
	size_t	 off;		/* offset of the value that holds it */
};

struct dialect_result {
	int		 ok;
	struct envmap	 env;
	char		*error;		/* when !ok: what and why */
	size_t		 err_off;	/* byte offset the error is about */
	struct dialect_ref *refs;	/* compose only */
	size_t		 nrefs;
	int		 offsets_valid;	/* node: offsets do not map back */
	struct buf	 keep;		/* text the keys may point into */
};

/* The result's keys and values may point into data: it must outlive the
 * result. */
void dialect_eval(enum dialect, const char *data, size_t len,
    env_lookup_fn, void *ctx, struct dialect_result *);
void dialect_result_free(struct dialect_result *);

/* Interpolate t[0..n) as a compose file's value ($VAR, ${VAR:-def},
 * ${VAR:?err}, $$), appending to out; names are looked up with lookup
 * only. Returns 0, or -1 with *error (caller frees) when compose refuses
 * it. */
int dialect_interpolate(const char *t, size_t n, env_lookup_fn, void *ctx,
    struct buf *out, char **error);

/* Replace invalid UTF-8 with U+FFFD as a WHATWG decoder (Node's
 * Buffer.toString) does: one replacement per maximal subpart. */
void utf8_sanitize_whatwg(const char *in, size_t len, struct buf *out);

#endif
