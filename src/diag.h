/* diag.h - findings: the rule registry and the diagnostic list.
 *
 * Severity policy, for every rule (written out in kodus-envcheck(1),
 * RULES): error = Kodus, as installed by the official docker compose
 * path, certainly fails with this, or the reader the file is checked for
 * (check --for, docker compose by default) refuses the file; warning = it
 * fails under another reader the user targets, or very likely fails;
 * info = harmless, or advice. A file rule's severity follows what the
 * target reader does (rules_file.c, target_sev). */
#ifndef KEC_DIAG_H
#define KEC_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

/* Every rule, from rules.def: R_TRAILING_WHITESPACE, ... */
enum rule_id {
#define RULE(name, id, group, live, summary) R_##name,
#include "rules.def"
#undef RULE
	RULE_COUNT
};

struct rule {
	const char	*id;
	const char	*group;		/* file, kodus, llm, live */
	const char	*summary;
	int		 no_verdict;	/* the provider gave no usable answer:
					 * an error of it is not about the
					 * configuration (exit status 3) */
};

/* Indexed by enum rule_id, in the order of `kodus-envcheck rules`. */
extern const struct rule rule_table[RULE_COUNT];
extern const size_t rule_count;
/* A rule named by the user (--ignore, an ignore comment): 0 and *out, or
 * -1 when no rule has that id. */
int rule_find(const char *id, size_t len, enum rule_id *out);
const char *rule_name(enum rule_id);
int rule_no_verdict(enum rule_id);
const char *severity_name(enum severity);

/* A finding is kept compact (64 bytes, and only the variable parts of its
 * message): the message is its printf format (a literal, alive for the
 * whole run) and the text each conversion made, packed in the list's
 * strings; diag_message puts it together when it is printed. A finding
 * about a file line of three bytes cost 300 bytes with its message
 * written out. */
struct diag {
	const char	*fmt;		/* NULL: args is the message itself */
	const char	*args;
	const char	*file;		/* NULL: not about one file */
	const char	*key;		/* NULL: not about one variable */
	const char	*hint;		/* NULL: no hint */
	unsigned	 line, col;	/* 0: no single place */
	unsigned	 seq;		/* order of addition, for stable sort */
	uint32_t	 file_index;	/* DIAG_NO_FILE: none */
	unsigned char	 rid;		/* enum rule_id */
	unsigned char	 sev;		/* enum severity */
};
#define DIAG_NO_FILE UINT32_MAX

/* The strings of the findings live in blocks owned by the list (not one
 * allocation each), freed by diaglist_free; a dropped finding's strings
 * stay until then. A hint or key the same as the one before is kept
 * once. */
struct diaglist {
	struct diag	*v;
	size_t		 n;
	size_t		 cap;
	struct strarena	 strings;
	const char	*last_file;	/* the copy of the last file name */
	const char	*last_key;
	const char	*last_hint[RULE_COUNT];
	struct buf	 pack;		/* scratch for diag_vaddf */
};

/* Adds a diagnostic; strings are copied into the list (key of klen bytes,
 * shown escaped when it holds control or invalid bytes). file_index
 * (size_t)-1: none. diag_vaddf keeps fmt itself (a string literal) and
 * what its conversions make of ap. */
void diag_add(struct diaglist *, enum rule_id, enum severity,
    const char *file, size_t file_index, unsigned line, unsigned col,
    const char *key, size_t klen, const char *hint, const char *message);
void diag_vaddf(struct diaglist *, enum rule_id, enum severity,
    const char *file, size_t file_index, unsigned line, unsigned col,
    const char *key, size_t klen, const char *hint, const char *fmt,
    va_list ap) KEC_PRINTF(11, 0);
/* The message of d: d's own text, or made in scratch (valid until its
 * next use). */
const char *diag_message(const struct diag *d, struct buf *scratch);
void diag_sort(struct diaglist *);
void diaglist_free(struct diaglist *);
void diag_count(const struct diaglist *, size_t *errors, size_t *warnings,
    size_t *infos);

/* A printable copy of s: control characters, invalid UTF-8 and invisible
 * characters as \xNN or U+XXXX; at most max characters (then "…"). */
char *display_text(const char *s, size_t n, size_t max);

#endif
