/* test_readers.c - why each reader refuses a file: the error kind the
 * rules go by (bad-interpolation looks at DIALECT_ERR_BAD_REF and
 * DIALECT_ERR_REQUIRED, not at the words of the message), the message
 * and its offset; the line reading docker run and kubectl share; and
 * where each reader sees an unquoted value's comment start. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "envfile.h"
#include "tap.h"

static void
refuses(enum dialect d, const char *in, size_t len, enum dialect_error kind,
    const char *msg, size_t off, const char *what)
{
	struct dialect_result r;
	dialect_eval(d, in, len, NULL, NULL, &r);
	ok(!r.ok && r.err_kind == kind, "%s [%s]: kind %d (want %d)", what,
	    dialect_name(d), (int)r.err_kind, (int)kind);
	ok(r.error != NULL && strcmp(r.error, msg) == 0, "%s [%s]: '%s'",
	    what, dialect_name(d), r.error ? r.error : "(none)");
	ok(r.err_off == off, "%s [%s]: offset %zu (want %zu)", what,
	    dialect_name(d), r.err_off, off);
	dialect_result_free(&r);
}

#define REFUSES(d, s, kind, msg, off, what) \
	refuses(d, s, sizeof s - 1, kind, msg, off, what)

/* Read without an error, n keys, one of them key=want. */
static void
reads(enum dialect d, const char *in, size_t len, size_t n, const char *key,
    const char *want, const char *what)
{
	struct dialect_result r;
	dialect_eval(d, in, len, NULL, NULL, &r);
	ok(r.ok && r.err_kind == DIALECT_ERR_NONE && r.error == NULL,
	    "%s [%s]: read", what, dialect_name(d));
	ok(r.env.n == n, "%s [%s]: %zu keys (want %zu)", what,
	    dialect_name(d), r.env.n, n);
	struct envvar *v = r.ok ? envmap_getz(&r.env, key) : NULL;
	ok(v != NULL && v->vlen == strlen(want) &&
	    memcmp(v->val, want, v->vlen) == 0, "%s [%s]: %s", what,
	    dialect_name(d), key);
	dialect_result_free(&r);
}

#define READS(d, s, n, key, want, what) \
	reads(d, s, sizeof s - 1, n, key, want, what)

static void
comment_at(const char *v, const char *before, size_t want, size_t want_keep)
{
	size_t keep = 999, n = strlen(v);
	size_t h = envfile_comment_at(v, n, before, &keep);
	ok(h == want && keep == want_keep, "comment in '%s' after '%s': %zu, "
	    "keep %zu (want %zu, %zu)", v, before[0] == '\t' ? "\\t" :
	    before, h, keep, want, want_keep);
	ok(envfile_comment_at(v, n, before, NULL) == want, "without keep");
}

int
main(void)
{
	/* compose cuts at " #" only; the raw value at either blank */
	comment_at("a #b", " ", 2, 1);
	comment_at("a\t#b", " ", 4, 4);
	comment_at("a\t#b", "\t", 2, 1);
	comment_at("a b\t\t#c #d", "\t", 5, 3);
	comment_at("a \t #b", " \t", 4, 1);
	comment_at("#b", " \t", 2, 2);
	comment_at("a#b c", " ", 5, 5);
	comment_at("", " ", 0, 0);

	/* compose: the kinds bad-interpolation depends on */
	REFUSES(DIALECT_COMPOSE, "A=${B\n", DIALECT_ERR_BAD_REF,
	    "invalid variable reference \"${\": docker compose refuses the "
	    "file", 2, "unclosed ${");
	REFUSES(DIALECT_COMPOSE, "A=1\nC=\"${}\"\n", DIALECT_ERR_BAD_REF,
	    "invalid variable reference \"${\": docker compose refuses the "
	    "file", 6, "empty ${} in double quotes");
	REFUSES(DIALECT_COMPOSE, "A=x\nC=${B:?must be set}\n",
	    DIALECT_ERR_REQUIRED, "required variable B is missing a value: "
	    "must be set", 6, "${B:?msg}");
	REFUSES(DIALECT_COMPOSE, "A=${B?}\n", DIALECT_ERR_REQUIRED,
	    "required variable B is missing a value", 2, "${B?}");
	/* compose: refusals that are not about a reference */
	REFUSES(DIALECT_COMPOSE, "A=\"x\n", DIALECT_ERR_REFUSED,
	    "unterminated quoted value: no closing \"", 2, "open quote");
	REFUSES(DIALECT_COMPOSE, "A B=1\n", DIALECT_ERR_REFUSED,
	    "variable name contains a space", 0, "space in the name");
	REFUSES(DIALECT_COMPOSE, "A@=1\n", DIALECT_ERR_REFUSED,
	    "unexpected character '@' in variable name", 1, "'@' in the name");
	REFUSES(DIALECT_COMPOSE, "export ", DIALECT_ERR_REFUSED,
	    "\"export\" with no variable after it", 0, "bare export");
	/* compose: a limit of this program, not a refusal */
	{
		struct buf b;
		buf_init(&b);
		buf_addstr(&b, "A=");
		for (int i = 0; i < 40; i++)
			buf_addstr(&b, "${X:-");
		buf_addc(&b, 'v');
		for (int i = 0; i < 40; i++)
			buf_addc(&b, '}');
		buf_addc(&b, '\n');
		struct dialect_result r;
		dialect_eval(DIALECT_COMPOSE, b.data, b.len, NULL, NULL, &r);
		ok(!r.ok && r.limit && r.err_kind == DIALECT_ERR_LIMIT,
		    "nesting past the limit: kind limit");
		ok(r.error != NULL && strcmp(r.error, "A: variable references "
		    "nested more than 32 deep (a limit of kodus-envcheck)") == 0,
		    "nesting past the limit: '%s'", r.error ? r.error : "");
		dialect_result_free(&r);
		buf_free(&b);
	}
	READS(DIALECT_COMPOSE, "A=${B:-x}\n", 1, "A", "x", "a default");

	/* docker run and kubectl: the shared line reading */
	REFUSES(DIALECT_DOCKER, "A=1\n\xff=2\n", DIALECT_ERR_REFUSED,
	    "invalid UTF-8: docker run --env-file refuses the file", 4,
	    "invalid UTF-8");
	REFUSES(DIALECT_KUBECTL, "A=1\n\xff=2\n", DIALECT_ERR_REFUSED,
	    "invalid UTF-8 on line 2: kubectl refuses the file", 4,
	    "invalid UTF-8");
	REFUSES(DIALECT_DOCKER, "A=1\nB=\xc3\n", DIALECT_ERR_REFUSED,
	    "invalid UTF-8: docker run --env-file refuses the file", 6,
	    "invalid UTF-8 in a value");
	REFUSES(DIALECT_DOCKER, "A B=1\n", DIALECT_ERR_REFUSED,
	    "variable name contains white space: docker run --env-file "
	    "refuses the file", 0, "space in the name");
	REFUSES(DIALECT_DOCKER, " \t=1\n", DIALECT_ERR_REFUSED,
	    "no variable name before '='", 2, "no name after blanks");
	REFUSES(DIALECT_KUBECTL, "A=1\n  A=2\n", DIALECT_ERR_REFUSED,
	    "A is set twice: kubectl refuses the file", 6, "set twice");
	/* a byte order mark is dropped on the first line only */
	READS(DIALECT_DOCKER, "\xEF\xBB\xBF" "A=1\r\n", 1, "A", "1",
	    "BOM, CRLF");
	READS(DIALECT_KUBECTL, "\xEF\xBB\xBF" "A=1\r\n", 1, "A", "1",
	    "BOM, CRLF");
	REFUSES(DIALECT_KUBECTL, "A=1\n\xEF\xBB\xBF" "B=2\n",
	    DIALECT_ERR_REFUSED, "'<U+FEFF>B' is not a name kubectl "
	    "takes ([-._a-zA-Z][-._a-zA-Z0-9]*, at most 253 characters): "
	    "kubectl refuses the file", 4, "BOM on line 2");
	READS(DIALECT_DOCKER, "\t \xC2\xA0" "A=1\n# c\n", 1, "A", "1",
	    "leading white space, NBSP included");
	/* a line over 64 KiB, newline included: docker run refuses the
	 * file, kubectl stops reading; 64 KiB itself is read */
	for (size_t len = 65536; len <= 65537; len++) {
		size_t n = 4 + len;
		char *s = malloc(n);
		memcpy(s, "A=1\nB=", 6);
		memset(s + 6, 'x', n - 7);
		s[n - 1] = '\n';
		if (len == 65536) {
			reads(DIALECT_DOCKER, s, n, 2, "A", "1", "64 KiB line");
			reads(DIALECT_KUBECTL, s, n, 2, "A", "1", "64 KiB line");
		} else {
			refuses(DIALECT_DOCKER, s, n, DIALECT_ERR_REFUSED,
			    "line longer than 64 KiB: docker run --env-file "
			    "stops reading (bufio: token too long)", 4,
			    "line over 64 KiB");
			reads(DIALECT_KUBECTL, s, n, 1, "A", "1",
			    "line over 64 KiB");
		}
		free(s);
	}
	return tap_done();
}
