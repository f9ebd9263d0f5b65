/* test_util.c - masking, JSON literals, UTF-8, positions, file reading. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dialect.h"
#include "jsonw.h"
#include "secret.h"
#include "tap.h"
#include "textpos.h"
#include "utf8.h"
#include "util.h"

static void
test_secret(void)
{
	ok(secret_name("API_OPEN_AI_API_KEY", 19), "…_KEY is secret");
	ok(secret_name("API_JWT_SECRET", 14), "…_SECRET is secret");
	ok(secret_name("API_PG_DB_PASSWORD", 18), "…PASSWORD is secret");
	ok(secret_name("RABBITMQ_DEFAULT_PASS", 21), "…_PASS is secret");
	ok(secret_name("SENTRY_DSN", 10), "…_DSN is secret");
	ok(secret_name("API_OPEN_AI_APIKEY", 18), "…APIKEY is secret");
	ok(!secret_name("TOKENIZER_MODE", 14), "TOKEN prefix is not secret");
	ok(secret_name("GH_TOKEN", 8), "_TOKEN is secret");
	ok(secret_name("api_key", 7), "case-insensitive");
	ok(!secret_name("API_LLM_PROVIDER_MODEL", 22), "model is not secret");
	ok(!secret_name("KEYBOARD", 8), "KEY prefix is not secret");

	const char *k = "sk-TESTxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t";
	char *m = secret_mask(k, strlen(k));
	ok(strcmp(m, "sk-\xE2\x80\xA6S6t") == 0, "mask keeps 3+3: %s", m);
	free(m);
	m = secret_mask("short-pass", 10);
	ok(strcmp(m, "***") == 0, "short value fully masked: %s", m);
	free(m);
	m = secret_mask("", 0);
	ok(strcmp(m, "") == 0, "empty stays empty");
	free(m);
	m = secret_mask("\xC3\xA9\xC3\xA9\xC3\xA9" "0123456789abcdef", 22);
	ok(strcmp(m, "\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\xA6" "def") == 0,
	    "mask counts characters, not bytes: %s", m);
	free(m);
}

static void
test_json(void)
{
	struct buf b;
	buf_init(&b);
	json_add_string(&b, "a\"b\\c\n\t\x01\0z", 10);
	ok(strcmp(b.data, "\"a\\\"b\\\\c\\n\\t\\u0001\\u0000z\"") == 0,
	    "escapes and NUL: %s", b.data);
	buf_free(&b);
	json_add_string(&b, "\xff\xC3\xA9\xE2\x80", 5);
	ok(strcmp(b.data, "\"\\ufffd\xC3\xA9\\ufffd\\ufffd\"") == 0,
	    "invalid bytes become \\ufffd, valid UTF-8 kept: %s", b.data);
	buf_free(&b);
}

static void
test_utf8(void)
{
	size_t w;
	ok(utf8_decode((const unsigned char *)"\xC3\xA9", 2, &w) == 0xE9 &&
	    w == 2, "decode é");
	ok(utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &w) ==
	    UNI_REPLACEMENT && w == 1, "surrogate invalid");
	ok(utf8_decode((const unsigned char *)"\xC0\xAF", 2, &w) ==
	    UNI_REPLACEMENT && w == 1, "overlong invalid");
	ok(!utf8_valid("a\xF4\x90\x80\x80", 5), "above U+10FFFF invalid");
	ok(uni_is_letter(0x4E2D) && !uni_is_letter('1') && uni_is_number('1')
	    && uni_is_number(0x0661), "letter and number tables");
	ok(js_is_space(0xFEFF) && !uni_is_space(0xFEFF) &&
	    uni_is_space(0x85) && !js_is_space(0x85),
	    "JS and Go disagree on BOM and NEL");
	struct buf b;
	buf_init(&b);
	utf8_sanitize_whatwg("a\xE0\x80z\xF0\x90\x80", 7, &b);
	ok(b.len == 11 && memcmp(b.data, "a\xEF\xBF\xBD\xEF\xBF\xBDz"
	    "\xEF\xBF\xBD", 11) == 0, "WHATWG maximal subparts");
	buf_free(&b);
}

static void
test_textpos(void)
{
	struct textpos t;
	unsigned l, c;
	const char s[] = "\xEF\xBB\xBF" "ab\n\xC3\xA9x\nz";
	textpos_init(&t, s, sizeof s - 1);
	textpos_at(&t, 3, &l, &c);
	ok(l == 1 && c == 1, "BOM not counted (1:%u)", c);
	textpos_at(&t, 8, &l, &c);
	ok(l == 2 && c == 2, "columns count characters (2:%u)", c);
	textpos_at(&t, 10, &l, &c);
	ok(l == 3 && c == 1, "last line without newline");
	textpos_free(&t);
}

static void
test_read(void)
{
	struct buf b;
	char *cause = NULL;
	int r = read_file("/nonexistent/x.env", &b, &cause);
	ok(r == -1 && cause && strstr(cause, "No such file") != NULL,
	    "missing file: %s", cause ? cause : "-");
	free(cause);
	cause = NULL;
	r = read_file("/", &b, &cause);
	ok(r == -1 && cause && strstr(cause, "directory") != NULL,
	    "directory: %s", cause ? cause : "-");
	free(cause);
	cause = NULL;
	ok(read_file("/dev/null", &b, &cause) == 0 && b.len == 0 &&
	    b.data != NULL && b.data[0] == '\0', "empty special file");
	buf_free(&b);
	long v;
	ok(parse_long("15", 0, 100, &v) == 0 && v == 15, "parse_long");
	ok(parse_long("15x", 0, 100, &v) == -1 && parse_long("", 0, 9, &v)
	    == -1 && parse_long("101", 0, 100, &v) == -1, "parse_long rejects");
	double d;
	ok(parse_seconds("1.5", 60, &d) == 0 && d == 1.5, "parse_seconds");
	ok(parse_seconds("-1", 60, &d) == -1 && parse_seconds("nan", 60, &d)
	    == -1 && parse_seconds("61", 60, &d) == -1, "parse_seconds "
	    "rejects");
}

int
main(void)
{
	test_secret();
	test_json();
	test_utf8();
	test_textpos();
	test_read();
	return tap_done();
}
