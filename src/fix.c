/* fix.c - planning the safe fixes and proving they change nothing else. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dialect.h"
#include "envfile.h"
#include "envmap.h"
#include "fix.h"
#include "secret.h"
#include "textpos.h"
#include "utf8.h"

#define NONE ((size_t)-1)

/* What each kind of fix repairs. */
static const enum rule_id kind_rules[FIX_KIND_COUNT] = {
	R_TRAILING_WHITESPACE, R_SMART_QUOTES, R_CRLF, R_BOM, R_LEGACY_NAME,
	R_QUOTED_VALUE, R_INLINE_COMMENT
};

const char *
fix_kind_name(enum fix_kind k)
{
	return rule_name(kind_rules[k]);
}

/* One entry rewritten: which original lines, and their new text. */
struct hunk {
	unsigned	 first;		/* 1-based original line */
	unsigned	 nold;
	char		*text;		/* new lines, each ending "\n" */
	size_t		 tlen;		/* bytes in text (it may hold NULs) */
	int		 secret;
};

struct plan {
	const char	*d;
	size_t		 len;
	struct envfile	 lex;
	const struct schema *schema;
	const struct fix_opts *o;
	struct fix_result *r;
	struct envmap	 touched;	/* keys whose value may change */
	struct hunk	*h;
	size_t		 nh;
};

static void
note(struct fix_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct fix_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	r->notes = xreallocarray(r->notes, r->nnotes + 1, sizeof *r->notes);
	r->notes[r->nnotes++] = m;
}

static void
touch(struct plan *p, const char *k, size_t kl)
{
	envmap_set(&p->touched, k, kl, "", 0, 0, ENVMAP_COPY);
}

/* Leading blanks and trailing white space (NBSP, U+3000 included; with
 * cr, CRs too: compose trims them off an unquoted value, and a CR left
 * before a line end would be the next run's CRLF). */
static void
trim_ws(const char *s, size_t n, int cr, size_t *a, size_t *b)
{
	size_t i = 0, w;
	while (i < n) {
		uint32_t cp = utf8_decode((const unsigned char *)s + i, n - i,
		    &w);
		if (!(cp == ' ' || cp == '\t' || (cp >= 0x80 &&
		    uni_is_space(cp) && cp != 0x85)))
			break;
		i += w;
	}
	size_t e = n;
	while (e > i) {
		size_t k = e - 1;
		if (cr && s[k] == '\r') {
			e = k;
			continue;
		}
		while (k > i && e - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		uint32_t cp = utf8_decode((const unsigned char *)s + k, e - k,
		    &w);
		if (k + w != e || !(cp == ' ' || cp == '\t' || (cp >= 0x80 &&
		    uni_is_space(cp) && cp != 0x85)))
			break;
		e = k;
	}
	*a = i;
	*b = e;
}

/* Only CRs? Before a line end they are the line end's, and the CRLF
 * pass of fix_plan takes them. */
static int
cr_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r')
			return 0;
	return 1;
}

/* Written without quotes, the same value for all three readers? */
static int
plain_ok(const char *v, size_t n)
{
	if (n == 0)
		return 1;
	if (v[0] == ' ' || v[n - 1] == ' ' || v[0] == '#')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == ' ' && i + 1 < n && v[i + 1] != '#')
			continue;
		if (c <= ' ' || c == '#' || c == '"' || c == '\'' || c == '`' ||
		    c == '$' || c == '\\' || c == 0x7F)
			return 0;
	}
	return 1;
}

static int
smart_open(uint32_t cp)
{
	return cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x2018 ||
	    cp == 0x2019 || cp == 0x201A;
}

static const struct legacy *
legacy_for(struct plan *p, const char *k, size_t kl,
    const struct envmap *env)
{
	if (p->schema == NULL)
		return NULL;
	const struct legacy *lg = schema_legacy(p->schema, k, kl);
	if (lg == NULL || lg->replacement == NULL || lg->prefix)
		return NULL;
	/* renaming onto a name already set would make a duplicate */
	if (envmap_getz(env, lg->replacement) != NULL) {
		note(p->r, "%.*s: not renamed: %s is already set", (int)kl, k,
		    lg->replacement);
		return NULL;
	}
	return lg;
}

/* Does the entry hold a secret: by its name, its value or the schema? */
static int
entry_secret(const struct plan *p, const struct entry *e)
{
	const char *k = p->d + e->key_off;
	size_t vs = e->delim ? e->val_off : e->end;
	const struct schemavar *sv = p->schema ? schema_get(p->schema, k,
	    e->key_len) : NULL;
	return secret_pair(k, e->key_len, p->d + vs, e->end - vs) ||
	    (sv != NULL && sv->secret);
}

/* The entry rewrite() works on and what it builds. */
struct rw {
	struct plan		*p;
	const struct entry	*e;
	const char		*k;
	size_t			 kl;
	size_t			 ve;	/* end of the value's text, CR off */
	struct buf		 nv;	/* the new value */
	struct buf		 comment;	/* to go on a line above */
	int			 changed;
};

/* An unquoted value: trailing white space off, typographic quotes around
 * it made real ones; for docker, a comment (after " #", or after a tab,
 * which compose does not cut at) to a line of its own. */
static void
rewrite_unquoted(struct rw *rw)
{
	struct plan *p = rw->p;
	const struct entry *e = rw->e;
	const char *d = p->d;
	const char *k = rw->k;
	size_t kl = rw->kl, ve = rw->ve;
	struct fix_result *r = p->r;
	struct buf *nv = &rw->nv, *comment = &rw->comment;

	const char *v = d + e->val_off;
	size_t vl = e->val_len;
	size_t w;
	uint32_t first = vl ? utf8_decode((const unsigned char *)v, vl,
	    &w) : 0;
	size_t a, b;
	trim_ws(v, vl, 1, &a, &b);
	/* white space before a comment that stays on the line is
	 * no trailing white space; before one that moves, it is */
	int trail = e->comment_off == ENTRY_NONE || p->o->for_docker;
	int ws = b < vl && !(e->end < p->len && cr_only(v + b, vl - b));
	/* typographic quotes around the whole value */
	size_t fw = 0, lw = 0;
	uint32_t last = 0;
	if (b > a) {
		first = utf8_decode((const unsigned char *)v + a, b - a,
		    &fw);
		size_t q = b - 1;
		while (q > a && ((unsigned char)v[q] & 0xC0) == 0x80)
			q--;
		last = utf8_decode((const unsigned char *)v + q, b - q,
		    &lw);
		if (q + lw != b)
			last = 0;
	}
	if (b - a > fw + lw && smart_open(first) && smart_open(last)) {
		const char *in = v + a + fw;
		size_t il = b - a - fw - lw;
		int dq = memchr(in, '"', il) || memchr(in, '\\', il) ||
		    memchr(in, '$', il);
		if (p->o->for_docker && plain_ok(in, il))
			buf_add(nv, in, il);
		else if (!dq) {
			buf_addc(nv, '"');
			buf_add(nv, in, il);
			buf_addc(nv, '"');
		} else if (memchr(in, '\'', il) == NULL) {
			buf_addc(nv, '\'');
			buf_add(nv, in, il);
			buf_addc(nv, '\'');
		} else {
			buf_add(nv, v, vl);
			note(r, "%.*s: typographic quotes left: the value "
			    "holds both kinds of quotes", (int)kl, k);
			goto tail;
		}
		touch(p, k, kl);
		r->count[FIX_SMART_QUOTES]++;
		if (ws && trail)
			r->count[FIX_TRAILING]++;
		rw->changed = 1;
	} else {
		if (ws && trail) {
			touch(p, k, kl);
			r->count[FIX_TRAILING]++;
			rw->changed = 1;
		}
		buf_add(nv, v, ws && trail ? b : vl);
	}
tail:
	/* what follows the value on its line: an inline comment */
	if (e->comment_off != ENTRY_NONE) {
		size_t cs = e->val_off + e->val_len;
		if (p->o->for_docker) {
			size_t ce = ve;
			while (ce > e->comment_off && d[ce - 1] == '\r')
				ce--;
			buf_add(comment, d + e->comment_off,
			    ce - e->comment_off);
			touch(p, k, kl);
			r->count[FIX_COMMENT]++;
			rw->changed = 1;
		} else
			buf_add(nv, d + cs, ve - cs);
	} else if (p->o->for_docker) {
		/* a tab before '#' is no comment to compose */
		size_t h = envfile_comment_at(v, vl, "\t", NULL);
		const char *th = h < vl ? v + h - 1 : NULL;
		if (th != NULL) {
			size_t a2, keep;
			trim_ws(v, (size_t)(th - v), 1, &a2, &keep);
			nv->len = 0;
			buf_add(nv, v, keep);
			buf_add(comment, th + 1, (size_t)(v + vl -
			    th - 1));
			touch(p, k, kl);
			r->count[FIX_COMMENT]++;
			rw->changed = 1;
		}
	}
}

/* A single- or double-quoted value: blanks inside the quotes off; for
 * docker, the quotes off where the value reads the same without them,
 * and a comment after the closing quote to a line of its own. */
static void
rewrite_quoted(struct rw *rw)
{
	struct plan *p = rw->p;
	const struct entry *e = rw->e;
	const char *d = p->d;
	const char *k = rw->k;
	size_t kl = rw->kl;
	struct fix_result *r = p->r;
	struct buf *nv = &rw->nv, *comment = &rw->comment;

	const char *in = d + e->inner_off;
	size_t il = e->inner_len;
	char q = d[e->val_off];
	size_t a, b;
	trim_ws(in, il, 0, &a, &b);
	if (a > 0 || b < il) {
		touch(p, k, kl);
		r->count[FIX_TRAILING]++;
		rw->changed = 1;
	}
	int mline = memchr(in + a, '\n', b - a) != NULL;
	int escapes = memchr(in + a, '\\', b - a) != NULL ||
	    (q == '"' && memchr(in + a, '$', b - a) != NULL);
	if (p->o->for_docker && !mline && !escapes &&
	    plain_ok(in + a, b - a)) {
		buf_add(nv, in + a, b - a);
		touch(p, k, kl);
		r->count[FIX_UNQUOTE]++;
		rw->changed = 1;
	} else {
		if (p->o->for_docker)
			note(r, "%.*s: the quotes stay: the value needs "
			    "them, and docker run --env-file will keep "
			    "them", (int)kl, k);
		buf_addc(nv, q);
		buf_add(nv, in + a, b - a);
		buf_addc(nv, q);
	}
	/* after the closing quote: blanks and maybe a comment */
	size_t as = e->after_off, ae = e->after_off + e->after_len;
	if (p->o->for_docker && e->comment_off != ENTRY_NONE) {
		buf_add(comment, d + e->comment_off,
		    ae - e->comment_off);
		touch(p, k, kl);
		r->count[FIX_COMMENT]++;
		rw->changed = 1;
	} else {
		/* docker run keeps blanks after the closing quote in
		 * the value (compose and Node drop them) */
		size_t a2 = 0, b2 = ae - as;
		if (p->o->for_docker)
			trim_ws(d + as, ae - as, 1, &a2, &b2);
		if (b2 == a2 && ae > as && !(e->end < p->len &&
		    cr_only(d + as, ae - as))) {
			touch(p, k, kl);
			r->count[FIX_TRAILING]++;
			rw->changed = 1;
		} else
			buf_add(nv, d + as, ae - as);
	}
}

/* The new text of entry i into out (empty): 0 when it stays as it is.
 * Values may hold any byte, NUL included: lengths, never C strings. */
static int
rewrite(struct plan *p, size_t i, const struct envmap *env, int *secret,
    struct buf *out)
{
	const struct entry *e = &p->lex.entries[i];
	const char *d = p->d;
	const char *k = d + e->key_off;
	size_t kl = e->key_len;
	struct fix_result *r = p->r;
	const char *newkey = NULL;
	struct rw w;

	memset(&w, 0, sizeof w);
	w.p = p;
	w.e = e;
	w.k = k;
	w.kl = kl;
	buf_init(&w.nv);
	buf_init(&w.comment);
	/* the value's raw text, to the end of the entry's last line */
	size_t vs = e->delim ? e->val_off : e->end;
	size_t ve = e->end;
	if (ve > vs && d[ve - 1] == '\r')
		ve--;
	w.ve = ve;
	*secret = entry_secret(p, e);

	const struct legacy *lg = legacy_for(p, k, kl, env);
	if (lg != NULL) {
		newkey = lg->replacement;
		touch(p, k, kl);
		touch(p, newkey, strlen(newkey));
		r->count[FIX_LEGACY]++;
		w.changed = 1;
	}

	if (e->delim == 0 || e->unterminated ||
	    e->quote == QUOTE_BACKTICK)
		buf_add(&w.nv, d + vs, ve - vs);
	else if (e->quote == QUOTE_NONE)
		rewrite_unquoted(&w);
	else
		rewrite_quoted(&w);

	struct buf *nv = &w.nv, *comment = &w.comment;
	if (!w.changed) {
		buf_free(nv);
		buf_free(comment);
		return 0;
	}
	/* indentation, "export ", key, delimiter as they were (the byte
	 * order mark is not part of the first line) */
	size_t ls = textpos_line_start(&p->lex.tp,
	    envfile_line(&p->lex, e));
	if (ls == 0 && p->r->count[FIX_BOM])
		ls = 3;
	if (comment->len > 0) {
		buf_add(out, d + ls, e->start - ls);
		if (comment->data[0] != '#')
			buf_addstr(out, "# ");
		buf_add(out, comment->data, comment->len);
		buf_addc(out, '\n');
	}
	buf_add(out, d + ls, e->key_off - ls);
	if (newkey != NULL)
		buf_addstr(out, newkey);
	else
		buf_add(out, k, kl);
	if (e->delim)
		buf_add(out, d + e->key_off + kl, vs - (e->key_off + kl));
	buf_add(out, nv->data ? nv->data : "", nv->len);
	buf_free(nv);
	buf_free(comment);
	return 1;
}

/* A line for the diff: secrets keep only their mask. */
static void
diff_line(struct buf *diff, char sign, const char *s, size_t n, int secret)
{
	buf_addc(diff, sign);
	if (!secret) {
		size_t rl;
		char *r = secret_hide(s, n, &rl);
		char *t = display_text(r, rl, 400);
		buf_addstr(diff, t);
		free(t);
		free(r);
	} else {
		const char *eq = memchr(s, '=', n);
		if (eq == NULL)
			eq = memchr(s, ':', n);
		if (eq != NULL) {
			char *t = display_text(s, (size_t)(eq - s) + 1, 200);
			char *m = secret_mask(eq + 1, n - (size_t)(eq - s) - 1);
			buf_addstr(diff, t);
			buf_addstr(diff, m);
			free(t);
			free(m);
		} else
			buf_addstr(diff, "***");
	}
	buf_addc(diff, '\n');
}

/* Lines of s, without their line ends. */
static size_t
split_lines(const char *s, size_t n, const char ***starts, size_t **lens)
{
	size_t cnt = 0, cap = 0;
	const char *p = s, *end = s + n;
	*starts = NULL;
	*lens = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			*starts = xreallocarray(*starts, cap, sizeof **starts);
			*lens = xreallocarray(*lens, cap, sizeof **lens);
		}
		size_t l = (size_t)(le - p);
		if (l > 0 && p[l - 1] == '\r')
			l--;
		(*starts)[cnt] = p;
		(*lens)[cnt] = l;
		cnt++;
		p = nl ? nl + 1 : end;
	}
	return cnt;
}

static void
make_diff(struct plan *p, const char *name)
{
	struct buf *diff = &p->r->diff;
	const char **ol;
	size_t *oln;
	size_t no = split_lines(p->d, p->len, &ol, &oln);
	/* which lines of the original belong to a secret's entry */
	unsigned char *lsec = xcalloc(no + 1, 1);
	for (size_t i = 0; i < p->lex.nentries; i++) {
		const struct entry *e = &p->lex.entries[i];
		if (!entry_secret(p, e))
			continue;
		unsigned last = envfile_end_line(&p->lex, e);
		for (unsigned l = envfile_line(&p->lex, e); l <= last &&
		    l <= no; l++)
			lsec[l] = 1;
	}
	/* what lines cannot show, before the diff as patch(1) allows */
	if (p->r->count[FIX_BOM])
		buf_addstr(diff, "# the byte order mark at the start goes\n");
	if (p->r->count[FIX_CRLF])
		buf_printf(diff, "# %zu line ends CRLF -> LF\n",
		    p->r->count[FIX_CRLF]);
	buf_printf(diff, "--- %s\n+++ %s (fixed)\n", name, name);
	long delta = 0;
	for (size_t i = 0; i < p->nh; i++) {
		/* a hunk with up to 3 lines of context, merged with the next
		 * while they touch */
		size_t j = i;
		unsigned from = p->h[i].first > 3 ? p->h[i].first - 3 : 1;
		while (j + 1 < p->nh && p->h[j + 1].first <= p->h[j].first +
		    p->h[j].nold + 6)
			j++;
		unsigned to = p->h[j].first + p->h[j].nold - 1 + 3;
		if (to > no)
			to = (unsigned)no;
		struct buf body;
		buf_init(&body);
		unsigned line = from;
		long nnew = 0;
		for (size_t k = i; k <= j; k++) {
			for (; line < p->h[k].first; line++) {
				diff_line(&body, ' ', ol[line - 1],
				    oln[line - 1], lsec[line]);
				nnew++;
			}
			for (unsigned m = 0; m < p->h[k].nold; m++, line++)
				diff_line(&body, '-', ol[line - 1],
				    oln[line - 1], lsec[line]);
			const char *t = p->h[k].text;
			const char *te = t + p->h[k].tlen;
			while (t < te) {
				const char *nl = memchr(t, '\n',
				    (size_t)(te - t));
				size_t l = nl ? (size_t)(nl - t) :
				    (size_t)(te - t);
				diff_line(&body, '+', t, l, p->h[k].secret);
				nnew++;
				t += l + (nl != NULL);
			}
		}
		for (; line <= to; line++) {
			diff_line(&body, ' ', ol[line - 1], oln[line - 1],
			    lsec[line]);
			nnew++;
		}
		unsigned nold = to - from + 1;
		/* as diff -u: a range of one line is its number alone */
		buf_printf(diff, "@@ -%u", from);
		if (nold != 1)
			buf_printf(diff, ",%u", nold);
		buf_printf(diff, " +%ld", (long)from + delta);
		if (nnew != 1)
			buf_printf(diff, ",%ld", nnew);
		buf_addstr(diff, " @@\n");
		buf_add(diff, body.data, body.len);
		buf_free(&body);
		delta += nnew - (long)nold;
		i = j;
	}
	free(lsec);
	free(ol);
	free(oln);
}

/* docker compose's reading, without the process environment, so both
 * texts are read alike. */
static int
compose_read(const char *d, size_t n, struct dialect_result *r)
{
	dialect_eval(DIALECT_COMPOSE, d, n, NULL, NULL, r);
	return r->ok;
}

static void
verify(struct plan *p)
{
	struct dialect_result a, b;
	struct fix_result *r = p->r;
	compose_read(p->d, p->len, &a);
	if (!compose_read(r->out.data, r->out.len, &b)) {
		r->refused = xasprintf("internal error: the fixed text is "
		    "not readable (%s); nothing written", b.error);
		goto done;
	}
	for (size_t i = 0; i < a.env.n && r->refused == NULL; i++) {
		const struct envvar *x = &a.env.v[i];
		if (envmap_get(&p->touched, x->key, x->klen))
			continue;
		const struct envvar *y = envmap_get(&b.env, x->key, x->klen);
		if (y == NULL || y->vlen != x->vlen || memcmp(y->val, x->val,
		    x->vlen) != 0)
			r->refused = xasprintf("internal error: %.*s would "
			    "change value; nothing written", (int)x->klen,
			    x->key);
	}
	for (size_t i = 0; i < b.env.n && r->refused == NULL; i++) {
		const struct envvar *y = &b.env.v[i];
		if (!envmap_get(&a.env, y->key, y->klen) &&
		    !envmap_get(&p->touched, y->key, y->klen))
			r->refused = xasprintf("internal error: %.*s would "
			    "appear; nothing written", (int)y->klen, y->key);
	}
done:
	dialect_result_free(&a);
	dialect_result_free(&b);
}

void
fix_plan(const char *name, const char *data, size_t len,
    const struct schema *schema, const struct fix_opts *o,
    struct fix_result *r)
{
	struct plan p;
	memset(r, 0, sizeof *r);
	memset(&p, 0, sizeof p);
	p.d = data;
	p.len = len;
	p.schema = schema;
	p.o = o;
	p.r = r;
	envmap_init(&p.touched);

	struct dialect_result before;
	if (!compose_read(data, len, &before)) {
		struct textpos tp;
		unsigned line, col;
		textpos_init(&tp, data, len);
		textpos_at(&tp, before.err_off, &line, &col);
		textpos_free(&tp);
		if (before.limit) {
			r->refused = xasprintf("%u:%u: %s", line, col,
			    before.error);
			r->over_limit = 1;
		} else
			r->refused = xasprintf("docker compose cannot read it "
			    "(%u:%u: %s): fix that by hand first", line, col,
			    before.error);
		dialect_result_free(&before);
		envmap_free(&p.touched);
		return;
	}
	envfile_lex(&p.lex, data, len);

	size_t pos = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		pos = 3;
		r->count[FIX_BOM] = 1;
	}
	for (size_t i = 0; i < p.lex.nentries; i++) {
		const struct entry *e = &p.lex.entries[i];
		int secret;
		struct buf text;
		buf_init(&text);
		if (!rewrite(&p, i, &before.env, &secret, &text)) {
			buf_wipe(&text);
			continue;
		}
		unsigned first = envfile_line(&p.lex, e);
		size_t ls = textpos_line_start(&p.lex.tp, first);
		if (ls < pos)
			ls = pos;
		buf_add(&r->out, data + pos, ls - pos);
		buf_add(&r->out, text.data, text.len);
		pos = e->end;
		/* the CR goes with the line end below; at the end of the
		 * file there is none, and a CR there was the value's */
		if (pos > ls && pos < len && data[pos - 1] == '\r' &&
		    e->delim != 0)
			pos--;
		p.h = xreallocarray(p.h, p.nh + 1, sizeof *p.h);
		struct hunk *h = &p.h[p.nh++];
		h->first = first;
		h->nold = envfile_end_line(&p.lex, e) - first + 1;
		buf_addc(&text, '\n');
		h->tlen = text.len;
		h->text = buf_steal(&text);
		h->secret = secret;
	}
	buf_add(&r->out, data + pos, len - pos);

	/* CRLF -> LF everywhere, and every CR of a run before the LF
	 * (CRCRLF), or a second run would find another CRLF; a value
	 * spanning lines loses its CRs too, so its key may change */
	size_t w = 0;
	for (size_t i = 0; i < r->out.len; i++) {
		if (r->out.data[i] == '\r') {
			size_t j = i;
			while (j < r->out.len && r->out.data[j] == '\r')
				j++;
			if (j < r->out.len && r->out.data[j] == '\n') {
				r->count[FIX_CRLF]++;
				i = j - 1;
				continue;
			}
		}
		r->out.data[w++] = r->out.data[i];
	}
	if (r->count[FIX_CRLF] > 0) {
		r->out.len = w;
		r->out.data[w] = '\0';
		for (size_t i = 0; i < before.env.n; i++) {
			const struct envvar *v = &before.env.v[i];
			if (memchr(v->val, '\r', v->vlen) != NULL)
				touch(&p, v->key, v->klen);
		}
	}
	if (r->out.data == NULL)
		buf_reserve(&r->out, 0);
	r->changed = r->out.len != len || memcmp(r->out.data, data, len) != 0;
	if (r->changed) {
		verify(&p);
		make_diff(&p, name);
	}
	for (size_t i = 0; i < p.nh; i++) {
		wipe(p.h[i].text, p.h[i].tlen);
		free(p.h[i].text);
	}
	free(p.h);
	envfile_free(&p.lex);
	envmap_free(&p.touched);
	dialect_result_free(&before);
}

void
fix_result_free(struct fix_result *r)
{
	buf_wipe(&r->out);
	buf_wipe(&r->diff);
	free(r->refused);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	memset(r, 0, sizeof *r);
}
