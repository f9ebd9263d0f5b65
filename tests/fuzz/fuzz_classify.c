/* fuzz_classify.c - a provider's answer: the first bytes choose the
 * request kind, status and transport error; then NUL-separated headers
 * (Location, Retry-After, retry-after-ms, Content-Type), then the body.
 * Also the model-list and balance parsers on the body. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
field(const char **p, const char *end)
{
	const char *z = memchr(*p, '\0', (size_t)(end - *p));
	if (z == NULL)
		return NULL;
	const char *f = *p;
	*p = z + 1;
	return *f ? f : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	char *copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	const char *p = copy + 4, *end = copy + size;

	struct http_result r;
	memset(&r, 0, sizeof r);
	r.kind = (enum probe_kind)(data[0] % 3);
	r.status = (long)((data[1] << 8 | data[2]) % 700);
	r.transport = (enum transport)(data[3] % (T_OTHER + 1));
	r.location = field(&p, end);
	r.retry_after = field(&p, end);
	r.retry_after_ms = field(&p, end);
	r.content_type = field(&p, end);
	r.detail = field(&p, end);
	r.body = p;
	r.body_len = (size_t)(end - p);

	struct classified c;
	classify(&r, 1764201600L, &c);
	if (c.v >= V_COUNT || c.message == NULL)
		abort();
	classified_free(&c);

	struct model_entry *m;
	long n = parse_model_list(r.body, r.body_len, &m);
	if (n >= 0)
		free_model_list(m, n);
	double b;
	(void)parse_balance(r.body, r.body_len, &b);
	(void)retry_after_ms(r.retry_after, r.retry_after_ms, 1764201600L);
	free(copy);
	return 0;
}
