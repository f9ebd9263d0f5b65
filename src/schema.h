/* schema.h - the Kodus variables: types, required and secret flags,
 * generated-secret formats, legacy names.
 *
 * The built-in schema (data/kodus-schema.ini) describes the Kodus version
 * this release was cut against. An installer .env.example describes the
 * user's own version: its annotations ("# (required, secret)",
 * "# (type: url)") win for every variable it lists, and its required
 * flags replace the built-in ones. Both use the same attribute syntax. */
#ifndef KEC_SCHEMA_H
#define KEC_SCHEMA_H

#include <stddef.h>

#include "envmap.h"

enum vtype {
	VT_STRING, VT_PORT, VT_NUMBER, VT_BOOLEAN, VT_URL, VT_EMAIL,
	VT_CRON, VT_HOSTNAME, VT_ENUM
};

struct schemavar {
	char	*name;
	enum vtype type;
	char	**enumv;	/* VT_ENUM values */
	size_t	 nenum;
	int	 required;
	int	 secret;
	int	 optional;	/* opt-in: commented out in the template */
	int	 llm;		/* group: llm (api-worker-drift is an error) */
	char	*format;	/* hex64, base64-32, or NULL */
	char	*equals;	/* must equal this variable */
	char	**webhook;	/* accepted webhook paths */
	size_t	 nwebhook;
	char	*req_if_name;	/* required when req_if_name=req_if_value */
	char	*req_if_value;
	char	*vhost;		/* AMQP virtual host the URI should use */
	int	 from_example;	/* described by the .env.example */
};

struct legacy {
	char	*name;		/* without the trailing '*' */
	int	 prefix;	/* name matches a prefix */
	char	*replacement;	/* NULL: no longer read */
	char	*reason;
};

struct schema {
	struct schemavar *v;
	size_t		 n;
	unsigned char	(*hist)[64];	/* per variable, for schema_closest */
	size_t		*lens;		/* name lengths */
	size_t		*bylen;		/* variables by name length */
	struct envmap	 index;		/* name -> variable (in key_off) */
	struct legacy	*l;
	size_t		 nl;
	char		*example;	/* path of the .env.example used */
	int		 builtin;	/* v and l are the compiled tables */
};

/* The built-in schema: the tables tools/gen-builtin compiled from
 * data/kodus-schema.ini (builtin_tables.c). */
int schema_load_builtin(struct schema *, char **cause);
/* The same parsed from its text (tools/gen-builtin; the test comparing
 * them). */
int schema_load_builtin_parsed(struct schema *, char **cause);
extern const struct schema builtin_schema;
/* Overlay the annotations of an installer .env.example. */
int schema_load_example(struct schema *, const char *path, char **cause);
/* The same from memory; an .env.example cannot be malformed, only
 * unannotated. */
void schema_load_example_text(struct schema *, const char *name,
    const char *text, size_t len);
void schema_free(struct schema *);

const struct schemavar *schema_get(const struct schema *, const char *name,
    size_t len);
const struct legacy *schema_legacy(const struct schema *, const char *name,
    size_t len);
/* The known name closest to name (edit distance), or NULL if none is
 * close enough to be a likely typo. */
const char *schema_closest(const struct schema *, const char *name,
    size_t len);

/* Parse one attribute list ("required, secret, type: url") into v.
 * Returns 0 or -1 with *why (static). Unknown words are ignored when
 * lenient (the installer may grow new ones). */
int schema_parse_attrs(const char *text, struct schemavar *v, int lenient,
    const char **why);

#endif
