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
/* A non-empty value of name in env, or NULL. */
const struct envvar *env_nonempty(const struct envmap *, const char *name);

#endif
