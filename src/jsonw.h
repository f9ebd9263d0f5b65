/* jsonw.h - JSON string literals for arbitrary bytes.
 *
 * cJSON works on NUL-terminated strings; .env values can hold NUL and
 * invalid UTF-8. These helpers write an exact JSON literal: NUL and other
 * control characters as \u escapes, each invalid byte as \ufffd (what Go's
 * encoding/json does); and one helper for cJSON objects. */
#ifndef KEC_JSONW_H
#define KEC_JSONW_H

#include <stddef.h>

#include "util.h"

void json_add_string(struct buf *, const char *s, size_t len);
void json_add_stringz(struct buf *, const char *s);
/* s as a JSON string literal (caller frees). */
char *json_quote(const char *s);

/* A string member of a cJSON object, through the one output path
 * (secret_showz: secrets masked, control bytes escaped), or null for
 * NULL (cJSON owns what it is given). */
struct cJSON;
void json_add_str_or_null(struct cJSON *, const char *key, const char *v);

#endif
