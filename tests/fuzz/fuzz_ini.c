/* fuzz_ini.c - any bytes as a --catalog file over the built-in catalog,
 * then as an installer .env.example over the built-in schema. A bad
 * catalog must be refused with a message, never crash. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "schema.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* inih wants a C string */
	char *text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';

	struct catalog c;
	char *cause = NULL;
	if (catalog_load_text(&c, text, size, &cause) == 0) {
		/* exercise the lookups on what was merged */
		for (size_t i = 0; i < c.np; i++) {
			size_t l;
			int amb;
			(void)catalog_match_url(&c, c.p[i].base_url);
			(void)catalog_match_key(&c, c.p[i].id,
			    strlen(c.p[i].id), &l, &amb);
		}
		catalog_free(&c);
	} else {
		if (cause == NULL)
			abort();	/* a refusal always says why */
		free(cause);
	}

	struct schema s;
	if (schema_load_builtin(&s, &cause) != 0)
		abort();
	schema_load_example_text(&s, "fuzz.env.example", text, size);
	(void)schema_closest(&s, text, size < 64 ? size : 64);
	schema_free(&s);
	free(text);
	return 0;
}
