/* report.h - findings as text (colour on a TTY, never with NO_COLOR),
 * JSON, or GitHub Actions annotations. Values in messages are already
 * masked by the rules; the report adds nothing secret. */
#ifndef KEC_REPORT_H
#define KEC_REPORT_H

#include "lint.h"
#include "live.h"
#include "util.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_GITHUB, REPORT_SARIF,
    REPORT_PROMETHEUS };

int report_format_from_name(const char *, enum report_format *);
/* Should text output use colour on standard output? */
int report_want_color(void);
struct cJSON;
/* Flags of report_write: colour (text only); quiet: in text, the findings
 * alone, no live table nor summary line. */
enum { REPORT_COLOR = 1, REPORT_QUIET = 2 };
/* live: the live check's results, or NULL when it was not run
 * (--offline). */
void report_write(struct buf *out, const struct lint *, const struct live *,
    enum report_format, int flags);
/* SARIF 2.1.0 (report_sarif.c). */
void report_sarif(struct buf *out, const struct lint *);

/* report_prom.c too: a probe's phases in the text table and in JSON */
void report_timing_text(struct buf *, const struct probe_timing *);
void report_timing_json(struct cJSON *, const struct probe_timing *);

/* report_prom.c: the Prometheus text exposition format, for
 * node_exporter's textfile collector. Holds no key, masked or not, and
 * no URL: provider ids, rule ids, probe names, numbers. now: the run's
 * time (seconds since the epoch); status: the run's exit status. */
void report_prom_write(struct buf *out, const struct lint *,
    const struct live *, int status, long long now);

/* check --output (outfile.c): the report written to path atomically.
 * report_file_open creates a temporary file beside path and makes b
 * stream into it (struct buf's sink); report_file_commit writes the rest
 * of b, fsyncs, renames over path and fsyncs the directory. On failure
 * path is as it was, no temporary file stays, and -1 is returned with
 * *cause. */
struct report_file {
	struct buf_sink	 sink;		/* first: b's sink */
	struct buf	*b;
	const char	*path;
	char		*dir, *tmp;
	int		 fd;
	int		 err;		/* the first error, and what failed */
	const char	*what;
};
int report_file_open(struct report_file *, const char *path, struct buf *b,
    char **cause);
int report_file_commit(struct report_file *, char **cause);

#endif
