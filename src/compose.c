/* compose.c - the docker compose v2 project model (see compose.h).
 *
 * The YAML is read with libyaml's event API into a tree whose every
 * dimension has a cap: bytes, nesting, nodes, and nodes seen through
 * aliases (an alias shares its anchor's node, so a "billion laughs"
 * costs one pointer per alias, and is refused by the count of what it
 * would expand to before anything walks it). Values are interpolated by
 * dialect_compose_subst, the code that reads env_file values. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "compose.h"
#include "diag.h"
#include "dialect.h"
#include "dynload.h"
#include "textpos.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* a bounded YAML tree                                                  */

enum { YN_SCALAR, YN_SEQ, YN_MAP };

struct ynode {
	unsigned char	 kind;
	unsigned char	 plain;		/* an unquoted scalar */
	unsigned char	 done;		/* complete: an alias may name it */
	unsigned char	 checked;	/* interpolated once (check_interp) */
	unsigned	 line, col;	/* 1-based */
	char		*s;		/* scalar bytes (NUL-terminated) */
	size_t		 slen;
	struct ynode	**kid;		/* a map holds key, value, key, ... */
	size_t		 n, cap;
	size_t		 size;		/* nodes under it, aliases expanded */
	size_t		 idx;		/* in ytree.all */
};

struct ytree {
	const char	*name;
	struct ynode	**all;		/* every node, for freeing */
	size_t		 nall, call;
	size_t		 nlinks;	/* child pointers, aliases included */
	struct ynode	*root;
	struct envmap	 anchors;	/* name -> index into all (key_off) */
	int		 more_docs;	/* a second document was ignored */
};

static void
ytree_free(struct ytree *t)
{
	for (size_t i = 0; i < t->nall; i++) {
		if (t->all[i]->s != NULL)
			wipe(t->all[i]->s, t->all[i]->slen);
		free(t->all[i]->s);
		free(t->all[i]->kid);
		free(t->all[i]);
	}
	free(t->all);
	envmap_free(&t->anchors);
	memset(t, 0, sizeof *t);
}

static char *
yerr(const struct ytree *t, unsigned line, unsigned col, const char *what)
{
	return xasprintf("%s:%u:%u: %s", t->name, line, col, what);
}

/* libyaml's complaint as a sentence, with the reason a person most
 * often meets: a tab in the indentation. */
static char *
yaml_problem(const struct ytree *t, const yaml_parser_t *p, const char *data,
    size_t len)
{
	unsigned line = (unsigned)p->problem_mark.line + 1;
	unsigned col = (unsigned)p->problem_mark.column + 1;
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "invalid YAML: %s", p->problem ? p->problem :
	    "cannot parse");
	if (p->context != NULL)
		buf_printf(&b, " %s (line %u)", p->context,
		    (unsigned)p->context_mark.line + 1);
	/* the line of the problem: is there a tab before its text? */
	size_t i = p->problem_mark.index < len ? p->problem_mark.index : len;
	while (i > 0 && data[i - 1] != '\n')
		i--;
	for (; i < len && (data[i] == ' ' || data[i] == '\t'); i++)
		if (data[i] == '\t') {
			buf_addstr(&b, "; a tab indents this line: YAML "
			    "indents with spaces only");
			break;
		}
	char *m = yerr(t, line, col, b.data);
	buf_free(&b);
	return m;
}

static struct ynode *
ynew(struct ytree *t, int kind, const yaml_mark_t *m)
{
	struct ynode *n = xcalloc(1, sizeof *n);
	n->kind = (unsigned char)kind;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	n->size = 1;
	t->all = xgrow(t->all, t->nall, &t->call, sizeof *t->all);
	n->idx = t->nall;
	t->all[t->nall++] = n;
	return n;
}

static void
add_anchor(struct ytree *t, const unsigned char *anchor, struct ynode *n)
{
	if (anchor == NULL)
		return;
	envmap_set(&t->anchors, (const char *)anchor,
	    strlen((const char *)anchor), "", 0, n->idx, ENVMAP_COPY_KEY);
}

static size_t
sat_add(size_t a, size_t b)
{
	return a > COMPOSE_MAX_EXPANDED || b > COMPOSE_MAX_EXPANDED ||
	    a + b > COMPOSE_MAX_EXPANDED ? COMPOSE_MAX_EXPANDED + 1 : a + b;
}

/* libyaml, opened for the first compose file (dynload.h) */
static struct {
	int (*parser_initialize)(yaml_parser_t *);
	void (*parser_set_input_string)(yaml_parser_t *, const unsigned char *,
	    size_t);
	int (*parser_parse)(yaml_parser_t *, yaml_event_t *);
	void (*event_delete)(yaml_event_t *);
	void (*parser_delete)(yaml_parser_t *);
	const char *(*get_version_string)(void);
} yfn;
static void *libyaml;

static int
yaml_load(char **cause)
{
	static const struct dynsym syms[] = {
		{ "yaml_parser_initialize", &yfn.parser_initialize },
		{ "yaml_parser_set_input_string", &yfn.parser_set_input_string },
		{ "yaml_parser_parse", &yfn.parser_parse },
		{ "yaml_event_delete", &yfn.event_delete },
		{ "yaml_parser_delete", &yfn.parser_delete },
		{ "yaml_get_version_string", &yfn.get_version_string },
	};
	return dynload(&libyaml, LIBYAML_SONAME, "libyaml-0-2", syms,
	    sizeof syms / sizeof *syms, cause);
}

const char *
compose_yaml_version(char **cause)
{
	return yaml_load(cause) == 0 ? yfn.get_version_string() : NULL;
}

static int
ytree_parse(struct ytree *t, const char *name, const char *data, size_t len,
    char **cause)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct ynode *stack[COMPOSE_MAX_DEPTH];
	size_t depth = 0;
	int docs = 0, done = 0, rc = -1;

	memset(t, 0, sizeof *t);
	t->name = name;
	envmap_init(&t->anchors);
	char *why = NULL;
	if (yaml_load(&why) != 0) {
		*cause = xasprintf("%s: %s", name, why);
		free(why);
		return -1;
	}
	if (!yfn.parser_initialize(&p)) {
		*cause = xasprintf("%s: cannot start the YAML parser", name);
		return -1;
	}
	yfn.parser_set_input_string(&p, (const unsigned char *)data, len);
	while (!done) {
		if (!yfn.parser_parse(&p, &ev)) {
			*cause = yaml_problem(t, &p, data, len);
			goto out;
		}
		struct ynode *n = NULL;
		const yaml_mark_t *m = &ev.start_mark;
		int err = 0;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				/* compose reads one document a file */
				t->more_docs = 1;
				done = 1;
			}
			break;
		case YAML_SCALAR_EVENT:
			n = ynew(t, YN_SCALAR, m);
			n->s = xmalloc(ev.data.scalar.length + 1);
			memcpy(n->s, ev.data.scalar.value,
			    ev.data.scalar.length);
			n->s[ev.data.scalar.length] = '\0';
			n->slen = ev.data.scalar.length;
			n->plain = ev.data.scalar.style ==
			    YAML_PLAIN_SCALAR_STYLE &&
			    ev.data.scalar.tag == NULL;
			n->done = 1;
			add_anchor(t, ev.data.scalar.anchor, n);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			n = ynew(t, ev.type == YAML_SEQUENCE_START_EVENT ?
			    YN_SEQ : YN_MAP, m);
			break;
		case YAML_ALIAS_EVENT: {
			const char *a = (const char *)ev.data.alias.anchor;
			struct envvar *v = envmap_get(&t->anchors, a,
			    strlen(a));
			if (v == NULL || v->key_off == SIZE_MAX) {
				*cause = yerr(t, (unsigned)m->line + 1,
				    (unsigned)m->column + 1, "invalid YAML: "
				    "an alias to an unknown anchor");
				err = 1;
				break;
			}
			n = t->all[v->key_off];
			if (!n->done) {
				*cause = yerr(t, (unsigned)m->line + 1,
				    (unsigned)m->column + 1, "an alias "
				    "inside its own anchor (a recursive "
				    "structure): refused");
				err = 1;
				n = NULL;
			}
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			struct ynode *c = stack[--depth];
			if (c->kind == YN_MAP && c->n % 2 != 0)
				c->n--;	/* cannot happen with libyaml */
			c->done = 1;
			if (c->size > COMPOSE_MAX_EXPANDED) {
				*cause = yerr(t, c->line, c->col, "the YAML "
				    "expands to more than 1000000 nodes "
				    "through aliases (a \"billion laughs\"): "
				    "refused");
				err = 1;
			}
			break;
		}
		default:
			break;
		}
		if (!err && n != NULL) {
			if (t->nall > COMPOSE_MAX_NODES ||
			    t->nlinks >= 2 * (size_t)COMPOSE_MAX_NODES) {
				*cause = yerr(t, (unsigned)m->line + 1,
				    (unsigned)m->column + 1, "more than "
				    "100000 YAML nodes: refused");
				err = 1;
			} else if (depth == 0) {
				if (t->root == NULL)
					t->root = n;
			} else {
				struct ynode *up = stack[depth - 1];
				up->kid = xgrow(up->kid, up->n, &up->cap,
				    sizeof *up->kid);
				up->kid[up->n++] = n;
				t->nlinks++;
				for (size_t i = 0; i < depth; i++)
					stack[i]->size = sat_add(
					    stack[i]->size, n->size);
			}
			if (!err && (ev.type == YAML_SEQUENCE_START_EVENT ||
			    ev.type == YAML_MAPPING_START_EVENT)) {
				if (depth == COMPOSE_MAX_DEPTH) {
					*cause = yerr(t, n->line, n->col,
					    "YAML nested more than 64 deep: "
					    "refused");
					err = 1;
				} else {
					/* named now, so that an alias inside
					 * it is seen as recursive */
					add_anchor(t, ev.type ==
					    YAML_MAPPING_START_EVENT ?
					    ev.data.mapping_start.anchor :
					    ev.data.sequence_start.anchor, n);
					stack[depth++] = n;
				}
			}
		}
		yfn.event_delete(&ev);
		if (err)
			goto out;
	}
	rc = 0;
out:
	yfn.parser_delete(&p);
	return rc;
}

static int
is_null(const struct ynode *n)
{
	if (n == NULL)
		return 1;
	if (n->kind != YN_SCALAR || !n->plain)
		return 0;
	return n->slen == 0 || strcmp(n->s, "~") == 0 ||
	    strcmp(n->s, "null") == 0 || strcmp(n->s, "Null") == 0 ||
	    strcmp(n->s, "NULL") == 0;
}

static int
scalar_is(const struct ynode *n, const char *s)
{
	return n != NULL && n->kind == YN_SCALAR && strcmp(n->s, s) == 0 &&
	    n->slen == strlen(s);
}

/* A map's pairs, YAML merge keys ("<<: *base") flattened in: its own
 * keys first, then those of the merged maps it does not have. */
struct ykv {
	struct ynode	*k, *v;
};

static int
flatten(const struct ynode *m, struct ykv **out, size_t *n, size_t *cap,
    struct envmap *seen, int depth)
{
	if (m == NULL || m->kind != YN_MAP)
		return 0;
	if (depth > COMPOSE_MAX_DEPTH)
		return -1;
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		struct ynode *k = m->kid[i];
		if (k->kind != YN_SCALAR || scalar_is(k, "<<"))
			continue;
		if (envmap_get(seen, k->s, k->slen) != NULL)
			continue;
		envmap_set(seen, k->s, k->slen, "", 0, 0, 0);
		*out = xgrow(*out, *n, cap, sizeof **out);
		(*out)[(*n)++] = (struct ykv){ k, m->kid[i + 1] };
	}
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		if (!scalar_is(m->kid[i], "<<") || !m->kid[i]->plain)
			continue;
		const struct ynode *v = m->kid[i + 1];
		if (v->kind == YN_MAP) {
			if (flatten(v, out, n, cap, seen, depth + 1) != 0)
				return -1;
		} else if (v->kind == YN_SEQ) {
			for (size_t j = 0; j < v->n; j++)
				if (flatten(v->kid[j], out, n, cap, seen,
				    depth + 1) != 0)
					return -1;
		}
	}
	return 0;
}

/* Caller frees *out. */
static int
map_pairs(const struct ynode *m, struct ykv **out, size_t *n)
{
	size_t cap = 0;
	struct envmap seen;
	*out = NULL;
	*n = 0;
	envmap_init(&seen);
	int rc = flatten(m, out, n, &cap, &seen, 0);
	envmap_free(&seen);
	return rc;
}

static struct ynode *
map_get(const struct ynode *m, const char *key)
{
	struct ykv *kv;
	size_t n;
	struct ynode *r = NULL;
	if (map_pairs(m, &kv, &n) == 0)
		for (size_t i = 0; i < n && r == NULL; i++)
			if (scalar_is(kv[i].k, key))
				r = kv[i].v;
	free(kv);
	return r;
}

/* ------------------------------------------------------------------ */
/* reading files with a cap                                             */

static int
read_capped(const char *path, size_t cap, struct buf *out, char **cause)
{
	buf_init(out);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		*cause = xasprintf("%s: is a directory, not a file", path);
		close(fd);
		return -1;
	}
	for (;;) {
		buf_reserve(out, 65536);
		size_t room = out->cap - out->len - 1;
		if (room > cap + 1 - out->len)
			room = cap + 1 - out->len;
		ssize_t r = read(fd, out->data + out->len, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			break;
		}
		if (r == 0) {
			out->data[out->len] = '\0';
			close(fd);
			return 0;
		}
		out->len += (size_t)r;
		if (out->len > cap) {
			*cause = xasprintf("%s:1:1: larger than %zu bytes: "
			    "refused", path, cap);
			break;
		}
	}
	close(fd);
	buf_wipe(out);
	return -1;
}

/* ------------------------------------------------------------------ */
/* the model                                                            */

struct envent {		/* one environment: entry */
	char		*key;
	char		*val;	/* NULL: a bare KEY or KEY: null */
	size_t		 vlen;
	const char	*file;
	unsigned	 line, col;
};

struct envfref {	/* one env_file: entry */
	char		*path;	/* resolved */
	int		 required;
	const char	*file;
	unsigned	 line, col;
};

struct svcdef {
	char		*name;
	char		*image;
	const char	*file;
	unsigned	 line;
	char		**profiles;
	size_t		 nprofiles;
	struct envent	*env;
	size_t		 nenv, cenv;
	struct envfref	*ef;
	size_t		 nef, cef;
};

struct loader {
	struct compose_project	*p;
	struct envmap		 shell;
	struct envmap		 proj;	/* shell + project .env */
	char			*projdir;
	struct svcdef		*d;
	size_t			 nd, cd;
	char			*cause;
	char			*refused;
	const struct ytree	*t;	/* the file being read */
};

static const char *
intern(struct compose_project *p, const char *s)
{
	for (size_t i = 0; i < p->nstrs; i++)
		if (strcmp(p->strs[i], s) == 0)
			return p->strs[i];
	p->strs = xreallocarray(p->strs, p->nstrs + 1, sizeof *p->strs);
	p->strs[p->nstrs] = xstrdup(s);
	return p->strs[p->nstrs++];
}

static void
note(struct compose_project *p, const char *fmt, ...) KEC_PRINTF(2, 3);

static void
note(struct compose_project *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	p->notes = xreallocarray(p->notes, p->nnotes + 1, sizeof *p->notes);
	p->notes[p->nnotes++] = m;
}

/* A scalar's value interpolated from the project environment. Returns
 * NULL (and sets ld->cause) when compose refuses it. */
static char *
interp(struct loader *ld, const struct ynode *n, size_t *len)
{
	struct buf b;
	char *err = NULL;
	buf_init(&b);
	buf_reserve(&b, n->slen);
	if (dialect_compose_subst(n->s, n->slen, env_lookup_map, &ld->proj, &b,
	    &err, NULL) != 0) {
		if (ld->cause == NULL)
			ld->cause = yerr(ld->t, n->line, n->col, err ? err :
			    "invalid interpolation");
		free(err);
		buf_wipe(&b);
		return NULL;
	}
	*len = b.len;
	return buf_steal(&b);
}

/* A key twice in one map: compose's YAML decoder refuses the file. */
static int
dup_key(struct loader *ld, const struct ynode *m)
{
	struct envmap seen;
	int rc = 0;
	envmap_init(&seen);
	for (size_t i = 0; i + 1 < m->n && rc == 0; i += 2) {
		const struct ynode *k = m->kid[i];
		if (k->kind != YN_SCALAR || scalar_is(k, "<<"))
			continue;
		const struct envvar *v = envmap_get(&seen, k->s, k->slen);
		if (v == NULL) {
			envmap_set(&seen, k->s, k->slen, "", 0, k->line, 0);
			continue;
		}
		char *name = display_text(k->s, k->slen, 60);
		char *what = xasprintf("mapping key \"%s\" already defined at "
		    "line %zu: docker compose refuses the file", name,
		    v->key_off);
		ld->cause = yerr(ld->t, k->line, k->col, what);
		free(what);
		free(name);
		rc = -1;
	}
	envmap_free(&seen);
	return rc;
}

/* Every value of the file interpolated once, as compose does before
 * anything else: a ${VAR:?message} anywhere stops it. */
static int
check_interp(struct loader *ld, const struct ynode *n, int depth)
{
	if (depth > 4 * COMPOSE_MAX_DEPTH) {
		ld->cause = yerr(ld->t, n->line, n->col, "YAML nested too "
		    "deep through aliases: refused");
		return -1;
	}
	/* a node an alias shares is checked once */
	if (n->checked)
		return 0;
	((struct ynode *)n)->checked = 1;
	if (n->kind == YN_SCALAR) {
		if (memchr(n->s, '$', n->slen) == NULL)
			return 0;
		size_t l;
		char *v = interp(ld, n, &l);
		if (v == NULL)
			return -1;
		wipe(v, l);
		free(v);
		return 0;
	}
	if (n->kind == YN_MAP && dup_key(ld, n) != 0)
		return -1;
	for (size_t i = n->kind == YN_MAP ? 1 : 0; i < n->n;
	    i += n->kind == YN_MAP ? 2 : 1)
		if (check_interp(ld, n->kid[i], depth + 1) != 0)
			return -1;
	return 0;
}

static struct svcdef *
svcdef_get(struct loader *ld, const char *name, const struct ynode *at)
{
	for (size_t i = 0; i < ld->nd; i++)
		if (strcmp(ld->d[i].name, name) == 0)
			return &ld->d[i];
	ld->d = xgrow(ld->d, ld->nd, &ld->cd, sizeof *ld->d);
	struct svcdef *d = &ld->d[ld->nd++];
	memset(d, 0, sizeof *d);
	d->name = xstrdup(name);
	d->file = intern(ld->p, ld->t->name);
	d->line = at->line;
	return d;
}

static int
type_error(struct loader *ld, const struct ynode *n, const char *what)
{
	ld->cause = yerr(ld->t, n->line, n->col, what);
	return -1;
}

static char *
resolve_path(struct loader *ld, const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	const char *p = path;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	return strcmp(ld->projdir, ".") == 0 ? xstrdup(p) :
	    xasprintf("%s/%s", ld->projdir, p);
}

static int
add_env_file(struct loader *ld, struct svcdef *d, const struct ynode *n)
{
	const struct ynode *pn = n;
	int required = 1;
	if (n->kind == YN_MAP) {
		pn = map_get(n, "path");
		if (pn == NULL || pn->kind != YN_SCALAR)
			return type_error(ld, n, "env_file: an entry without "
			    "path:");
		const struct ynode *r = map_get(n, "required");
		if (r != NULL) {
			if (r->kind != YN_SCALAR)
				return type_error(ld, r, "env_file: required: "
				    "takes true or false");
			size_t l;
			char *v = interp(ld, r, &l);
			if (v == NULL)
				return -1;
			if (strcmp(v, "false") == 0 || strcmp(v, "False") ==
			    0 || strcmp(v, "FALSE") == 0)
				required = 0;
			else if (strcmp(v, "true") != 0 && strcmp(v, "True")
			    != 0 && strcmp(v, "TRUE") != 0) {
				free(v);
				return type_error(ld, r, "env_file: required: "
				    "takes true or false");
			}
			free(v);
		}
	} else if (n->kind != YN_SCALAR)
		return type_error(ld, n, "env_file: takes a path, a list, or "
		    "entries with path:");
	size_t l;
	char *v = interp(ld, pn, &l);
	if (v == NULL)
		return -1;
	if (strlen(v) != l || l == 0) {
		free(v);
		return type_error(ld, pn, "env_file: an empty path");
	}
	char *path = resolve_path(ld, v);
	free(v);
	/* merged as compose-go's override does: appended, a path already
	 * listed keeps its first place */
	for (size_t i = 0; i < d->nef; i++)
		if (strcmp(d->ef[i].path, path) == 0) {
			free(path);
			return 0;
		}
	if (d->nef == COMPOSE_MAX_LIST) {
		free(path);
		return type_error(ld, pn, "env_file: more than 256 files");
	}
	d->ef = xgrow(d->ef, d->nef, &d->cef, sizeof *d->ef);
	d->ef[d->nef++] = (struct envfref){ path, required,
	    intern(ld->p, ld->t->name), pn->line, pn->col };
	return 0;
}

static void
add_env(struct loader *ld, struct svcdef *d, const char *k, size_t kl,
    char *val, size_t vlen, const struct ynode *at)
{
	d->env = xgrow(d->env, d->nenv, &d->cenv, sizeof *d->env);
	d->env[d->nenv++] = (struct envent){ xstrndup(k, kl), val, vlen,
	    intern(ld->p, ld->t->name), at->line, at->col };
}

static int
read_environment(struct loader *ld, struct svcdef *d, const struct ynode *e)
{
	if (e->kind == YN_SEQ) {
		for (size_t i = 0; i < e->n; i++) {
			const struct ynode *x = e->kid[i];
			if (x->kind != YN_SCALAR)
				return type_error(ld, x, "environment: a list "
				    "entry must be KEY=VALUE or KEY");
			size_t l;
			char *v = interp(ld, x, &l);
			if (v == NULL)
				return -1;
			char *eq = memchr(v, '=', l);
			if (eq == NULL)
				add_env(ld, d, v, l, NULL, 0, x);
			else {
				size_t kl = (size_t)(eq - v);
				size_t vl = l - kl - 1;
				char *val = xmalloc(vl + 1);
				memcpy(val, eq + 1, vl);
				val[vl] = '\0';
				add_env(ld, d, v, kl, val, vl, x);
			}
			wipe(v, l);
			free(v);
		}
		return 0;
	}
	if (e->kind != YN_MAP)
		return is_null(e) ? 0 : type_error(ld, e, "environment: takes "
		    "a list or a map");
	struct ykv *kv;
	size_t n;
	if (map_pairs(e, &kv, &n) != 0) {
		free(kv);
		return type_error(ld, e, "YAML merge keys nested too deep");
	}
	for (size_t i = 0; i < n; i++) {
		const struct ynode *v = kv[i].v;
		if (is_null(v)) {
			add_env(ld, d, kv[i].k->s, kv[i].k->slen, NULL, 0,
			    kv[i].k);
			continue;
		}
		if (v->kind != YN_SCALAR) {
			free(kv);
			return type_error(ld, v, "environment: a value must "
			    "be a string, a number or a boolean");
		}
		size_t l;
		char *val = interp(ld, v, &l);
		if (val == NULL) {
			free(kv);
			return -1;
		}
		add_env(ld, d, kv[i].k->s, kv[i].k->slen, val, l, kv[i].k);
	}
	free(kv);
	return 0;
}

static int
read_service(struct loader *ld, const struct ynode *kn, const struct ynode *s)
{
	struct svcdef *d = svcdef_get(ld, kn->s, kn);
	if (is_null(s))
		return 0;
	if (s->kind != YN_MAP)
		return type_error(ld, s, "a service must be a map");
	struct ykv *kv;
	size_t n;
	if (map_pairs(s, &kv, &n) != 0) {
		free(kv);
		return type_error(ld, s, "YAML merge keys nested too deep");
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct ynode *k = kv[i].k, *v = kv[i].v;
		if (scalar_is(k, "image") && v->kind == YN_SCALAR) {
			size_t l;
			char *img = interp(ld, v, &l);
			if (img == NULL)
				rc = -1;
			else {
				free(d->image);
				d->image = img;
			}
		} else if (scalar_is(k, "profiles") && v->kind == YN_SEQ) {
			for (size_t j = 0; j < v->n && rc == 0; j++) {
				if (v->kid[j]->kind != YN_SCALAR) {
					rc = type_error(ld, v->kid[j],
					    "profiles: takes names");
					break;
				}
				size_t l;
				char *pr = interp(ld, v->kid[j], &l);
				if (pr == NULL) {
					rc = -1;
					break;
				}
				if (d->nprofiles == COMPOSE_MAX_LIST) {
					free(pr);
					rc = type_error(ld, v->kid[j],
					    "profiles: more than 256");
					break;
				}
				size_t x;
				for (x = 0; x < d->nprofiles; x++)
					if (strcmp(d->profiles[x], pr) == 0)
						break;
				if (x < d->nprofiles) {
					free(pr);
					continue;
				}
				d->profiles = xreallocarray(d->profiles,
				    d->nprofiles + 1, sizeof *d->profiles);
				d->profiles[d->nprofiles++] = pr;
			}
		} else if (scalar_is(k, "env_file")) {
			if (v->kind == YN_SEQ) {
				for (size_t j = 0; j < v->n && rc == 0; j++)
					rc = add_env_file(ld, d, v->kid[j]);
			} else if (!is_null(v))
				rc = add_env_file(ld, d, v);
		} else if (scalar_is(k, "environment"))
			rc = read_environment(ld, d, v);
		else if (scalar_is(k, "extends"))
			note(ld->p, "%s:%u: service %s: extends: is not "
			    "followed; its environment is not included",
			    ld->t->name, k->line, d->name);
	}
	free(kv);
	return rc;
}

static int
read_compose_file(struct loader *ld, const char *path)
{
	struct buf data;
	char *why = NULL;
	if (read_capped(path, COMPOSE_MAX_BYTES, &data, &why) != 0) {
		ld->cause = why;
		return -1;
	}
	struct ytree t;
	const char *name = intern(ld->p, path);
	int rc = ytree_parse(&t, name, data.data, data.len, &ld->cause);
	ld->t = &t;
	if (rc == 0 && t.more_docs)
		note(ld->p, "%s: a second YAML document is ignored", name);
	const struct ynode *root = t.root;
	if (rc == 0 && root != NULL && !is_null(root) && root->kind != YN_MAP)
		rc = type_error(ld, root, "a compose file must be a map");
	if (rc == 0 && root != NULL && root->kind == YN_MAP)
		rc = check_interp(ld, root, 0);
	if (rc == 0 && root != NULL && root->kind == YN_MAP) {
		const struct ynode *inc = map_get(root, "include");
		if (inc != NULL)
			note(ld->p, "%s:%u: include: is not followed; the "
			    "services it adds are not modelled", name,
			    inc->line);
		const struct ynode *svcs = map_get(root, "services");
		struct ykv *kv = NULL;
		size_t n = 0;
		if (svcs != NULL && !is_null(svcs) && svcs->kind != YN_MAP)
			rc = type_error(ld, svcs, "services: must be a map");
		else if (svcs != NULL && map_pairs(svcs, &kv, &n) != 0)
			rc = type_error(ld, svcs, "YAML merge keys nested "
			    "too deep");
		if (rc == 0 && n + ld->nd > COMPOSE_MAX_SERVICES)
			rc = type_error(ld, svcs, "more than 1000 services: "
			    "refused");
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = read_service(ld, kv[i].k, kv[i].v);
		free(kv);
	}
	ld->t = NULL;
	ytree_free(&t);
	buf_wipe(&data);
	return rc;
}

static int
file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* compose-go's DefaultFileNames and DefaultOverrideFileNames, in its
 * order of preference. */
static const char *const main_names[] = {
	"compose.yaml", "compose.yml", "docker-compose.yml",
	"docker-compose.yaml"
};
static const char *const override_names[] = {
	"compose.override.yml", "compose.override.yaml",
	"docker-compose.override.yml", "docker-compose.override.yaml"
};

static void
add_file(struct compose_project *p, char *path)
{
	p->files = xreallocarray(p->files, p->nfiles + 1, sizeof *p->files);
	p->files[p->nfiles++] = path;
}

static int
discover(struct compose_project *p, const char *dir,
    const char *const *names, size_t nn)
{
	char *found[4];
	size_t nf = 0;
	for (size_t i = 0; i < nn; i++) {
		char *c = strcmp(dir, ".") == 0 ? xstrdup(names[i]) :
		    xasprintf("%s/%s", dir, names[i]);
		if (file_exists(c))
			found[nf++] = c;
		else
			free(c);
	}
	if (nf == 0)
		return 0;
	if (nf > 1) {
		struct buf b;
		buf_init(&b);
		for (size_t i = 0; i < nf; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", found[i]);
		note(p, "found several compose files (%s): using %s, as "
		    "docker compose does", b.data, found[0]);
		buf_free(&b);
	}
	add_file(p, found[0]);
	for (size_t i = 1; i < nf; i++)
		free(found[i]);
	return 1;
}

/* Env file lookups: the project environment first, then the service's
 * environment: values, then what earlier env files set (compose-go
 * WithServicesEnvironmentResolved); dialect_eval then tries the keys set
 * earlier in the file itself. */
struct svclookup {
	struct envmap	*proj;
	struct envmap	*senv;
	struct envmap	*acc;
};

static int
svc_lookup(void *ctx, const char *name, size_t nlen, const char **val,
    size_t *vlen)
{
	struct svclookup *s = ctx;
	if (env_lookup_map(s->proj, name, nlen, val, vlen))
		return 1;
	if (env_lookup_map(s->senv, name, nlen, val, vlen))
		return 1;
	return env_lookup_map(s->acc, name, nlen, val, vlen);
}

static void
set_var(struct compose_service *s, const char *k, size_t kl, const char *v,
    size_t vl, struct corigin o)
{
	struct envvar *e = envmap_set(&s->env, k, kl, v, vl, 0, ENVMAP_COPY);
	size_t idx = (size_t)(e - s->env.v);
	if (idx >= s->corig) {
		size_t nc = s->corig ? s->corig * 2 : 16;
		while (nc <= idx)
			nc *= 2;
		s->orig = xreallocarray(s->orig, nc, sizeof *s->orig);
		s->corig = nc;
	}
	s->orig[idx] = o;
}

static char *
pos_error(const char *file, const char *data, size_t len, size_t off,
    const char *what)
{
	struct textpos tp;
	unsigned line, col;
	textpos_init(&tp, data, len);
	textpos_at(&tp, off, &line, &col);
	textpos_free(&tp);
	return xasprintf("%s:%u:%u: docker compose refuses it: %s", file, line,
	    col, what);
}

static enum kodus_role
role_of(const char *name, const char *image)
{
	static const struct {
		const char *img, *svc;
		enum kodus_role role;
	} tab[] = {
		{ "kodus-ai-api", "api", KODUS_API },
		{ "kodus-ai-worker", "worker", KODUS_WORKER },
		{ "kodus-ai-webhook", "webhooks", KODUS_WEBHOOKS },
		{ "kodus-ai-webhooks", "webhook", KODUS_WEBHOOKS },
		{ "kodus-ai-web", "kodus-web", KODUS_WEB },
		{ "kodus-mcp-manager", "kodus-mcp-manager", KODUS_MCP_MANAGER },
		{ NULL, "worker-analytics", KODUS_WORKER_ANALYTICS },
		{ NULL, "web", KODUS_WEB },
		{ NULL, "mcp-manager", KODUS_MCP_MANAGER },
	};
	if (image != NULL) {
		/* registry/owner/NAME:tag@digest -> NAME */
		const char *b = strrchr(image, '/');
		b = b ? b + 1 : image;
		size_t l = strcspn(b, ":@");
		for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
			if (tab[i].img && strlen(tab[i].img) == l &&
			    memcmp(b, tab[i].img, l) == 0)
				return tab[i].role;
	}
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(name, tab[i].svc) == 0)
			return tab[i].role;
	return KODUS_NONE;
}

const char *
kodus_role_name(enum kodus_role r)
{
	static const char *const n[] = { NULL, "api", "worker",
	    "worker-analytics", "webhooks", "web", "mcp-manager" };
	return n[r];
}

static int
profile_on(char **on, size_t non, const char *p)
{
	for (size_t i = 0; i < non; i++)
		if (strcmp(on[i], p) == 0 || strcmp(on[i], "*") == 0)
			return 1;
	return 0;
}

static int
build_service(struct loader *ld, struct svcdef *d, char **on, size_t non,
    struct compose_service *s)
{
	memset(s, 0, sizeof *s);
	s->name = d->name;
	d->name = NULL;
	s->image = d->image;
	d->image = NULL;
	s->file = d->file;
	s->line = d->line;
	s->profiles = d->profiles;
	s->nprofiles = d->nprofiles;
	d->profiles = NULL;
	d->nprofiles = 0;
	s->active = s->nprofiles == 0;
	for (size_t i = 0; i < s->nprofiles; i++)
		s->active |= profile_on(on, non, s->profiles[i]);
	envmap_init(&s->env);

	/* environment: with bare names resolved from the project */
	struct envmap senv;
	envmap_init(&senv);
	for (size_t i = 0; i < d->nenv; i++) {
		struct envent *e = &d->env[i];
		const char *v = e->val;
		size_t vl = e->vlen;
		if (v == NULL && !env_lookup_map(&ld->proj, e->key,
		    strlen(e->key), &v, &vl))
			continue;
		envmap_set(&senv, e->key, strlen(e->key), v, vl, 0,
		    ENVMAP_COPY);
	}
	struct svclookup sl = { &ld->proj, &senv, &s->env };
	int rc = 0;
	for (size_t i = 0; i < d->nef && rc == 0; i++) {
		struct envfref *f = &d->ef[i];
		s->env_files = xreallocarray(s->env_files, s->nenv_files + 1,
		    sizeof *s->env_files);
		s->env_files[s->nenv_files++] = xstrdup(f->path);
		if (!file_exists(f->path)) {
			if (!f->required)
				continue;
			ld->cause = xasprintf("%s:%u:%u: service %s: env_file "
			    "%s not found (docker compose refuses to start; "
			    "'required: false' makes it optional)", f->file,
			    f->line, f->col, s->name, f->path);
			rc = -1;
			break;
		}
		struct buf data;
		char *why = NULL;
		if (read_capped(f->path, COMPOSE_MAX_ENV_BYTES, &data,
		    &why) != 0) {
			ld->cause = why;
			rc = -1;
			break;
		}
		struct dialect_result r;
		dialect_eval(DIALECT_COMPOSE, data.data, data.len, svc_lookup,
		    &sl, &r);
		if (!r.ok) {
			ld->cause = pos_error(f->path, data.data, data.len,
			    r.err_off, r.error);
			ld->refused = xstrdup(f->path);
			rc = -2;
		} else {
			const char *fn = intern(ld->p, f->path);
			struct textpos tp;
			textpos_init(&tp, data.data, data.len);
			for (size_t j = 0; j < r.env.n; j++) {
				const struct envvar *v = &r.env.v[j];
				struct corigin o = { fn, 0, 0, 0, 0 };
				textpos_at(&tp, v->key_off, &o.line, &o.col);
				set_var(s, v->key, v->klen, v->val, v->vlen,
				    o);
			}
			textpos_free(&tp);
		}
		dialect_result_free(&r);
		buf_wipe(&data);
	}
	/* environment: over env_file: */
	for (size_t i = 0; i < d->nenv && rc == 0; i++) {
		struct envent *e = &d->env[i];
		size_t kl = strlen(e->key);
		struct corigin o = { e->file, e->line, e->col, 1, 0 };
		struct envvar *v = envmap_get(&senv, e->key, kl);
		if (v != NULL)
			set_var(s, e->key, kl, v->val, v->vlen, o);
		else if (envmap_get(&s->env, e->key, kl) != NULL) {
			/* unset in the project: the container does not get
			 * it, whatever env_file said */
			o.removed = 1;
			set_var(s, e->key, kl, "", 0, o);
		}
	}
	envmap_free(&senv);
	s->role = role_of(s->name, s->image);
	if (s->role == KODUS_WORKER) {
		struct envvar *v = envmap_getz(&s->env, "WORKER_ROLE");
		if (strcmp(s->name, "worker-analytics") == 0 || (v != NULL &&
		    v->vlen == 9 && memcmp(v->val, "analytics", 9) == 0))
			s->role = KODUS_WORKER_ANALYTICS;
	}
	return rc;
}

static void
svcdef_free(struct svcdef *d)
{
	free(d->name);
	free(d->image);
	for (size_t i = 0; i < d->nprofiles; i++)
		free(d->profiles[i]);
	free(d->profiles);
	for (size_t i = 0; i < d->nenv; i++) {
		free(d->env[i].key);
		if (d->env[i].val)
			wipe(d->env[i].val, d->env[i].vlen);
		free(d->env[i].val);
	}
	free(d->env);
	for (size_t i = 0; i < d->nef; i++)
		free(d->ef[i].path);
	free(d->ef);
}

/* The project .env: read with the shell environment for its ${VAR}s,
 * then under the shell (which wins). */
static int
load_dotenv(struct loader *ld, const char *path, int must)
{
	struct compose_project *p = ld->p;
	if (!must && !file_exists(path))
		return 0;
	struct buf data;
	char *why = NULL;
	if (read_capped(path, COMPOSE_MAX_ENV_BYTES, &data, &why) != 0) {
		ld->cause = why;
		return -1;
	}
	p->dotenv = xstrdup(path);
	struct dialect_result r;
	dialect_eval(DIALECT_COMPOSE, data.data, data.len, env_lookup_map,
	    &ld->shell, &r);
	int rc = 0;
	if (!r.ok) {
		ld->cause = pos_error(path, data.data, data.len, r.err_off,
		    r.error);
		ld->refused = xstrdup(path);
		rc = -2;
	} else
		for (size_t i = 0; i < r.env.n; i++) {
			const struct envvar *v = &r.env.v[i];
			if (envmap_get(&ld->proj, v->key, v->klen) == NULL)
				envmap_set(&ld->proj, v->key, v->klen, v->val,
				    v->vlen, 0, ENVMAP_COPY);
		}
	dialect_result_free(&r);
	buf_wipe(&data);
	return rc;
}

int
compose_load(struct compose_project *p, const struct compose_opts *o,
    char **cause, char **refused)
{
	struct loader ld;
	int rc = 0;

	memset(p, 0, sizeof *p);
	memset(&ld, 0, sizeof ld);
	ld.p = p;
	*refused = NULL;
	const char *dir = o->dir ? o->dir : ".";
	if (o->nfiles > COMPOSE_MAX_FILES) {
		*cause = xasprintf("more than %d compose files",
		    COMPOSE_MAX_FILES);
		return COMPOSE_ERROR;
	}
	if (o->nfiles > 0) {
		for (size_t i = 0; i < o->nfiles; i++)
			add_file(p, xstrdup(o->files[i]));
		ld.projdir = path_dir(o->files[0]);
	} else {
		if (!discover(p, dir, main_names, 4))
			return COMPOSE_NONE;
		discover(p, dir, override_names, 4);
		ld.projdir = xstrdup(dir);
	}
	environ_to_map(&ld.shell);
	environ_to_map(&ld.proj);
	if (o->env_file != NULL)
		rc = load_dotenv(&ld, o->env_file, 1);
	else {
		char *def = strcmp(ld.projdir, ".") == 0 ? xstrdup(".env") :
		    xasprintf("%s/.env", ld.projdir);
		rc = load_dotenv(&ld, def, 0);
		free(def);
	}

	/* COMPOSE_PROFILES from the project environment, unless
	 * --profile */
	char **on = NULL;
	size_t non = 0;
	if (o->nprofiles > 0) {
		on = xreallocarray(NULL, o->nprofiles, sizeof *on);
		for (size_t i = 0; i < o->nprofiles; i++)
			on[non++] = xstrdup(o->profiles[i]);
	} else {
		struct envvar *v = envmap_getz(&ld.proj, "COMPOSE_PROFILES");
		for (size_t i = 0; v != NULL && i < v->vlen && non < 1024;) {
			size_t l = 0;
			while (i + l < v->vlen && v->val[i + l] != ',')
				l++;
			size_t a = i, b = i + l;
			while (a < b && v->val[a] == ' ')
				a++;
			while (b > a && v->val[b - 1] == ' ')
				b--;
			if (b > a) {
				on = xreallocarray(on, non + 1, sizeof *on);
				on[non++] = xstrndup(v->val + a, b - a);
			}
			i += l + 1;
		}
	}

	for (size_t i = 0; i < p->nfiles && rc == 0; i++)
		rc = read_compose_file(&ld, p->files[i]);
	if (rc == 0) {
		p->svc = xcalloc(ld.nd ? ld.nd : 1, sizeof *p->svc);
		for (size_t i = 0; i < ld.nd && rc == 0; i++) {
			rc = build_service(&ld, &ld.d[i], on, non,
			    &p->svc[i]);
			p->nsvc = i + 1;
		}
	}
	for (size_t i = 0; i < non; i++)
		free(on[i]);
	free(on);
	for (size_t i = 0; i < ld.nd; i++)
		svcdef_free(&ld.d[i]);
	free(ld.d);
	envmap_free(&ld.shell);
	envmap_free(&ld.proj);
	free(ld.projdir);
	if (rc != 0) {
		*cause = ld.cause ? ld.cause : xstrdup("cannot read the "
		    "compose project");
		*refused = ld.refused;
		return rc == -2 ? COMPOSE_REFUSED : COMPOSE_ERROR;
	}
	return COMPOSE_OK;
}

void
compose_free(struct compose_project *p)
{
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	free(p->dotenv);
	for (size_t i = 0; i < p->nsvc; i++) {
		struct compose_service *s = &p->svc[i];
		free(s->name);
		free(s->image);
		for (size_t j = 0; j < s->nprofiles; j++)
			free(s->profiles[j]);
		free(s->profiles);
		for (size_t j = 0; j < s->nenv_files; j++)
			free(s->env_files[j]);
		free(s->env_files);
		envmap_free(&s->env);
		free(s->orig);
	}
	free(p->svc);
	for (size_t i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	for (size_t i = 0; i < p->nstrs; i++)
		free(p->strs[i]);
	free(p->strs);
	memset(p, 0, sizeof *p);
}

const struct compose_service *
compose_service(const struct compose_project *p, const char *name)
{
	for (size_t i = 0; i < p->nsvc; i++)
		if (strcmp(p->svc[i].name, name) == 0)
			return &p->svc[i];
	return NULL;
}

int
compose_parse_text(const char *name, const char *text, size_t len,
    char **cause)
{
	struct compose_project p;
	struct loader ld;
	struct ytree t;
	memset(&p, 0, sizeof p);
	memset(&ld, 0, sizeof ld);
	ld.p = &p;
	ld.projdir = xstrdup("/nonexistent");
	envmap_init(&ld.shell);
	envmap_init(&ld.proj);
	int rc = ytree_parse(&t, name, text, len, &ld.cause);
	ld.t = &t;
	if (rc == 0 && t.root != NULL && t.root->kind == YN_MAP) {
		rc = check_interp(&ld, t.root, 0);
		const struct ynode *svcs = map_get(t.root, "services");
		struct ykv *kv = NULL;
		size_t n = 0;
		if (rc == 0 && svcs != NULL && map_pairs(svcs, &kv, &n) != 0)
			rc = -1;
		if (rc == 0 && n > COMPOSE_MAX_SERVICES)
			rc = type_error(&ld, svcs, "more than 1000 services: "
			    "refused");
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = read_service(&ld, kv[i].k, kv[i].v);
		free(kv);
	}
	ytree_free(&t);
	for (size_t i = 0; i < ld.nd; i++)
		svcdef_free(&ld.d[i]);
	free(ld.d);
	envmap_free(&ld.shell);
	envmap_free(&ld.proj);
	free(ld.projdir);
	compose_free(&p);
	if (rc != 0)
		*cause = ld.cause ? ld.cause : xstrdup("refused");
	else
		free(ld.cause);
	return rc;
}
