/* secret.c - secret names and masking. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "secret.h"
#include "utf8.h"
#include "util.h"

static int
name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

int
secret_name(const char *k, size_t n)
{
	while (n > 0 && !name_char(k[0]))
		k++, n--;
	while (n > 0 && !name_char(k[n - 1]))
		n--;
	static const struct { const char *s; size_t l; } suffixes[] = {
		{ "_KEY", 4 }, { "_SECRET", 7 }, { "_TOKEN", 6 },
		{ "_PASS", 5 }, { "PASSWORD", 8 }, { "_DSN", 4 }
	};
	/* the suffixes, compared in upper case where they stand */
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		size_t l = suffixes[i].l, j = 0;
		if (n < l)
			continue;
		const char *t = k + n - l;
		while (j < l && (t[j] >= 'a' && t[j] <= 'z' ? t[j] - 32 :
		    t[j]) == suffixes[i].s[j])
			j++;
		if (j == l)
			return 1;
	}
	for (size_t i = 0; i + 6 <= n; i++) {
		if ((k[i] | 0x20) != 'a')
			continue;
		size_t j = 1;
		while (j < 6 && (k[i + j] & ~0x20) == "APIKEY"[j])
			j++;
		if (j == 6)
			return 1;
	}
	return 0;
}

static int
key_char(char c)
{
	return name_char(c) || c == '-' || c == '.';
}

static int
key_token(const char *v, size_t n)
{
	static const struct { const char *p; size_t l; } prefixes[] = {
#define P(s) { s, sizeof s - 1 }
		P("sk-"), P("sk_"), P("gsk_"), P("xai-"), P("AIza"), P("fw_"),
		P("tgp_v1_"), P("hf_"), P("ghp_"), P("github_pat_"),
		P("glpat-"), P("xoxb-"), P("AKIA")
#undef P
	};
	/* every message word passes here: most are short, and need no
	 * more than this test */
	if (n < 8)
		return 0;
	/* OpenAI's marker: a loop rather than memmem, whose set-up cost
	 * was most of it on words this short */
	for (size_t i = 0; i + 8 <= n; i++)
		if (v[i] == 'T' && memcmp(v + i, "T3BlbkFJ", 8) == 0)
			return 1;
	if (n < 3 + 16)
		return 0;
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (n >= prefixes[i].l + 16 && memcmp(v, prefixes[i].p,
		    prefixes[i].l) == 0)
			return 1;
	return 0;
}

/* The next key-shaped word of v[*i..n): its offset and length, or 0. */
static int
next_key(const char *v, size_t n, size_t *i, size_t *start, size_t *len)
{
	/* any key-shaped word: quotes, "Bearer " or a comment around a
	 * pasted key do not make it less of one */
	while (*i < n) {
		while (*i < n && !key_char(v[*i]))
			(*i)++;
		size_t s = *i;
		while (*i < n && key_char(v[*i]))
			(*i)++;
		if (*i > s && key_token(v + s, *i - s)) {
			*start = s;
			*len = *i - s;
			return 1;
		}
	}
	return 0;
}

int
secret_value(const char *v, size_t n)
{
	size_t i = 0, s, l;
	return next_key(v, n, &i, &s, &l);
}

char *
secret_redact(const char *v, size_t n, size_t *outlen)
{
	struct buf b;
	size_t i = 0, done = 0, s, l;
	buf_init(&b);
	while (next_key(v, n, &i, &s, &l)) {
		buf_add(&b, v + done, s - done);
		char *m = secret_mask(v + s, l);
		buf_addstr(&b, m);
		free(m);
		done = s + l;
	}
	buf_add(&b, v + done, n - done);
	if (b.data == NULL)
		buf_reserve(&b, 0);
	*outlen = b.len;
	return buf_steal(&b);
}

int
secret_pair(const char *k, size_t kl, const char *v, size_t vl)
{
	return secret_name(k, kl) || secret_value(v, vl);
}

/* Byte offset just past the first count characters. */
static size_t
skip_chars(const char *s, size_t len, size_t count)
{
	size_t i = 0, w;
	while (i < len && count > 0) {
		utf8_decode((const unsigned char *)s + i, len - i, &w);
		i += w;
		count--;
	}
	return i;
}

char *
secret_mask(const char *v, size_t n)
{
	if (n == 0)
		return xstrdup("");
	size_t chars = utf8_count(v, n);
	if (chars < SECRET_MIN_SHOWN)
		return xstrdup("***");
	size_t head = skip_chars(v, n, 3);
	size_t tail = skip_chars(v, n, chars - 3);
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < head; i++)
		buf_addc(&b, (unsigned char)v[i] < 0x20 ? '?' : v[i]);
	buf_addstr(&b, "\xE2\x80\xA6");	/* … */
	for (size_t i = tail; i < n; i++)
		buf_addc(&b, (unsigned char)v[i] < 0x20 ? '?' : v[i]);
	return buf_steal(&b);
}

/* The remembered values, in a hash table on their first four bytes (every
 * value has at least SECRET_MIN_MATCH), so that a scan looks at one short
 * chain per position, however many values there are. */
#define MEM_BUCKETS 8192
static struct remembered {
	char	*v;
	size_t	 n;
	int	 next;		/* same bucket; -1 ends the chain */
} *mem;
static size_t nmem, capmem;
static int *bucket;

static size_t
mem_hash(const char *p)
{
	uint32_t x;
	memcpy(&x, p, 4);
	return (size_t)((x * 2654435761u) >> 19) & (MEM_BUCKETS - 1);
}

void
secret_remember(const char *v, size_t n)
{
	if (n < SECRET_MIN_MATCH || nmem >= SECRET_MAX_REMEMBERED)
		return;
	if (bucket == NULL) {
		bucket = xreallocarray(NULL, MEM_BUCKETS, sizeof *bucket);
		for (size_t i = 0; i < MEM_BUCKETS; i++)
			bucket[i] = -1;
	}
	size_t h = mem_hash(v);
	for (int i = bucket[h]; i >= 0; i = mem[i].next)
		if (mem[i].n == n && memcmp(mem[i].v, v, n) == 0)
			return;
	mem = xgrow(mem, nmem, &capmem, sizeof *mem);
	mem[nmem].v = xstrndup(v, n);
	mem[nmem].n = n;
	mem[nmem].next = bucket[h];
	bucket[h] = (int)nmem;
	nmem++;
}

void
secret_forget_all(void)
{
	for (size_t i = 0; i < nmem; i++) {
		wipe(mem[i].v, mem[i].n);
		free(mem[i].v);
	}
	free(mem);
	free(bucket);
	mem = NULL;
	bucket = NULL;
	nmem = capmem = 0;
}

/* Pass 1: each remembered value by its mask, the longest first. */
static void
hide_remembered(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, done = 0;
	while (nmem > 0 && i + SECRET_MIN_MATCH <= n) {
		int best = -1;
		for (int k = bucket[mem_hash(s + i)]; k >= 0; k = mem[k].next)
			if (mem[k].n <= n - i && memcmp(mem[k].v, s + i,
			    mem[k].n) == 0 && (best < 0 ||
			    mem[k].n > mem[best].n))
				best = k;
		if (best < 0) {
			i++;
			continue;
		}
		buf_add(b, s + done, i - done);
		char *m = secret_mask(mem[best].v, mem[best].n);
		buf_addstr(b, m);
		free(m);
		i += mem[best].n;
		done = i;
	}
	buf_add(b, s + done, n - done);
}

static int
scheme_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

/* Where a URL written in text ends: a blank, a control byte or a quote. */
static int
url_end(char c)
{
	return (unsigned char)c <= 0x20 || c == 0x7F || c == '"' ||
	    c == '\'' || c == '`' || c == '<' || c == '>';
}

/* The URL s[0..n) with its authority from offset a: userinfo password,
 * query values and fragment masked. */
static void
mask_url(struct buf *b, const char *s, size_t n, size_t a)
{
	buf_add(b, s, a);
	size_t ae = a;
	while (ae < n && s[ae] != '/' && s[ae] != '?' && s[ae] != '#')
		ae++;
	size_t at = ae;
	for (size_t i = a; i < ae; i++)
		if (s[i] == '@')
			at = i;
	size_t i = a;
	if (at < ae) {
		const char *colon = memchr(s + a, ':', at - a);
		if (colon != NULL)
			buf_add(b, s + a, (size_t)(colon - s) - a + 1);
		buf_addstr(b, "***");
		i = at;
	}
	size_t q = i;
	while (q < n && s[q] != '?' && s[q] != '#')
		q++;
	buf_add(b, s + i, q - i);
	i = q;
	if (i < n && s[i] == '?') {
		buf_addc(b, '?');
		i++;
		while (i < n && s[i] != '#') {
			size_t e = i;
			while (e < n && s[e] != '&' && s[e] != ';' &&
			    s[e] != '#')
				e++;
			const char *eq = memchr(s + i, '=', e - i);
			if (eq != NULL) {
				buf_add(b, s + i, (size_t)(eq - s) - i + 1);
				if ((size_t)(eq - s) + 1 < e)
					buf_addstr(b, "***");
			} else if (e > i)
				buf_addstr(b, "***");
			i = e;
			if (i < n && s[i] != '#')
				buf_addc(b, s[i++]);
		}
	}
	if (i < n && s[i] == '#')
		buf_addstr(b, i + 1 < n ? "#***" : "#");
}

/* Pass 2: every "scheme://..." in the text. */
static void
hide_urls(struct buf *b, const char *s, size_t n)
{
	size_t done = 0, i = 0;
	while (i + 3 <= n) {
		const char *p = memmem(s + i, n - i, "://", 3);
		if (p == NULL)
			break;
		size_t sep = (size_t)(p - s), st = sep;
		while (st > done && scheme_char(s[st - 1]))
			st--;
		while (st < sep && !((s[st] >= 'A' && s[st] <= 'Z') ||
		    (s[st] >= 'a' && s[st] <= 'z')))
			st++;
		size_t e = sep + 3;
		while (e < n && !url_end(s[e]))
			e++;
		if (st == sep) {
			i = sep + 3;
			continue;
		}
		buf_add(b, s + done, st - done);
		mask_url(b, s + st, e - st, sep + 3 - st);
		done = i = e;
	}
	buf_add(b, s + done, n - done);
}

/* Does s hold "://"? memchr for the ':' first: glibc's memmem set-up
 * cost was most of the time on a finding's message, which seldom has
 * one. */
static int
has_url_mark(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	while (end - p >= 3 && (p = memchr(p, ':', (size_t)(end - p - 2))) !=
	    NULL) {
		if (p[1] == '/' && p[2] == '/')
			return 1;
		p++;
	}
	return 0;
}

char *
secret_hide(const char *s, size_t n, size_t *outlen)
{
	/* Most text holds nothing to hide: no remembered value, no URL, no
	 * key-shaped word. Then it is its own copy, without the three
	 * passes' buffers. */
	if (nmem == 0 && !has_url_mark(s, n) &&
	    !secret_value(s, n)) {
		char *r = xmalloc(n + 1);
		if (n)
			memcpy(r, s, n);
		r[n] = '\0';
		*outlen = n;
		return r;
	}
	struct buf a, b;
	buf_init(&a);
	buf_init(&b);
	hide_remembered(&a, s, n);
	hide_urls(&b, a.data ? a.data : "", a.len);
	buf_wipe(&a);
	char *r = secret_redact(b.data ? b.data : "", b.len, outlen);
	buf_wipe(&b);
	return r;
}

char *
secret_show(const char *s, size_t n)
{
	size_t l;
	char *h = secret_hide(s, n, &l);
	char *r = display_text(h, l, (size_t)-1);
	free(h);
	return r;
}

char *
secret_showz(const char *s)
{
	return secret_show(s, strlen(s));
}

char *
secret_url(const char *s, size_t n, size_t *outlen)
{
	struct buf b;
	buf_init(&b);
	const char *p = memmem(s, n, "://", 3);
	size_t a = 0;
	if (p != NULL && p > s) {
		a = (size_t)(p - s) + 3;
		for (const char *q = s; q < p; q++)
			if (!scheme_char(*q))
				a = 0;
	}
	mask_url(&b, s, n, a);
	if (b.data == NULL)
		buf_reserve(&b, 0);
	if (outlen != NULL)
		*outlen = b.len;
	return buf_steal(&b);
}
