/* lint.h - one check run: the files, what each reader makes of them, the
 * schema and catalog, and the findings. Rules are functions from this to
 * diagnostics (rules_file.c, rules_kodus.c, rules_llm.c); they never
 * print. */
#ifndef KEC_LINT_H
#define KEC_LINT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "diag.h"
#include "dialect.h"
#include "envfile.h"
#include "envmap.h"
#include "fixedmode.h"
#include "schema.h"
#include "util.h"

struct lintfile {
	char		*path;		/* as shown in diagnostics */
	const char	*role;		/* "api", "worker" or NULL */
	size_t		 index;
	int		 is_environ;	/* the process environment, no file */
	struct buf	 data;
	struct envfile	 lex;
	struct dialect_result dia[DIALECT_COUNT];
	/* A file named .env: dia[DIALECT_COMPOSE] is docker compose v2's
	 * reading of a project .env that is also the env_file, and plain
	 * the reading as an env_file only (compose v1, another file name). */
	int		 project_env;
	struct dialect_result plain;
	/* The values the container gets: docker compose's reading, or
	 * (when compose refuses the file) docker run's, else Node's. */
	const struct envmap *env;
	enum dialect	 env_from;
	unsigned char	*flagged;	/* per entry: 0, or a file rule fired,
					 * 1 + its highest severity */
	/* name -> the last entry that sets it: open addressing over the
	 * entries' numbers + 1 (0: empty), the names compared in the
	 * text; below 2^24 entries the high byte is a tag of the hash */
	uint32_t	*names;
	size_t		 nslots;
	size_t		 nnames;	/* distinct names */
};

struct lintopts {
	int		 strict;
	char		**ignore;	/* rule ids (validated by the caller) */
	size_t		 nignore;
	char		**catalogs;	/* extra catalog files, in order */
	size_t		 ncatalogs;
	const char	*schema_path;	/* --schema, or NULL */
	int		 no_auto_schema;
	const char	*today;		/* YYYY-MM-DD, for retirement dates */
	enum dialect	 target;	/* --for: the reader of the files */
	int		 env_file_only;	/* no project .env reading */
};

struct lint {
	struct lintopts	 opt;
	struct lintfile	*f;
	size_t		 nf;
	size_t		 primary;	/* the file whose LLM block is used */
	struct catalog	 cat;
	struct schema	 schema;
	char		*schema_note;	/* where the schema came from */
	int		 schema_auto;	/* found beside the checked file */
	struct envmap	 penv;		/* the process environment */
	struct fixedmode fm;
	struct diaglist	 diags;
	int		 have_api, have_worker;
	unsigned char	 ignored[RULE_COUNT];	/* from opt.ignore */
};

int lint_init(struct lint *, const struct lintopts *, char **cause);
/* Read and evaluate a file. Returns 0, or -1 with *cause (unreadable). */
int lint_add_file(struct lint *, const char *path, const char *role,
    char **cause);
/* A file's text from memory (tests, fuzzing). */
void lint_add_text(struct lint *, const char *name, const char *text,
    size_t len);
/* The process environment as a source named "environ". */
void lint_add_environ(struct lint *);
/* Pick the schema (.env.example beside a file, or --schema) and run
 * every rule. */
int lint_run(struct lint *, char **cause);
void lint_free(struct lint *);

/* For rules: reporting. A finding is dropped when --ignore or an ignore
 * comment at its line silences the rule; it still counts as said for its
 * entry (lint_said).
 *
 * lint_var: a finding about variable var (NUL-terminated) of lf, at the
 * value of its last assignment, whose entry it marks as handled; var NULL
 * or not assigned in lf: no single place. lint_vvar takes a va_list. */
void lint_var(struct lint *, struct lintfile *, enum rule_id,
    enum severity, const char *var, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void lint_vvar(struct lint *, struct lintfile *, enum rule_id,
    enum severity, const char *var, const char *hint, const char *fmt,
    va_list) __attribute__((format(printf, 7, 0)));
/* A finding at byte offset off of lf (SIZE_MAX: no single place) about
 * the variable key (klen bytes; NULL: none); entry is the lexer entry it
 * marks as handled (SIZE_MAX: none). For rules that walk the entries. */
void lint_report(struct lint *, struct lintfile *, size_t entry,
    enum rule_id, enum severity, size_t off, const char *key,
    size_t klen, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 10, 11)));
/* --ignore names the rule: nothing of it is reported. */
int lint_ignored(const struct lint *, enum rule_id);
/* Mark an entry as handled without a finding (what is there is said
 * elsewhere, or only another reader minds); what was said of it: 0, or
 * 1 + the highest severity of a file rule's finding. dialect-mismatch
 * reads this, which is why lint_run runs it after every other file rule
 * of every file (rules_file_mismatch). */
void lint_mark(struct lintfile *, size_t entry);
unsigned lint_said(const struct lintfile *, size_t entry);

/* For rules: asking. The lexer's entries of lf (0 .. nentries - 1), and
 * what reader d makes of lf (for the environment, which no reader reads,
 * an empty result that is not ok). */
size_t lint_nentries(const struct lintfile *);
const struct entry *lint_entry(const struct lintfile *, size_t i);
const struct dialect_result *lint_reading(const struct lintfile *,
    enum dialect);
/* How a value may be shown: masked for secret names, escaped and
 * shortened otherwise (caller frees). */
char *lint_show(const struct lint *, const char *key, size_t klen,
    const char *val, size_t vlen);
/* "KEY=value" for a hint, the value shown as lint_show does. */
char *lint_hint_line(const struct lint *, const char *key, size_t klen,
    const char *val, size_t vlen);
/* The last lexer entry that assigns key, or SIZE_MAX. */
size_t lint_entry_for(const struct lintfile *, const char *key, size_t klen);
/* Offset of the value of key in lf (its last assignment), or SIZE_MAX. */
size_t lint_value_off(const struct lintfile *, const char *key, size_t klen);
/* Offset of the name itself in its last assignment, or SIZE_MAX. */
size_t lint_key_off(const struct lintfile *, const char *key, size_t klen);
/* The 1-based line of byte offset off of lf. */
unsigned lint_line(struct lintfile *, size_t off);
int lint_is_secret(const struct lint *, const char *key, size_t klen);
/* A template value nobody meant to deploy: 1 for a template word that is
 * safe to show (changeme, your-...-key, <...>, the installer's 123456),
 * 2 for a pattern that might hide a real secret (sk-..., xxxx inside),
 * 0 otherwise. */
int lint_is_placeholder(const char *val, size_t vlen);

void rules_file(struct lint *, struct lintfile *);
/* dialect-mismatch: what the readers disagree on that no other file rule
 * explained; a second pass, after rules_file of every file. */
void rules_file_mismatch(struct lint *, struct lintfile *);
void rules_kodus(struct lint *);
void rules_llm(struct lint *);
void rules_template(struct lint *);

#endif
