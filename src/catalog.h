/* catalog.h - providers and models, from INI files read with inih.
 *
 * The built-in catalog (data/providers.ini, compiled in) comes first;
 * KODUS_ENVCHECK_CATALOG and --catalog files merge over it section by
 * section and key by key, later files winning. Everything is checked
 * once, here: the rest of the program trusts these fields. */
#ifndef KEC_CATALOG_H
#define KEC_CATALOG_H

#include <stddef.h>

#define CATALOG_MAX_TEMPS 8

struct provider {
	const char	*id;
	const char	*name;
	const char	*base_url;
	const char	*region;	/* may be NULL */
	const char	*key_contains;	/* may be NULL */
	const char	*balance_path;	/* may be NULL */
	const char	*currency;	/* may be NULL */
	const char	*console;	/* may be NULL */
	const char	*api;		/* openai, anthropic or gemini */
	char		**siblings;
	size_t		 nsiblings;
	char		**key_prefixes;
	size_t		 nkey_prefixes;
	char		**base_paths;	/* other paths serving the same API */
	size_t		 nbase_paths;
	int		 max_concurrency;
	const char	*source;	/* file that last set a key of it */
	unsigned	 line;
};

struct model {
	const char	*id;
	char		**providers;
	size_t		 nproviders;
	long		 context;	/* 0 when unknown */
	double		 temps[CATALOG_MAX_TEMPS];
	size_t		 ntemps;	/* 0: any temperature */
	const char	*temperature;	/* as written */
	const char	*retired;	/* YYYY-MM-DD, "yes" or NULL */
	const char	*replacement;	/* may be NULL */
};

/* How Kodus itself picks a provider and a temperature (FACTS §1): data
 * in the [kodus] section, because it changes with Kodus versions. Model
 * patterns are case-insensitive prefixes. */
struct kodus_rules {
	char		**claude;	/* /^claude[-_]/i */
	size_t		 nclaude;
	char		**gemini;	/* /^gemini[-_]/i */
	size_t		 ngemini;
	char		**temperature_one; /* /^kimi-k2(\.6|-thinking)/i */
	size_t		 ntemperature_one;
	const char	*native_anthropic_host;	/* may be NULL */
	const char	*auto_helper_base_url;	/* may be NULL */
};

struct rawsec;
struct envmap;

struct catalog {
	struct provider	*p;
	size_t		 np;
	struct model	*m;
	size_t		 nm;
	struct kodus_rules kodus;
	struct rawsec	*raw;
	size_t		 nraw, capraw;
	struct envmap	*idx;		/* ids of p and m, once built */
	char		**sources;	/* files merged, in order */
	size_t		 nsources;
	int		 builtin;	/* the compiled tables (read only) */
};

/* Load the built-in catalog, then each of extra[0..n) in order. Returns
 * 0, or -1 with *cause naming file, line and problem (caller frees). */
int catalog_load(struct catalog *, char *const *extra, size_t n,
    char **cause);
/* The built-in catalog parsed from its text, not taken from the compiled
 * tables (tools/gen-builtin, which makes them; the test comparing them). */
int catalog_load_parsed(struct catalog *, char **cause);
/* The built-in catalog and one more from memory (tests, fuzzing). */
int catalog_load_text(struct catalog *, const char *text, size_t len,
    char **cause);
void catalog_free(struct catalog *);
/* Append the files of KODUS_ENVCHECK_CATALOG (one, or several separated
 * by ':') to *v. */
void catalog_env_files(char ***v, size_t *n);

const struct provider *catalog_provider(const struct catalog *,
    const char *id);
const struct model *catalog_model(const struct catalog *, const char *id);
int model_has_provider(const struct model *, const char *provider_id);
int provider_has_models(const struct catalog *, const char *provider_id);
/* The provider whose base URL the given URL points at: same host, and
 * the longest base path that is a prefix of the URL's path (or any
 * provider on that host when none is). NULL for an unknown host. */
const struct provider *catalog_match_url(const struct catalog *,
    const char *url);
/* Does p serve its API under this URL path (its base_url's path or one
 * of its base_paths; trailing slashes ignored)? */
int provider_serves_path(const struct provider *p, const char *path);
/* Is a model retired on the date today (YYYY-MM-DD)? */
int model_gone(const struct model *m, const char *today);
/* Does model (len bytes) start with one of the prefixes, ignoring case? */
int kodus_model_matches(char *const *prefixes, size_t n, const char *model,
    size_t len);
/* Is the base URL "via proxy" as Kodus decides: non-empty and without
 * the native Anthropic host at its start or right after "//" (followed
 * by the end or a character that is not a letter, digit or '_')? */
int kodus_via_proxy(const struct catalog *, const char *url, size_t len);
/* Is sib listed among p's siblings? */
int provider_is_sibling(const struct provider *p, const char *sib_id);
/* The provider whose key prefix (or key_contains) is the longest match
 * for key; with ties, *ambiguous is set. NULL when none matches. */
const struct provider *catalog_match_key(const struct catalog *,
    const char *key, size_t klen, size_t *prefix_len, int *ambiguous);
int provider_key_matches(const struct provider *, const char *key,
    size_t klen, size_t *prefix_len);

/* Built-in data (generated from data/ at build time): the text, and the
 * catalog parsed from it by tools/gen-builtin (builtin_tables.c). */
extern const char builtin_providers_ini[];
extern const char builtin_schema_ini[];
extern const struct catalog builtin_catalog;

#endif
