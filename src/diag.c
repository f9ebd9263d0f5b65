/* diag.c - the rule registry and the list of findings. */
#include "config.h"

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
			buf_addc(&b, (char)c);
			i++;
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
	d->file = file ? xstrdup(file) : NULL;
	d->file_index = file_index;
	d->line = line;
	d->col = line ? col : 0;
	d->key = key ? display_text(key, klen, 200) : NULL;
	d->message = xstrdup(message);
	d->hint = hint ? xstrdup(hint) : NULL;
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

void
diag_sort(struct diaglist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, cmp);
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
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].file);
		free(l->v[i].key);
		free(l->v[i].message);
		free(l->v[i].hint);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
