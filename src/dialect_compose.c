/* dialect_compose.c - docker compose's reading of an env_file:
 * compose-go v2.13.0 dotenv, with its template interpolation. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "dialect.h"
#include "dialect_impl.h"
#include "utf8.h"
#include "util.h"

struct compose {
	const char		*d;
	size_t			 len;
	env_lookup_fn		 lookup;
	void			*ctx;
	struct dialect_result	*res;
	size_t			 val_off;	/* value being expanded */
	const char		*key;		/* its key, for messages */
	size_t			 klen;
	struct buf		 val, raw, un;	/* scratch, reused */
	size_t			 total;		/* bytes expanded so far */
	unsigned		 depth;		/* of nested ${A:-...} */
	size_t			*lims;		/* compose_subst: segment ends */
	size_t			 nlims, caplims;
	/* Scans of the value being expanded, remembered so that many
	 * references side by side cost linear time: no '\n' in
	 * [nl_lo, nl_hi); the last '}' before b_end is b_pos (NULL: none
	 * from b_lo on). */
	const char		*nl_lo, *nl_hi;
	const char		*b_end, *b_lo, *b_pos;
};

/* A limit of this program, not docker compose's: the message names the
 * key; the callers exit with status 2. */
static void
limit_error(struct compose *c, const char *what)
{
	if (c->res->error != NULL)
		return;
	dialect_set_error(c->res, DIALECT_ERR_LIMIT, c->val_off,
	    "%.*s: %s (a limit of kodus-envcheck)",
	    (int)(c->klen > 64 ? 64 : c->klen), c->key, what);
	c->res->limit = 1;
}

/* Append to the value being expanded, within DIALECT_VALUE_MAX. */
static int
cadd(struct compose *c, struct buf *out, const char *s, size_t n)
{
	if (out->len > DIALECT_VALUE_MAX ||
	    n > DIALECT_VALUE_MAX - out->len) {
		limit_error(c, "value longer than 1 MiB after interpolation");
		return -1;
	}
	buf_add(out, s, n);
	return 0;
}

static uint32_t
cdecode(const struct compose *c, size_t i, size_t *w)
{
	unsigned char b = (unsigned char)c->d[i];
	if (b < 0x80) {
		*w = 1;
		return b;
	}
	return utf8_decode((const unsigned char *)c->d + i, c->len - i, w);
}

/* unicode.IsSpace, with ASCII decided here: most calls are for ASCII. */
static int
space_cp(uint32_t r)
{
	if (r < 0x80)
		return r == ' ' || (r >= '\t' && r <= '\r');
	return uni_is_space(r);
}

/* mapping(): the process environment first, then keys set earlier. */
static int
compose_map(struct compose *c, const char *name, size_t n, const char **v,
    size_t *vl)
{
	if (c->lookup != NULL && c->lookup(c->ctx, name, n, v, vl))
		return 1;
	struct envvar *e = envmap_get(&c->res->env, name, n);
	if (e == NULL)
		return 0;
	*v = e->val;
	*vl = e->vlen;
	return 1;
}

static void
compose_missing(struct compose *c, const char *name, size_t n)
{
	struct dialect_result *r = c->res;
	/* room doubles from 16 on, when nrefs is a power of two */
	if (r->nrefs == 0 || (r->nrefs >= 16 &&
	    (r->nrefs & (r->nrefs - 1)) == 0))
		r->refs = xreallocarray(r->refs, r->nrefs ? r->nrefs * 2 : 16,
		    sizeof *r->refs);
	r->refs[r->nrefs].name = xstrndup(name, n);
	r->refs[r->nrefs].off = c->val_off;
	r->nrefs++;
}

/* A name character of the pattern (?i:[_a-z0-9]); case folding also lets
 * in U+017F and U+212A, as Go's regexp does. Returns its byte length. */
static size_t
tmpl_name_char(const char *t, size_t n, size_t i, int first)
{
	unsigned char c = (unsigned char)t[i];
	if (c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
		return 1;
	if (!first && c >= '0' && c <= '9')
		return 1;
	if (c >= 0x80) {
		size_t w;
		uint32_t cp = utf8_decode((const unsigned char *)t + i,
		    n - i, &w);
		if (cp == 0x17F || cp == 0x212A)
			return w;
	}
	return 0;
}

enum tmpl_kind { T_NONE, T_ESCAPED, T_NAMED, T_BRACED, T_INVALID };

struct tmpl_match {
	enum tmpl_kind	 kind;
	size_t		 len;		/* of the whole match */
	size_t		 g_off, g_len;	/* named or braced group */
};

/* The first '\n' in [p, l), or l. */
static const char *
find_nl(struct compose *c, const char *p, const char *l)
{
	const char *r;
	if (c == NULL || c->nl_lo == NULL || p < c->nl_lo || p > c->nl_hi) {
		r = memchr(p, '\n', (size_t)(l - p));
		if (c != NULL) {
			c->nl_lo = p;
			c->nl_hi = r ? r : l;
		}
		return r ? r : l;
	}
	if (l <= c->nl_hi)
		return l;
	r = memchr(c->nl_hi, '\n', (size_t)(l - c->nl_hi));
	c->nl_hi = r ? r : l;
	return c->nl_hi;
}

/* The last '}' in [p, l), or NULL. */
static const char *
find_last_brace(struct compose *c, const char *p, const char *l)
{
	const char *q, *lo = l;
	if (c != NULL && c->b_end != NULL && c->b_end == l) {
		if (c->b_pos != NULL)
			return c->b_pos >= p ? c->b_pos : NULL;
		if (p >= c->b_lo)
			return NULL;
		lo = c->b_lo;
	}
	for (q = lo; q > p && q[-1] != '}'; q--)
		;
	const char *r = q > p ? q - 1 : NULL;
	if (c != NULL) {
		c->b_end = l;
		c->b_lo = p;
		c->b_pos = r;
	}
	return r;
}

/* Match compose-go's DefaultPattern at t[i] == '$'. With c, the scans
 * to the line end use and update its memory of t. */
static void
tmpl_match_at(struct compose *c, const char *t, size_t n, size_t i,
    struct tmpl_match *m)
{
	size_t k = i + 1, w;

	m->kind = T_NONE;
	if (k >= n)
		return;
	if (t[k] == '$') {
		m->kind = T_ESCAPED;
		m->len = 2;
		return;
	}
	if ((w = tmpl_name_char(t, n, k, 1)) != 0) {
		size_t e = k + w;
		while (e < n && (w = tmpl_name_char(t, n, e, 0)) != 0)
			e += w;
		m->kind = T_NAMED;
		m->g_off = k;
		m->g_len = e - k;
		m->len = e - i;
		return;
	}
	if (t[k] != '{')
		return;
	m->kind = T_INVALID;
	m->len = 2;
	size_t s = k + 1;
	if (s >= n || (w = tmpl_name_char(t, n, s, 1)) == 0)
		return;
	size_t e = s + w;
	while (e < n && (w = tmpl_name_char(t, n, e, 0)) != 0)
		e += w;
	/* (?::?[-+?](.*))? is greedy: try the operator first. */
	size_t op = e;
	if (op < n && t[op] == ':' && op + 1 < n &&
	    strchr("-+?", t[op + 1]) != NULL && t[op + 1] != '\0')
		op += 2;
	else if (op < n && t[op] != '\0' && strchr("-+?", t[op]) != NULL)
		op += 1;
	if (op != e) {
		/* .* stops at a newline; take the last '}' before it. */
		const char *b = find_last_brace(c, t + op,
		    find_nl(c, t + op, t + n));
		if (b != NULL) {
			size_t j = (size_t)(b - t) + 1;
			m->kind = T_BRACED;
			m->g_off = s;
			m->g_len = (j - 1) - s;
			m->len = j - i;
			return;
		}
	}
	if (e < n && t[e] == '}') {
		m->kind = T_BRACED;
		m->g_off = s;
		m->g_len = e - s;
		m->len = e + 1 - i;
	}
}

static int compose_subst(struct compose *, const char *, size_t,
    struct buf *);

static const char *
memmem_str(const char *h, size_t hl, const char *needle)
{
	size_t nl = strlen(needle);
	if (nl > hl)
		return NULL;
	for (size_t i = 0; i + nl <= hl; i++)
		if (memcmp(h + i, needle, nl) == 0)
			return h + i;
	return NULL;
}

/* The operator compose-go picks for a match: of ":?", "?", ":-", "-",
 * ":+", "+", the one that occurs first in the whole match (its sort by
 * strings.Index). The first of '-', '+', '?' decides, with its ':' when
 * one comes just before. NULL when there is none. */
static const char *
tmpl_pick_op(const char *s, size_t n)
{
	static const char *const ops[] = { "-", ":-", "+", ":+", "?", ":?" };
	for (size_t i = 0; i < n; i++) {
		int k = s[i] == '-' ? 0 : s[i] == '+' ? 2 : s[i] == '?' ? 4 : -1;
		if (k >= 0)
			return ops[k + (i > 0 && s[i - 1] == ':')];
	}
	return NULL;
}

/* getFirstBraceClosingIndex */
static long
first_closing_brace(const char *s, size_t n)
{
	long open = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '}') {
			open--;
			if (open == 0)
				return (long)i;
		}
		if (s[i] == '{') {
			open++;
			i++;
		}
	}
	return -1;
}

/* compose_subst for the argument of an operator, one level deeper. */
static int
compose_subst_arg(struct compose *c, const char *t, size_t n,
    struct buf *out)
{
	if (c->depth >= DIALECT_NEST_MAX) {
		limit_error(c, "variable references nested more than 32 deep");
		return -1;
	}
	c->depth++;
	int r = compose_subst(c, t, n, out);
	c->depth--;
	return r;
}

/* Apply the operator sep of ${name<sep>arg}, appending to out. Returns
 * -1 on error, 0 when sep does not occur (not applied, nothing
 * appended), 1 when applied. */
static int
tmpl_apply(struct compose *c, const char *sep, const char *sub, size_t sn,
    struct buf *out)
{
	const char *at = memmem_str(sub, sn, sep);
	if (at == NULL)
		return 0;
	size_t nl = (size_t)(at - sub), sl = strlen(sep);
	const char *arg = at + sl;
	size_t al = sn - nl - sl;
	const char *v = NULL;
	size_t vl = 0;
	int ok = compose_map(c, sub, nl, &v, &vl);
	int colon = sep[0] == ':';
	char op = sep[colon];

	switch (op) {
	case '-':
		if (!ok || (colon && vl == 0))
			return compose_subst_arg(c, arg, al, out) < 0 ? -1 : 1;
		break;
	case '+':
		if (ok && (!colon || vl != 0))
			return compose_subst_arg(c, arg, al, out) < 0 ? -1 : 1;
		break;
	case '?':
		if (!ok || (colon && vl == 0)) {
			/* The message is expanded at the end of out: what
			 * out holds no longer matters after an error. */
			size_t m0 = out->len;
			if (compose_subst_arg(c, arg, al, out) < 0)
				return -1;
			const char *msg = out->data + m0;
			size_t ml = out->len - m0;
			char name[80];
			snprintf(name, sizeof name, "%.*s",
			    (int)(nl > 64 ? 64 : nl), sub);
			if (ml > 0)
				dialect_set_error(c->res,
				    DIALECT_ERR_REQUIRED, c->val_off,
				    "required variable %s is missing a "
				    "value: %.*s",
				    name, (int)(ml > 200 ? 200 : ml), msg);
			else
				dialect_set_error(c->res,
				    DIALECT_ERR_REQUIRED, c->val_off,
				    "required variable %s is missing a "
				    "value", name);
			return -1;
		}
		break;
	}
	if (ok && cadd(c, out, v, vl) < 0)
		return -1;
	return 1;
}

/* DefaultReplacementAppliedFunc for the match s[0..n), appended to out.
 * compose-go then substitutes the text after the first closing brace,
 * s[*rest..n), and appends that too: *rest is where the caller goes on
 * (n when there is nothing more), so that no recursion follows the
 * number of references. Returns -1 on error. */
static int
tmpl_replace(struct compose *c, const char *s, size_t n, struct buf *out,
    size_t *rest)
{
	/* The operator is chosen from the whole match, before the split. */
	const char *sep = tmpl_pick_op(s, n);

	long close = first_closing_brace(s, n);
	size_t hl = close < 0 ? n : (size_t)close + 1;

	*rest = n;
	struct tmpl_match m;
	tmpl_match_at(NULL, s, hl, 0, &m);
	switch (m.kind) {
	case T_ESCAPED:
		return cadd(c, out, "$", 1);
	case T_NONE:
	case T_INVALID:
		dialect_set_error(c->res, DIALECT_ERR_BAD_REF, c->val_off,
		    "invalid variable reference \"%.*s\": docker compose "
		    "refuses the file",
		    (int)(hl > 40 ? 40 : hl), s);
		return -1;
	case T_BRACED:
		if (sep != NULL) {
			int r = tmpl_apply(c, sep, s + m.g_off, m.g_len, out);
			if (r < 0)
				return -1;
			if (r > 0) {
				*rest = hl;
				return 0;
			}
		}
		/* FALLTHROUGH */
	case T_NAMED: {
		const char *v;
		size_t vl;
		if (compose_map(c, s + m.g_off, m.g_len, &v, &vl))
			return cadd(c, out, v, vl);
		compose_missing(c, s + m.g_off, m.g_len);
		return 0;
	}
	}
	return 0;
}

/* template.Substitute(t) appended to out. A match's tail (see
 * tmpl_replace) is substituted on its own, as compose-go does, by
 * narrowing the end to the match's and widening it back after. */
static int
compose_subst(struct compose *c, const char *t, size_t n, struct buf *out)
{
	size_t i = 0, lim = n, base = c->nlims;
	for (;;) {
		if (i >= lim) {
			if (c->nlims == base)
				break;
			lim = c->lims[--c->nlims];
			continue;
		}
		const char *d = memchr(t + i, '$', lim - i);
		if (d == NULL) {
			if (cadd(c, out, t + i, lim - i) < 0)
				goto fail;
			i = lim;
			continue;
		}
		size_t j = (size_t)(d - t);
		if (cadd(c, out, t + i, j - i) < 0)
			goto fail;
		struct tmpl_match m;
		tmpl_match_at(c, t, lim, j, &m);
		if (m.kind == T_NONE) {
			if (cadd(c, out, "$", 1) < 0)
				goto fail;
			i = j + 1;
			continue;
		}
		size_t rest;
		if (tmpl_replace(c, t + j, m.len, out, &rest) < 0)
			goto fail;
		i = j + rest;
		if (rest < m.len && j + m.len < lim) {
			c->lims = xgrow(c->lims, c->nlims, &c->caplims,
			    sizeof *c->lims);
			c->lims[c->nlims++] = lim;
			lim = j + m.len;
		}
	}
	return 0;
fail:
	c->nlims = base;
	return -1;
}

/* expandEscapes: \a \b \f \n \r \t \v \" \\ decode, \$ becomes $$ for the
 * template, \0NNN is octal; anything else keeps its backslash. */
static void
compose_unescape(const char *s, size_t n, struct buf *out)
{
	size_t i = 0;
	while (i < n) {
		const char *b = memchr(s + i, '\\', n - i);
		if (b == NULL) {
			buf_add(out, s + i, n - i);
			return;
		}
		size_t j = (size_t)(b - s);
		buf_add(out, s + i, j - i);
		i = j;
		if (j + 1 >= n) {
			buf_addc(out, '\\');
			i++;
			continue;
		}
		char e = s[j + 1];
		const char *simple = "abfnrtv";
		const char *to = "\a\b\f\n\r\t\v";
		const char *p = e != '\0' ? strchr(simple, e) : NULL;
		if (p != NULL) {
			buf_addc(out, to[p - simple]);
			i += 2;
		} else if (e == '"' || e == '\\') {
			buf_addc(out, e);
			i += 2;
		} else if (e == '$') {
			buf_add(out, "$$", 2);
			i += 2;
		} else if (e == 'c') {
			buf_add(out, "\\c", 2);
			i += 2;
		} else if (e == '0') {
			size_t k = j + 2, nd = 0;
			while (nd < 3 && k < n && s[k] >= '0' && s[k] <= '9')
				k++, nd++;
			int ok = nd == 3;
			unsigned v = 0;
			for (size_t q = j + 2; ok && q < k; q++) {
				if (s[q] > '7')
					ok = 0;
				v = v * 8 + (unsigned)(s[q] - '0');
			}
			if (ok && v <= 255) {
				char u[4];
				buf_add(out, u, utf8_encode(v, u));
			} else
				buf_add(out, s + j, k - j);
			i = k;
		} else {
			buf_addc(out, '\\');
			i++;
		}
	}
}

/* Substitute one value, within DIALECT_TOTAL_MAX for the file. */
static int
compose_expand(struct compose *c, const char *t, size_t n, struct buf *val)
{
	c->nl_lo = c->nl_hi = NULL;
	c->b_end = c->b_lo = c->b_pos = NULL;
	if (compose_subst(c, t, n, val) < 0)
		return -1;
	if (val->len > DIALECT_TOTAL_MAX - c->total) {
		limit_error(c, "interpolated values longer than 16 MiB in all");
		return -1;
	}
	c->total += val->len;
	return 0;
}

static size_t
compose_skip(const struct compose *c, size_t i, int (*pred)(uint32_t))
{
	size_t w;
	while (i < c->len) {
		unsigned char b = (unsigned char)c->d[i];
		if (b < 0x80) {
			/* ASCII spaces are the same for both predicates,
			 * but for '\n', which only uni_is_space takes */
			if (b == ' ' || b == '\t' || b == '\r' || b == '\v' ||
			    b == '\f' || (b == '\n' && pred == uni_is_space)) {
				i++;
				continue;
			}
			break;
		}
		if (!pred(cdecode(c, i, &w)))
			break;
		i += w;
	}
	return i;
}

static int
go_regexp_space(unsigned char b)
{
	return b == '\t' || b == '\n' || b == '\f' || b == '\r' || b == ' ';
}

/* The first byte from i on that is not [A-Za-z0-9_] (n if none). */
static size_t
scan_name(const char *d, size_t i, size_t n)
{
#ifdef __SSE2__
	while (n - i >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (d + i));
		/* x | 0x20 is in a..z exactly for the letters of both cases;
		 * bytes from 0x80 are negative and fail every range */
		__m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
		__m128i letter = _mm_and_si128(
		    _mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
		    _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
		__m128i digit = _mm_and_si128(
		    _mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
		    _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
		__m128i ok = _mm_or_si128(_mm_or_si128(letter, digit),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
		unsigned m = ~(unsigned)_mm_movemask_epi8(ok) & 0xFFFFu;
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#endif
	for (; i < n; i++) {
		unsigned char b = (unsigned char)d[i];
		if (!((b | 0x20) >= 'a' && (b | 0x20) <= 'z') &&
		    !(b >= '0' && b <= '9') && b != '_')
			break;
	}
	return i;
}

/* The first byte from i on that is x, y or z (n if none). Sixteen bytes
 * at a time where SSE2 is there (every x86-64): the values it scans
 * mostly hold none of the three. */
static size_t
scan3(const char *d, size_t i, size_t n, char x, char y, char z)
{
#ifdef __SSE2__
	const __m128i vx = _mm_set1_epi8(x);
	const __m128i vy = _mm_set1_epi8(y);
	const __m128i vz = _mm_set1_epi8(z);
	while (n - i >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (d + i));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vx),
		    _mm_cmpeq_epi8(v, vy)), _mm_cmpeq_epi8(v, vz));
		unsigned m = (unsigned)_mm_movemask_epi8(hit);
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#endif
	while (i < n && d[i] != x && d[i] != y && d[i] != z)
		i++;
	return i;
}

/* Show one character of the input in a message: printable ASCII as is,
 * anything else as U+XXXX, never raw bytes. */
static void
describe_char(const char *s, size_t len, char out[16])
{
	size_t w;
	uint32_t cp = utf8_decode((const unsigned char *)s, len, &w);
	if (cp == UNI_REPLACEMENT && w == 1)
		snprintf(out, 16, "byte 0x%02X", (unsigned char)s[0]);
	else if (cp >= 0x21 && cp < 0x7F)
		snprintf(out, 16, "'%c'", (char)cp);
	else
		snprintf(out, 16, "U+%04X", (unsigned)cp);
}

/* Returns the offset after the statement, or SIZE_MAX on error. */
static size_t
compose_statement(struct compose *c, size_t p)
{
	const char *d = c->d;
	size_t n = c->len, w;
	size_t s = p;

	/* ^export\s+ */
	if (n - s > 6 && memcmp(d + s, "export", 6) == 0 &&
	    go_regexp_space((unsigned char)d[s + 6]))
		s = compose_skip(c, s + 6, compose_is_space);

	size_t i = s, term = SIZE_MAX;
	while ((i = scan_name(d, i, n)) < n) {
		uint32_t r = cdecode(c, i, &w);
		if (compose_is_space(r)) {
			i += w;
			continue;
		}
		if (r == '=' || r == ':' || r == '\n') {
			term = i;
			break;
		}
		if (r == '_' || r == '.' || r == '-' || r == '[' || r == ']' ||
		    uni_is_letter(r) || uni_is_number(r)) {
			i += w;
			continue;
		}
		char ch[16];
		describe_char(d + i, n - i, ch);
		dialect_set_error(c->res, DIALECT_ERR_REFUSED, i,
		    "unexpected character %s in variable name", ch);
		return SIZE_MAX;
	}
	if (s >= n) {
		dialect_set_error(c->res, DIALECT_ERR_REFUSED, p,
		    "\"export\" with no variable after it");
		return SIZE_MAX;
	}

	size_t key_end, rest;
	int inherited = 0;
	if (term == SIZE_MAX) {
		/* No '=', ':' or newline before the end: compose reads an
		 * empty name and takes the text as its value. */
		key_end = s;
		rest = s;
	} else {
		key_end = term;
		rest = term + 1;
		inherited = d[term] == '\n';
	}
	/* TrimRightFunc(key, unicode.IsSpace) */
	while (key_end > s) {
		size_t k = key_end - 1;
		while (k > s && ((unsigned char)d[k] & 0xC0) == 0x80)
			k--;
		if (!space_cp(cdecode(c, k, &w)) || k + w != key_end)
			break;
		key_end = k;
	}
	if (memchr(d + s, ' ', key_end - s) != NULL) {
		dialect_set_error(c->res, DIALECT_ERR_REFUSED, s,
		    "variable name contains a space");
		return SIZE_MAX;
	}
	rest = compose_skip(c, rest, compose_is_space);

	if (inherited) {
		const char *v;
		size_t vl;
		if (c->lookup != NULL && c->lookup(c->ctx, d + s, key_end - s,
		    &v, &vl))
			envmap_set(&c->res->env, d + s, key_end - s, v, vl, s,
			    ENVMAP_COPY_VAL | ENVMAP_DEFER);
		return rest;
	}

	struct buf *val = &c->val;
	buf_reset(val);
	c->val_off = rest;
	c->key = d + s;
	c->klen = key_end - s;
	size_t next;
	if (rest < n && (d[rest] == '"' || d[rest] == '\'')) {
		char q = d[rest];
		/* No backslash (and, in "", no '$'): the value is the text
		 * between the quotes, stored without a copy. */
		size_t cq = scan3(d, rest + 1, n, q, '\\',
		    q == '"' ? '$' : q);
		if (cq < n && d[cq] == q) {
			envmap_set(&c->res->env, d + s, key_end - s,
			    d + rest + 1, cq - rest - 1, s, ENVMAP_DEFER);
			return cq + 1;
		}
		struct buf *raw = q == '"' ? &c->raw : val;
		buf_reset(raw);
		int esc = 0, closed = 0;
		size_t k;
		for (k = rest + 1; k < n; k++) {
			char ch = d[k];
			if (esc) {
				esc = 0;
				if (ch != q)
					buf_addc(raw, '\\');
				buf_addc(raw, ch);
			} else if (ch == '\\')
				esc = 1;
			else if (ch == q) {
				closed = 1;
				break;
			} else {
				/* copy a run at once */
				size_t e = k + 1;
				while (e < n && d[e] != q && d[e] != '\\')
					e++;
				buf_add(raw, d + k, e - k);
				k = e - 1;
			}
		}
		if (!closed) {
			dialect_set_error(c->res, DIALECT_ERR_REFUSED, rest,
			    "unterminated quoted value: no closing %c", q);
			return SIZE_MAX;
		}
		next = k + 1;
		if (q == '"') {
			buf_reset(&c->un);
			compose_unescape(raw->data ? raw->data : "", raw->len,
			    &c->un);
			if (compose_expand(c, c->un.data ? c->un.data : "",
			    c->un.len, val) < 0)
				return SIZE_MAX;
		}
	} else {
		/* One pass to the line end, noting the first " #" (where
		 * the value is cut) and whether a '$' comes before it. */
		size_t end = rest, cut = SIZE_MAX;
		int dollar = 0;
		for (;; end++) {
			end = scan3(d, end, n, '\n', '#', '$');
			if (end >= n || d[end] == '\n')
				break;
			char ch = d[end];
			if (ch == '#' && cut == SIZE_MAX && end > rest &&
			    d[end - 1] == ' ')
				cut = end - 1;
			else if (ch == '$' && cut == SIZE_MAX)
				dollar = 1;
		}
		next = end;
		if (cut != SIZE_MAX)
			end = cut;
		/* TrimRightFunc(unicode.IsSpace) */
		while (end > rest) {
			size_t k = end - 1;
			while (k > rest && ((unsigned char)d[k] & 0xC0) == 0x80)
				k--;
			if (!space_cp(cdecode(c, k, &w)) || k + w != end)
				break;
			end = k;
		}
		if (!dollar) {
			envmap_set(&c->res->env, d + s, key_end - s, d + rest,
			    end - rest, s, ENVMAP_DEFER);
			return next;
		}
		if (compose_expand(c, d + rest, end - rest, val) < 0)
			return SIZE_MAX;
	}
	envmap_set(&c->res->env, d + s, key_end - s, val->data ? val->data :
	    "", val->len, s, ENVMAP_COPY_VAL | ENVMAP_DEFER);
	return next;
}

/* The statements of the file, until the end or the first error. */
static void
compose_read(struct compose *c)
{
	const char *d = c->d;
	size_t n = c->len, p = 0;

	if (n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
		p = 3;
	for (;;) {
		/* getStatementStart: skip space and whole comment lines */
		for (;;) {
			p = compose_skip(c, p, uni_is_space);
			if (p >= n)
				return;
			if (d[p] != '#')
				break;
			const char *nl = memchr(d + p, '\n', n - p);
			if (nl == NULL)
				return;
			p = (size_t)(nl - d);
		}
		p = compose_statement(c, p);
		if (p == SIZE_MAX)
			return;
	}
}

void
dialect_compose_eval(const char *d, size_t n, env_lookup_fn lookup, void *ctx,
    struct dialect_result *r)
{
	struct compose c;

	memset(&c, 0, sizeof c);
	c.d = d;
	c.len = n;
	c.lookup = lookup;
	c.ctx = ctx;
	c.res = r;
	compose_read(&c);
	buf_wipe(&c.val);
	buf_wipe(&c.raw);
	buf_wipe(&c.un);
	free(c.lims);
}

int
dialect_compose_subst(const char *t, size_t n, env_lookup_fn lookup,
    void *ctx, struct buf *out, char **error, int *limit)
{
	struct compose c;
	struct dialect_result r;

	memset(&c, 0, sizeof c);
	memset(&r, 0, sizeof r);
	envmap_init(&r.env);
	r.ok = 1;
	c.d = t;
	c.len = n;
	c.lookup = lookup;
	c.ctx = ctx;
	c.res = &r;
	c.key = "T";
	c.klen = 1;
	int rc = compose_expand(&c, t, n, out);
	free(c.lims);
	*error = r.error;
	if (limit != NULL)
		*limit = r.limit;
	r.error = NULL;
	dialect_result_free(&r);
	return rc;
}

