/* dialect.h - a .env file's values as each real reader sees them.
 * The readers live in dialect_<name>.c, dispatched by dialect.c.
 *
 * compose: docker compose env_file: (compose-go v2.13.0 dotenv, with its
 *          interpolation); docker: docker run --env-file (docker/cli
 *          kvfile); node: npm dotenv 16 parse(); kubectl: kubectl create
 *          configmap --from-env-file (kubectl v1.32). They disagree on quotes,
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
	DIALECT_KUBECTL,
	DIALECT_COUNT
};

const char *dialect_name(enum dialect);
/* The reader's own name for messages: "docker compose", ... */
const char *dialect_reader(enum dialect);
int dialect_from_name(const char *, enum dialect *);
/* Would kubectl --from-env-file take this name? [-._a-zA-Z][-._a-zA-Z0-9]*,
 * not ".", not starting "..", at most 253 bytes (a ConfigMap key). */
int kubectl_name_ok(const char *, size_t);

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

/* Limits of the compose interpolation (kodus-envcheck(1), LIMITS): past
 * one, the result is an error with limit set, not a reader's refusal. */
#define DIALECT_VALUE_MAX	(1u << 20)	/* one value, expanded */
#define DIALECT_TOTAL_MAX	(16u << 20)	/* all of a file's, expanded */
#define DIALECT_NEST_MAX	32		/* ${A:-${B:-...}} levels */

/* Why a reading failed, for the rules that tell the causes apart: set
 * with the message, so rewording a message cannot change a rule. */
enum dialect_error {
	DIALECT_ERR_NONE,	/* ok */
	DIALECT_ERR_REFUSED,	/* the reader refuses the file: other causes */
	DIALECT_ERR_BAD_REF,	/* compose: an invalid variable reference */
	DIALECT_ERR_REQUIRED,	/* compose: ${NAME?msg} or ${NAME:?msg} on
				 * a name unset (or, with ':', empty) */
	DIALECT_ERR_LIMIT	/* a limit above; limit is set too */
};

struct dialect_result {
	int		 ok;
	int		 limit;		/* !ok: a limit above, not the reader */
	struct envmap	 env;
	char		*error;		/* when !ok: what and why */
	enum dialect_error err_kind;	/* when !ok: the cause */
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
/* The same with room made at once for keys names (say the lexer's count
 * of distinct names) instead of one a line: a file of a million lines
 * that set one name does not reserve a million slots. A wrong count
 * costs only time (the map grows). */
void dialect_eval_sized(enum dialect, const char *data, size_t len,
    env_lookup_fn, void *ctx, size_t keys, struct dialect_result *);
void dialect_result_free(struct dialect_result *);

/* docker compose's interpolation of t alone, as the value of a key "T",
 * names looked up through lookup: for the fuzzer and the unit tests.
 * Also a compose file's values (src/compose.c). Returns 0 with the value
 * appended to out, or -1 with *error set (the caller frees it) and, when
 * limit is not NULL, *limit set when a limit above was the cause. */
int dialect_compose_subst(const char *t, size_t n, env_lookup_fn lookup,
    void *ctx, struct buf *out, char **error, int *limit);

/* docker compose v2 reading the compose project's .env when it is also
 * the services' env_file (the installer's layout): pass 1 reads it as the
 * project environment (names looked up with lookup, the shell); pass 2
 * reads it as env_file, looking names up in the shell, then in pass 1's
 * values, then in earlier keys. So a reference to a name set further
 * down resolves. The result is pass 2's. */
void dialect_eval_project(const char *data, size_t len, env_lookup_fn,
    void *ctx, struct dialect_result *);
void dialect_eval_project_sized(const char *data, size_t len,
    env_lookup_fn, void *ctx, size_t keys, struct dialect_result *);
/* Is path named ".env", the name compose reads as the project's .env? */
int dialect_is_project_env(const char *path);

/* Replace invalid UTF-8 with U+FFFD as a WHATWG decoder (Node's
 * Buffer.toString) does: one replacement per maximal subpart. */
void utf8_sanitize_whatwg(const char *in, size_t len, struct buf *out);

#endif
