/* secret.h - which values are secrets, and how they are shown.
 *
 * A secret is never printed whole: at most its first and last three
 * characters ("sk-…S6t"), and nothing of a value too short for that to
 * hide most of it. */
#ifndef KEC_SECRET_H
#define KEC_SECRET_H

#include <stddef.h>

/* Names ending _KEY, _SECRET, _TOKEN, _PASS, PASSWORD, _DSN, or
 * containing APIKEY (any case); quotes or blanks around the name do not
 * hide it. */
int secret_name(const char *key, size_t klen);
/* A value shaped like an API key whatever its name: a known key prefix
 * (sk-, gsk_, xai-, AIza, ...) or OpenAI's marker, then at least 16 more
 * key characters. */
int secret_value(const char *val, size_t vlen);
/* text with each key-shaped word of secret_value() masked, its length
 * in *outlen; caller frees. */
char *secret_redact(const char *text, size_t len, size_t *outlen);
/* Either of the above. */
int secret_pair(const char *key, size_t klen, const char *val, size_t vlen);
/* The display form of a secret value; caller frees. Empty stays empty. */
char *secret_mask(const char *val, size_t vlen);
/* Values shorter than this many characters are masked entirely. */
#define SECRET_MIN_SHOWN 16

/* The one path for everything printed. The values the run holds as
 * secret are remembered (secret_remember); secret_hide then replaces,
 * in any text:
 *   - each remembered value, wherever it occurs, by its mask;
 *   - in each URL (scheme "://" up to a blank or a quote): a userinfo
 *     password (a userinfo without one, whole), every query value and the
 *     fragment, by "***";
 *   - each key-shaped word (secret_value) by its mask.
 * secret_show does the same and escapes what a terminal or a JSON reader
 * must not get raw: tab, CR and LF as \t, \r, \n, other control bytes
 * and each byte of invalid UTF-8 as \xNN, invisible characters as
 * <U+XXXX> (display_text); its result is valid UTF-8 with no control
 * byte. */
/* Values shorter than this are not remembered: a word that short would
 * mask ordinary text. */
#define SECRET_MIN_MATCH 6
/* At most this many distinct values are remembered (the first ones). */
#define SECRET_MAX_REMEMBERED 4096
void secret_remember(const char *val, size_t vlen);
/* Forget (and wipe) every remembered value. */
void secret_forget_all(void);
/* s with the secrets in it masked, its length in *outlen; caller frees. */
char *secret_hide(const char *s, size_t n, size_t *outlen);
/* secret_hide, then escaped for display; NUL-terminated, caller frees. */
char *secret_show(const char *s, size_t n);
char *secret_showz(const char *s);
/* One URL (with or without a scheme): its userinfo password, query values
 * and fragment as "***"; its length in *outlen (may be NULL); caller
 * frees. */
char *secret_url(const char *s, size_t n, size_t *outlen);

#endif
