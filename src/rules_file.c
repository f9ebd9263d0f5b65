/* rules_file.c - what the bytes of one .env do to its three readers.
 *
 * Each rule names the readers that disagree: the failures people hit
 * ("trailing spaces", "quotes in the value") are exactly those places
 * where docker compose, docker run --env-file and Node read one file
 * three ways. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "utf8.h"

#define NONE ((size_t)-1)

static const char *
key_of(const struct lintfile *lf, const struct entry *e)
{
	return lf->data.data + e->key_off;
}

/* The value a reader gives for key, or NULL when it has none. */
static const struct envvar *
reader_value(const struct lintfile *lf, enum dialect d, const char *key,
    size_t klen)
{
	if (lf->is_environ || !lf->dia[d].ok)
		return NULL;
	return envmap_get(&lf->dia[d].env, key, klen);
}

static int
valid_name(const char *k, size_t n)
{
	if (n == 0 || isdigit((unsigned char)k[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]) && k[i] != '_')
			return 0;
	return 1;
}

/* Characters and names for messages. */
static const char *
char_name(uint32_t cp)
{
	switch (cp) {
	case 0x00: return "a NUL byte";
	case 0xA0: return "a no-break space (U+00A0)";
	case 0x3000: return "an ideographic space (U+3000)";
	case 0x200B: return "a zero-width space (U+200B)";
	case 0x200C: return "a zero-width non-joiner (U+200C)";
	case 0x200D: return "a zero-width joiner (U+200D)";
	case 0x2060: return "a word joiner (U+2060)";
	case 0xFEFF: return "a byte order mark (U+FEFF)";
	case 0x00AD: return "a soft hyphen (U+00AD)";
	case 0x202F: return "a narrow no-break space (U+202F)";
	case 0x2028: return "a line separator (U+2028)";
	case 0x2029: return "a paragraph separator (U+2029)";
	}
	return NULL;
}

static void
describe_cp(uint32_t cp, int invalid, char *out, size_t n)
{
	const char *nm = char_name(cp);
	if (invalid)
		snprintf(out, n, "an invalid UTF-8 byte 0x%02X", (unsigned)cp);
	else if (nm != NULL)
		snprintf(out, n, "%s", nm);
	else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		snprintf(out, n, "a control character (U+%04X)", (unsigned)cp);
	else
		snprintf(out, n, "an invisible character (U+%04X)",
		    (unsigned)cp);
}

static int
is_blank_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || (cp >= 0x80 && uni_is_space(cp) &&
	    cp != 0x85);
}

/* Trailing white space of s[0..n): bytes, and a description. */
static size_t
trailing_ws(const char *s, size_t n, char *what, size_t wn)
{
	size_t t = n, w;
	int spaces = 0, tabs = 0;
	uint32_t other = 0;
	while (t > 0) {
		size_t b = t - 1;
		while (b > 0 && t - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80)
			b--;
		uint32_t cp = utf8_decode((const unsigned char *)s + b, t - b,
		    &w);
		if (b + w != t || !is_blank_cp(cp))
			break;
		if (cp == ' ')
			spaces++;
		else if (cp == '\t')
			tabs++;
		else if (other == 0)
			other = cp;
		t = b;
	}
	if (t == n)
		return 0;
	if (other != 0)
		snprintf(what, wn, "%s", char_name(other) ? char_name(other) :
		    "a non-ASCII space");
	else if (tabs && spaces)
		snprintf(what, wn, "%d space%s and %d tab%s", spaces,
		    spaces > 1 ? "s" : "", tabs, tabs > 1 ? "s" : "");
	else if (tabs > 1)
		snprintf(what, wn, "%d tabs", tabs);
	else if (tabs)
		snprintf(what, wn, "a tab");
	else
		snprintf(what, wn, "%d trailing space%s", spaces,
		    spaces > 1 ? "s" : "");
	return n - t;
}

static size_t
leading_ws(const char *s, size_t n)
{
	size_t i = 0, w;
	while (i < n) {
		uint32_t cp = utf8_decode((const unsigned char *)s + i, n - i,
		    &w);
		if (!is_blank_cp(cp))
			break;
		i += w;
	}
	return i;
}

/* Can v be written without quotes, read the same by all three readers?
 * Inner single spaces are fine; blanks at either end, " #", quotes,
 * '$' and backslashes are not. */
static int
safe_unquoted(const char *v, size_t n)
{
	if (n == 0)
		return 1;
	if (v[0] == ' ' || v[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == ' ' && v[i + 1] != '#')
			continue;
		if (c <= ' ' || c == '#' || c == '"' || c == '\'' || c == '`' ||
		    c == '$' || c == '\\' || c >= 0x7F)
			return 0;
	}
	return 1;
}

static void
rule_keys(struct lint *l, struct lintfile *lf, size_t i)
{
	const struct entry *e = &lf->lex.entries[i];
	const char *k = key_of(lf, e);
	size_t kl = e->key_len;

	if (lf->is_environ) {
		/* the environment holds PATH, http_proxy, ...: only a Kodus
		 * name in the wrong case is ours to report */
		char up[256];
		size_t n = kl < sizeof up - 1 ? kl : sizeof up - 1;
		int lower = 0;
		for (size_t j = 0; j < n; j++) {
			lower |= islower((unsigned char)k[j]);
			up[j] = (char)toupper((unsigned char)k[j]);
		}
		up[n] = '\0';
		if (lower && schema_get(&l->schema, up, n) != NULL)
			lint_report(l, lf, i, "lowercase-key", SEV_WARNING,
			    e->key_off, k, kl, NULL, "names are case-sensitive: "
			    "Kodus reads %s", up);
		return;
	}
	if (kl == 0) {
		lint_report(l, lf, i, "invalid-key", SEV_ERROR, e->start, k, 0,
		    NULL, "no variable name before '%c': docker compose reads "
		    "an empty name, docker run --env-file refuses the file",
		    e->delim ? e->delim : '=');
		return;
	}
	if (!valid_name(k, kl)) {
		int space = memchr(k, ' ', kl) != NULL ||
		    memchr(k, '\t', kl) != NULL;
		int quote = memchr(k, '\'', kl) != NULL ||
		    memchr(k, '"', kl) != NULL;
		int nonascii = 0;
		for (size_t j = 0; j < kl; j++)
			nonascii |= (unsigned char)k[j] >= 0x80;
		char *shown = display_text(k, kl, 80);
		if (space)
			lint_report(l, lf, i, "invalid-key", SEV_ERROR,
			    e->key_off, k, kl, NULL, "'%s' has white space in "
			    "the name: docker compose and docker run refuse "
			    "the file, Node drops the line", shown);
		else if (quote)
			lint_report(l, lf, i, "invalid-key", SEV_ERROR,
			    e->key_off, k, kl, NULL, "quotes around or in the "
			    "name '%s': docker compose refuses the file, "
			    "docker run keeps them in the name", shown);
		else if (nonascii)
			lint_report(l, lf, i, "invalid-key", SEV_ERROR,
			    e->key_off, k, kl, NULL, "'%s' has non-ASCII "
			    "characters in the name", shown);
		else {
			/* dots, dashes, a leading digit: every reader takes
			 * them, but no shell and no Kodus variable uses them */
			lint_report(l, lf, i, "invalid-key", SEV_WARNING,
			    e->key_off, k, kl, NULL, "'%s' is not a valid "
			    "environment variable name ([A-Za-z_][A-Za-z0-9_]*)",
			    shown);
		}
		free(shown);
		return;
	}
	int lower = 0;
	for (size_t j = 0; j < kl; j++)
		lower |= islower((unsigned char)k[j]);
	if (lower) {
		char up[256];
		size_t n = kl < sizeof up - 1 ? kl : sizeof up - 1;
		for (size_t j = 0; j < n; j++)
			up[j] = (char)toupper((unsigned char)k[j]);
		up[n] = '\0';
		const struct schemavar *v = schema_get(&l->schema, up, n);
		char *hint = v ? xasprintf("%s=...", up) : NULL;
		lint_report(l, lf, i, "lowercase-key", SEV_WARNING, e->key_off,
		    k, kl, hint, v ? "names are case-sensitive: Kodus reads "
		    "%s, not this" : "lower-case letters in a name: Kodus's "
		    "variables are upper case%s", v ? up : "");
		free(hint);
	}
}

/* In the environment a value is what the program gets, byte for byte:
 * quotes, comments and blanks there are errors, whoever put them in. */
static void
environ_value(struct lint *l, struct lintfile *lf, size_t i)
{
	const struct entry *e = &lf->lex.entries[i];
	const char *d = lf->data.data;
	const char *k = key_of(lf, e);
	size_t kl = e->key_len;
	size_t vs = e->delim_off + 1;
	const char *nl = memchr(d + vs, '\n', lf->data.len - vs);
	size_t ve = nl ? (size_t)(nl - d) : lf->data.len;
	const char *v = d + vs;
	size_t n = ve - vs;
	char what[96];

	if (n >= 2 && (v[0] == '"' || v[0] == '\'' || v[0] == '`') &&
	    v[n - 1] == v[0]) {
		char *hint = lint_hint_line(l, k, kl, v + 1, n - 2);
		char *shown = lint_show(l, k, kl, v, n);
		lint_report(l, lf, i, "quoted-value", SEV_ERROR, vs, k, kl, hint,
		    "the value the program gets includes the quotes: %s",
		    shown);
		free(shown);
		free(hint);
	}
	for (size_t j = 1; j < n; j++) {
		if (v[j] == '#' && (v[j - 1] == ' ' || v[j - 1] == '\t')) {
			size_t keep = j - 1;
			while (keep > 0 && (v[keep - 1] == ' ' ||
			    v[keep - 1] == '\t'))
				keep--;
			char *hint = lint_hint_line(l, k, kl, v, keep);
			char *shown = lint_show(l, k, kl, v, n);
			lint_report(l, lf, i, "inline-comment", SEV_ERROR,
			    vs + j, k, kl, hint, "the value the program gets "
			    "ends in a comment: %s", shown);
			free(shown);
			free(hint);
			break;
		}
	}
	size_t tw = trailing_ws(v, n, what, sizeof what);
	size_t lw = leading_ws(v, n);
	if (tw > 0 || lw > 0) {
		size_t a = lw < n ? lw : n;
		size_t b = n - (tw < n - a ? tw : n - a);
		char *hint = lint_hint_line(l, k, kl, v + a, b - a);
		lint_report(l, lf, i, "trailing-whitespace", SEV_ERROR, vs, k,
		    kl, hint, "the value the program gets %s %s",
		    tw > 0 ? "ends in" : "starts with", tw > 0 ? what :
		    "white space");
		free(hint);
	}
}

static void
rule_syntax(struct lint *l, struct lintfile *lf, size_t i)
{
	const struct entry *e = &lf->lex.entries[i];
	const char *d = lf->data.data;
	const char *k = key_of(lf, e);
	size_t kl = e->key_len;

	if (lf->is_environ)
		return;

	/* the line as every reader takes it: no export, NAME=value */
	char *line = e->delim && !e->unterminated ? lint_hint_line(l, k, kl,
	    d + e->val_off, e->val_len - e->trail_ws) : NULL;
	if (e->export_prefix)
		lint_report(l, lf, i, "export-prefix", SEV_WARNING, e->start, k,
		    kl, line, "'export' before the name: docker run --env-file "
		    "refuses the whole file (docker compose and Node drop the "
		    "word)");
	if (e->delim == ':')
		lint_report(l, lf, i, "spaces-around-equals", SEV_WARNING,
		    e->delim_off, k, kl, line, "':' instead of '=': docker "
		    "compose and Node accept it, docker run --env-file %s",
		    e->space_after ? "refuses the file" : "drops the line");
	else if (e->space_before)
		lint_report(l, lf, i, "spaces-around-equals", SEV_WARNING,
		    e->delim_off, k, kl, line, "white space before '=': docker "
		    "run --env-file refuses the whole file");
	else if (e->space_after && e->quote == QUOTE_NONE && e->val_len > 0)
		lint_report(l, lf, i, "spaces-around-equals", SEV_WARNING,
		    e->delim_off, k, kl, line, "white space after '=': docker "
		    "run --env-file keeps it at the start of the value");
	free(line);
	if (e->delim == ':')
		return;
	if (e->unterminated && e->quote != QUOTE_BACKTICK)
		lint_report(l, lf, i, "unterminated-quote", SEV_ERROR,
		    e->val_off, k, kl, NULL, "the %s quote that opens the "
		    "value is never closed: docker compose refuses the whole "
		    "file", e->quote == QUOTE_DOUBLE ? "double" : "single");
}

static void
rule_value(struct lint *l, struct lintfile *lf, size_t i)
{
	const struct entry *e = &lf->lex.entries[i];
	const char *d = lf->data.data;
	const char *k = key_of(lf, e);
	size_t kl = e->key_len;
	char what[96];

	if (e->delim == 0)
		return;
	if (lf->is_environ) {
		environ_value(l, lf, i);
		return;
	}
	if (e->unterminated)
		return;

	if (e->quote == QUOTE_NONE) {
		const char *v = d + e->val_off;
		size_t vl = e->val_len;
		/* a tab (not a space) before '#': compose keeps the comment */
		const char *tabhash = NULL;
		for (size_t j = 0; j + 1 < vl; j++)
			if (v[j] == '\t' && v[j + 1] == '#') {
				tabhash = v + j;
				break;
			}
		if (tabhash != NULL) {
			size_t keep = (size_t)(tabhash - v);
			while (keep > 0 && (v[keep - 1] == ' ' ||
			    v[keep - 1] == '\t'))
				keep--;
			char *hint = lint_hint_line(l, k, kl, v, keep);
			lint_report(l, lf, i, "inline-comment", SEV_ERROR,
			    (size_t)(tabhash - d), k, kl, hint, "a tab before "
			    "'#' does not start a comment for docker compose "
			    "(only a space does): the comment is part of the "
			    "value for compose and docker run");
			free(hint);
		} else if (e->comment_off != NONE) {
			const char *eol = memchr(d + e->comment_off, '\n',
			    lf->data.len - e->comment_off);
			size_t end = eol ? (size_t)(eol - d) : lf->data.len;
			if (end > e->val_off && d[end - 1] == '\r')
				end--;
			char *docker = lint_show(l, k, kl, v, end - e->val_off);
			char *hint = lint_hint_line(l, k, kl, v, vl);
			lint_report(l, lf, i, "inline-comment", SEV_WARNING,
			    e->comment_off, k, kl, hint, "docker run "
			    "--env-file keeps the comment in the value: it "
			    "sees '%s' (docker compose and Node cut it); put "
			    "the comment on its own line", docker);
			free(docker);
			free(hint);
		} else if (e->trail_ws > 0) {
			trailing_ws(v, vl, what, sizeof what);
			char *hint = lint_hint_line(l, k, kl, v,
			    vl - e->trail_ws);
			lint_report(l, lf, i, "trailing-whitespace",
				    SEV_WARNING, e->val_off + vl - e->trail_ws,
				    k, kl, hint, "%s after the value: docker run "
				    "--env-file keeps %s in the value (docker "
				    "compose and Node trim %s)", what,
				    e->trail_ws > 1 ? "them" : "it",
				    e->trail_ws > 1 ? "them" : "it");
			free(hint);
		}
		return;
	}

	/* quoted */
	const char *in = d + e->inner_off;
	size_t il = e->inner_len;
	size_t tw = trailing_ws(in, il, what, sizeof what);
	size_t lw = leading_ws(in, il);
	if (tw > 0 || lw > 0) {
		size_t a = lw < il ? lw : il;
		size_t b = il - (tw < il - a ? tw : il - a);
		char *hint = lint_hint_line(l, k, kl, in + a, b - a);
		lint_report(l, lf, i, "trailing-whitespace", SEV_ERROR,
		    tw > 0 ? e->inner_off + il - tw : e->inner_off, k, kl, hint,
		    "%s inside the quotes: every reader keeps %s in the value",
		    tw > 0 ? what : "white space at the start",
		    (tw > 0 ? tw : lw) > 1 ? "them" : "it");
		free(hint);
	}
	/* what docker run takes from this line: all of it after '=' */
	size_t dstart = e->delim_off + 1;
	const char *eol = memchr(d + dstart, '\n', lf->data.len - dstart);
	size_t dend = eol ? (size_t)(eol - d) : lf->data.len;
	if (dend > dstart && d[dend - 1] == '\r')
		dend--;
	char *seen = lint_show(l, k, kl, d + dstart, dend - dstart);
	if (e->quote == QUOTE_BACKTICK) {
		lint_report(l, lf, i, "quoted-value", SEV_ERROR, e->val_off, k,
		    kl, NULL, "backquotes are quotes only to Node: docker "
		    "compose and docker run keep them in the value (%s)",
		    seen);
	} else {
		char *hint = safe_unquoted(in, il) ?
		    lint_hint_line(l, k, kl, in, il) : NULL;
		lint_report(l, lf, i, "quoted-value", SEV_WARNING, e->val_off,
		    k, kl, hint, "docker run --env-file and kubectl keep the "
		    "quotes: they see '%s'%s", seen, hint ? "" : " (keep them "
		    "only if docker compose is the only reader)");
		free(hint);
	}
	free(seen);
}

/* One finding per entry and kind of character, from the byte scan. */
static void
rule_bytes(struct lint *l, struct lintfile *lf)
{
	const char *d = lf->data.data;
	size_t last_entry[FIND_KIND_COUNT];
	for (int k = 0; k < FIND_KIND_COUNT; k++)
		last_entry[k] = NONE;

	for (size_t i = 0; i < lf->lex.nfindings; i++) {
		const struct finding *x = &lf->lex.findings[i];
		char what[96];
		if (x->kind == FIND_BOM) {
			lint_report(l, lf, NONE, "bom", SEV_WARNING, 0, NULL, 0,
			    NULL, "the file starts with a UTF-8 byte order "
			    "mark: docker compose, docker run and Node drop it, "
			    "but a shell or systemd reads the first name with "
			    "it");
			continue;
		}
		if (x->kind == FIND_CR) {
			if (lf->is_environ) {
				const struct entry *ce = x->entry != NONE ?
				    &lf->lex.entries[x->entry] : NULL;
				lint_report(l, lf, x->entry, "crlf", SEV_ERROR,
				    x->off, ce ? key_of(lf, ce) : NULL,
				    ce ? ce->key_len : 0, NULL, "a carriage "
				    "return in the value the program gets (the "
				    "file it came from has Windows line endings)");
				continue;
			}
			if (x->off + 1 < lf->data.len && d[x->off + 1] == '\n')
				continue;	/* CRLF: reported once below */
			lint_report(l, lf, x->entry, "crlf", SEV_ERROR, x->off,
			    NULL, 0, NULL, "a carriage return without a line "
			    "feed (old Mac line end): docker compose and docker "
			    "run do not end the line there, so the next line "
			    "becomes part of this value");
			continue;
		}
		if (x->entry == NONE)
			continue;	/* in a comment */
		if (last_entry[x->kind] == x->entry)
			continue;
		last_entry[x->kind] = x->entry;
		const struct entry *e = &lf->lex.entries[x->entry];
		const char *k = key_of(lf, e);
		size_t kl = e->key_len;
		if (x->kind == FIND_SMART_QUOTE) {
			if (x->in_key)
				continue;	/* invalid-key says it */
			char q[8];
			size_t ql = utf8_encode(x->cp, q);
			q[ql] = '\0';
			/* the value without any typographic quote */
			struct buf clean;
			buf_init(&clean);
			const char *v = d + e->val_off;
			size_t j = 0, w;
			while (j < e->val_len) {
				uint32_t cp = utf8_decode(
				    (const unsigned char *)v + j,
				    e->val_len - j, &w);
				if (!uni_is_smart_quote(cp))
					buf_add(&clean, v + j, w);
				j += w;
			}
			char *hint = lint_hint_line(l, k, kl,
			    clean.data ? clean.data : "", clean.len);
			buf_wipe(&clean);
			lint_report(l, lf, x->entry, "smart-quotes", SEV_ERROR,
			    x->off, k, kl, hint, "typographic quote %s "
			    "(U+%04X) in the value, pasted from a document: no "
			    "reader treats it as a quote, so it is part of the "
			    "value", q, (unsigned)x->cp);
			free(hint);
			continue;
		}
		if (x->kind == FIND_SPACE && !x->in_key) {
			/* a trailing one is trailing-whitespace's */
			size_t vend = e->quote == QUOTE_NONE ?
			    e->val_off + e->val_len : e->inner_off +
			    e->inner_len;
			size_t w;
			utf8_decode((const unsigned char *)d + x->off,
			    lf->data.len - x->off, &w);
			size_t t = x->off + w;
			while (t < vend && (d[t] == ' ' || d[t] == '\t'))
				t++;
			if (t >= vend || (e->quote != QUOTE_NONE &&
			    x->off < e->inner_off + leading_ws(d +
			    e->inner_off, e->inner_len)))
				continue;
		}
		describe_cp(x->cp, x->kind == FIND_INVALID_UTF8, what,
		    sizeof what);
		const char *where = x->in_key ? "name" : "value";
		if (x->kind == FIND_INVALID_UTF8)
			lint_report(l, lf, x->entry, "invisible-character",
			    SEV_ERROR, x->off, k, kl, NULL, "%s in the %s: "
			    "docker run --env-file refuses the file", what,
			    where);
		else if (x->kind == FIND_NUL)
			lint_report(l, lf, x->entry, "invisible-character",
			    SEV_ERROR, x->off, k, kl, NULL, "%s in the %s: "
			    "the program gets it cut short at the NUL", what,
			    where);
		else
			lint_report(l, lf, x->entry, "invisible-character",
			    SEV_ERROR, x->off, k, kl, NULL, "%s in the %s: "
			    "it is part of the %s though nobody can see it",
			    what, where, where);
	}
	if (lf->lex.ncrlf > 0 && !lf->is_environ) {
		size_t first = NONE;
		for (size_t i = 0; i < lf->lex.nfindings; i++)
			if (lf->lex.findings[i].kind == FIND_CR) {
				first = lf->lex.findings[i].off;
				break;
			}
		lint_report(l, lf, NONE, "crlf", SEV_WARNING, first, NULL, 0,
		    NULL, "%zu line%s end%s in CRLF (Windows line endings): "
		    "docker compose, docker run and Node drop the '\\r', "
		    "but a shell sourcing the file keeps it in every value",
		    lf->lex.ncrlf, lf->lex.ncrlf > 1 ? "s" : "",
		    lf->lex.ncrlf > 1 ? "" : "s");
	}
}

static void
rule_duplicates(struct lint *l, struct lintfile *lf)
{
	/* name -> index of its latest entry (kept in key_off) */
	struct envmap first;
	envmap_init(&first);
	for (size_t i = 0; i < lf->lex.nentries; i++) {
		const struct entry *e = &lf->lex.entries[i];
		if (e->key_len == 0)
			continue;
		const char *k = key_of(lf, e);
		struct envvar *prev = envmap_get(&first, k, e->key_len);
		if (prev == NULL) {
			envmap_set(&first, k, e->key_len, "", 0, i, 0);
			continue;
		}
		unsigned pl, pc;
		const struct entry *pe = &lf->lex.entries[prev->key_off];
		textpos_at(&lf->lex.tp, pe->key_off, &pl, &pc);
		lint_report(l, lf, i, "duplicate-key", SEV_WARNING, e->key_off,
		    k, e->key_len, NULL, "%.*s is set again (first on line %u): every "
		    "reader keeps only this last value", (int)e->key_len, k, pl);
		prev->key_off = i;
	}
	envmap_free(&first);
}

/* docker compose stops at the first bad "${". Read what follows that
 * entry as compose reads a file, again and again, so each bad reference
 * is reported: at most 100 more. Only "invalid variable" errors count
 * there: the rest, read alone, lacks the variables set above it. */
static void
more_bad_refs(struct lint *l, struct lintfile *lf, size_t ei)
{
	for (int k = 0; k < 100 && ei != NONE; k++) {
		size_t end = lf->lex.entries[ei].end;
		const char *nl = end < lf->data.len ? memchr(lf->data.data +
		    end, '\n', lf->data.len - end) : NULL;
		if (nl == NULL)
			return;
		size_t from = (size_t)(nl - lf->data.data) + 1;
		struct dialect_result r;
		dialect_eval(DIALECT_COMPOSE, lf->data.data + from,
		    lf->data.len - from, env_lookup_map, &l->penv, &r);
		int bad = !r.ok && r.error != NULL && strncmp(r.error,
		    "invalid variable", 16) == 0;
		if (bad) {
			size_t off = from + r.err_off;
			ei = envfile_entry_at(&lf->lex, off);
			const struct entry *e = ei != NONE ?
			    &lf->lex.entries[ei] : NULL;
			lint_report(l, lf, ei, "bad-interpolation", SEV_ERROR,
			    off, e ? key_of(lf, e) : NULL, e ? e->key_len : 0,
			    NULL, "%s", r.error);
		}
		dialect_result_free(&r);
		if (!bad)
			return;
	}
}

static void
rule_compose(struct lint *l, struct lintfile *lf)
{
	const struct dialect_result *c = &lf->dia[DIALECT_COMPOSE];
	if (lf->is_environ)
		return;
	if (!c->ok && c->error != NULL && (strncmp(c->error, "invalid "
	    "variable", 16) == 0 || strncmp(c->error, "required", 8) == 0)) {
		size_t ei = envfile_entry_at(&lf->lex, c->err_off);
		const struct entry *e = ei != NONE ? &lf->lex.entries[ei] :
		    NULL;
		lint_report(l, lf, ei, "bad-interpolation", SEV_ERROR,
		    c->err_off, e ? key_of(lf, e) : NULL, e ? e->key_len : 0,
		    NULL, "%s", c->error);
		if (strncmp(c->error, "invalid variable", 16) == 0)
			more_bad_refs(l, lf, ei);
	}
	for (size_t i = 0; i < c->nrefs; i++) {
		const struct dialect_ref *r = &c->refs[i];
		size_t ei = envfile_entry_at(&lf->lex, r->off);
		const struct entry *e = ei != NONE ? &lf->lex.entries[ei] :
		    NULL;
		const char *k = e ? key_of(lf, e) : NULL;
		size_t kl = e ? e->key_len : 0;
		char *name = display_text(r->name, strlen(r->name), 60);
		int secret = k && lint_is_secret(l, k, kl);
		int later = lint_entry_for(lf, r->name, strlen(r->name)) !=
		    NONE;
		lint_report(l, lf, ei, "undefined-reference", SEV_ERROR, r->off,
		    k, kl, NULL, "$%s is %s: docker compose replaces it with "
		    "an empty string%s", name, later ? "only set further down "
		    "the file" : "set neither earlier in the file nor in the "
		    "environment", secret ? "; a '$' in a secret must be "
		    "written '$$', or the value put in single quotes" : "");
		free(name);
	}
}

/* The three readers disagree on a key and nothing above said why. */
static void
rule_mismatch(struct lint *l, struct lintfile *lf)
{
	if (lf->is_environ)
		return;
	/* a refusal no rule above explains (a line over 64 KiB, ...) */
	for (int d = 0; d < DIALECT_COUNT; d++) {
		const struct dialect_result *r = &lf->dia[d];
		if (r->ok)
			continue;
		size_t ei = envfile_entry_at(&lf->lex, r->err_off);
		if (ei != NONE && lf->flagged[ei])
			continue;
		lint_report(l, lf, ei, "dialect-mismatch", d == DIALECT_COMPOSE ?
		    SEV_ERROR : SEV_WARNING, r->err_off, NULL, 0, NULL,
		    "%s refuses the file: %s", dialect_reader((enum dialect)d),
		    r->error);
	}
	const struct dialect_result *c = &lf->dia[DIALECT_COMPOSE];
	if (!c->ok)
		return;
	for (size_t i = 0; i < c->env.n; i++) {
		const struct envvar *cv = &c->env.v[i];
		const struct envvar *dv = reader_value(lf, DIALECT_DOCKER,
		    cv->key, cv->klen);
		const struct envvar *nv = reader_value(lf, DIALECT_NODE,
		    cv->key, cv->klen);
		int docker_ok = lf->dia[DIALECT_DOCKER].ok;
		int same_d = !docker_ok || (dv && dv->vlen == cv->vlen &&
		    memcmp(dv->val, cv->val, cv->vlen) == 0);
		int same_n = nv && nv->vlen == cv->vlen &&
		    memcmp(nv->val, cv->val, cv->vlen) == 0;
		if (same_d && same_n)
			continue;
		size_t ei = lint_entry_for(lf, cv->key, cv->klen);
		if (ei == NONE || lf->flagged[ei])
			continue;
		if (!same_d && dv && memchr(dv->val, '$', dv->vlen) != NULL) {
			const struct entry *e = &lf->lex.entries[ei];
			lint_report(l, lf, ei, "dialect-mismatch", SEV_WARNING,
			    e->delim ? e->val_off : e->key_off, cv->key,
			    cv->klen, NULL, "docker compose expands the $ "
			    "references in this value; docker run --env-file "
			    "%s pass them on literally", same_n ? "does not: "
			    "it would" : "and Node do not: they would");
			continue;
		}
		char *cs = lint_show(l, cv->key, cv->klen, cv->val, cv->vlen);
		char *ds = dv ? lint_show(l, cv->key, cv->klen, dv->val,
		    dv->vlen) : xstrdup("(not set)");
		char *ns = nv ? lint_show(l, cv->key, cv->klen, nv->val,
		    nv->vlen) : xstrdup("(not set)");
		const struct entry *e = &lf->lex.entries[ei];
		lint_report(l, lf, ei, "dialect-mismatch", SEV_WARNING,
		    e->delim ? e->val_off : e->key_off, cv->key, cv->klen, NULL,
		    "the readers disagree: docker compose sees '%s', docker "
		    "run --env-file '%s', Node '%s'", cs, docker_ok ? ds :
		    "(refuses the file)", ns);
		free(cs);
		free(ds);
		free(ns);
	}
}

static void
rule_placeholders(struct lint *l, struct lintfile *lf)
{
	const struct envmap *env = lf->env;
	if (env == NULL)
		return;
	for (size_t i = 0; i < env->n; i++) {
		const struct envvar *v = &env->v[i];
		int kind = lint_is_placeholder(v->val, v->vlen);
		if (kind == 0)
			continue;
		const struct schemavar *sv = schema_get(&l->schema, v->key,
		    v->klen);
		int serious = lint_is_secret(l, v->key, v->klen) ||
		    (sv && (sv->required || sv->llm));
		/* a template word hides nothing: show it */
		char *shown = kind == 1 ? display_text(v->val, v->vlen, 60) :
		    lint_show(l, v->key, v->klen, v->val, v->vlen);
		const char *gen = sv && sv->format ? (strcmp(sv->format,
		    "hex64") == 0 ? "openssl rand -hex 32" :
		    "openssl rand -base64 32") : NULL;
		char *hint = gen ? xasprintf("generate one: %s", gen) : NULL;
		size_t ei = lint_entry_for(lf, v->key, v->klen);
		lint_report(l, lf, ei, "placeholder-value", serious ?
		    SEV_ERROR : SEV_WARNING, lint_value_off(lf, v->key,
		    v->klen), v->key, v->klen, hint, "'%s' is a template "
		    "placeholder, not a real value", shown);
		free(shown);
		free(hint);
	}
}

void
rules_file(struct lint *l, struct lintfile *lf)
{
	for (size_t i = 0; i < lf->lex.nentries; i++) {
		rule_keys(l, lf, i);
		rule_syntax(l, lf, i);
		rule_value(l, lf, i);
	}
	rule_bytes(l, lf);
	if (!lf->is_environ)
		rule_duplicates(l, lf);
	rule_compose(l, lf);
	rule_placeholders(l, lf);
	rule_mismatch(l, lf);
}
