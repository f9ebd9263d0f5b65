/* jsonw.h - JSON string literals for arbitrary bytes.
 *
 * cJSON works on NUL-terminated strings; .env values can hold NUL and
 * invalid UTF-8. These helpers write an exact JSON literal: NUL and other
 * control characters as \u escapes, each invalid byte as \ufffd (what Go's
 * encoding/json does). */
#ifndef KEC_JSONW_H
#define KEC_JSONW_H

#include <stddef.h>

#include "util.h"

void json_add_string(struct buf *, const char *s, size_t len);
void json_add_stringz(struct buf *, const char *s);
/* s as a JSON string literal (caller frees). */
char *json_quote(const char *s);

#endif
