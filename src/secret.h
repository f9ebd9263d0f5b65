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

#endif
