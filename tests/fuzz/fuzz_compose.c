/* fuzz_compose.c - any bytes as a compose file: the bounded YAML tree,
 * interpolation of every value, and the services' environment:,
 * env_file:, profiles: and image: as the model reads them. A bad file
 * must be refused with a message, never crash or hang. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "compose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cause = NULL;
	if (compose_parse_text("fuzz.yaml", (const char *)data, size,
	    &cause) != 0) {
		if (cause == NULL)
			abort();	/* a refusal always says why */
		free(cause);
	}
	return 0;
}
