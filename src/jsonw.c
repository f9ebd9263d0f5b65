/* jsonw.c - exact JSON string literals. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "utf8.h"

/* Bytes copied as they are: printable ASCII but '"' and '\\'. */
static const unsigned char plain[256] = {
	[' '] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1,
	['\''] = 1, ['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1,
	['-'] = 1, ['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1,
	['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
	['9'] = 1, [':'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1,
	['?'] = 1, ['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
	['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
	['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
	['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1,
	['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1, [']'] = 1,
	['^'] = 1, ['_'] = 1, ['`'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,
	['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
	['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1,
	['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
	['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['{'] = 1,
	['|'] = 1, ['}'] = 1, ['~'] = 1, [0x7F] = 1,
};

void
json_add_string(struct buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, w;

	/* Worst case: every byte becomes a six-byte escape. Reserve once and
	 * write in place. */
	if (len > (SIZE_MAX - 2) / 6)
		abort();
	buf_reserve(b, len * 6 + 2);
	char *o = b->data + b->len;
	*o++ = '"';
	while (i < len) {
		size_t run = i;
		/* Eight bytes at a time while none needs attention: no control
		 * byte, no '"' or '\\', nothing above 0x7F. */
		while (len - run >= 8) {
			uint64_t v;
			memcpy(&v, s + run, 8);
			const uint64_t ones = 0x0101010101010101ull;
			const uint64_t high = 0x8080808080808080ull;
			uint64_t q = v ^ (ones * '"'), bs = v ^ (ones * '\\');
			uint64_t bad = ((v - ones * 0x20) | (q - ones) |
			    (bs - ones) | v) & high;
			if (bad)
				break;
			run += 8;
		}
		while (run < len && plain[u[run]])
			run++;
		if (run > i) {
			memcpy(o, s + i, run - i);
			o += run - i;
			i = run;
			continue;
		}
		unsigned char c = u[i];
		if (c >= 0x80) {
			uint32_t cp = utf8_decode(u + i, len - i, &w);
			if (cp == UNI_REPLACEMENT && w == 1) {
				memcpy(o, "\\ufffd", 6);
				o += 6;
			} else {
				memcpy(o, s + i, w);
				o += w;
			}
			i += w;
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
		i++;
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

void
json_add_stringz(struct buf *b, const char *s)
{
	json_add_string(b, s, strlen(s));
}

char *
json_quote(const char *s)
{
	struct buf b;
	buf_init(&b);
	json_add_stringz(&b, s);
	return buf_steal(&b);
}
