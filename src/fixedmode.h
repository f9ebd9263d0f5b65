/* fixedmode.h - which LLM provider Kodus will use, resolved from its
 * environment exactly as Kodus does (FACTS §1):
 *   1. model unset or "auto": env mode is off;
 *   2. gemini-* without a base URL: Google AI Studio key, else Vertex;
 *   3. claude-* with no base URL or one on api.anthropic.com: native
 *      Anthropic with API_OPEN_AI_API_KEY;
 *   4. anything else: OpenAI-compatible at the base URL (default
 *      https://api.openai.com/v1) with API_OPEN_AI_API_KEY;
 *   5. a model but no usable key: configured, but not usable. */
#ifndef KEC_FIXEDMODE_H
#define KEC_FIXEDMODE_H

#include <stddef.h>

#include "catalog.h"
#include "envmap.h"

enum fm_kind {
	FM_OFF,		/* model unset or auto */
	FM_OPENAI,	/* OpenAI-compatible at base_url */
	FM_ANTHROPIC,	/* native Anthropic SDK */
	FM_GEMINI,	/* Google AI Studio */
	FM_VERTEX	/* Vertex AI */
};

#define FM_DEFAULT_BASE "https://api.openai.com/v1"
#define FM_ANTHROPIC_BASE "https://api.anthropic.com/v1"
#define FM_GEMINI_BASE "https://generativelanguage.googleapis.com/v1beta"

/* Strings are NUL-terminated copies the struct owns (values in an envmap
 * may be slices); the key is wiped by fixedmode_free. */
struct fixedmode {
	enum fm_kind	 kind;
	char		*model;		/* NULL when unset */
	char		*base_url;	/* effective; NULL when off or Vertex */
	int		 base_from_env;	/* API_OPENAI_FORCE_BASE_URL set */
	const char	*key_var;	/* which variable holds (or would) */
	char		*key;		/* NULL when there is no key */
	size_t		 key_len;
	const struct provider *provider; /* catalog match, may be NULL */
};

void fixedmode_resolve(const struct envmap *, const struct catalog *,
    struct fixedmode *);
void fixedmode_free(struct fixedmode *);
const char *fm_kind_name(enum fm_kind);
/* The longest key sent: no provider's key comes near (the longest are a
 * few hundred bytes), and a longer Authorization line passes the 8 KiB a
 * header line may have on nginx's defaults. */
#define FM_KEY_MAX 8192
/* Why the key cannot go in an HTTP header, or NULL: longer than
 * FM_KEY_MAX, or a character Node refuses in a header value (outside
 * tab, 0x20-0x7E and U+0080-U+00FF; invalid UTF-8 decodes to U+FFFD).
 * *at: the character's position from 1 (the length when too long); the
 * words may be written into buf. */
const char *fm_key_unsendable(const char *key, size_t len, size_t *at,
    char *buf, size_t bufsz);
/* A non-empty value of name in env, or NULL. */
const struct envvar *env_nonempty(const struct envmap *, const char *name);

#endif
