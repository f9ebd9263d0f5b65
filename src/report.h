/* report.h - findings as text (colour on a TTY, never with NO_COLOR),
 * JSON, or GitHub Actions annotations. Values in messages are already
 * masked by the rules; the report adds nothing secret. */
#ifndef KEC_REPORT_H
#define KEC_REPORT_H

#include "lint.h"
#include "live.h"
#include "util.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_GITHUB, REPORT_SARIF };

int report_format_from_name(const char *, enum report_format *);
/* Should text output use colour on standard output? */
int report_want_color(void);
/* A string member, or null for NULL (cJSON owns what it is given). */
struct cJSON;
void json_add_str_or_null(struct cJSON *, const char *key, const char *v);
/* Flags of report_write: colour (text only); quiet: in text, the findings
 * alone, no live table nor summary line. */
enum { REPORT_COLOR = 1, REPORT_QUIET = 2 };
/* live: the live check's results, or NULL when it was not run
 * (--offline). */
void report_write(struct buf *out, const struct lint *, const struct live *,
    enum report_format, int flags);
/* SARIF 2.1.0 (report_sarif.c). */
void report_sarif(struct buf *out, const struct lint *);

#endif
