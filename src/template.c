/* template.c - read an .env.example as a template. Line by line, as
 * schema.c does: NAME=value, "# NAME=value" (opt-in), comments; a blank
 * line ends a comment block. One pass; the variables are at most one per
 * line, so their number follows from the file's size limit. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "envfile.h"
#include "envmap.h"
#include "schema.h"
#include "secret.h"
#include "template.h"
#include "util.h"

void
template_parse(struct tmpl *t, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	const char *block = NULL;	/* start of the comment block */
	size_t cap = 0;
	struct envmap seen;		/* names listed so far: linear time */
	memset(t, 0, sizeof *t);
	envmap_init(&seen);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		const char *q = p, *e = le;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (e > q && e[-1] == '\r')
			e--;
		if (q == e) {
			block = NULL;
			p = next;
			continue;
		}
		const char *k = q;
		int commented = *k == '#';
		if (commented) {
			k++;
			while (k < e && (*k == ' ' || *k == '\t'))
				k++;
		}
		const char *ke = k;
		while (ke < e && (isupper((unsigned char)*ke) ||
		    isdigit((unsigned char)*ke) || *ke == '_'))
			ke++;
		if (ke > k && ke < e && *ke == '=' &&
		    isupper((unsigned char)*k)) {
			if (envmap_get(&seen, k, (size_t)(ke - k)) == NULL) {
				envmap_set(&seen, k, (size_t)(ke - k), "", 0, 0,
				    0);
				t->v = xgrow(t->v, t->n, &cap, sizeof *t->v);
				struct tmplvar *v = &t->v[t->n++];
				v->name = xstrndup(k, (size_t)(ke - k));
				v->value = xstrndup(ke + 1,
				    (size_t)(e - ke - 1));
				v->comment = block ? xstrndup(block,
				    (size_t)(p - block)) : NULL;
				v->optional = commented;
			}
			block = NULL;
		} else if (commented) {
			if (block == NULL)
				block = p;
		} else
			block = NULL;
		p = next;
	}
	envmap_free(&seen);
}

int
template_read(const char *path, struct tmpl *t, char **cause)
{
	struct buf b;
	char *why = NULL;
	if (read_file(path, &b, &why) != 0) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		memset(t, 0, sizeof *t);
		return -1;
	}
	template_parse(t, b.data ? b.data : "", b.len);
	buf_wipe(&b);
	return 0;
}

void
template_free(struct tmpl *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].comment);
		free(t->v[i].value);
	}
	free(t->v);
	memset(t, 0, sizeof *t);
}

static unsigned
count_lines(const char *s, size_t n)
{
	unsigned c = 0;
	for (size_t i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

size_t
template_append_missing(const struct tmpl *t, const struct schema *s,
    struct buf *text, struct buf *diff, const char *name)
{
	struct envfile ef;
	struct buf add;
	size_t added = 0;
	envfile_lex(&ef, text->data ? text->data : "", text->len);
	buf_init(&add);
	for (size_t i = 0; i < t->n; i++) {
		const struct tmplvar *v = &t->v[i];
		size_t nl = strlen(v->name);
		if (v->optional)
			continue;
		int have = 0;
		for (size_t k = 0; k < ef.nentries && !have; k++)
			have = ef.entries[k].key_len == nl && memcmp(text->data +
			    ef.entries[k].key_off, v->name, nl) == 0;
		if (have)
			continue;
		const struct schemavar *sv = schema_get(s, v->name, nl);
		int secret = (sv != NULL && sv->secret) ||
		    secret_name(v->name, nl) || secret_pair(v->name, nl,
		    v->value, strlen(v->value));
		buf_addc(&add, '\n');
		if (v->comment != NULL)
			buf_addstr(&add, v->comment);
		if (secret)
			buf_printf(&add, "# a secret: generate one, e.g. %s\n%s=\n",
			    sv != NULL && sv->format != NULL &&
			    strcmp(sv->format, "base64-32") == 0 ?
			    "openssl rand -base64 32" : "openssl rand -hex 32",
			    v->name);
		else
			buf_printf(&add, "%s=%s\n", v->name, v->value);
		added++;
	}
	envfile_free(&ef);
	if (added == 0) {
		buf_free(&add);
		return 0;
	}
	if (text->len > 0 && text->data[text->len - 1] != '\n') {
		/* the last line gets its line end: a change of that line */
		buf_addc(text, '\n');
	}
	unsigned before = count_lines(text->data, text->len);
	unsigned n = count_lines(add.data, add.len);
	if (diff != NULL) {
		if (diff->len == 0)
			buf_printf(diff, "--- %s\n+++ %s (fixed)\n", name, name);
		buf_printf(diff, "@@ -%u,0 +%u,%u @@\n", before, before + 1,
		    n);
		for (const char *p = add.data; p < add.data + add.len;) {
			const char *e = memchr(p, '\n', (size_t)(add.data +
			    add.len - p));
			buf_addc(diff, '+');
			buf_add(diff, p, (size_t)(e - p) + 1);
			p = e + 1;
		}
	}
	buf_add(text, add.data, add.len);
	buf_free(&add);
	return added;
}
