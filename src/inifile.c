/* inifile.c - checked INI loading on top of inih. */
#include "config.h"

#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "dynload.h"
#include "inifile.h"
#include "utf8.h"
#include "util.h"

/* inih, opened for the first file (dynload.h) */
static int (*parse_stream)(ini_reader, void *, ini_handler, void *);
static void *libinih;

struct stream {
	const char	*p;
	const char	*end;
	unsigned	 line;
	struct ini_doc	*doc;
};

/* ini_reader: one line at a time, counting lines for the handler. */
static char *
reader(char *str, int num, void *vs)
{
	struct stream *s = vs;
	if (s->p >= s->end || num < 2)
		return NULL;
	const char *nl = memchr(s->p, '\n', (size_t)(s->end - s->p));
	size_t len = nl ? (size_t)(nl - s->p) + 1 : (size_t)(s->end - s->p);
	if (len > (size_t)num - 1)
		len = (size_t)num - 1;	/* cannot happen: lines are checked */
	memcpy(str, s->p, len);
	str[len] = '\0';
	s->p += len;
	s->line++;
	return str;
}

static int
handler(void *vs, const char *section, const char *name, const char *value)
{
	struct stream *s = vs;
	struct ini_doc *d = s->doc;
	/* room doubles from 32 on (n a power of two): a copy per entry
	 * would cost quadratic time where realloc copies */
	if (d->n == 0 || (d->n >= 32 && (d->n & (d->n - 1)) == 0))
		d->e = xreallocarray(d->e, d->n ? d->n * 2 : 32,
		    sizeof *d->e);
	struct ini_entry *e = &d->e[d->n++];
	e->section = xstrdup(section);
	e->name = xstrdup(name);
	e->value = xstrdup(value);
	e->line = s->line;
	return 1;
}

int
ini_load_text(const char *source, const char *text, size_t len,
    struct ini_doc *d, char **cause)
{
	memset(d, 0, sizeof *d);
	d->source = xstrdup(source);

	/* What inih cannot read correctly is refused here, with a place. */
	unsigned line = 1;
	const char *ls = text, *end = text + len;
	while (ls < end) {
		const char *nl = memchr(ls, '\n', (size_t)(end - ls));
		const char *le = nl ? nl : end;
		const char *z = memchr(ls, '\0', (size_t)(le - ls));
		size_t bad = utf8_first_invalid(ls, (size_t)(le - ls));
		if (z != NULL) {
			*cause = xasprintf("%s:%u:%zu: NUL byte", source, line,
			    utf8_count(ls, (size_t)(z - ls)) + 1);
			goto fail;
		}
		if (bad != (size_t)(le - ls)) {
			*cause = xasprintf("%s:%u:%zu: invalid UTF-8", source,
			    line, utf8_count(ls, bad) + 1);
			goto fail;
		}
		size_t ll = (size_t)(le - ls);
		if (ll > 0 && ls[ll - 1] == '\r')
			ll--;
		if (ll > INIFILE_MAX_LINE) {
			*cause = xasprintf("%s:%u:%d: line longer than %d "
			    "bytes: the INI reader cannot take it", source,
			    line, INIFILE_MAX_LINE + 1, INIFILE_MAX_LINE);
			goto fail;
		}
		ls = nl ? nl + 1 : end;
		line++;
	}

	static const struct dynsym syms[] = {
		{ "ini_parse_stream", &parse_stream },
	};
	char *why = NULL;
	if (dynload(&libinih, LIBINIH_SONAME, "libinih1", syms,
	    sizeof syms / sizeof *syms, &why) != 0) {
		*cause = xasprintf("%s: %s", source, why);
		free(why);
		goto fail;
	}
	struct stream s = { text, text + len, 0, d };
	int r = parse_stream(reader, &s, handler, &s);
	if (r != 0) {
		if (r > 0)
			*cause = xasprintf("%s:%d:1: not a [section], a "
			    "'name = value' line or a comment", source, r);
		else
			*cause = xasprintf("%s: cannot be read", source);
		goto fail;
	}
	return 0;
fail:
	ini_doc_free(d);
	return -1;
}

int
ini_load_file(const char *path, struct ini_doc *d, char **cause)
{
	struct buf b;
	char *why = NULL;
	if (read_file(path, &b, &why) != 0) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		memset(d, 0, sizeof *d);
		return -1;
	}
	int r = ini_load_text(path, b.data, b.len, d, cause);
	buf_free(&b);
	return r;
}

void
ini_doc_free(struct ini_doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->e[i].section);
		free(d->e[i].name);
		free(d->e[i].value);
	}
	free(d->e);
	free(d->source);
	memset(d, 0, sizeof *d);
}
