/* fixedmode.h - which LLM provider Kodus will use, resolved from its
 * environment exactly as Kodus does (FACTS §1, describeEnvLLMConfig in
 * libs/llm/env-llm-config.ts and resolveManagedSlot in byok-to-vercel.ts).
 * The model patterns and the proxy host come from the catalog's [kodus]
 * section:
 *   1. model unset or exactly "auto": env mode is off (an EMPTY model is
 *      not auto: Kodus sends "");
 *   2. "via proxy": a non-empty base URL without the native Anthropic host;
 *   3. a gemini model, not via proxy: API_GOOGLE_AI_API_KEY or
 *      GOOGLE_GENERATIVE_AI_API_KEY -> Google AI Studio; else
 *      API_VERTEX_AI_API_KEY -> Vertex when it is base64 of a JSON with a
 *      project_id, else that key used as an AI Studio key; with none of
 *      them, on to step 5;
 *   4. a claude model with API_OPEN_AI_API_KEY, not via proxy: the native
 *      Anthropic SDK (4b: without that key but with a Vertex service
 *      account, Claude on Vertex, as the review pipeline does);
 *   5. API_OPEN_AI_API_KEY set: OpenAI-compatible at the base URL
 *      (default https://api.openai.com/v1);
 *   6. otherwise: configured but not usable (key == NULL). */
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
	char		*model;		/* NULL when unset; may be "" */
	char		*base_url;	/* effective; NULL when off or Vertex */
	int		 base_from_env;	/* API_OPENAI_FORCE_BASE_URL set */
	int		 via_proxy;	/* Kodus's isProxyBaseURL */
	int		 is_claude;	/* the model matches claude_models */
	int		 is_gemini;	/* the model matches gemini_models */
	int		 gemini_fell_through; /* gemini, no Google key: step 5 */
	const char	*key_var;	/* which variable holds (or would) */
	char		*key;		/* NULL when there is no key */
	size_t		 key_len;
	const struct provider *provider; /* catalog match, may be NULL */
};

void fixedmode_resolve(const struct envmap *, const struct catalog *,
    struct fixedmode *);
void fixedmode_free(struct fixedmode *);
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
/* Is the value base64 (as Node's Buffer.from(v, 'base64') reads it) of a
 * JSON object whose project_id is truthy (a Vertex service account)? */
int fm_is_service_account(const char *v, size_t n);

#endif
