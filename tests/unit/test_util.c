/* test_util.c - masking, JSON literals, UTF-8, positions, file reading,
 * the ordered map. */
#include "config.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dialect.h"
#include "envmap.h"
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

/* One byte (or sequence) in a run of 'a's, at every offset of every length
 * up to 70, after a prefix already in the buffer: the 16- and 8-byte
 * scans must stop exactly at it and copy nothing they should escape. */
static void
test_json_runs(void)
{
	static const struct {
		const char *in, *out;
	} sp[] = {
		{ "\"", "\\\"" }, { "\\", "\\\\" }, { "\n", "\\n" },
		{ "\x01", "\\u0001" }, { "\x1f", "\\u001f" }, { "\x7f", "\x7f" },
		{ "\x80", "\\ufffd" }, { "\xC3\xA9", "\xC3\xA9" }, { " ", " " },
	};
	int bad = 0, cases = 0;
	for (size_t k = 0; k < sizeof sp / sizeof sp[0]; k++) {
		size_t il = strlen(sp[k].in);
		for (size_t len = 0; len <= 70; len++) {
			for (size_t at = 0; at <= len; at++) {
				char in[80], want[200];
				memset(in, 'a', len);
				memcpy(in + at, sp[k].in, il);
				memset(in + at + il, 'a', len - at);
				int wl = snprintf(want, sizeof want,
				    "[\"%.*s%s%.*s\"", (int)at, in, sp[k].out,
				    (int)(len - at), in + at + il);
				struct buf b;
				buf_init(&b);
				buf_addc(&b, '[');
				json_add_string(&b, in, len + il);
				cases++;
				if (b.len != (size_t)wl ||
				    memcmp(b.data, want, b.len) != 0 ||
				    b.data[b.len] != '\0') {
					if (bad++ == 0)
						printf("#   got %s\n#   want %s\n",
						    b.data, want);
				}
				buf_free(&b);
			}
		}
	}
	ok(bad == 0, "JSON runs: %d of %d strings wrong", bad, cases);
}

/* The map against a plain array, with deferred assignments (keys and
 * values from reused buffers), duplicates, growth and lookups between. */
static void
test_envmap(void)
{
	enum { NKEYS = 3000, OPS = 20000 };
	static char vals[NKEYS][24];
	static int first[NKEYS], last_op[NKEYS], count[NKEYS];
	int order[NKEYS], norder = 0, bad = 0;
	struct envmap m;
	envmap_init(&m);
	unsigned seed = 12345;
	for (int i = 0; i < NKEYS; i++)
		first[i] = -1;
	for (int op = 0; op < OPS; op++) {
		seed = seed * 1103515245u + 12345u;
		int k = (int)((seed >> 8) % NKEYS);
		char key[32], val[24];
		int kl = snprintf(key, sizeof key, "KEY_%d_%.*s", k, k % 13,
		    "ABCDEFGHIJKLM");
		int vl = snprintf(val, sizeof val, "v%d", op);
		int flags = ENVMAP_COPY | (op % 7 ? ENVMAP_DEFER : 0);
		envmap_set(&m, key, (size_t)kl, val, (size_t)vl, (size_t)op,
		    flags);
		memset(key, 'x', sizeof key);	/* the map kept its own copy */
		memset(val, 'y', sizeof val);
		if (first[k] < 0) {
			first[k] = op;
			order[norder++] = k;
		}
		snprintf(vals[k], sizeof vals[k], "v%d", op);
		last_op[k] = op;
		count[k]++;
		if (op % 5 == 0) {
			/* a lookup sees every assignment made so far: often
			 * the one just made, still waiting in the queue */
			int q = op % 2 ? k : (int)((seed >> 4) % NKEYS);
			kl = snprintf(key, sizeof key, "KEY_%d_%.*s", q, q % 13,
			    "ABCDEFGHIJKLM");
			const struct envvar *v = envmap_get(&m, key,
			    (size_t)kl);
			if (first[q] < 0 ? v != NULL : v == NULL ||
			    strcmp(v->val, vals[q]) != 0)
				bad++;
		}
	}
	envmap_flush(&m);
	ok(bad == 0, "lookups between deferred assignments: %d wrong", bad);
	ok(m.n == (size_t)norder, "one entry a key: %zu of %d", m.n, norder);
	bad = 0;
	for (int i = 0; i < norder && (size_t)i < m.n; i++) {
		int k = order[i];
		const struct envvar *v = &m.v[i];
		char key[32];
		int kl = snprintf(key, sizeof key, "KEY_%d_%.*s", k, k % 13,
		    "ABCDEFGHIJKLM");
		if (v->klen != (uint32_t)kl || memcmp(v->key, key, v->klen) ||
		    strcmp(v->val, vals[k]) != 0 || v->count !=
		    (uint32_t)count[k] || v->key_off != (size_t)last_op[k])
			bad++;
	}
	ok(bad == 0, "first-assignment order, last value, count, offset: "
	    "%d wrong", bad);
	envmap_free(&m);
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
	/* every length and alignment around the 16-byte steps and the
	 * 255-round flush of the byte counters */
	static char nl[5000];
	int nbad = 0;
	for (size_t i = 0; i < sizeof nl; i++)
		nl[i] = i % 3 == 0 || i % 7 == 0 ? '\n' : (char)(i & 0xFF);
	for (size_t off = 0; off < 17; off++)
		for (size_t n = 0; off + n <= sizeof nl; n += n < 100 ? 1 : 97) {
			size_t want = 0;
			for (size_t i = 0; i < n; i++)
				want += nl[off + i] == '\n';
			nbad += count_newlines(nl + off, n) != want;
		}
	memset(nl, '\n', sizeof nl);
	nbad += count_newlines(nl, sizeof nl) != sizeof nl;
	ok(nbad == 0, "count_newlines: %d lengths wrong", nbad);
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

/* parseFloat as JavaScript reads API_LLM_TEMPERATURE_OVERRIDE: the
 * expected values are what node prints for parseFloat(s). */
static void
pf(const char *s, size_t used, double want)
{
	double d = -12345;
	size_t n = js_parse_float(s, strlen(s), &d);
	if (used == 0)
		ok(n == 0, "parseFloat('%s') is NaN (read %zu)", s, n);
	else
		ok(n == used && (d == want || (isinf(d) && isinf(want) &&
		    (d > 0) == (want > 0))), "parseFloat('%s') = %g reading "
		    "%zu bytes (got %g, %zu)", s, want, used, d, n);
}

static void
test_parse_float(void)
{
	pf("1", 1, 1);
	pf("1.0", 3, 1);
	pf("1e0", 3, 1);
	pf("1abc", 1, 1);
	pf("0.6", 3, 0.6);
	pf(".5", 2, 0.5);
	pf("5.", 2, 5);
	pf("-0.25", 5, -0.25);
	pf("+2", 2, 2);
	pf("1E+1", 4, 10);
	pf("1e-1", 4, 0.1);
	pf("1e", 1, 1);		/* no exponent digits: the 'e' is not read */
	pf("1e+", 1, 1);
	pf("1.5.3", 3, 1.5);
	pf("0x10", 1, 0);	/* no hex in parseFloat */
	pf("  \t1", 4, 1);
	pf("\xC2\xA0" "1", 3, 1);	/* U+00A0 is white space */
	pf("\xE2\x80\x83" "7", 4, 7);	/* U+2003 em space */
	pf("\xEF\xBB\xBF" "3", 4, 3);	/* U+FEFF */
	pf("\xE2\x80\x8B" "1", 0, 0);	/* U+200B is not */
	pf("Infinity", 8, HUGE_VAL);
	pf("-Infinityx", 9, -HUGE_VAL);
	pf("infinity", 0, 0);
	pf("inf", 0, 0);
	pf("NaN", 0, 0);
	pf("", 0, 0);
	pf("one", 0, 0);
	pf("abc", 0, 0);
	pf(".", 0, 0);
	pf("-", 0, 0);
	pf("+.e1", 0, 0);
	pf("e5", 0, 0);
	pf("1,5", 1, 1);
	pf("00012", 5, 12);
	pf("1_000", 1, 1);
}

/* utc_date against gmtime_r and strftime, on leap days, century ends,
 * and every day's last second for 130 years. */
static void
test_utc_date(void)
{
	static const struct {
		long long t;
		const char *want;
	} fixed[] = {
		{ 0, "1970-01-01" }, { 86399, "1970-01-01" },
		{ 86400, "1970-01-02" }, { 951782400, "2000-02-29" },
		{ 951868800, "2000-03-01" }, { 1796066385, "2026-11-30" },
		{ 4107456000LL, "2100-02-28" }, { 4107542400LL, "2100-03-01" },
		{ 253402300799LL, "9999-12-31" },
		{ -1, "1970-01-01" }, { 253402300800LL, "1970-01-01" },
	};
	char got[11];
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		utc_date((time_t)fixed[i].t, got);
		ok(strcmp(got, fixed[i].want) == 0, "utc_date(%lld) = %s "
		    "(got %s)", fixed[i].t, fixed[i].want, got);
	}
	int bad = 0;
	for (long long t = 86399; t < 4102444800LL && bad < 3;
	    t += 86400) {
		struct tm tm;
		char want[16];
		time_t tt = (time_t)t;
		gmtime_r(&tt, &tm);
		strftime(want, sizeof want, "%Y-%m-%d", &tm);
		utc_date(tt, got);
		if (strcmp(got, want) != 0) {
			bad++;
			printf("# %lld: %s, gmtime %s\n", t, got, want);
		}
	}
	ok(bad == 0, "utc_date = gmtime_r for the last second of every day "
	    "1970-2099");
}

int
main(void)
{
	test_utc_date();
	test_parse_float();
	test_secret();
	test_json();
	test_json_runs();
	test_envmap();
	test_utf8();
	test_textpos();
	test_read();
	return tap_done();
}
