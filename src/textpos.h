/* textpos.h - byte offsets to 1-based line and column.
 *
 * Lines end at '\n' (a lone '\r' is not a line break for any of the
 * readers but Node). Columns count characters, not bytes; an invalid
 * byte counts as one, and a leading byte order mark is not counted. */
#ifndef KEC_TEXTPOS_H
#define KEC_TEXTPOS_H

#include <stddef.h>

struct textpos {
	const char	*data;
	size_t		 len;
	size_t		*starts;	/* offsets of line starts, built lazily */
	size_t		 nlines;
};

void textpos_init(struct textpos *, const char *data, size_t len);
void textpos_at(struct textpos *, size_t off, unsigned *line, unsigned *col);
/* Offset of the start of line (1-based); len when past the end. */
size_t textpos_line_start(struct textpos *, unsigned line);
void textpos_free(struct textpos *);

#endif
