/* diag.c - the rule registry and the list of findings. */
#include "config.h"

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
 * intermediate copy for a plain name. */
static char *
diag_key(struct diaglist *l, const char *k, size_t n)
{
	size_t i = 0;
	if (n <= 200)
		while (i < n && (unsigned char)k[i] >= 0x20 &&
		    (unsigned char)k[i] < 0x7F)
			i++;
	if (i == n)
		return diag_copy(l, k, n);
	char *t = display_text(k, n, 200);
	char *r = diag_copy(l, t, strlen(t));
	free(t);
	return r;
}

void
diag_add(struct diaglist *l, enum rule_id rule, enum severity sev,
    const char *file, size_t file_index, unsigned line, unsigned col,
    const char *key, size_t klen, const char *hint, const char *message)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	struct diag *d = &l->v[l->n];
	d->rid = rule;
	d->rule = rule_table[rule].id;
	d->sev = sev;
	if (file == NULL)
		d->file = NULL;
	else if (l->last_file != NULL && strcmp(l->last_file, file) == 0)
		d->file = (char *)l->last_file;
	else
		d->file = (char *)(l->last_file = diag_copy(l, file,
		    strlen(file)));
	d->file_index = file_index;
	d->line = line;
	d->col = line ? col : 0;
	d->key = key ? diag_key(l, key, klen) : NULL;
	d->message = diag_copy(l, message, strlen(message));
	d->hint = hint ? diag_copy(l, hint, strlen(hint)) : NULL;
	d->seq = (unsigned)l->n;
	l->n++;
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
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
	l->last_file = NULL;
}
