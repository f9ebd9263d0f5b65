/* fuzz_env.c - any bytes as a .env: the lexer, the four readers, compose
 * v2's project .env reading, every offline rule for every --for, and all
 * three report formats. Nothing may crash, leak, or
 * trip UBSan, and no input may take a second. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "envfile.h"
#include "lint.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;

	for (int k = 0; k < DIALECT_COUNT; k++) {
		struct dialect_result r;
		dialect_eval((enum dialect)k, d, size, NULL, NULL, &r);
		dialect_result_free(&r);
	}

	struct lintopts o;
	memset(&o, 0, sizeof o);
	o.today = "2026-11-27";
	o.no_auto_schema = 1;
	o.target = (enum dialect)(size > 0 ? data[0] % DIALECT_COUNT : 0);
	struct lint l;
	char *cause = NULL;
	if (lint_init(&l, &o, &cause) != 0)
		abort();
	lint_add_text(&l, "fuzz.env", d, size);
	lint_add_text(&l, "dir/.env", d, size);
	if (lint_run(&l, &cause) != 0)
		abort();
	struct buf out;
	buf_init(&out);
	for (int f = REPORT_TEXT; f <= REPORT_GITHUB; f++)
		report_write(&out, &l, NULL, (enum report_format)f, f == 0);
	buf_free(&out);
	lint_free(&l);
	return 0;
}
