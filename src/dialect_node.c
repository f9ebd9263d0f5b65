/* dialect_node.c - Node's reading: npm dotenv 16 parse(), i.e. its LINE
 * regular expression, on the text as Buffer.toString() decodes it. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "dialect_impl.h"
#include "envmap.h"
#include "utf8.h"
#include "util.h"

void
utf8_sanitize_whatwg(const char *in, size_t len, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)in;
	size_t i = 0;

	buf_reserve(out, len);
	while (i < len) {
		size_t run = i;
		while (run < len && u[run] < 0x80)
			run++;
		if (run > i) {
			buf_add(out, in + i, run - i);
			i = run;
			continue;
		}
		unsigned char c = u[i];
		size_t need;
		unsigned char lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			if (c == 0xF4)
				hi = 0x8F;
		} else {
			buf_add(out, "\xEF\xBF\xBD", 3);
			i++;
			continue;
		}
		size_t k = i + 1, got = 0;
		while (got < need && k < len && u[k] >= lo && u[k] <= hi) {
			k++;
			got++;
			lo = 0x80;
			hi = 0xBF;
		}
		if (got == need)
			buf_add(out, in + i, k - i);
		else
			buf_add(out, "\xEF\xBF\xBD", 3);
		i = k;
	}
}

struct node {
	const char	*t;
	size_t		 n;
};

static uint32_t
ncp(const struct node *x, size_t i, size_t *w)
{
	unsigned char b = (unsigned char)x->t[i];
	if (b < 0x80) {
		*w = 1;
		return b;
	}
	return utf8_decode((const unsigned char *)x->t + i, x->n - i, w);
}

static size_t
node_skip_ws(const struct node *x, size_t i, int *saw_lt, size_t *last_lt)
{
	size_t w;
	while (i < x->n) {
		uint32_t cp = ncp(x, i, &w);
		if (!js_is_space(cp))
			break;
		if (js_is_line_terminator(cp)) {
			if (saw_lt)
				*saw_lt = 1;
			if (last_lt)
				*last_lt = i;
		}
		i += w;
	}
	return i;
}

static int
node_is_line_start(const struct node *x, size_t i)
{
	if (i == 0)
		return 1;
	if (x->t[i - 1] == '\n' || x->t[i - 1] == '\r')
		return 1;
	return i >= 3 && (unsigned char)x->t[i - 3] == 0xE2 &&
	    (unsigned char)x->t[i - 2] == 0x80 &&
	    ((unsigned char)x->t[i - 1] == 0xA8 ||
	    (unsigned char)x->t[i - 1] == 0xA9);
}

/* End of `.*`: up to a line terminator. */
static size_t
node_line_end(const struct node *x, size_t i)
{
	size_t w;
	while (i < x->n) {
		if (js_is_line_terminator(ncp(x, i, &w)))
			break;
		i += w;
	}
	return i;
}

/* The tail \s*(?:#.*)?$ from g. Returns 1 and the match end when it
 * matches. */
static int
node_tail(const struct node *x, size_t g, size_t *end)
{
	int lt = 0;
	size_t last = 0;
	size_t e = node_skip_ws(x, g, &lt, &last);
	if (e < x->n && x->t[e] == '#') {
		*end = node_line_end(x, e);
		return 1;
	}
	if (e == x->n) {
		*end = e;
		return 1;
	}
	if (lt) {
		*end = last;
		return 1;
	}
	return 0;
}

/* Group 2 and the tail, from s (just after the delimiter). Always
 * matches; sets the value span and the match end. */
static void
node_value(const struct node *x, size_t s, size_t *vs, size_t *ve,
    size_t *end)
{
	const char *t = x->t;
	size_t n = x->n;
	size_t w2 = node_skip_ws(x, s, NULL, NULL);

	if (w2 < n && (t[w2] == '\'' || t[w2] == '"' || t[w2] == '`')) {
		char q = t[w2];
		size_t *esc = NULL, nesc = 0, cap = 0, u = SIZE_MAX;
		size_t i = w2 + 1;
		while (i < n) {
			if (t[i] == '\\' && i + 1 < n && t[i + 1] == q) {
				if (nesc == cap) {
					cap = cap ? cap * 2 : 8;
					esc = xreallocarray(esc, cap,
					    sizeof *esc);
				}
				esc[nesc++] = i + 1;
				i += 2;
			} else if (t[i] == q) {
				u = i;
				break;
			} else
				i++;
		}
		int found = 0;
		if (u != SIZE_MAX && node_tail(x, u + 1, end)) {
			*ve = u + 1;
			found = 1;
		}
		while (!found && nesc > 0) {
			size_t c = esc[--nesc];
			if (node_tail(x, c + 1, end)) {
				*ve = c + 1;
				found = 1;
			}
		}
		free(esc);
		if (found) {
			*vs = s;
			return;
		}
	}
	if (s < n && t[s] != '#' && t[s] != '\n' && t[s] != '\r') {
		size_t u = s;
		while (u < n && t[u] != '#' && t[u] != '\n' && t[u] != '\r')
			u++;
		*vs = s;
		*ve = u;
		node_tail(x, u, end);
		return;
	}
	*vs = *ve = s;
	node_tail(x, s, end);
}

static int
node_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* ([\w.-]+)(?:\s*=\s*?|:\s+?) then the value, from k. */
static int
node_after_key(const struct node *x, size_t k, size_t *ks, size_t *ke,
    size_t *vs, size_t *ve, size_t *end)
{
	size_t e = k, w;
	while (e < x->n && node_key_char(x->t[e]))
		e++;
	if (e == k)
		return 0;
	*ks = k;
	*ke = e;
	size_t d = node_skip_ws(x, e, NULL, NULL);
	if (d < x->n && x->t[d] == '=') {
		node_value(x, d + 1, vs, ve, end);
		return 1;
	}
	if (e + 1 < x->n && x->t[e] == ':' && js_is_space(ncp(x, e + 1, &w))) {
		node_value(x, e + 1 + w, vs, ve, end);
		return 1;
	}
	return 0;
}

/* JavaScript's String.prototype.trim */
static void
node_trim(const struct node *x, size_t *a, size_t *b)
{
	size_t w;
	*a = node_skip_ws(x, *a, NULL, NULL);
	if (*a > *b)
		*a = *b;
	while (*b > *a) {
		size_t k = *b - 1;
		while (k > *a && ((unsigned char)x->t[k] & 0xC0) == 0x80)
			k--;
		if (!js_is_space(ncp(x, k, &w)))
			break;
		*b = k;
	}
}

/* value.replace(/^(['"`])([\s\S]*)\1$/mg, '$2') */
static void
node_unquote(const char *v, size_t n, struct buf *out)
{
	struct node x = { v, n };
	size_t last[3] = { SIZE_MAX, SIZE_MAX, SIZE_MAX };
	const char *qs = "'\"`";

	for (size_t i = 0; i < n; i++) {
		const char *q = memchr(qs, v[i], 3);
		if (q == NULL || v[i] == '\0')
			continue;
		size_t w;
		if (i + 1 == n || js_is_line_terminator(ncp(&x, i + 1, &w)))
			last[q - qs] = i;
	}
	size_t copied = 0, p = 0;
	while (p < n) {
		const char *q = memchr(qs, v[p], 3);
		if (q != NULL && v[p] != '\0' && node_is_line_start(&x, p) &&
		    last[q - qs] != SIZE_MAX && last[q - qs] > p) {
			size_t e = last[q - qs];
			buf_add(out, v + copied, p - copied);
			buf_add(out, v + p + 1, e - p - 1);
			copied = p = e + 1;
			continue;
		}
		p++;
	}
	buf_add(out, v + copied, n - copied);
}

static void
node_record(struct dialect_result *r, const struct node *x, size_t ks,
    size_t ke, size_t vs, size_t ve)
{
	node_trim(x, &vs, &ve);
	char first = vs < ve ? x->t[vs] : '\0';
	struct buf un;
	buf_init(&un);
	node_unquote(x->t + vs, ve - vs, &un);
	if (first == '"') {
		struct buf nl;
		buf_init(&nl);
		/* \n first, then \r, as two replace() calls */
		for (int pass = 0; pass < 2; pass++) {
			char from = pass == 0 ? 'n' : 'r';
			char to = pass == 0 ? '\n' : '\r';
			for (size_t i = 0; i < un.len; i++) {
				if (un.data[i] == '\\' && i + 1 < un.len &&
				    un.data[i + 1] == from) {
					buf_addc(&nl, to);
					i++;
				} else
					buf_addc(&nl, un.data[i]);
			}
			buf_wipe(&un);
			un = nl;
			buf_init(&nl);
		}
	}
	/* obj["__proto__"] = string is ignored by JavaScript. */
	const char *val = un.data ? un.data : "";
	int flags = ENVMAP_COPY_VAL | ENVMAP_DEFER;
	/* Mostly the value is the text itself, or it inside its quotes:
	 * then it points there (the text lives as long as the result). */
	for (size_t o = 0; o < 2 && (flags & ENVMAP_COPY_VAL); o++)
		if (vs + o + un.len <= ve &&
		    memcmp(x->t + vs + o, val, un.len) == 0) {
			val = x->t + vs + o;
			flags = ENVMAP_DEFER;
		}
	if (!(ke - ks == 9 && memcmp(x->t + ks, "__proto__", 9) == 0))
		envmap_set(&r->env, x->t + ks, ke - ks, val, un.len, SIZE_MAX,
		    flags);
	buf_wipe(&un);
}

void
dialect_node_eval(const char *d, size_t n, struct dialect_result *r)
{
	struct buf san, t;
	buf_init(&san);
	buf_init(&t);
	struct node x = { d, n };
	/* Valid UTF-8 without a CR is its own text: no copies */
	if (memchr(d, '\r', n) == NULL && utf8_valid(d, n))
		goto read;
	utf8_sanitize_whatwg(d, n, &san);
	/* lines.replace(/\r\n?/mg, '\n') */
	buf_reserve(&t, san.len);
	for (size_t i = 0; i < san.len; i++) {
		if (san.data[i] == '\r') {
			buf_addc(&t, '\n');
			if (i + 1 < san.len && san.data[i + 1] == '\n')
				i++;
		} else {
			const char *cr = memchr(san.data + i, '\r',
			    san.len - i);
			size_t e = cr ? (size_t)(cr - san.data) : san.len;
			buf_add(&t, san.data + i, e - i);
			i = e - 1;
		}
	}
	buf_wipe(&san);
	x.t = t.data ? t.data : "";
	x.n = t.len;

read:;
	size_t p = 0;
	while (p < x.n) {
		if (!node_is_line_start(&x, p)) {
			/* to the next line terminator, byte by byte: no
			 * byte of another character is '\n', '\r' or the
			 * 0xE2 that starts U+2028 and U+2029 */
			const unsigned char *u = (const unsigned char *)x.t;
			while (p < x.n && u[p] != '\n' && u[p] != '\r' &&
			    !(u[p] == 0xE2 && x.n - p >= 3 && u[p + 1] == 0x80 &&
			    (u[p + 2] == 0xA8 || u[p + 2] == 0xA9)))
				p++;
			if (p < x.n)
				p += u[p] == 0xE2 ? 3 : 1;
			continue;
		}
		size_t w = node_skip_ws(&x, p, NULL, NULL);
		size_t ks, ke, vs, ve, end;
		int ok = 0;
		if (x.n - w > 6 && memcmp(x.t + w, "export", 6) == 0) {
			size_t sw;
			if (js_is_space(ncp(&x, w + 6, &sw))) {
				size_t k = node_skip_ws(&x, w + 6, NULL, NULL);
				ok = node_after_key(&x, k, &ks, &ke, &vs, &ve,
				    &end);
			}
		}
		if (!ok)
			ok = node_after_key(&x, w, &ks, &ke, &vs, &ve, &end);
		if (ok) {
			node_record(r, &x, ks, ke, vs, ve);
			p = end > p ? end : p + 1;
		} else {
			/* Every later start inside the same white-space
			 * run fails the same way. */
			p = w > p ? w : p + 1;
		}
	}
	r->keep = t;	/* the keys point into it */
	r->offsets_valid = 0;
}

