/* tap.h - a minimal TAP producer for the C unit tests. */
#ifndef KEC_TAP_H
#define KEC_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 4, 5))) static int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return pass;
}

/* Compare a byte string with an expected C string literal. */
__attribute__((unused)) static int
tap_is_bytes(const char *got, size_t glen, const char *want, size_t wlen,
    const char *what)
{
	int pass = glen == wlen && memcmp(got, want, glen) == 0;
	tap_ok(pass, __FILE__, __LINE__, "%s", what);
	if (!pass) {
		printf("#   got:  '");
		for (size_t i = 0; i < glen; i++)
			printf((unsigned char)got[i] < 0x20 ? "\\x%02x" : "%c",
			    (unsigned char)got[i]);
		printf("'\n#   want: '");
		for (size_t i = 0; i < wlen; i++)
			printf((unsigned char)want[i] < 0x20 ? "\\x%02x" : "%c",
			    (unsigned char)want[i]);
		printf("'\n");
	}
	return pass;
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
