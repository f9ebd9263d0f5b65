/* envfile.h - the .env lexer: entries with their positions and the byte
 * oddities a person cannot see.
 *
 * This is the neutral reading the linter points into (line:column of key
 * and value, quotes, inline comments); what a value *means* is the job of
 * dialect.c, which follows each real reader exactly. Lines end at '\n';
 * there is no line-length limit. */
#ifndef KEC_ENVFILE_H
#define KEC_ENVFILE_H

#include <stddef.h>
#include <stdint.h>

#include "textpos.h"

enum quote_kind { QUOTE_NONE, QUOTE_SINGLE, QUOTE_DOUBLE, QUOTE_BACKTICK };

/* Offsets and lengths are 32-bit: every file read is capped at
 * READ_FILE_MAX (16 MiB, util.h) and envfile_lex reads at most
 * ENVFILE_MAX bytes, so they fit; an entry of 72 bytes rather than 176
 * is a third of the memory of a file of short lines. ENTRY_NONE marks a
 * hash_off or comment_off that is not there. Lines and columns are
 * textpos_at's: envfile_line, envfile_end_line. */
#define ENTRY_NONE	UINT32_MAX
#define ENVFILE_MAX	(UINT32_MAX - 1)

struct entry {
	uint32_t val_len;	/* the value as written, from val_off:
				 * quotes included, inline comment and
				 * line end excluded */
	uint32_t trail_ws;	/* blank bytes ending an unquoted value */
	uint32_t comment_off;	/* where compose cuts (" #"), or
				 * ENTRY_NONE */
	uint32_t start;		/* first non-blank byte of the entry */
	uint32_t key_off, key_len;
	uint32_t delim_off;
	uint32_t val_off;
	uint32_t inner_off, inner_len;	/* inside the quotes */
	uint32_t after_off, after_len;	/* after the closing quote */
	uint32_t hash_off;	/* first '#' after the value start, or
				 * ENTRY_NONE */
	uint32_t end;		/* offset of the entry's last line end */
	char	 delim;		/* '=', ':' or 0 for a bare KEY line */
	unsigned char quote;	/* enum quote_kind */
	unsigned char export_prefix;	/* "export " before the key */
	unsigned char space_before;	/* blanks between key and delimiter */
	unsigned char space_after;	/* blanks between delimiter and value */
	unsigned char unterminated;	/* opening quote never closed */
	unsigned char crlf;	/* its line ends "\r\n" */
};

enum finding_kind {
	FIND_BOM,		/* U+FEFF at the start of the file */
	FIND_CR,		/* '\r' (line ending or stray) */
	FIND_NUL,
	FIND_INVALID_UTF8,
	FIND_CONTROL,		/* other C0/C1 control characters */
	FIND_SPACE,		/* non-ASCII space: NBSP, U+3000, ... */
	FIND_INVISIBLE,		/* zero-width, bidi, BOM inside the file */
	FIND_SMART_QUOTE,
	FIND_KIND_COUNT
};

struct finding {
	enum finding_kind kind;
	size_t	 off;
	uint32_t cp;		/* the character, or the byte when invalid */
	unsigned line, col;
	size_t	 entry;		/* index into entries, or SIZE_MAX */
	int	 in_key;	/* inside the key rather than the value */
};

/* A comment "# kodus-envcheck: ignore RULE[,RULE]" */
struct directive {
	size_t	 off;		/* of the comment */
	unsigned line;		/* the line the comment is on */
	int	 own_line;	/* a comment line (applies to the next) */
	char	*rules;		/* comma list, as written */
};

struct envfile {
	const char	*data;
	size_t		 len;
	struct entry	*entries;
	size_t		 nentries, centries;
	struct finding	*findings;	/* at most one per kind per line */
	size_t		 nfindings, cfindings;
	struct directive *directives;
	size_t		 ndirectives, cdirectives;
	size_t		 ncrlf;		/* lines ending "\r\n" */
	struct textpos	 tp;
};

/* Lex data (not copied: it must outlive the envfile); past ENVFILE_MAX
 * bytes, only the first ENVFILE_MAX. */
void envfile_lex(struct envfile *, const char *data, size_t len);
void envfile_free(struct envfile *);
/* The entry containing offset off, or SIZE_MAX. */
size_t envfile_entry_at(const struct envfile *, size_t off);
/* The line of the entry's key, and of its last line end (the last line
 * of a quoted value that spans lines). */
unsigned envfile_line(struct envfile *, const struct entry *);
unsigned envfile_end_line(struct envfile *, const struct entry *);
/* Where a comment starts in an unquoted value v[0..n), for a reader that
 * takes a '#' right after one of the bytes of before as one: docker
 * compose after a space only (" "; so after a tab, "\t", the comment is
 * part of its value), a program given the raw text after either (" \t").
 * Returns the offset of that '#', n if none. With keep, *keep is where the
 * value ends without the blanks (spaces, tabs) before it (n if none). */
size_t envfile_comment_at(const char *v, size_t n, const char *before,
    size_t *keep);
/* Is rule id silenced on line by a directive (same line or above)? */
int envfile_ignored(const struct envfile *, unsigned line, const char *rule);

#endif
