/* test_dialect.c - the three readers on hand-picked inputs, and the
 * lexer's entries and byte findings. The corpus under ../shared is the
 * wider judge (tests/conformance.sh); these pin the cases the linter
 * relies on and run without it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "envfile.h"
#include "tap.h"

static const char *fake_env[][2] = {
	{ "HOST_ONLY", "from-host" },
	{ "EMPTY", "" },
	{ NULL, NULL }
};

static int
fake_lookup(void *ctx, const char *name, size_t n, const char **v,
    size_t *vl)
{
	(void)ctx;
	for (int i = 0; fake_env[i][0] != NULL; i++) {
		if (strlen(fake_env[i][0]) == n &&
		    memcmp(fake_env[i][0], name, n) == 0) {
			*v = fake_env[i][1];
			*vl = strlen(*v);
			return 1;
		}
	}
	return 0;
}

/* value of key under dialect d for input s (NULL when absent) */
static void
check(enum dialect d, const char *in, size_t inlen, const char *key,
    const char *want, size_t wlen, const char *what)
{
	struct dialect_result r;
	dialect_eval(d, in, inlen, fake_lookup, NULL, &r);
	if (!r.ok) {
		ok(0, "%s [%s]: refused: %s", what, dialect_name(d), r.error);
		dialect_result_free(&r);
		return;
	}
	struct envvar *v = envmap_getz(&r.env, key);
	char label[200];
	snprintf(label, sizeof label, "%s [%s]", what, dialect_name(d));
	if (want == NULL)
		ok(v == NULL, "%s: key absent", label);
	else if (v == NULL)
		ok(0, "%s: key missing", label);
	else
		tap_is_bytes(v->val, v->vlen, want, wlen, label);
	dialect_result_free(&r);
}

static size_t
slen(const char *s)
{
	return s ? strlen(s) : 0;
}

#define CHECK(d, in, key, want, what) \
	check(d, in, sizeof(in) - 1, key, want, slen(want), what)

static void
refused(enum dialect d, const char *in, size_t off, const char *what)
{
	struct dialect_result r;
	dialect_eval(d, in, strlen(in), fake_lookup, NULL, &r);
	ok(!r.ok && r.error != NULL, "%s [%s] refused (%s)", what,
	    dialect_name(d), r.error ? r.error : "accepted");
	if (off != (size_t)-1)
		ok(!r.ok && r.err_off == off, "%s: error at byte %zu (got %zu)",
		    what, off, r.err_off);
	dialect_result_free(&r);
}

static void
test_compose(void)
{
	enum dialect C = DIALECT_COMPOSE;
	CHECK(C, "A=x # c\n", "A", "x", "inline comment after space cut");
	CHECK(C, "A=x\t# c\n", "A", "x\t# c", "tab before # is not a comment");
	CHECK(C, "A=a#b\n", "A", "a#b", "# without a space is kept");
	CHECK(C, "A=v  \n", "A", "v", "trailing blanks trimmed");
	CHECK(C, "A=v\xC2\xA0\n", "A", "v", "trailing NBSP trimmed");
	CHECK(C, "A=\"v \"\n", "A", "v ", "blank inside double quotes kept");
	CHECK(C, "A='it\\'s'\n", "A", "it's", "\\' inside single quotes");
	CHECK(C, "A=\"l1\\nl2\"\n", "A", "l1\nl2", "\\n decoded in \"\"");
	CHECK(C, "A='l1\\nl2'\n", "A", "l1\\nl2", "\\n literal in ''");
	CHECK(C, "A=\"\\0101\"\n", "A", "A", "octal escape");
	CHECK(C, "A=\"\\0351\"\n", "A", "\xC3\xA9", "octal above 127 is a rune");
	CHECK(C, "A=\"\\09\"\n", "A", "\\09", "short octal kept");
	CHECK(C, "export A=1\n", "A", "1", "export prefix");
	CHECK(C, "A: 1\n", "A", "1", "yaml-style colon");
	CHECK(C, "B=x\nA=${B}y\n", "A", "xy", "braced reference");
	CHECK(C, "B=x\nA=$B.y\n", "A", "x.y", "named reference stops at .");
	CHECK(C, "A=${B:-d}\n", "A", "d", ":- default when unset");
	CHECK(C, "A=${EMPTY:-d}\n", "A", "d", ":- default when empty");
	CHECK(C, "A=${EMPTY-d}\n", "A", "", "- keeps an empty value");
	CHECK(C, "A=${HOST_ONLY:+set}\n", "A", "set", ":+ when set");
	CHECK(C, "A=${NOPE:+set}\n", "A", "", ":+ when unset");
	CHECK(C, "A=${HOST_ONLY}\n", "A", "from-host", "process env first");
	CHECK(C, "HOST_ONLY=file\nA=${HOST_ONLY}\n", "A", "from-host",
	    "process env wins over earlier key");
	CHECK(C, "A=$$B\n", "A", "$B", "$$ escape");
	CHECK(C, "A=\"\\$B\"\n", "A", "$B", "\\$ in double quotes");
	CHECK(C, "A='$B'\n", "A", "$B", "no interpolation in ''");
	CHECK(C, "A=${B:-x}${C:-y}\n", "A", "xy", "two defaults in a row");
	CHECK(C, "A=${B:-${C:-z}}\n", "A", "z", "nested default");
	CHECK(C, "A=50$\n", "A", "50$", "lone $ at the end");
	CHECK(C, "A=$1\n", "A", "$1", "$ before a digit");
	CHECK(C, "A=\"x\" B=2\n", "B", "2", "text after closing quote is read");
	CHECK(C, "HOST_ONLY\n", "HOST_ONLY", "from-host", "bare key inherits");
	CHECK(C, "NOT_SET\n", "NOT_SET", NULL, "bare key unset: absent");
	CHECK(C, "\xEF\xBB\xBF" "A=1\n", "A", "1", "BOM dropped");
	CHECK(C, "A=1\r\n", "A", "1", "CRLF");
	check(C, "A=a\0b\n", 6, "A", "a\0b", 3, "NUL byte inside a value");
	CHECK(C, "A=\xff\xfe\n", "A", "\xff\xfe", "invalid UTF-8 kept");

	refused(C, "A=\"abc\nB=2\n", 2, "unterminated double quote");
	refused(C, "A='x\n", 2, "unterminated single quote");
	refused(C, "MY KEY=1\n", 0, "space in key");
	refused(C, "A=${B\n", 2, "unterminated ${");
	refused(C, "A=${B.C}\n", 2, "dot in ${}");
	refused(C, "A=${B:?must be set}\n", 2, ":? unset");
	refused(C, "A=${EMPTY:?empty}\n", 2, ":? empty");
	refused(C, "'A'=1\n", 0, "quote in key");
	refused(C, "A\xff=1\n", 1, "invalid UTF-8 in key");
	refused(C, "export ", (size_t)-1, "export and nothing else");

	struct dialect_result r;
	const char in[] = "A=${NOPE}\nB=\"$ALSO_NOPE\"\nC=${D:-x}\n";
	dialect_eval(C, in, sizeof in - 1, fake_lookup, NULL, &r);
	ok(r.ok && r.nrefs == 2, "two unresolved references (got %zu)",
	    r.nrefs);
	ok(r.nrefs == 2 && strcmp(r.refs[0].name, "NOPE") == 0 &&
	    r.refs[0].off == 2 && strcmp(r.refs[1].name, "ALSO_NOPE") == 0,
	    "references named with their value offsets");
	dialect_result_free(&r);
}

static void
test_docker(void)
{
	enum dialect D = DIALECT_DOCKER;
	CHECK(D, "A=\"x\"\n", "A", "\"x\"", "quotes kept");
	CHECK(D, "A=x # c\n", "A", "x # c", "comment kept");
	CHECK(D, "A=v  \n", "A", "v  ", "no trimming");
	CHECK(D, "A=1\r\n", "A", "1", "CR before LF dropped");
	CHECK(D, "A=1\r", "A", "1\r"[0] ? "1" : "", "final CR dropped");
	CHECK(D, "  A=1\n", "A", "1", "leading blanks skipped");
	CHECK(D, "HOST_ONLY\n", "HOST_ONLY", "from-host", "bare key inherits");
	CHECK(D, "A=${B}\n", "A", "${B}", "no interpolation");
	refused(D, "export A=1\n", 0, "export");
	refused(D, "A =1\n", 0, "space before =");
	refused(D, "=1\n", 0, "empty name");
	refused(D, "A=\xff\n", 2, "invalid UTF-8");

	/* bufio.Scanner: 65535 bytes plus newline fit, 65536 do not */
	size_t n = 65536;
	char *big = malloc(n + 2);
	memset(big, 'x', n + 2);
	memcpy(big, "A=", 2);
	big[n - 1] = '\n';
	struct dialect_result r;
	dialect_eval(D, big, n, NULL, NULL, &r);
	ok(r.ok, "line of 65535 bytes + newline accepted");
	dialect_result_free(&r);
	big[n - 1] = 'x';
	big[n] = '\n';
	dialect_eval(D, big, n + 1, NULL, NULL, &r);
	ok(!r.ok, "line of 65536 bytes + newline refused");
	dialect_result_free(&r);
	free(big);
}

static void
test_node(void)
{
	enum dialect N = DIALECT_NODE;
	CHECK(N, "A=a#b\n", "A", "a", "# anywhere starts a comment");
	CHECK(N, "A=`x`\n", "A", "x", "backticks stripped");
	CHECK(N, "A=\"a\\tb\"\n", "A", "a\\tb", "only \\n and \\r decoded");
	CHECK(N, "A=\"a\\nb\"\n", "A", "a\nb", "\\n decoded");
	CHECK(N, "A=${B}\n", "A", "${B}", "no interpolation");
	CHECK(N, "A:1\n", "A", NULL, "colon needs a space");
	CHECK(N, "A: 1\n", "A", "1", "colon and space");
	CHECK(N, "A=1\rB=2\r", "B", "2", "lone CR is a line break");
	CHECK(N, "__proto__=x\n", "__proto__", NULL, "__proto__ ignored");
	CHECK(N, "A=\"x\" B=2\n", "A", "\"x\" B=2", "junk after quote");
	CHECK(N, "A=\xff\n", "A", "\xEF\xBF\xBD", "invalid UTF-8 replaced");
	CHECK(N, "A=\xF0\x9F\x98\n", "A", "\xEF\xBF\xBD",
	    "one U+FFFD for a truncated sequence");
	CHECK(N, "MY KEY=1\nB=2\n", "B", "2", "bad lines dropped silently");
}

static void
test_lexer(void)
{
	struct envfile f;
	const char in[] =
	    "\xEF\xBB\xBF# top\n"
	    "export A = \"q v\"  # note\n"
	    "B=plain value  # c\n"
	    "C\n"
	    "D='multi\nline'\n"
	    "E=v\xC2\xA0\r\n"
	    "K\xE2\x80\x8BY=x\n"
	    "F=\xE2\x80\x9Csmart\xE2\x80\x9D # kodus-envcheck: ignore smart-quotes\n";
	envfile_lex(&f, in, sizeof in - 1);
	ok(f.nentries == 7, "7 entries (got %zu)", f.nentries);
	const struct entry *e = &f.entries[0];
	unsigned kl, kc;
	textpos_at(&f.tp, e->key_off, &kl, &kc);
	ok(e->export_prefix && kl == 2 && kc == 8 &&
	    envfile_line(&f, e) == 2, "export entry: key at 2:8 (got %u:%u)",
	    kl, kc);
	ok(e->space_before && e->space_after && e->delim == '=',
	    "spaces around =");
	unsigned vl, vc;
	textpos_at(&f.tp, e->val_off, &vl, &vc);
	ok(e->quote == QUOTE_DOUBLE && e->inner_len == 3 && vc == 12,
	    "double-quoted value at col 12 (got %u)", vc);
	ok(e->comment_off != ENTRY_NONE, "comment after the quote");
	e = &f.entries[1];
	ok(e->quote == QUOTE_NONE && e->trail_ws == 0 &&
	    e->val_len == 11, "unquoted: comment and the blanks before it "
	    "cut (val_len %u, trail %u)", e->val_len, e->trail_ws);
	e = &f.entries[2];
	ok(e->delim == 0 && e->key_len == 1, "bare key");
	e = &f.entries[3];
	ok(e->quote == QUOTE_SINGLE && envfile_line(&f, e) == 5 &&
	    envfile_end_line(&f, e) == 6,
	    "quoted value spans lines 5-6");
	e = &f.entries[4];
	ok(e->trail_ws == 2 && e->crlf, "NBSP counts as trailing; CRLF");
	int kinds[FIND_KIND_COUNT] = { 0 };
	for (size_t i = 0; i < f.nfindings; i++)
		kinds[f.findings[i].kind]++;
	ok(kinds[FIND_BOM] == 1 && kinds[FIND_CR] == 1 &&
	    kinds[FIND_SPACE] == 1 && kinds[FIND_INVISIBLE] == 1 &&
	    kinds[FIND_SMART_QUOTE] == 1, "byte findings: BOM, CR, NBSP, "
	    "zero-width, smart quote");
	for (size_t i = 0; i < f.nfindings; i++) {
		const struct finding *x = &f.findings[i];
		if (x->kind == FIND_INVISIBLE)
			ok(x->in_key && x->line == 8 && x->col == 2,
			    "zero-width space in the key at 8:2 (got %u:%u)",
			    x->line, x->col);
	}
	ok(envfile_ignored(&f, 9, "smart-quotes") &&
	    !envfile_ignored(&f, 9, "crlf") &&
	    !envfile_ignored(&f, 8, "smart-quotes"),
	    "inline ignore directive applies to its line and rule only");
	envfile_free(&f);

	const char in2[] = "# kodus-envcheck: ignore crlf,bom\nA=1\nB=2\n";
	envfile_lex(&f, in2, sizeof in2 - 1);
	ok(envfile_ignored(&f, 2, "bom") && envfile_ignored(&f, 2, "crlf") &&
	    !envfile_ignored(&f, 3, "bom"),
	    "comment-line directive applies to the next line");
	envfile_free(&f);
}

int
main(void)
{
	test_compose();
	test_docker();
	test_node();
	test_lexer();
	return tap_done();
}
