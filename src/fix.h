/* fix.h - the safe fixes of `kodus-envcheck fix`, computed in memory.
 *
 * Only what cannot change a value the user did not mean to change:
 * trailing blanks, typographic quotes around a value, CRLF, a byte order
 * mark, legacy names; with for_docker also the quotes and inline
 * comments docker run --env-file would keep. The result is verified by
 * reading both texts as docker compose does: a key the fixes did not
 * touch must keep its value exactly, or nothing is written. */
#ifndef KEC_FIX_H
#define KEC_FIX_H

#include <stddef.h>

#include "schema.h"
#include "util.h"

struct fix_opts {
	int	 for_docker;
};

struct fix_result {
	struct buf	 out;		/* the fixed text */
	int		 changed;	/* out differs from the input */
	size_t		 count[8];	/* fixes by kind, see fix_kind_name */
	char		*refused;	/* why nothing can be fixed, or NULL */
	int		 over_limit;	/* refused: "LINE:COL: KEY: limit" */
	struct buf	 diff;		/* unified diff, secrets masked */
	char		**notes;	/* what was left alone, and why */
	size_t		 nnotes;
};

enum fix_kind {
	FIX_TRAILING, FIX_SMART_QUOTES, FIX_CRLF, FIX_BOM, FIX_LEGACY,
	FIX_UNQUOTE, FIX_COMMENT, FIX_KIND_COUNT
};
const char *fix_kind_name(enum fix_kind);

/* Plan the fixes for data (name is used in the diff headers). */
void fix_plan(const char *name, const char *data, size_t len,
    const struct schema *, const struct fix_opts *, struct fix_result *);
void fix_result_free(struct fix_result *);

#endif
