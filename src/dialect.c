/* dialect.c - the readings of a .env file: names, dispatch to the
 * readers and what they share.
 *
 * Each reader (dialect_compose.c, dialect_docker.c, dialect_kubectl.c,
 * dialect_node.c) follows its reader's algorithm step by step rather than
 * a shared grammar: the readers' bugs are the point. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "dialect_impl.h"
#include "utf8.h"
#include "util.h"

extern char **environ;

static const char *const names[DIALECT_COUNT] = {
	"compose", "docker", "node", "kubectl"
};
static const char *const readers[DIALECT_COUNT] = {
	"docker compose", "docker run --env-file", "Node dotenv",
	"kubectl --from-env-file"
};

const char *
dialect_name(enum dialect d)
{
	return names[d];
}

const char *
dialect_reader(enum dialect d)
{
	return readers[d];
}

int
dialect_from_name(const char *s, enum dialect *d)
{
	for (int i = 0; i < DIALECT_COUNT; i++) {
		if (strcmp(s, names[i]) == 0) {
			*d = (enum dialect)i;
			return 0;
		}
	}
	return -1;
}

int
env_lookup_map(void *ctx, const char *name, size_t nlen, const char **val,
    size_t *vlen)
{
	struct envvar *v = envmap_get(ctx, name, nlen);
	if (v == NULL)
		return 0;
	*val = v->val;
	*vlen = v->vlen;
	return 1;
}

void
environ_to_map(struct envmap *m)
{
	envmap_init(m);
	for (char **e = environ; e != NULL && *e != NULL; e++) {
		const char *eq = strchr(*e, '=');
		/* getenv() returns the first of duplicate names */
		if (eq != NULL && envmap_get(m, *e, (size_t)(eq - *e)) == NULL)
			envmap_set(m, *e, (size_t)(eq - *e), eq + 1,
			    strlen(eq + 1), 0, 0);
	}
}

void
dialect_set_error(struct dialect_result *r, enum dialect_error kind,
    size_t off, const char *fmt, ...)
{
	va_list ap;
	if (r->error != NULL)
		return;
	va_start(ap, fmt);
	r->error = xvasprintf(fmt, ap);
	va_end(ap);
	r->err_kind = kind;
	r->err_off = off;
	r->ok = 0;
}

#define KV_MAX_TOKEN 65536	/* bufio.MaxScanTokenSize */

enum kv_status
dialect_kv_line(const char *d, size_t n, size_t p, unsigned *lineno,
    struct kv_line *l)
{
	const char *nl = memchr(d + p, '\n', n - p);
	size_t end = nl ? (size_t)(nl - d) : n;
	l->next = nl ? end + 1 : n;
	/* bufio.Scanner gives up on a line that does not fit its 64 KiB
	 * buffer (newline included). */
	if ((nl && end - p + 1 > KV_MAX_TOKEN) ||
	    (!nl && end - p >= KV_MAX_TOKEN))
		return KV_TOO_LONG;
	size_t s = p;
	if (end > s && d[end - 1] == '\r')
		end--;
	if (!utf8_valid(d + s, end - s)) {
		l->bad = s + utf8_first_invalid(d + s, end - s);
		return KV_BAD_UTF8;
	}
	/* a byte order mark is dropped on the first line only */
	if (*lineno == 0 && end - s >= 3 &&
	    memcmp(d + s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	(*lineno)++;
	/* TrimLeftFunc(unicode.IsSpace) */
	while (s < end) {
		size_t w;
		uint32_t cp = utf8_decode((const unsigned char *)d + s,
		    end - s, &w);
		if (!uni_is_space(cp))
			break;
		s += w;
	}
	l->s = s;
	l->end = end;
	return KV_LINE;
}

void
dialect_eval(enum dialect dia, const char *data, size_t len,
    env_lookup_fn lookup, void *ctx, struct dialect_result *r)
{
	/* Room for one key a line: no rehash on large files. */
	size_t lines = 1 + count_newlines(data, len);
	dialect_eval_sized(dia, data, len, lookup, ctx,
	    lines < 1000000 ? lines : 1000000, r);
}

void
dialect_eval_sized(enum dialect dia, const char *data, size_t len,
    env_lookup_fn lookup, void *ctx, size_t keys, struct dialect_result *r)
{
	memset(r, 0, sizeof *r);
	envmap_init(&r->env);
	envmap_reserve(&r->env, keys);
	r->ok = 1;
	r->offsets_valid = 1;
	switch (dia) {
	case DIALECT_COMPOSE:
		dialect_compose_eval(data, len, lookup, ctx, r);
		break;
	case DIALECT_DOCKER:
		dialect_docker_eval(data, len, lookup, ctx, r);
		break;
	case DIALECT_NODE:
		dialect_node_eval(data, len, r);
		break;
	case DIALECT_KUBECTL:
		dialect_kubectl_eval(data, len, lookup, ctx, r);
		break;
	default:
		break;
	}
	envmap_flush(&r->env);
	if (!r->ok) {
		envmap_free(&r->env);
		buf_wipe(&r->keep);
	}
}

void
dialect_result_free(struct dialect_result *r)
{
	envmap_free(&r->env);
	buf_wipe(&r->keep);
	free(r->error);
	for (size_t i = 0; i < r->nrefs; i++)
		free(r->refs[i].name);
	free(r->refs);
	memset(r, 0, sizeof *r);
}

/* Project .env: see dialect.h. Two plain compose readings chained by the
 * lookup: nothing here touches the interpolation itself. */
struct project_lookup {
	env_lookup_fn	 shell;
	void		*shell_ctx;
	struct envmap	*project;
};

static int
project_lookup(void *ctx, const char *name, size_t nlen, const char **val,
    size_t *vlen)
{
	struct project_lookup *p = ctx;
	if (p->shell != NULL && p->shell(p->shell_ctx, name, nlen, val, vlen))
		return 1;
	return env_lookup_map(p->project, name, nlen, val, vlen);
}

void
dialect_eval_project(const char *data, size_t len, env_lookup_fn lookup,
    void *ctx, struct dialect_result *r)
{
	size_t lines = 1 + count_newlines(data, len);
	dialect_eval_project_sized(data, len, lookup, ctx,
	    lines < 1000000 ? lines : 1000000, r);
}

void
dialect_eval_project_sized(const char *data, size_t len,
    env_lookup_fn lookup, void *ctx, size_t keys, struct dialect_result *r)
{
	struct dialect_result pass1;
	dialect_eval_sized(DIALECT_COMPOSE, data, len, lookup, ctx, keys,
	    &pass1);
	if (!pass1.ok) {
		*r = pass1;
		return;
	}
	struct project_lookup p = { lookup, ctx, &pass1.env };
	dialect_eval_sized(DIALECT_COMPOSE, data, len, project_lookup, &p,
	    keys, r);
	dialect_result_free(&pass1);
}

int
dialect_is_project_env(const char *path)
{
	const char *slash = strrchr(path, '/');
	return strcmp(slash ? slash + 1 : path, ".env") == 0;
}
