/* diag.c - the rule registry and the list of findings. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "utf8.h"
#include "util.h"

/* The man page lists the same ids (a test keeps them in step). */
#define NO_VERDICT_NONE		0
#define NO_VERDICT_VERDICT	0
#define NO_VERDICT_NO_VERDICT	1
const struct rule rule_table[RULE_COUNT] = {
#define RULE(name, id, group, live, summary) \
	[R_##name] = { id, #group, summary, NO_VERDICT_##live },
#include "rules.def"
#undef RULE
};
const size_t rule_count = RULE_COUNT;

int
rule_find(const char *id, size_t len, enum rule_id *out)
{
	for (size_t i = 0; i < RULE_COUNT; i++)
		if (strlen(rule_table[i].id) == len &&
		    memcmp(rule_table[i].id, id, len) == 0) {
			*out = (enum rule_id)i;
			return 0;
		}
	return -1;
}

const char *
rule_name(enum rule_id r)
{
	return rule_table[r].id;
}

int
rule_no_verdict(enum rule_id r)
{
	return rule_table[r].no_verdict;
}

const char *
severity_name(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" :
	    "info";
}

char *
display_text(const char *s, size_t n, size_t max)
{
	struct buf b;
	size_t i = 0, chars = 0, w;
	buf_init(&b);
	buf_reserve(&b, n < max ? n : max);
	while (i < n) {
		if (chars >= max) {
			buf_addstr(&b, "\xE2\x80\xA6");
			break;
		}
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F) {
			/* a run of printable ASCII at once */
			size_t j = i + 1;
			while (j < n && (unsigned char)s[j] >= 0x20 &&
			    (unsigned char)s[j] < 0x7F)
				j++;
			if (j - i > max - chars)
				j = i + (max - chars);
			buf_add(&b, s + i, j - i);
			chars += j - i;
			i = j;
			continue;
		} else if (c < 0x80) {
			if (c == '\t')
				buf_addstr(&b, "\\t");
			else if (c == '\n')
				buf_addstr(&b, "\\n");
			else if (c == '\r')
				buf_addstr(&b, "\\r");
			else
				buf_printf(&b, "\\x%02X", c);
			i++;
		} else {
			uint32_t cp = utf8_decode((const unsigned char *)s + i,
			    n - i, &w);
			if (cp == UNI_REPLACEMENT && w == 1)
				buf_printf(&b, "\\x%02X", c);
			else if (uni_is_invisible(cp) || uni_is_space(cp) ||
			    (cp >= 0x80 && cp < 0xA0))
				buf_printf(&b, "<U+%04X>", (unsigned)cp);
			else
				buf_add(&b, s + i, w);
			i += w;
		}
		chars++;
	}
	return buf_steal(&b);
}

/* The findings' strings: a run of 100,000 findings costs a few dozen
 * allocations, not 400,000. */
static char *
diag_copy(struct diaglist *l, const char *s, size_t n)
{
	return strarena_copy(&l->strings, s, n);
}

/* The key as display_text(key, klen, 200) shows it, without the
 * intermediate copy for a plain name, and kept once while the same. */
static const char *
diag_key(struct diaglist *l, const char *k, size_t n)
{
	size_t i = 0;
	if (n <= 200)
		while (i < n && (unsigned char)k[i] >= 0x20 &&
		    (unsigned char)k[i] < 0x7F)
			i++;
	if (i == n) {
		if (l->last_key == NULL || strncmp(l->last_key, k, n) != 0 ||
		    l->last_key[n] != '\0')
			l->last_key = diag_copy(l, k, n);
		return l->last_key;
	}
	char *t = display_text(k, n, 200);
	char *r = diag_copy(l, t, strlen(t));
	free(t);
	return r;
}

/* A new finding with everything but its message. */
static struct diag *
diag_new(struct diaglist *l, enum rule_id rule, enum severity sev,
    const char *file, size_t file_index, unsigned line, unsigned col,
    const char *key, size_t klen, const char *hint)
{
	if (l->n == l->cap) {
		/* by a half: on a file of findings the array is the largest
		 * block, and a doubling leaves up to half of it unused (a
		 * large block grows in place, mremap, without a copy) */
		l->cap = l->cap ? l->cap + l->cap / 2 : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	struct diag *d = &l->v[l->n];
	d->rid = (unsigned char)rule;
	d->sev = (unsigned char)sev;
	if (file == NULL)
		d->file = NULL;
	else if (l->last_file != NULL && strcmp(l->last_file, file) == 0)
		d->file = l->last_file;
	else
		d->file = l->last_file = diag_copy(l, file, strlen(file));
	d->file_index = file_index < DIAG_NO_FILE ? (uint32_t)file_index :
	    DIAG_NO_FILE;
	d->line = line;
	d->col = line ? col : 0;
	d->key = key ? diag_key(l, key, klen) : NULL;
	if (hint == NULL)
		d->hint = NULL;
	else if (l->last_hint[rule] != NULL &&
	    strcmp(l->last_hint[rule], hint) == 0)
		d->hint = l->last_hint[rule];
	else
		d->hint = l->last_hint[rule] = diag_copy(l, hint, strlen(hint));
	d->seq = (unsigned)l->n;
	d->fmt = NULL;
	d->args = NULL;
	l->n++;
	return d;
}

void
diag_add(struct diaglist *l, enum rule_id rule, enum severity sev,
    const char *file, size_t file_index, unsigned line, unsigned col,
    const char *key, size_t klen, const char *hint, const char *message)
{
	struct diag *d = diag_new(l, rule, sev, file, file_index, line, col,
	    key, klen, hint);
	d->args = diag_copy(l, message, strlen(message));
}

/* One printf conversion, after its '%': flags, width, precision,
 * length, and the conversion character. */
struct conv {
	const char	*end;		/* past the conversion character */
	int		 width_star, prec_star;
	int		 plain;		/* nothing but length and conversion */
	char		 len[3];	/* "", "h", "hh", "l", "ll", "z", ... */
	char		 c;
};

static void
conv_parse(const char *p, struct conv *cv)
{
	const char *start = p;
	cv->width_star = cv->prec_star = 0;
	while (*p && strchr("-+ #0'", *p) != NULL)
		p++;
	if (*p == '*') {
		cv->width_star = 1;
		p++;
	} else
		while (*p >= '0' && *p <= '9')
			p++;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			cv->prec_star = 1;
			p++;
		} else
			while (*p >= '0' && *p <= '9')
				p++;
	}
	cv->plain = p == start;
	size_t n = 0;
	while (n < 2 && *p && strchr("hlzjtL", *p) != NULL)
		cv->len[n++] = *p++;
	cv->len[n] = '\0';
	cv->c = *p;
	cv->end = *p ? p + 1 : p;
}

/* The text of one conversion, after its length (base 128, low first). */
static void
pack_piece(struct buf *b, const char *s, size_t n)
{
	size_t v = n;
	while (v >= 0x80) {
		buf_addc(b, (char)(0x80 | (v & 0x7F)));
		v >>= 7;
	}
	buf_addc(b, (char)v);
	buf_add(b, s, n);
}

static void
pack_uint(struct buf *b, uintmax_t v, int neg)
{
	char t[24], *p = t + sizeof t;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (neg)
		*--p = '-';
	pack_piece(b, p, (size_t)(t + sizeof t - p));
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* The conversion spec (with any '*' already a number) applied to the
 * next argument of ap, as its type is; -1 for one not handled here. */
static int
pack_other(struct buf *b, struct buf *one, const char *spec,
    const struct conv *cv, va_list *ap)
{
	const char *L = cv->len;
	buf_reset(one);
	switch (cv->c) {
	case 'd': case 'i':
		if (strcmp(L, "l") == 0)
			buf_printf(one, spec, va_arg(*ap, long));
		else if (strcmp(L, "ll") == 0)
			buf_printf(one, spec, va_arg(*ap, long long));
		else if (strcmp(L, "z") == 0 || strcmp(L, "t") == 0)
			buf_printf(one, spec, va_arg(*ap, ptrdiff_t));
		else if (strcmp(L, "j") == 0)
			buf_printf(one, spec, va_arg(*ap, intmax_t));
		else if (L[0] == '\0' || L[0] == 'h')
			buf_printf(one, spec, va_arg(*ap, int));
		else
			return -1;
		break;
	case 'u': case 'o': case 'x': case 'X':
		if (strcmp(L, "l") == 0)
			buf_printf(one, spec, va_arg(*ap, unsigned long));
		else if (strcmp(L, "ll") == 0)
			buf_printf(one, spec, va_arg(*ap, unsigned long long));
		else if (strcmp(L, "z") == 0 || strcmp(L, "t") == 0)
			buf_printf(one, spec, va_arg(*ap, size_t));
		else if (strcmp(L, "j") == 0)
			buf_printf(one, spec, va_arg(*ap, uintmax_t));
		else if (L[0] == '\0' || L[0] == 'h')
			buf_printf(one, spec, va_arg(*ap, unsigned));
		else
			return -1;
		break;
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
	case 'a': case 'A':
		if (L[0] == 'L')
			buf_printf(one, spec, va_arg(*ap, long double));
		else if (L[0] == '\0' || strcmp(L, "l") == 0)
			buf_printf(one, spec, va_arg(*ap, double));
		else
			return -1;
		break;
	case 'c':
		if (L[0] != '\0')
			return -1;
		buf_printf(one, spec, va_arg(*ap, int));
		break;
	case 's':
		if (L[0] != '\0')
			return -1;
		buf_printf(one, spec, va_arg(*ap, const char *));
		break;
	case 'p':
		buf_printf(one, spec, va_arg(*ap, void *));
		break;
	default:
		return -1;
	}
	pack_piece(b, one->data, one->len);
	return 0;
}
#pragma GCC diagnostic pop

/* What each conversion of fmt makes of ap, packed into b; -1 when fmt
 * has one this does not know (then ap is spent: use a copy). */
static int
pack_args(struct buf *b, struct buf *one, const char *fmt, va_list *ap)
{
	const char *p = fmt;
	struct conv cv;
	while ((p = strchr(p, '%')) != NULL) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		conv_parse(p, &cv);
		int width = cv.width_star ? va_arg(*ap, int) : 0;
		int prec = cv.prec_star ? va_arg(*ap, int) : -1;
		if (cv.c == 's' && cv.len[0] == '\0' && !cv.width_star &&
		    (cv.plain || (cv.prec_star && cv.end - p == 3))) {
			/* "%s", "%.*s" */
			const char *s = va_arg(*ap, const char *);
			if (s == NULL)
				return -1;
			pack_piece(b, s, prec >= 0 ? strnlen(s, (size_t)prec) :
			    strlen(s));
		} else if (cv.plain && cv.c == 'u' && cv.len[0] == '\0')
			pack_uint(b, va_arg(*ap, unsigned), 0);
		else if (cv.plain && cv.c == 'u' && strcmp(cv.len, "z") == 0)
			pack_uint(b, va_arg(*ap, size_t), 0);
		else if (cv.plain && cv.c == 'd' && cv.len[0] == '\0') {
			int v = va_arg(*ap, int);
			pack_uint(b, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0);
		} else {
			/* the spec again, a '*' as its number */
			char spec[80];
			size_t n = 0;
			spec[n++] = '%';
			for (const char *q = p; q < cv.end && n < 40; q++) {
				if (*q != '*') {
					spec[n++] = *q;
					continue;
				}
				int v = q[-1] == '.' ? prec : width;
				if (q[-1] == '.' && v < 0) {
					n--;	/* the '.': no precision */
					continue;
				}
				n += (size_t)snprintf(spec + n, sizeof spec - n,
				    "%s%u", v < 0 ? "-" : "",
				    v < 0 ? -(unsigned)v : (unsigned)v);
			}
			if (n >= 40)
				return -1;
			spec[n] = '\0';
			if (pack_other(b, one, spec, &cv, ap) != 0)
				return -1;
		}
		p = cv.end;
	}
	return 0;
}

void
diag_vaddf(struct diaglist *l, enum rule_id rule, enum severity sev,
    const char *file, size_t file_index, unsigned line, unsigned col,
    const char *key, size_t klen, const char *hint, const char *fmt,
    va_list ap)
{
	va_list mine, again;
	va_copy(mine, ap);
	va_copy(again, ap);
	struct buf one;
	buf_init(&one);
	buf_reset(&l->pack);
	int ok = pack_args(&l->pack, &one, fmt, &mine) == 0;
	va_end(mine);
	buf_wipe(&one);
	struct diag *d = diag_new(l, rule, sev, file, file_index, line, col,
	    key, klen, hint);
	if (ok) {
		d->fmt = fmt;
		d->args = diag_copy(l, l->pack.data ? l->pack.data : "",
		    l->pack.len);
	} else {
		char *m = xvasprintf(fmt, again);
		d->args = diag_copy(l, m, strlen(m));
		free(m);
	}
	va_end(again);
}

const char *
diag_message(const struct diag *d, struct buf *scratch)
{
	if (d->fmt == NULL)
		return d->args;
	buf_reset(scratch);
	const unsigned char *a = (const unsigned char *)d->args;
	const char *p = d->fmt, *pc;
	struct conv cv;
	while ((pc = strchr(p, '%')) != NULL) {
		buf_add(scratch, p, (size_t)(pc - p));
		if (pc[1] == '%') {
			buf_addc(scratch, '%');
			p = pc + 2;
			continue;
		}
		conv_parse(pc + 1, &cv);
		size_t n = 0;
		for (unsigned sh = 0; ; sh += 7) {
			n |= (size_t)(*a & 0x7F) << sh;
			if (!(*a++ & 0x80))
				break;
		}
		buf_add(scratch, a, n);
		a += n;
		p = cv.end;
	}
	buf_addstr(scratch, p);
	return scratch->data;
}

static int
cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	if (x->file_index != y->file_index)
		return x->file_index < y->file_index ? -1 : 1;
	/* findings without a place come after those with one */
	unsigned xl = x->line ? x->line : 0xFFFFFFFFu;
	unsigned yl = y->line ? y->line : 0xFFFFFFFFu;
	if (xl != yl)
		return xl < yl ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* qsort of the 72-byte findings spent most of its time in calls to cmp
 * and in moving them (7% of a run on a 100,000-line file): their indexes
 * are merge-sorted instead, the comparison inline, then each finding is
 * moved once, in place, cycle by cycle. */
static int
before(const struct diag *x, const struct diag *y, uint32_t i, uint32_t j)
{
	if (x->file_index != y->file_index)
		return x->file_index < y->file_index;
	unsigned xl = x->line ? x->line : 0xFFFFFFFFu;
	unsigned yl = y->line ? y->line : 0xFFFFFFFFu;
	if (xl != yl)
		return xl < yl;
	if (x->col != y->col)
		return x->col < y->col;
	if (x->seq != y->seq)
		return x->seq < y->seq;
	/* equal findings keep their order, as glibc's qsort (a merge
	 * sort) kept them */
	return i < j;
}

void
diag_sort(struct diaglist *l)
{
	size_t n = l->n;
	if (n < 64 || n > UINT32_MAX) {
		if (n > 1)
			qsort(l->v, n, sizeof *l->v, cmp);
		return;
	}
	const struct diag *v = l->v;
	/* mostly they come in order already: the findings of one rule
	 * that walks the entries, on a file of them */
	size_t in_order = 1;
	while (in_order < n && !before(&v[in_order], &v[in_order - 1],
	    (uint32_t)in_order, (uint32_t)in_order - 1))
		in_order++;
	if (in_order == n)
		return;
	uint32_t *k = xreallocarray(NULL, n, sizeof *k);
	uint32_t *t = xreallocarray(NULL, n, sizeof *t);
	for (size_t i = 0; i < n; i++)
		k[i] = (uint32_t)i;
	/* bottom-up, runs of width w from k into t */
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t a = lo, b = mid, o = lo;
			while (a < mid && b < hi)
				t[o++] = before(&v[k[b]], &v[k[a]], k[b], k[a]) ?
				    k[b++] : k[a++];
			while (a < mid)
				t[o++] = k[a++];
			while (b < hi)
				t[o++] = k[b++];
		}
		uint32_t *x = k;
		k = t;
		t = x;
	}
	free(t);
	/* position i gets finding k[i]: follow each cycle once */
	for (size_t i = 0; i < n; i++) {
		if (k[i] == i)
			continue;
		struct diag tmp = l->v[i];
		size_t j = i;
		while (k[j] != i) {
			size_t from = k[j];
			l->v[j] = l->v[from];
			k[j] = (uint32_t)j;
			j = from;
		}
		l->v[j] = tmp;
		k[j] = (uint32_t)j;
	}
	free(k);
}

void
diag_count(const struct diaglist *l, size_t *e, size_t *w, size_t *i)
{
	*e = *w = *i = 0;
	for (size_t k = 0; k < l->n; k++) {
		if (l->v[k].sev == SEV_ERROR)
			(*e)++;
		else if (l->v[k].sev == SEV_WARNING)
			(*w)++;
		else
			(*i)++;
	}
}

void
diaglist_free(struct diaglist *l)
{
	strarena_free(&l->strings);
	buf_wipe(&l->pack);
	free(l->v);
	memset(l, 0, sizeof *l);
}
