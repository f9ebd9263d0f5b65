/* inifile.h - the tool's own INI files (catalog, schema), read with inih.
 *
 * Debian's inih r55 reads lines into a 200-byte buffer and silently
 * parses the rest of a longer line as a line of its own; it also stops at
 * a NUL byte. So the text is checked first and such files are refused
 * with their line and column. Entries keep their line numbers (inih does
 * not give them to the handler: the reader counts them). */
#ifndef KEC_INIFILE_H
#define KEC_INIFILE_H

#include <stddef.h>

#define INIFILE_MAX_LINE 198	/* characters before the newline */

struct ini_entry {
	char	*section;
	char	*name;
	char	*value;
	unsigned line;
};

struct ini_doc {
	char		 *source;	/* file name, or "built-in ..." */
	struct ini_entry *e;
	size_t		  n;
};

/* Parse text (NUL-terminated, len bytes) named source. Returns 0, or -1
 * with *cause = "SOURCE:LINE:COL: what" (caller frees). */
int ini_load_text(const char *source, const char *text, size_t len,
    struct ini_doc *, char **cause);
int ini_load_file(const char *path, struct ini_doc *, char **cause);
void ini_doc_free(struct ini_doc *);

#endif
