/* envfile.c - the neutral .env lexer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "envfile.h"
#include "utf8.h"
#include "util.h"

#define NONE ((size_t)-1)

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

static void
add_entry(struct envfile *f, const struct entry *e)
{
	/* reserved by count_entries: only a miscount grows it */
	if (f->nentries == f->centries)
		f->entries = xgrow(f->entries, f->nentries, &f->centries,
		    sizeof *f->entries);
	f->entries[f->nentries++] = *e;
}

/* A line's first byte that is not blank: the test of envfile_lex. */
static size_t
skip_blank(const char *data, size_t s, size_t eol)
{
	while (s < eol && (blank(data[s]) || data[s] == '\r' ||
	    data[s] == '\f' || data[s] == '\v'))
		s++;
	return s;
}

/* How many lines may start an entry (not blank, not a comment): at least
 * as many as envfile_lex finds, since a quoted value spanning lines only
 * makes fewer. The array is then allocated once at its size, not
 * doubled: half the memory of a doubled one at worst, on a file of
 * millions of short lines. */
static size_t
count_entries(const char *data, size_t len, size_t p)
{
	size_t n = 0;
	while (p < len) {
		const char *nl = memchr(data + p, '\n', len - p);
		size_t eol = nl ? (size_t)(nl - data) : len;
		size_t s = skip_blank(data, p, eol);
		if (s < eol && data[s] != '#')
			n++;
		p = eol + 1;
	}
	return n;
}

static void
add_directive(struct envfile *f, size_t off, int own, size_t n)
{
	const char *s = f->data + off;
	static const char tag[] = "kodus-envcheck:";
	size_t tl = sizeof tag - 1;
	size_t i = 0;

	while (i < n && (s[i] == '#' || blank(s[i])))
		i++;
	if (n - i < tl || memcmp(s + i, tag, tl) != 0)
		return;
	i += tl;
	while (i < n && blank(s[i]))
		i++;
	if (n - i < 6 || memcmp(s + i, "ignore", 6) != 0)
		return;
	i += 6;
	while (i < n && blank(s[i]))
		i++;
	size_t e = i;
	while (e < n && s[e] != '\r' && s[e] != '\n' && !blank(s[e]))
		e++;
	f->directives = xgrow(f->directives, f->ndirectives, &f->cdirectives,
	    sizeof *f->directives);
	struct directive *d = &f->directives[f->ndirectives++];
	d->off = off;
	d->line = 0;
	d->own_line = own;
	d->rules = xstrndup(s + i, e - i);
}

/* Lex one entry starting at s (first non-blank of its line); returns the
 * offset of the line end that finishes it. */
static size_t
lex_entry(struct envfile *f, size_t s, size_t eol)
{
	const char *d = f->data;
	struct entry e;

	memset(&e, 0, sizeof e);
	e.start = s;
	e.hash_off = ENTRY_NONE;
	e.comment_off = ENTRY_NONE;
	if (eol - s > 7 && memcmp(d + s, "export", 6) == 0 &&
	    blank(d[s + 6])) {
		e.export_prefix = 1;
		s += 7;
		while (s < eol && blank(d[s]))
			s++;
	}
	e.key_off = s;

	/* The delimiter is the first '=' or ':' on the line. */
	size_t k = s;
	while (k < eol && d[k] != '=' && d[k] != ':')
		k++;
	size_t ke = k;
	if (k < eol) {
		e.delim = d[k];
		e.delim_off = k;
	} else {
		ke = eol;
		if (ke > s && d[ke - 1] == '\r')
			ke--;
	}
	while (ke > s && blank(d[ke - 1])) {
		ke--;
		e.space_before = k < eol;
	}
	e.key_len = ke - s;

	size_t end = eol;
	if (e.delim == 0) {
		e.val_off = eol;
		e.end = eol;
		add_entry(f, &e);
		return eol;
	}

	size_t v = k + 1;
	while (v < eol && blank(d[v])) {
		v++;
		e.space_after = 1;
	}
	e.val_off = v;
	char q = v < eol ? d[v] : 0;
	if (q == '"' || q == '\'' || q == '`') {
		e.quote = q == '"' ? QUOTE_DOUBLE : q == '\'' ? QUOTE_SINGLE :
		    QUOTE_BACKTICK;
		size_t i = v + 1, close = NONE;
		while (i < f->len) {
			if (d[i] == '\\' && q != '`' && i + 1 < f->len) {
				i += 2;
				continue;
			}
			if (d[i] == q) {
				close = i;
				break;
			}
			if (d[i] == '\n' && q == '`')
				break;
			i++;
		}
		if (close == NONE) {
			e.unterminated = 1;
			e.inner_off = v + 1;
			size_t ve = eol;
			if (ve > v && d[ve - 1] == '\r')
				ve--;
			e.inner_len = ve > v + 1 ? ve - v - 1 : 0;
			e.val_len = ve - v;
		} else {
			e.inner_off = v + 1;
			e.inner_len = close - v - 1;
			e.val_len = close + 1 - v;
			const char *nl = memchr(d + close, '\n',
			    f->len - close);
			end = nl ? (size_t)(nl - d) : f->len;
			size_t ae = end;
			if (ae > close + 1 && d[ae - 1] == '\r')
				ae--;
			e.after_off = close + 1;
			e.after_len = ae - close - 1;
			size_t a = e.after_off;
			while (a < ae && blank(d[a]))
				a++;
			if (a < ae && d[a] == '#') {
				e.hash_off = a;
				e.comment_off = a;
			}
		}
	} else {
		size_t ve = eol;
		if (ve > v && d[ve - 1] == '\r')
			ve--;
		const char *h = memchr(d + v, '#', ve - v);
		if (h != NULL)
			e.hash_off = (size_t)(h - d);
		/* the blanks before the comment separate it; they are not
		 * part of the value */
		size_t keep, c = envfile_comment_at(d + v, ve - v, " ", &keep);
		if (c < ve - v) {
			e.comment_off = v + c;
			ve = v + keep;
		}
		/* trailing blanks, NBSP and other spaces included */
		size_t t = ve;
		while (t > v) {
			size_t b = t - 1, w;
			while (b > v && t - b < 4 &&
			    ((unsigned char)d[b] & 0xC0) == 0x80)
				b--;
			uint32_t cp = utf8_decode((const unsigned char *)d + b,
			    t - b, &w);
			if (b + w != t || !uni_is_space(cp))
				break;
			t = b;
		}
		e.trail_ws = ve - t;
		e.val_len = ve - v;
	}
	e.end = end;
	add_entry(f, &e);
	return end;
}

static void
add_finding(struct envfile *f, enum finding_kind kind, size_t off,
    uint32_t cp, unsigned line, unsigned *seen_line)
{
	/* One finding of a kind per line keeps a 50 MB file of NULs from
	 * growing a list of 50 million. */
	if (seen_line[kind] == line)
		return;
	seen_line[kind] = line;
	f->findings = xgrow(f->findings, f->nfindings, &f->cfindings,
	    sizeof *f->findings);
	struct finding *x = &f->findings[f->nfindings++];
	x->kind = kind;
	x->off = off;
	x->cp = cp;
	x->line = line;
	x->col = 0;
	x->entry = NONE;
	x->in_key = 0;
}

static void
scan_bytes(struct envfile *f)
{
	const unsigned char *u = (const unsigned char *)f->data;
	size_t n = f->len, i = 0, w;
	unsigned line = 1;
	unsigned seen[FIND_KIND_COUNT];

	memset(seen, 0, sizeof seen);
	if (n >= 3 && memcmp(u, "\xEF\xBB\xBF", 3) == 0) {
		add_finding(f, FIND_BOM, 0, 0xFEFF, 1, seen);
		i = 3;
	}
	while (i < n) {
		unsigned char c = u[i];
		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		if (c == '\n') {
			line++;
			i++;
			continue;
		}
		if (c < 0x80) {
			if (c == '\r') {
				if (i + 1 < n && u[i + 1] == '\n')
					f->ncrlf++;
				add_finding(f, FIND_CR, i, c, line, seen);
			} else if (c == 0)
				add_finding(f, FIND_NUL, i, 0, line, seen);
			else if (c != '\t')
				add_finding(f, FIND_CONTROL, i, c, line, seen);
			i++;
			continue;
		}
		uint32_t cp = utf8_decode(u + i, n - i, &w);
		if (cp == UNI_REPLACEMENT && w == 1)
			add_finding(f, FIND_INVALID_UTF8, i, c, line, seen);
		else if (cp >= 0x80 && cp < 0xA0)
			add_finding(f, FIND_CONTROL, i, cp, line, seen);
		else if (uni_is_smart_quote(cp))
			add_finding(f, FIND_SMART_QUOTE, i, cp, line, seen);
		else if (uni_is_space(cp))
			add_finding(f, FIND_SPACE, i, cp, line, seen);
		else if (uni_is_invisible(cp))
			add_finding(f, FIND_INVISIBLE, i, cp, line, seen);
		i += w;
	}
}

void
envfile_lex(struct envfile *f, const char *data, size_t len)
{
	memset(f, 0, sizeof *f);
	if (len > ENVFILE_MAX)
		len = ENVFILE_MAX;	/* not with a file: READ_FILE_MAX */
	f->data = data;
	f->len = len;
	textpos_init(&f->tp, data, len);

	size_t p = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		p = 3;
	f->centries = count_entries(data, len, p);
	if (f->centries > 0)
		f->entries = xreallocarray(NULL, f->centries,
		    sizeof *f->entries);
	while (p < len) {
		const char *nl = memchr(data + p, '\n', len - p);
		size_t eol = nl ? (size_t)(nl - data) : len;
		size_t s = skip_blank(data, p, eol);
		if (s == eol) {
			/* blank */
		} else if (data[s] == '#') {
			add_directive(f, s, 1, eol - s);
		} else {
			size_t end = lex_entry(f, s, eol);
			struct entry *e = &f->entries[f->nentries - 1];
			if (e->hash_off != ENTRY_NONE)
				add_directive(f, e->hash_off, 0,
				    (e->quote == QUOTE_NONE ? eol : end) -
				    e->hash_off);
			eol = end;	/* a quoted value may span lines */
		}
		p = eol + 1;
	}
	for (size_t i = 0; i < f->ndirectives; i++) {
		unsigned c;
		textpos_at(&f->tp, f->directives[i].off,
		    &f->directives[i].line, &c);
	}

	for (size_t i = 0; i < f->nentries; i++) {
		struct entry *e = &f->entries[i];
		e->crlf = e->end > 0 && e->end < len && data[e->end - 1] == '\r';
	}

	scan_bytes(f);
	for (size_t i = 0; i < f->nfindings; i++) {
		struct finding *x = &f->findings[i];
		textpos_at(&f->tp, x->off, &x->line, &x->col);
		x->entry = envfile_entry_at(f, x->off);
		if (x->entry != NONE) {
			const struct entry *e = &f->entries[x->entry];
			x->in_key = x->off >= e->key_off &&
			    x->off < e->key_off + e->key_len;
		}
	}
}

unsigned
envfile_line(struct envfile *f, const struct entry *e)
{
	unsigned line, col;
	textpos_at(&f->tp, e->key_off, &line, &col);
	return line;
}

unsigned
envfile_end_line(struct envfile *f, const struct entry *e)
{
	unsigned line, col;
	textpos_at(&f->tp, e->end, &line, &col);
	return line;
}

size_t
envfile_entry_at(const struct envfile *f, size_t off)
{
	size_t lo = 0, hi = f->nentries;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct entry *e = &f->entries[mid];
		if (off < e->start)
			hi = mid;
		else if (off > e->end)
			lo = mid + 1;
		else
			return mid;
	}
	return NONE;
}

static int
rule_listed(const char *list, const char *rule)
{
	size_t rl = strlen(rule);
	const char *p = list;
	while (*p != '\0') {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		if ((l == rl && strncmp(p, rule, rl) == 0) ||
		    (l == 3 && strncmp(p, "all", 3) == 0))
			return 1;
		if (c == NULL)
			break;
		p = c + 1;
	}
	return 0;
}

int
envfile_ignored(const struct envfile *f, unsigned line, const char *rule)
{
	for (size_t i = 0; i < f->ndirectives; i++) {
		const struct directive *d = &f->directives[i];
		if ((d->line == line && !d->own_line) ||
		    (d->own_line && d->line + 1 == line) ||
		    (d->own_line && d->line == line))
			if (rule_listed(d->rules, rule))
				return 1;
	}
	return 0;
}

void
envfile_free(struct envfile *f)
{
	free(f->entries);
	free(f->findings);
	for (size_t i = 0; i < f->ndirectives; i++)
		free(f->directives[i].rules);
	free(f->directives);
	textpos_free(&f->tp);
	memset(f, 0, sizeof *f);
}

size_t
envfile_comment_at(const char *v, size_t n, const char *before,
    size_t *keep)
{
	size_t nb = strlen(before), h = n;
	for (const char *p = v; p < v + n; p++) {
		p = memchr(p, '#', (size_t)(v + n - p));
		if (p == NULL)
			break;
		if (p > v && memchr(before, p[-1], nb) != NULL) {
			h = (size_t)(p - v);
			break;
		}
	}
	if (keep != NULL) {
		size_t k = h;
		if (h < n)
			while (k > 0 && blank(v[k - 1]))
				k--;
		*keep = k;
	}
	return h;
}
