/* jsonw.c - exact JSON string literals. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <cJSON.h>

#include "jsonw.h"
#include "secret.h"
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
		/* Copy ahead while no byte needs attention (a control byte,
		 * '"', '\\', anything above 0x7F), then step back to the first
		 * that does: the room reserved for escapes makes the
		 * over-copy safe. */
#ifdef __SSE2__
		while (len - i >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)
			    (const void *)(s + i));
			/* signed: below 0x20 takes the bytes from 0x80 too */
			__m128i bad = _mm_or_si128(_mm_or_si128(
			    _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
			_mm_storeu_si128((__m128i *)(void *)o, v);
			unsigned m = (unsigned)_mm_movemask_epi8(bad);
			size_t k = m ? (size_t)__builtin_ctz(m) : 16;
			o += k;
			i += k;
			if (m)
				break;
		}
#endif
		while (len - i >= 8) {
			uint64_t v;
			memcpy(&v, s + i, 8);
			const uint64_t ones = 0x0101010101010101ull;
			const uint64_t high = 0x8080808080808080ull;
			uint64_t q = v ^ (ones * '"'), bs = v ^ (ones * '\\');
			/* exact for the lowest flagged byte, the first in
			 * memory: a borrow only climbs from a flagged byte */
			uint64_t bad = ((v - ones * 0x20) | (q - ones) |
			    (bs - ones) | v) & high;
			memcpy(o, &v, 8);
			size_t k = bad ? (size_t)__builtin_ctzll(bad) / 8 : 8;
			o += k;
			i += k;
			if (bad)
				break;
		}
		while (i < len && plain[u[i]])
			*o++ = s[i++];
		if (i == len)
			break;
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

void
json_add_str_or_null(cJSON *o, const char *k, const char *v)
{
	if (v != NULL) {
		char *m = secret_showz(v);
		cJSON_AddStringToObject(o, k, m);
		free(m);
	} else
		cJSON_AddNullToObject(o, k);
}
