/* test_diag.c - a finding keeps its format and the text of each
 * conversion; the message made when printed must be the bytes vsnprintf
 * makes, for every conversion the rules use and the odd ones around them. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "tap.h"

static struct diaglist list;
static struct buf scratch;

/* Add a finding with fmt, and compare its message with vsnprintf's. */
__attribute__((format(printf, 2, 3))) static void
same(const char *what, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	char *want = xvasprintf(fmt, ap2);
	va_end(ap2);
	diag_vaddf(&list, R_DUPLICATE_KEY, SEV_WARNING, "f.env", 0, 1, 1,
	    NULL, 0, NULL, fmt, ap);
	va_end(ap);
	const char *got = diag_message(&list.v[list.n - 1], &scratch);
	tap_is_bytes(got, strlen(got), want, strlen(want), what);
	free(want);
}

int
main(void)
{
	char big[20001];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[300] = 'y';
	/* NULL, in a way the compiler does not see */
	const char *null = getenv("KEC_TEST_DIAG_NEVER_SET");

	same("no conversion", "a plain sentence");
	same("empty", "%s", "");
	same("%s and %%", "%s is 100%% set", "A");
	same("%.*s shorter than the string", "[%.*s]", 3, "ABCDEF");
	same("%.*s longer than the string", "[%.*s]", 30, "ABC");
	same("%.*s precision 0", "[%.*s]", 0, "ABC");
	same("%.*s negative precision: the whole string", "[%.*s]", -1,
	    "ABC");
	same("%u", "line %u, col %u", 0u, UINT_MAX);
	same("%d", "%d %d %d", INT_MIN, -1, INT_MAX);
	same("%zu", "%zu bytes", SIZE_MAX);
	same("%ld", "%ld", LONG_MIN);
	same("%g", "%g and %g", 0.1, 1e300);
	same("%.2f %.1f", "%.2f %.1f", 12.345, -0.05);
	same("%04X %02X", "U+%04X \\x%02X", 0x200Bu, 0x7u);
	same("%c", "[%c]", 'q');
	same("%5s %-5s", "[%5s][%-5s]", "ab", "cd");
	same("%*d negative width", "[%*d]", -6, 42);
	same("%*.*s", "[%*.*s]", 8, 2, "abcdef");
	same("%hhd %hu %lld %llu %jd %zd %tx", "%hhd %hu %lld %llu %jd %zd %tx",
	    (signed char)-5, (unsigned short)65535, LLONG_MIN, ULLONG_MAX,
	    (intmax_t)-7, (ptrdiff_t)-9, (ptrdiff_t)255);
	same("%+d % d %#x %#o", "%+d % d %#x %#o", 5, 5, 255u, 8u);
	same("a NULL %s", "[%s]", null);
	same("a 300-byte argument (two length bytes)", "%.*s!", 301, big);
	same("a 20,000-byte argument (three length bytes)", "<%s>", big);
	same("a %% at the end", "100%%");
	same("many conversions", "%s=%u (%s) %d%% of %zu", "KEY", 7u, "v",
	    -3, (size_t)12);

	/* a message given as text is itself */
	diag_add(&list, R_DUPLICATE_KEY, SEV_INFO, NULL, (size_t)-1, 0, 0,
	    NULL, 0, NULL, "100% %s as text");
	const struct diag *d = &list.v[list.n - 1];
	ok(d->fmt == NULL && strcmp(diag_message(d, &scratch),
	    "100% %s as text") == 0, "a text message is kept as it is");
	ok(d->file == NULL && d->file_index == DIAG_NO_FILE && d->line == 0,
	    "no file: file NULL, file_index DIAG_NO_FILE");

	/* the same hint or key as the one before is kept once */
	diag_add(&list, R_TRAILING_WHITESPACE, SEV_INFO, "f.env", 0, 2, 1,
	    "KEY", 3, "remove it", "m");
	diag_add(&list, R_TRAILING_WHITESPACE, SEV_INFO, "f.env", 0, 3, 1,
	    "KEY", 3, "remove it", "m");
	diag_add(&list, R_TRAILING_WHITESPACE, SEV_INFO, "f.env", 0, 4, 1,
	    "KEYS", 4, "remove them", "m");
	const struct diag *a = &list.v[list.n - 3], *b = &list.v[list.n - 2],
	    *c = &list.v[list.n - 1];
	ok(a->hint == b->hint && a->key == b->key && a->file == b->file,
	    "a repeated hint, key and file are one copy");
	ok(strcmp(c->hint, "remove them") == 0 && strcmp(c->key, "KEYS") == 0 &&
	    strcmp(a->hint, "remove it") == 0 && strcmp(a->key, "KEY") == 0,
	    "a different one is its own: %s, %s", c->hint, c->key);
	ok(sizeof(struct diag) <= 64, "a finding is %zu bytes",
	    sizeof(struct diag));

	diaglist_free(&list);

	/* sorting: by file, line (none last), column, then as added */
	for (int pass = 0; pass < 2; pass++) {
		struct diaglist s = { 0 };
		for (unsigned i = 0; i < 100; i++) {
			unsigned line = pass ? i + 1 : (i * 37) % 50 + 1;
			diag_add(&s, R_DUPLICATE_KEY, SEV_INFO, "f.env", 0,
			    i == 7 ? 0 : line, 1, NULL, 0, NULL,
			    i % 2 ? "odd" : "even");
		}
		diag_sort(&s);
		int sorted = 1;
		for (size_t i = 1; i + 1 < s.n; i++) {
			const struct diag *x = &s.v[i - 1], *y = &s.v[i];
			if (x->line > y->line || (x->line == y->line &&
			    x->seq > y->seq))
				sorted = 0;
		}
		ok(sorted && s.v[s.n - 1].line == 0 && s.v[s.n - 1].seq == 7,
		    "%s: sorted by line, ties as added, no line last",
		    pass ? "in order already" : "shuffled");
		diaglist_free(&s);
	}
	buf_free(&scratch);
	return tap_done();
}
