/* textpos.c - line index for diagnostics. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "textpos.h"
#include "utf8.h"
#include "util.h"

void
textpos_init(struct textpos *t, const char *data, size_t len)
{
	t->data = data;
	t->len = len < UINT32_MAX ? len : UINT32_MAX - 1;
	t->starts = NULL;
	t->nlines = 0;
	t->last = 0;
}

static void
build(struct textpos *t)
{
	/* counted first: one array of the right size, not one doubled
	 * (a file of 16 million empty lines took 256 MB) */
	size_t n = 0, cap = 1 + count_newlines(t->data, t->len);
	uint32_t *s = xreallocarray(NULL, cap, sizeof *s);
	s[n++] = 0;
	const char *p = t->data, *end = t->data + t->len;
	while (p < end && n < cap) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		s[n++] = (uint32_t)(nl - t->data) + 1;
		p = nl + 1;
	}
	t->starts = s;
	t->nlines = n;
}

void
textpos_at(struct textpos *t, size_t off, unsigned *line, unsigned *col)
{
	if (t->starts == NULL)
		build(t);
	if (off > t->len)
		off = t->len;
	size_t lo = t->last;
	/* the line asked last, or the next: no search */
	if (lo < t->nlines && t->starts[lo] <= off && (lo + 1 == t->nlines ||
	    off < t->starts[lo + 1]))
		;
	else if (lo + 1 < t->nlines && t->starts[lo + 1] <= off &&
	    (lo + 2 == t->nlines || off < t->starts[lo + 2]))
		lo++;
	else {
		size_t hi = t->nlines;
		lo = 0;
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (t->starts[mid] <= off)
				lo = mid;
			else
				hi = mid;
		}
	}
	t->last = lo;
	size_t ls = t->starts[lo];
	if (ls == 0 && t->len >= 3 && memcmp(t->data, "\xEF\xBB\xBF", 3) == 0
	    && off >= 3)
		ls = 3;
	size_t c = utf8_count(t->data + ls, off - ls) + 1;
	*line = lo + 1 > 0xFFFFFFFFu ? 0xFFFFFFFFu : (unsigned)(lo + 1);
	*col = c > 0xFFFFFFFFu ? 0xFFFFFFFFu : (unsigned)c;
}

size_t
textpos_line_start(struct textpos *t, unsigned line)
{
	if (t->starts == NULL)
		build(t);
	if (line == 0 || line > t->nlines)
		return t->len;
	return t->starts[line - 1];
}

void
textpos_free(struct textpos *t)
{
	free(t->starts);
	t->starts = NULL;
}
