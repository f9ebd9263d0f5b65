/* utf8.h - UTF-8 decoding and the character classes each .env reader uses.
 *
 * The three readers disagree on what "white space" is: Go's
 * unicode.IsSpace (compose, docker), compose-go's own isSpace, and
 * JavaScript's \s (Node dotenv). Each gets its own predicate so the
 * evaluators can say exactly what their reader says. */
#ifndef KEC_UTF8_H
#define KEC_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UNI_REPLACEMENT 0xFFFDu

struct uni_range {
	uint32_t lo, hi;
};
extern const struct uni_range uni_letter[];
extern const size_t uni_letter_len;
extern const struct uni_range uni_number[];
extern const size_t uni_number_len;

/* Decode one code point at s[0..len) as Go does: an invalid or truncated
 * sequence yields U+FFFD with *width 1. len must be > 0. */
uint32_t utf8_decode(const unsigned char *s, size_t len, size_t *width);
/* 1 when every byte of s belongs to a valid sequence (Go's utf8.Valid). */
int utf8_valid(const char *s, size_t len);
/* Offset of the first invalid byte, or len. */
size_t utf8_first_invalid(const char *s, size_t len);
/* Encode cp into out (at least 4 bytes); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);
/* Number of code points in s (an invalid byte counts as one). */
size_t utf8_count(const char *s, size_t len);

int uni_is_letter(uint32_t);	/* Go unicode.IsLetter */
int uni_is_number(uint32_t);	/* Go unicode.IsNumber */
int uni_is_space(uint32_t);	/* Go unicode.IsSpace */
int compose_is_space(uint32_t);	/* compose-go isSpace: no line feed */
int js_is_space(uint32_t);	/* ECMAScript \s and String.prototype.trim */
int js_is_line_terminator(uint32_t);
/* Characters a person cannot see or tell apart from a space. */
int uni_is_invisible(uint32_t);
int uni_is_smart_quote(uint32_t);

#endif
