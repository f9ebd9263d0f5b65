/* textpos.h - byte offsets to 1-based line and column.
 *
 * Lines end at '\n' (a lone '\r' is not a line break for any of the
 * readers but Node). Columns count characters, not bytes; an invalid
 * byte counts as one, and a leading byte order mark is not counted. */
#ifndef KEC_TEXTPOS_H
#define KEC_TEXTPOS_H

#include <stddef.h>
#include <stdint.h>

/* Offsets are 32-bit (every file read is at most READ_FILE_MAX, 16 MiB):
 * past UINT32_MAX bytes only the text before counts. */
struct textpos {
	const char	*data;
	size_t		 len;
	uint32_t	*starts;	/* offsets of line starts, built lazily
					 * at their exact count */
	size_t		 nlines;
	size_t		 last;		/* the line found last: the lexer
					 * asks in order */
};

void textpos_init(struct textpos *, const char *data, size_t len);
void textpos_at(struct textpos *, size_t off, unsigned *line, unsigned *col);
/* Offset of the start of line (1-based); len when past the end. */
size_t textpos_line_start(struct textpos *, unsigned line);
void textpos_free(struct textpos *);

#endif
