/* utf8.c - decoding and character classes. */
#include "config.h"

#include <string.h>

#include "utf8.h"

uint32_t
utf8_decode(const unsigned char *s, size_t len, size_t *width)
{
	unsigned char c = s[0];
	uint32_t cp, min;
	size_t n;

	*width = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else
		return UNI_REPLACEMENT;
	if (len < n)
		return UNI_REPLACEMENT;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return UNI_REPLACEMENT;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return UNI_REPLACEMENT;
	*width = n;
	return cp;
}

size_t
utf8_first_invalid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, w;

	while (i < len) {
		if (u[i] < 0x80) {
			/* ASCII eight bytes at a time */
			uint64_t x;
			while (len - i >= 8 && (memcpy(&x, u + i, 8),
			    (x & 0x8080808080808080ull) == 0))
				i += 8;
			while (i < len && u[i] < 0x80)
				i++;
			continue;
		}
		if (utf8_decode(u + i, len - i, &w) == UNI_REPLACEMENT &&
		    w == 1)
			return i;
		i += w;
	}
	return len;
}

int
utf8_valid(const char *s, size_t len)
{
	return utf8_first_invalid(s, len) == len;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		cp = UNI_REPLACEMENT;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return utf8_encode(UNI_REPLACEMENT, out);
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
utf8_count(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n = 0, w;

	while (i < len) {
		if (u[i] < 0x80)
			i++;
		else {
			utf8_decode(u + i, len - i, &w);
			i += w;
		}
		n++;
	}
	return n;
}

static int
in_ranges(const struct uni_range *r, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int
uni_is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	return in_ranges(uni_letter, uni_letter_len, cp);
}

int
uni_is_number(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= '0' && cp <= '9';
	return in_ranges(uni_number, uni_number_len, cp);
}

int
uni_is_space(uint32_t cp)
{
	switch (cp) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return 1;
	}
	return cp >= 0x2000 && cp <= 0x200A;
}

int
compose_is_space(uint32_t cp)
{
	switch (cp) {
	case '\t': case '\v': case '\f': case '\r': case ' ': case 0x85:
	case 0xA0:
		return 1;
	}
	return 0;
}

int
js_is_line_terminator(uint32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029;
}

int
js_is_space(uint32_t cp)
{
	switch (cp) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F:
	case 0x205F: case 0x3000: case 0xFEFF:
		return 1;
	}
	return cp >= 0x2000 && cp <= 0x200A;
}

int
uni_is_invisible(uint32_t cp)
{
	switch (cp) {
	case 0xA0: case 0xAD: case 0x34F: case 0x61C: case 0x115F:
	case 0x1160: case 0x1680: case 0x180E: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000: case 0x3164: case 0xFEFF:
	case 0xFFA0: case 0x85:
		return 1;
	}
	return (cp >= 0x2000 && cp <= 0x200F) ||	/* spaces, ZW*, marks */
	    (cp >= 0x202A && cp <= 0x202E) ||		/* bidi embeddings */
	    (cp >= 0x2060 && cp <= 0x206F) ||		/* joiners, isolates */
	    (cp >= 0xFE00 && cp <= 0xFE0F) ||		/* variation selectors */
	    (cp >= 0xE0000 && cp <= 0xE007F);		/* tags */
}

int
uni_is_smart_quote(uint32_t cp)
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B:
	case 0x201C: case 0x201D: case 0x201E: case 0x201F:
	case 0x00AB: case 0x00BB: case 0x2039: case 0x203A:
	case 0x2032: case 0x2033: case 0xFF02: case 0xFF07:
	case 0x300C: case 0x300D: case 0x301D: case 0x301E:
		return 1;
	}
	return 0;
}
