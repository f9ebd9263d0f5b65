/* fuzz_interp.c - docker compose's interpolation alone. The input is a
 * .env text, a NUL byte, and a template: the text is read as compose
 * reads it and its values are what the template's names look up, so
 * values that double line by line, deep nesting and long runs of
 * references all reach the interpolation. Nothing may crash, trip UBSan,
 * take a second, or pass the documented limits: a value is at most
 * DIALECT_VALUE_MAX bytes, and an error past a limit says so. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	const char *nul = memchr(d, '\0', size);
	size_t el = nul ? (size_t)(nul - d) : 0;
	const char *t = nul ? nul + 1 : d;
	size_t tl = size - (size_t)(t - d);

	struct dialect_result r;
	dialect_eval(DIALECT_COMPOSE, d, el, NULL, NULL, &r);
	if (!r.ok && r.limit && strstr(r.error, "(a limit of kodus-envcheck)")
	    == NULL)
		abort();

	struct buf out;
	char *error = NULL;
	int limit = 0;
	buf_init(&out);
	int rc = dialect_compose_subst(t, tl, env_lookup_map, &r.env, &out,
	    &error, &limit);
	if (rc == 0) {
		if (error != NULL || out.len > DIALECT_VALUE_MAX)
			abort();
		/* without a '$' the template is its own value */
		if (memchr(t, '$', tl) == NULL && (out.len != tl ||
		    memcmp(out.data ? out.data : "", t, tl) != 0))
			abort();
	} else if (error == NULL || (limit && strstr(error,
	    "(a limit of kodus-envcheck)") == NULL))
		abort();
	free(error);
	buf_free(&out);
	dialect_result_free(&r);
	return 0;
}
