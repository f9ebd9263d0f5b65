/* fixedmode.c - Kodus's own provider resolution. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixedmode.h"
#include "utf8.h"
#include "util.h"

const struct envvar *
env_nonempty(const struct envmap *env, const char *name)
{
	const struct envvar *v = envmap_getz(env, name);
	return v != NULL && v->vlen > 0 ? v : NULL;
}

static int
starts(const char *s, size_t n, const char *p)
{
	size_t l = strlen(p);
	return n >= l && memcmp(s, p, l) == 0;
}

static void
use_key(struct fixedmode *fm, const struct envmap *env, const char *var)
{
	const struct envvar *v = env_nonempty(env, var);
	if (v != NULL && fm->key == NULL) {
		fm->key_var = var;
		fm->key = xstrndup(v->val, v->vlen);
		fm->key_len = v->vlen;
	}
}

void
fixedmode_resolve(const struct envmap *env, const struct catalog *cat,
    struct fixedmode *fm)
{
	memset(fm, 0, sizeof *fm);
	const struct envvar *m = env_nonempty(env, "API_LLM_PROVIDER_MODEL");
	if (m == NULL || (m->vlen == 4 && memcmp(m->val, "auto", 4) == 0)) {
		fm->kind = FM_OFF;
		if (m != NULL)
			fm->model = xstrndup(m->val, m->vlen);
		return;
	}
	fm->model = xstrndup(m->val, m->vlen);
	const struct envvar *b = env_nonempty(env,
	    "API_OPENAI_FORCE_BASE_URL");
	fm->base_from_env = b != NULL;

	if (starts(m->val, m->vlen, "gemini-") && b == NULL) {
		use_key(fm, env, "API_GOOGLE_AI_API_KEY");
		use_key(fm, env, "GOOGLE_GENERATIVE_AI_API_KEY");
		if (fm->key != NULL) {
			fm->kind = FM_GEMINI;
			fm->base_url = xstrdup(FM_GEMINI_BASE);
		} else {
			fm->kind = FM_VERTEX;
			fm->base_url = NULL;
			use_key(fm, env, "API_VERTEX_AI_API_KEY");
			if (fm->key == NULL)
				fm->key_var = "API_GOOGLE_AI_API_KEY";
		}
	} else if (starts(m->val, m->vlen, "claude-") && (b == NULL ||
	    memmem(b->val, b->vlen, "api.anthropic.com", 17) != NULL)) {
		fm->kind = FM_ANTHROPIC;
		fm->base_url = b ? xstrndup(b->val, b->vlen) :
		    xstrdup(FM_ANTHROPIC_BASE);
		use_key(fm, env, "API_OPEN_AI_API_KEY");
		fm->key_var = "API_OPEN_AI_API_KEY";
	} else {
		fm->kind = FM_OPENAI;
		fm->base_url = b ? xstrndup(b->val, b->vlen) :
		    xstrdup(FM_DEFAULT_BASE);
		use_key(fm, env, "API_OPEN_AI_API_KEY");
		fm->key_var = "API_OPEN_AI_API_KEY";
	}
	if (fm->base_url != NULL && cat != NULL)
		fm->provider = catalog_match_url(cat, fm->base_url);
}

void
fixedmode_free(struct fixedmode *fm)
{
	free(fm->model);
	free(fm->base_url);
	if (fm->key != NULL)
		wipe(fm->key, fm->key_len);
	free(fm->key);
	memset(fm, 0, sizeof *fm);
}

const char *
fm_key_unsendable(const char *key, size_t len, size_t *at, char *buf,
    size_t bufsz)
{
	const unsigned char *k = (const unsigned char *)key;
	*at = len;
	if (len > FM_KEY_MAX) {
		snprintf(buf, bufsz, "%zu bytes, more than %d", len,
		    FM_KEY_MAX);
		return buf;
	}
	size_t w;
	for (size_t i = 0, ch = 1; i < len; i += w, ch++) {
		uint32_t cp = utf8_decode(k + i, len - i, &w);
		*at = ch;
		if (cp == '\r')
			return "a carriage return (CR)";
		if (cp == '\n')
			return "a line feed (LF)";
		if (cp == 0)
			return "a NUL byte";
		if ((cp < 0x20 && cp != '\t') || cp == 0x7f)
			snprintf(buf, bufsz, "the control character 0x%02X",
			    (unsigned)cp);
		else if (cp == UNI_REPLACEMENT && w == 1 && k[i] >= 0x80)
			snprintf(buf, bufsz, "the invalid UTF-8 byte 0x%02X",
			    k[i]);
		else if (cp > 0xff)
			snprintf(buf, bufsz, "the character U+%04X",
			    (unsigned)cp);
		else
			continue;
		return buf;
	}
	return NULL;
}
