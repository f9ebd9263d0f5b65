/* rules_file.c - what the bytes of one .env do to its four readers.
 *
 * Each rule names the readers that disagree: the failures people hit
 * ("trailing spaces", "quotes in the value") are exactly those places
 * where docker compose, docker run --env-file, kubectl --from-env-file
 * and Node read one file four ways. The severity follows what the reader
 * the file is checked for (check --for, docker compose by default) does:
 * see target_sev. */
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
	const struct dialect_result *r = lint_reading(lf, d);
	if (lf->is_environ || !r->ok)
		return NULL;
	return envmap_get(&r->env, key, klen);
}

/* What a reader does with the thing a finding is about. */
enum fx {
	FX_SAME,	/* reads it as meant */
	FX_DIFFERS,	/* a wrong value, or drops the line */
	FX_REFUSES	/* refuses the whole file */
};

#define QUIET 1		/* nothing to say when the target reads it as meant */

/* The policy of diag.h, from what each reader does (indexed by enum
 * dialect): the target reader refuses the file: error; it gets a wrong
 * value: error under docker compose (Kodus as installed fails), warning
 * under another target; it reads the line as meant but another reader
 * does not: info, or nothing with QUIET. -1: nothing to say. */
static int
target_sev(const struct lint *l, const enum fx fx[DIALECT_COUNT], int quiet)
{
	enum dialect t = l->opt.target;
	if (fx[t] == FX_REFUSES)
		return SEV_ERROR;
	if (fx[t] == FX_DIFFERS)
		return t == DIALECT_COMPOSE ? SEV_ERROR : SEV_WARNING;
	if (quiet)
		return -1;
	for (int d = 0; d < DIALECT_COUNT; d++)
		if (fx[d] != FX_SAME)
			return SEV_INFO;
	return -1;
}

/* Report at sev, or (sev < 0) only mark the entry as handled. */
#define REPORT(sev, ...) do {						\
	if ((sev) >= 0)							\
		lint_report(l, lf, i, __VA_ARGS__);			\
	else								\
		lint_mark(lf, i);					\
} while (0)

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

/* Does docker compose take this name? Letters and digits of any script,
 * '_', '.', '-', '[' and ']'. */
static int
compose_name_ok(const char *k, size_t n)
{
	size_t i = 0, w;
	while (i < n) {
		uint32_t cp = utf8_decode((const unsigned char *)k + i, n - i,
		    &w);
		if (!(cp == '_' || cp == '.' || cp == '-' || cp == '[' ||
		    cp == ']' || uni_is_letter(cp) || uni_is_number(cp)))
			return 0;
		i += w;
	}
	return 1;
}

/* Does Node dotenv read a line with this name? ([\w.-]+) */
static int
node_name_ok(const char *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]) && k[i] != '_' &&
		    k[i] != '.' && k[i] != '-')
			return 0;
	return n > 0;
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
	if (t == n) {
		/* what other white space (a CR) the caller saw there */
		snprintf(what, wn, "white space");
		return 0;
	}
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
	const struct entry *e = lint_entry(lf, i);
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
			lint_report(l, lf, i, R_LOWERCASE_KEY, SEV_WARNING,
			    e->key_off, k, kl, NULL, "names are case-sensitive: "
			    "Kodus reads %s", up);
		return;
	}
	if (kl == 0) {
		lint_report(l, lf, i, R_INVALID_KEY, SEV_ERROR, e->start, k, 0,
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
		enum fx fx[DIALECT_COUNT];
		fx[DIALECT_COMPOSE] = compose_name_ok(k, kl) ? FX_SAME :
		    FX_REFUSES;
		fx[DIALECT_DOCKER] = space ? FX_REFUSES : FX_SAME;
		fx[DIALECT_KUBECTL] = kubectl_name_ok(k, kl) ? FX_SAME :
		    FX_REFUSES;
		fx[DIALECT_NODE] = node_name_ok(k, kl) ? FX_SAME : FX_DIFFERS;
		int sev = target_sev(l, fx, 0);
		if (space)
			REPORT(sev, R_INVALID_KEY, sev, e->key_off, k, kl,
			    NULL, "'%s' has white space in the name: docker "
			    "compose, docker run and kubectl refuse the file, "
			    "Node drops the line", shown);
		else if (quote) {
			fx[DIALECT_DOCKER] = FX_DIFFERS;
			sev = target_sev(l, fx, 0);
			REPORT(sev, R_INVALID_KEY, sev, e->key_off, k, kl,
			    NULL, "quotes around or in the name '%s': docker "
			    "compose and kubectl refuse the file, docker run "
			    "keeps them in the name", shown);
		} else {
			/* who refuses it, who drops it */
			char who[160] = "";
			static const char *const by[DIALECT_COUNT] = {
				"docker compose refuses the file",
				NULL,
				"Node drops the line",
				"kubectl refuses the file"
			};
			for (int d = 0; d < DIALECT_COUNT; d++) {
				if (fx[d] == FX_SAME || by[d] == NULL)
					continue;
				if (who[0] != '\0')
					strcat(who, ", ");
				strcat(who, by[d]);
			}
			/* an unusual script in a name is a lookalike more
			 * often than not */
			if (nonascii && sev < SEV_WARNING)
				sev = SEV_WARNING;
			if (sev < 0)
				sev = SEV_INFO;
			REPORT(sev, R_INVALID_KEY, sev, e->key_off, k, kl,
			    NULL, "'%s' is not a valid environment variable "
			    "name ([A-Za-z_][A-Za-z0-9_]*)%s: %s", shown,
			    nonascii ? ", it has non-ASCII characters" : "",
			    who[0] ? who : "every reader takes it, but no "
			    "shell and no Kodus variable uses such a name");
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
		lint_report(l, lf, i, R_LOWERCASE_KEY, SEV_WARNING, e->key_off,
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
	const struct entry *e = lint_entry(lf, i);
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
		lint_report(l, lf, i, R_QUOTED_VALUE, SEV_ERROR, vs, k, kl,
		    hint, "the value the program gets includes the quotes: %s",
		    shown);
		free(shown);
		free(hint);
	}
	size_t keep, j = envfile_comment_at(v, n, " \t", &keep);
	if (j < n) {
		char *hint = lint_hint_line(l, k, kl, v, keep);
		char *shown = lint_show(l, k, kl, v, n);
		lint_report(l, lf, i, R_INLINE_COMMENT, SEV_ERROR, vs + j, k,
		    kl, hint, "the value the program gets ends in a comment: "
		    "%s", shown);
		free(shown);
		free(hint);
	}
	size_t tw = trailing_ws(v, n, what, sizeof what);
	size_t lw = leading_ws(v, n);
	if (tw > 0 || lw > 0) {
		size_t a = lw < n ? lw : n;
		size_t b = n - (tw < n - a ? tw : n - a);
		char *hint = lint_hint_line(l, k, kl, v + a, b - a);
		lint_report(l, lf, i, R_TRAILING_WHITESPACE, SEV_ERROR, vs, k,
		    kl, hint, "the value the program gets %s %s",
		    tw > 0 ? "ends in" : "starts with", tw > 0 ? what :
		    "white space");
		free(hint);
	}
}

static void
rule_syntax(struct lint *l, struct lintfile *lf, size_t i)
{
	const struct entry *e = lint_entry(lf, i);
	const char *d = lf->data.data;
	const char *k = key_of(lf, e);
	size_t kl = e->key_len;

	if (lf->is_environ)
		return;

	/* the line as every reader takes it: no export, NAME=value; made
	 * only for an entry one of the rules below reports (most are not) */
	int said = e->export_prefix || e->delim == ':' || e->space_before ||
	    (e->space_after && e->quote == QUOTE_NONE && e->val_len > 0);
	char *line = said && e->delim && !e->unterminated ?
	    lint_hint_line(l, k, kl, d + e->val_off, e->val_len -
	    e->trail_ws) : NULL;
	int sev;
	if (e->export_prefix) {
		static const enum fx fx[DIALECT_COUNT] = {
			FX_SAME, FX_REFUSES, FX_SAME, FX_REFUSES
		};
		sev = target_sev(l, fx, 0);
		REPORT(sev, R_EXPORT_PREFIX, sev, e->start, k, kl, line,
		    "'export' before the name: docker run --env-file and "
		    "kubectl refuse the whole file (docker compose and Node "
		    "drop the word)");
	}
	if (e->delim == ':') {
		enum fx fx[DIALECT_COUNT] = {
			FX_SAME, FX_DIFFERS, FX_SAME, FX_REFUSES
		};
		if (e->space_after)
			fx[DIALECT_DOCKER] = FX_REFUSES;
		else
			fx[DIALECT_NODE] = FX_DIFFERS;
		sev = target_sev(l, fx, 0);
		REPORT(sev, R_SPACES_AROUND_EQUALS, sev, e->delim_off, k, kl,
		    line, "':' instead of '=': docker compose %s it, "
		    "kubectl refuses the file, docker run --env-file %s",
		    e->space_after ? "and Node accept" : "accepts",
		    e->space_after ?
		    "refuses the file" : "and Node drop the line");
	} else if (e->space_before) {
		static const enum fx fx[DIALECT_COUNT] = {
			FX_SAME, FX_REFUSES, FX_SAME, FX_REFUSES
		};
		sev = target_sev(l, fx, 0);
		REPORT(sev, R_SPACES_AROUND_EQUALS, sev, e->delim_off, k, kl,
		    line, "white space before '=': docker run --env-file and "
		    "kubectl refuse the whole file (docker compose and Node "
		    "drop it)");
	} else if (e->space_after && e->quote == QUOTE_NONE && e->val_len > 0) {
		static const enum fx fx[DIALECT_COUNT] = {
			FX_SAME, FX_DIFFERS, FX_SAME, FX_DIFFERS
		};
		sev = target_sev(l, fx, 0);
		REPORT(sev, R_SPACES_AROUND_EQUALS, sev, e->delim_off, k, kl,
		    line, "white space after '=': docker run --env-file and "
		    "kubectl keep it at the start of the value (docker "
		    "compose and Node drop it)");
	}
	free(line);
	if (e->delim == ':')
		return;
	if (e->unterminated && e->quote != QUOTE_BACKTICK) {
		static const enum fx fx[DIALECT_COUNT] = {
			FX_REFUSES, FX_DIFFERS, FX_DIFFERS, FX_DIFFERS
		};
		sev = target_sev(l, fx, 0);
		REPORT(sev, R_UNTERMINATED_QUOTE, sev, e->val_off, k, kl, NULL,
		    "the %s quote that opens the value is never closed: "
		    "docker compose refuses the whole file", e->quote ==
		    QUOTE_DOUBLE ? "double" : "single");
	}
}

static void
rule_value(struct lint *l, struct lintfile *lf, size_t i)
{
	const struct entry *e = lint_entry(lf, i);
	const char *d = lf->data.data;
	const char *k = key_of(lf, e);
	size_t kl = e->key_len;
	char what[96];
	int sev;

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
		size_t keep, h = envfile_comment_at(v, vl, "\t", &keep);
		const char *tabhash = h < vl ? v + h - 1 : NULL;
		if (tabhash != NULL) {
			char *hint = lint_hint_line(l, k, kl, v, keep);
			static const enum fx fx[DIALECT_COUNT] = {
				FX_DIFFERS, FX_DIFFERS, FX_SAME, FX_DIFFERS
			};
			sev = target_sev(l, fx, 0);
			REPORT(sev, R_INLINE_COMMENT, sev,
			    (size_t)(tabhash - d), k, kl, hint, "a tab before "
			    "'#' does not start a comment for docker compose "
			    "(only a space does): the comment is part of the "
			    "value for compose, docker run and kubectl");
			free(hint);
		} else if (e->comment_off != ENTRY_NONE) {
			const char *eol = memchr(d + e->comment_off, '\n',
			    lf->data.len - e->comment_off);
			size_t end = eol ? (size_t)(eol - d) : lf->data.len;
			if (end > e->val_off && d[end - 1] == '\r')
				end--;
			char *docker = lint_show(l, k, kl, v, end - e->val_off);
			char *hint = lint_hint_line(l, k, kl, v, vl);
			static const enum fx fx[DIALECT_COUNT] = {
				FX_SAME, FX_DIFFERS, FX_SAME, FX_DIFFERS
			};
			sev = target_sev(l, fx, 0);
			REPORT(sev, R_INLINE_COMMENT, sev, e->comment_off, k,
			    kl, hint, "docker run --env-file and kubectl keep "
			    "the comment in the value: they see '%s' (docker "
			    "compose and Node cut it); put the comment on its "
			    "own line", docker);
			free(docker);
			free(hint);
		} else if (e->trail_ws > 0) {
			trailing_ws(v, vl, what, sizeof what);
			char *hint = lint_hint_line(l, k, kl, v,
			    vl - e->trail_ws);
			static const enum fx fx[DIALECT_COUNT] = {
				FX_SAME, FX_DIFFERS, FX_SAME, FX_DIFFERS
			};
			sev = target_sev(l, fx, 0);
			REPORT(sev, R_TRAILING_WHITESPACE, sev,
			    e->val_off + vl - e->trail_ws, k, kl, hint,
			    "%s after the value: docker run --env-file and "
			    "kubectl keep %s in the value (docker compose and "
			    "Node trim %s)", what,
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
		static const enum fx fx[DIALECT_COUNT] = {
			FX_DIFFERS, FX_DIFFERS, FX_DIFFERS, FX_DIFFERS
		};
		sev = target_sev(l, fx, 0);
		REPORT(sev, R_TRAILING_WHITESPACE, sev,
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
		static const enum fx fx[DIALECT_COUNT] = {
			FX_DIFFERS, FX_DIFFERS, FX_SAME, FX_DIFFERS
		};
		sev = target_sev(l, fx, 0);
		REPORT(sev, R_QUOTED_VALUE, sev, e->val_off, k, kl, NULL,
		    "backquotes are quotes only to Node: docker compose, "
		    "docker run and kubectl keep them in the value (%s)", seen);
	} else {
		/* quotes are docker compose's own syntax: a word only when
		 * the file is for a reader that keeps them */
		static const enum fx fx[DIALECT_COUNT] = {
			FX_SAME, FX_DIFFERS, FX_SAME, FX_DIFFERS
		};
		sev = target_sev(l, fx, QUIET);
		char *hint = sev >= 0 && safe_unquoted(in, il) ?
		    lint_hint_line(l, k, kl, in, il) : NULL;
		REPORT(sev, R_QUOTED_VALUE, sev, e->val_off, k, kl, hint,
		    "docker run --env-file and kubectl keep the quotes: they "
		    "see '%s'%s", seen, hint ? "" : " (keep them only if "
		    "docker compose is the only reader)");
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
			lint_report(l, lf, NONE, R_BOM, SEV_INFO, 0, NULL, 0,
			    NULL, "the file starts with a UTF-8 byte order "
			    "mark: docker compose, docker run, kubectl and Node "
			    "drop it, but a shell or systemd reads the first "
			    "name with it");
			continue;
		}
		if (x->kind == FIND_CR) {
			if (lf->is_environ) {
				const struct entry *ce = x->entry != NONE ?
				    lint_entry(lf, x->entry) : NULL;
				lint_report(l, lf, x->entry, R_CRLF, SEV_ERROR,
				    x->off, ce ? key_of(lf, ce) : NULL,
				    ce ? ce->key_len : 0, NULL, "a carriage "
				    "return in the value the program gets (the "
				    "file it came from has Windows line endings)");
				continue;
			}
			if (x->off + 1 < lf->data.len && d[x->off + 1] == '\n')
				continue;	/* CRLF: reported once below */
			lint_report(l, lf, x->entry, R_CRLF, SEV_ERROR, x->off,
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
		const struct entry *e = lint_entry(lf, x->entry);
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
			lint_report(l, lf, x->entry, R_SMART_QUOTES, SEV_ERROR,
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
			lint_report(l, lf, x->entry, R_INVISIBLE_CHARACTER,
			    SEV_ERROR, x->off, k, kl, NULL, "%s in the %s: "
			    "docker run --env-file refuses the file", what,
			    where);
		else if (x->kind == FIND_NUL)
			lint_report(l, lf, x->entry, R_INVISIBLE_CHARACTER,
			    SEV_ERROR, x->off, k, kl, NULL, "%s in the %s: "
			    "the program gets it cut short at the NUL", what,
			    where);
		else
			lint_report(l, lf, x->entry, R_INVISIBLE_CHARACTER,
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
		lint_report(l, lf, NONE, R_CRLF, SEV_INFO, first, NULL, 0,
		    NULL, "%zu line%s end%s in CRLF (Windows line endings): "
		    "docker compose, docker run, kubectl and Node drop the "
		    "'\\r', "
		    "but a shell sourcing the file keeps it in every value",
		    lf->lex.ncrlf, lf->lex.ncrlf > 1 ? "s" : "",
		    lf->lex.ncrlf > 1 ? "" : "s");
	}
}

static void
rule_duplicates(struct lint *l, struct lintfile *lf)
{
	/* A name's last entry (lint_entry_for) stands for the name: latest[]
	 * at that index is the entry that set it most recently in this walk.
	 * One array of the entry count, where a map of the names cost 12 MB
	 * on a 100,000-line file. */
	size_t n = lint_nentries(lf);
	uint32_t *latest = xreallocarray(NULL, n ? n : 1, sizeof *latest);
	for (size_t i = 0; i < n; i++)
		latest[i] = ENTRY_NONE;
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = lint_entry(lf, i);
		if (e->key_len == 0)
			continue;
		const char *k = key_of(lf, e);
		size_t last = lint_entry_for(lf, k, e->key_len);
		if (last >= n)
			continue;	/* cannot be: every entry is indexed */
		uint32_t prev = latest[last];
		latest[last] = (uint32_t)i;
		if (prev == ENTRY_NONE)
			continue;
		unsigned pl, pc;
		const struct entry *pe = lint_entry(lf, prev);
		textpos_at(&lf->lex.tp, pe->key_off, &pl, &pc);
		lint_report(l, lf, i, R_DUPLICATE_KEY, l->opt.target ==
		    DIALECT_KUBECTL ? SEV_ERROR : SEV_WARNING, e->key_off,
		    k, e->key_len, NULL, "%.*s is set again (first on line %u): "
		    "docker compose, docker run and Node keep only this last "
		    "value, kubectl refuses the file", (int)e->key_len, k, pl);
	}
	free(latest);
}

/* Was the reference resolved by docker compose v2 reading the file as the
 * project .env first? */
static int
resolved_by_project(const struct lintfile *lf, const struct dialect_ref *r)
{
	const struct dialect_result *c = &lf->dia[DIALECT_COMPOSE];
	if (!lf->project_env || !c->ok)
		return 0;
	for (size_t i = 0; i < c->nrefs; i++)
		if (c->refs[i].off == r->off &&
		    strcmp(c->refs[i].name, r->name) == 0)
			return 0;
	return 1;
}

/* docker compose stops at the first bad "${". Read what follows that
 * entry as compose reads a file, again and again, so each bad reference
 * is reported: at most 100 more. Only invalid references count there:
 * the rest, read alone, lacks the variables set above it. */
static void
more_bad_refs(struct lint *l, struct lintfile *lf, size_t ei,
    enum severity sev)
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
		int bad = !r.ok && r.err_kind == DIALECT_ERR_BAD_REF;
		if (bad) {
			size_t off = from + r.err_off;
			ei = envfile_entry_at(&lf->lex, off);
			const struct entry *e = ei != NONE ?
			    &lf->lex.entries[ei] : NULL;
			lint_report(l, lf, ei, R_BAD_INTERPOLATION, sev,
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
	/* every reference env_file reading leaves empty */
	const struct dialect_result *p = lf->project_env ? &lf->plain : c;
	int sev;
	if (lf->is_environ)
		return;
	if (!c->ok && (c->err_kind == DIALECT_ERR_BAD_REF ||
	    c->err_kind == DIALECT_ERR_REQUIRED)) {
		size_t ei = envfile_entry_at(&lf->lex, c->err_off);
		const struct entry *e = ei != NONE ? &lf->lex.entries[ei] :
		    NULL;
		static const enum fx fx[DIALECT_COUNT] = {
			FX_REFUSES, FX_DIFFERS, FX_DIFFERS, FX_DIFFERS
		};
		sev = target_sev(l, fx, 0);
		lint_report(l, lf, ei, R_BAD_INTERPOLATION, (enum severity)sev,
		    c->err_off, e ? key_of(lf, e) : NULL, e ? e->key_len : 0,
		    NULL, "%s", c->error);
		if (c->err_kind == DIALECT_ERR_BAD_REF)
			more_bad_refs(l, lf, ei, (enum severity)sev);
	}
	for (size_t i = 0; i < p->nrefs; i++) {
		const struct dialect_ref *r = &p->refs[i];
		size_t ei = envfile_entry_at(&lf->lex, r->off);
		const struct entry *e = ei != NONE ? &lf->lex.entries[ei] :
		    NULL;
		const char *k = e ? key_of(lf, e) : NULL;
		size_t kl = e ? e->key_len : 0;
		char *name = display_text(r->name, strlen(r->name), 60);
		int secret = k && lint_is_secret(l, k, kl);
		int later = lint_entry_for(lf, r->name, strlen(r->name)) !=
		    NONE;
		enum fx fx[DIALECT_COUNT] = {
			FX_DIFFERS, FX_DIFFERS, FX_DIFFERS, FX_DIFFERS
		};
		if (resolved_by_project(lf, r)) {
			/* the installer's layout: .env is the project's .env
			 * and every service's env_file */
			fx[DIALECT_COMPOSE] = FX_SAME;
			sev = target_sev(l, fx, 0);
			lint_report(l, lf, ei, R_UNDEFINED_REFERENCE,
			    (enum severity)sev, r->off, k, kl, NULL, "$%s is "
			    "only set further down the file: docker compose "
			    "v2 resolves it, as it reads this file as the "
			    "project .env before the env_file; docker compose "
			    "v1 and an env_file not named .env leave it empty, "
			    "docker run --env-file, kubectl and Node do not "
			    "expand it", name);
			free(name);
			continue;
		}
		sev = target_sev(l, fx, 0);
		if (later)
			lint_report(l, lf, ei, R_UNDEFINED_REFERENCE,
			    (enum severity)sev, r->off, k, kl, NULL, "$%s is "
			    "only set further down the file: docker compose "
			    "replaces it with an empty string (only docker "
			    "compose v2 reading the file as the project .env "
			    "resolves it); set %s above this line", name, name);
		else
			lint_report(l, lf, ei, R_UNDEFINED_REFERENCE,
			    (enum severity)sev, r->off, k, kl, NULL, "$%s is set "
			    "neither earlier in the file nor in the "
			    "environment: docker compose replaces it with an "
			    "empty string%s", name, secret ? "; a '$' in a "
			    "secret must be written '$$', or the value put in "
			    "single quotes" : "");
		free(name);
	}
}

static int
same_value(const struct envvar *a, const struct envvar *b)
{
	return a != NULL && b != NULL && a->vlen == b->vlen &&
	    memcmp(a->val, b->val, a->vlen) == 0;
}

/* The readers disagree on a key and no other file rule said why (lint_said:
 * lint_run calls this after rules_file of every file). What docker
 * compose reads is taken as what is meant: a warning when the file is for
 * another reader and that reader reads something else, info otherwise. */
void
rules_file_mismatch(struct lint *l, struct lintfile *lf)
{
	enum dialect t = l->opt.target;
	if (lf->is_environ)
		return;
	/* a refusal no rule above explains (a line over 64 KiB, ...) */
	for (int d = 0; d < DIALECT_COUNT; d++) {
		const struct dialect_result *r = lint_reading(lf,
		    (enum dialect)d);
		if (r->ok)
			continue;
		size_t ei = envfile_entry_at(&lf->lex, r->err_off);
		/* the reader the file is for refusing it is an error, even
		 * where an info was said about the line */
		if (ei != NONE && lint_said(lf, ei) > ((enum dialect)d == t ?
		    SEV_WARNING + 1 : 0))
			continue;
		lint_report(l, lf, ei, R_DIALECT_MISMATCH, (enum dialect)d == t
		    ? SEV_ERROR : SEV_INFO, r->err_off, NULL, 0, NULL,
		    "%s refuses the file: %s", dialect_reader((enum dialect)d),
		    r->error);
	}
	const struct dialect_result *c = lint_reading(lf, DIALECT_COMPOSE);
	if (!c->ok)
		return;
	for (size_t i = 0; i < c->env.n; i++) {
		const struct envvar *cv = &c->env.v[i];
		const struct envvar *v[DIALECT_COUNT];
		int same[DIALECT_COUNT], all = 1;
		for (int d = 0; d < DIALECT_COUNT; d++) {
			v[d] = d == DIALECT_COMPOSE ? cv : reader_value(lf,
			    (enum dialect)d, cv->key, cv->klen);
			/* a reader that refuses the file was said above */
			same[d] = (d != DIALECT_NODE && !lint_reading(lf,
			    (enum dialect)d)->ok) || same_value(v[d], cv);
			all &= same[d];
		}
		if (all)
			continue;
		size_t ei = lint_entry_for(lf, cv->key, cv->klen);
		if (ei == NONE || lint_said(lf, ei))
			continue;
		enum severity sev = t != DIALECT_COMPOSE && !same[t] ?
		    SEV_WARNING : SEV_INFO;
		const struct entry *e = lint_entry(lf, ei);
		const struct envvar *dv = v[DIALECT_DOCKER];
		if (!same[DIALECT_DOCKER] && dv && memchr(dv->val, '$',
		    dv->vlen) != NULL) {
			lint_report(l, lf, ei, R_DIALECT_MISMATCH, sev,
			    e->delim ? e->val_off : e->key_off, cv->key,
			    cv->klen, NULL, "docker compose expands the $ "
			    "references in this value; docker run --env-file"
			    "%s do not: they would pass them on literally",
			    same[DIALECT_NODE] ? " and kubectl" :
			    ", kubectl and Node");
			continue;
		}
		char *shown[DIALECT_COUNT];
		for (int d = 0; d < DIALECT_COUNT; d++)
			shown[d] = !lint_reading(lf, (enum dialect)d)->ok &&
			    d != DIALECT_NODE ?
			    xstrdup("(refuses the file)") : v[d] ?
			    lint_show(l, cv->key, cv->klen, v[d]->val,
			    v[d]->vlen) : xstrdup("(not set)");
		/* kubectl is named where it differs from docker run */
		int kube = strcmp(shown[DIALECT_KUBECTL],
		    shown[DIALECT_DOCKER]) != 0;
		lint_report(l, lf, ei, R_DIALECT_MISMATCH, sev,
		    e->delim ? e->val_off : e->key_off, cv->key, cv->klen, NULL,
		    "the readers disagree: docker compose sees '%s', docker "
		    "run --env-file '%s'%s%s%s, Node '%s'",
		    shown[DIALECT_COMPOSE], shown[DIALECT_DOCKER],
		    kube ? ", kubectl '" : "", kube ? shown[DIALECT_KUBECTL] :
		    "", kube ? "'" : "", shown[DIALECT_NODE]);
		for (int d = 0; d < DIALECT_COUNT; d++)
			free(shown[d]);
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
		lint_report(l, lf, ei, R_PLACEHOLDER_VALUE, serious ?
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
	for (size_t i = 0; i < lint_nentries(lf); i++) {
		rule_keys(l, lf, i);
		rule_syntax(l, lf, i);
		rule_value(l, lf, i);
	}
	rule_bytes(l, lf);
	if (!lf->is_environ)
		rule_duplicates(l, lf);
	rule_compose(l, lf);
	rule_placeholders(l, lf);
}
