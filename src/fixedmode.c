/* fixedmode.c - Kodus's own provider resolution. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "fixedmode.h"
#include "utf8.h"
#include "util.h"

const struct envvar *
env_nonempty(const struct envmap *env, const char *name)
{
	const struct envvar *v = envmap_getz(env, name);
	return v != NULL && v->vlen > 0 ? v : NULL;
}

int
fm_is_service_account(const char *v, size_t n)
{
	/* Node's decoder: both alphabets, other bytes skipped, '=' ends it.
	 * The output is smaller than the value, which the file limit caps. */
	char *out = xmalloc(n / 4 * 3 + 4);
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n && v[i] != '='; i++) {
		int d = b64_value((unsigned char)v[i]);
		if (d < 0)
			continue;
		acc = (acc << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xFF);
		}
	}
	out[o] = '\0';
	int yes = 0;
	/* JSON.parse stops at nothing: a NUL byte makes it throw */
	cJSON *j = memchr(out, '\0', o) ? NULL :
	    cJSON_ParseWithOpts(out, NULL, 1);
	if (cJSON_IsObject(j)) {
		const cJSON *p = NULL, *it;
		cJSON_ArrayForEach(it, j)	/* the last one wins */
			if (it->string && strcmp(it->string, "project_id") == 0)
				p = it;
		/* JavaScript truthiness */
		yes = p != NULL && !cJSON_IsNull(p) && !cJSON_IsFalse(p) &&
		    !(cJSON_IsString(p) && p->valuestring[0] == '\0') &&
		    !(cJSON_IsNumber(p) && !(p->valuedouble != 0));
	}
	cJSON_Delete(j);
	wipe(out, o);
	free(out);
	return yes;
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
	const struct kodus_rules *k = &cat->kodus;

	memset(fm, 0, sizeof *fm);
	/* 1. unset or exactly "auto" (JavaScript's model ?? 'auto') */
	const struct envvar *m = envmap_getz(env, "API_LLM_PROVIDER_MODEL");
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
	/* 2. */
	fm->via_proxy = b != NULL && kodus_via_proxy(cat, b->val, b->vlen);
	fm->is_gemini = kodus_model_matches(k->gemini, k->ngemini, m->val,
	    m->vlen);
	fm->is_claude = kodus_model_matches(k->claude, k->nclaude, m->val,
	    m->vlen);
	const struct envvar *openai = env_nonempty(env, "API_OPEN_AI_API_KEY");
	const struct envvar *vertex = env_nonempty(env,
	    "API_VERTEX_AI_API_KEY");
	int vertex_sa = vertex != NULL && fm_is_service_account(vertex->val,
	    vertex->vlen);

	if (fm->is_gemini && !fm->via_proxy) {
		/* 3. */
		use_key(fm, env, "API_GOOGLE_AI_API_KEY");
		use_key(fm, env, "GOOGLE_GENERATIVE_AI_API_KEY");
		if (fm->key == NULL && vertex != NULL) {
			use_key(fm, env, "API_VERTEX_AI_API_KEY");
			if (vertex_sa) {
				fm->kind = FM_VERTEX;
				return;
			}
		}
		if (fm->key != NULL) {
			fm->kind = FM_GEMINI;
			fm->base_url = xstrdup(FM_GEMINI_BASE);
			fm->provider = catalog_match_url(cat, fm->base_url);
			return;
		}
		fm->gemini_fell_through = 1;
	}
	if (fm->is_claude && !fm->via_proxy && (openai != NULL ||
	    !vertex_sa)) {
		/* 4. (and 6. for a claude model without any key) */
		fm->kind = FM_ANTHROPIC;
		fm->base_url = b ? xstrndup(b->val, b->vlen) :
		    xstrdup(FM_ANTHROPIC_BASE);
		fm->key_var = "API_OPEN_AI_API_KEY";
		use_key(fm, env, "API_OPEN_AI_API_KEY");
	} else if (fm->is_claude && !fm->via_proxy) {
		/* 4b. Claude on Vertex */
		fm->kind = FM_VERTEX;
		use_key(fm, env, "API_VERTEX_AI_API_KEY");
		return;
	} else {
		/* 5. and 6. */
		fm->kind = FM_OPENAI;
		fm->base_url = b ? xstrndup(b->val, b->vlen) :
		    xstrdup(FM_DEFAULT_BASE);
		fm->key_var = "API_OPEN_AI_API_KEY";
		use_key(fm, env, "API_OPEN_AI_API_KEY");
	}
	if (fm->base_url != NULL)
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
