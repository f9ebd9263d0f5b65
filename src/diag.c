/* diag.c - the rule registry and the list of findings. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "utf8.h"
#include "util.h"

/* Every rule id the tool can emit. The man page lists the same ids (a
 * test keeps them in step). */
const struct rule rule_table[] = {
	/* what the bytes of the file do to its readers */
	{ "trailing-whitespace", "file",
	  "blanks after a value: docker run keeps them; inside quotes every "
	  "reader does" },
	{ "quoted-value", "file",
	  "quotes that docker run --env-file and kubectl keep in the value" },
	{ "inline-comment", "file",
	  "a # comment after a value that docker run keeps (and compose "
	  "keeps after a tab)" },
	{ "smart-quotes", "file",
	  "typographic quotes, which no reader strips" },
	{ "invisible-character", "file",
	  "zero-width or no-break spaces, control characters, invalid UTF-8 "
	  "in a key or value" },
	{ "crlf", "file", "Windows line endings, or a lone carriage return" },
	{ "bom", "file", "a byte order mark at the start of the file" },
	{ "duplicate-key", "file",
	  "a variable set twice: the last wins, or kubectl refuses the file" },
	{ "invalid-key", "file",
	  "a name that is not [A-Za-z_][A-Za-z0-9_]*" },
	{ "lowercase-key", "file",
	  "lower-case letters in a name (names are case-sensitive)" },
	{ "spaces-around-equals", "file",
	  "white space around '=' or a ':' delimiter, which docker run "
	  "refuses or keeps" },
	{ "export-prefix", "file",
	  "'export NAME=', which docker run --env-file and kubectl refuse" },
	{ "unterminated-quote", "file",
	  "an opening quote never closed: docker compose refuses the file" },
	{ "bad-interpolation", "file",
	  "a ${...} that docker compose refuses" },
	{ "undefined-reference", "file",
	  "a $NAME that docker compose replaces with an empty string" },
	{ "dialect-mismatch", "file",
	  "docker compose, docker run, kubectl and Node read different "
	  "values" },
	{ "placeholder-value", "file",
	  "a template placeholder left in place (changeme, your-...-key)" },
	/* the Kodus schema */
	{ "required-missing", "kodus", "a variable Kodus requires is unset" },
	{ "type-mismatch", "kodus",
	  "not a port, number, boolean, URL, e-mail, cron or allowed value" },
	{ "secret-format", "kodus",
	  "a secret not in the shape Kodus decodes (64 hex, base64 of 32 "
	  "bytes)" },
	{ "secret-mismatch", "kodus",
	  "WEB_NEXTAUTH_SECRET differs from NEXTAUTH_SECRET" },
	{ "legacy-name", "kodus", "an old variable name Kodus no longer reads" },
	{ "unknown-variable", "kodus", "not a Kodus variable" },
	{ "template-missing", "kodus",
	  "a variable of the template (.env.example) that is not set" },
	{ "webhook-url", "kodus", "a code-management webhook URL Kodus "
	  "cannot receive on" },
	{ "hostname-format", "kodus", "WEB_HOSTNAME_API is not a bare host" },
	{ "rabbitmq-uri", "kodus", "API_RABBITMQ_URI is not amqp:// to the "
	  "kodus-ai virtual host" },
	{ "api-worker-drift", "kodus",
	  "the api and worker files disagree" },
	{ "compose-not-followed", "kodus",
	  "a compose feature the model does not follow (extends, include)" },
	/* Fixed Mode: the one global LLM provider */
	{ "llm-not-configured", "llm",
	  "Fixed Mode is off, has no usable key or an empty model, or auto "
	  "mode keeps a non-OpenAI key" },
	{ "base-url-endpoint", "llm",
	  "the base URL ends in an endpoint such as /chat/completions" },
	{ "base-url-scheme", "llm",
	  "the base URL has no scheme, or is http:// to another host" },
	{ "base-url-shape", "llm",
	  "the base URL misses /v1, has a mistyped host or ends in '//'" },
	{ "key-invalid", "llm",
	  "a key Node cannot send: a CR, LF or control character, or over "
	  "8 KiB" },
	{ "secret-in-url", "llm",
	  "a key, password or token in the base URL" },
	{ "key-provider-mismatch", "llm",
	  "the key looks like another provider's" },
	{ "model-unknown", "llm",
	  "the provider has no such model, or a gemini model goes to OpenAI" },
	{ "model-retired", "llm", "the model is retired or about to be" },
	{ "temperature-override", "llm",
	  "a fixed-temperature model that Kodus would send another "
	  "temperature" },
	{ "anthropic-proxy", "llm",
	  "a claude model through a non-Anthropic base URL" },
	/* the live check: what the provider answered */
	{ "auth-failed", "live", "the provider refuses the key (401/403)" },
	{ "region-mismatch", "live",
	  "the key belongs to another region of the same provider" },
	{ "insufficient-balance", "live",
	  "no money on the account (402, a quota 429, balance <= 0)" },
	{ "balance-low", "live",
	  "the balance is under the --min-balance floor: reviews stop soon" },
	{ "slow-response", "live",
	  "the --deep chat request took over --slow-after seconds" },
	{ "rate-limited", "live", "HTTP 429: the key works but is throttled" },
	{ "model-not-found", "live",
	  "the provider does not offer the model to this key" },
	{ "base-url-not-found", "live", "HTTP 404 on /models: no API there" },
	{ "ip-not-allowed", "live",
	  "HTTP 403: this machine is not on the allow-list" },
	{ "provider-error", "live",
	  "5xx, a gateway page, or an unreadable answer: no verdict" },
	{ "network", "live", "DNS, refused, reset or timed out: no verdict" },
	{ "tls", "live", "the provider's certificate is not trusted" },
	{ "proxy", "live", "a configured proxy failed" },
	{ "redirect", "live", "HTTP 3xx: the base URL is not the API itself" },
};
const size_t rule_count = sizeof rule_table / sizeof *rule_table;

const struct rule *
rule_find(const char *id)
{
	for (size_t i = 0; i < rule_count; i++)
		if (strcmp(rule_table[i].id, id) == 0)
			return &rule_table[i];
	return NULL;
}

const char *
severity_name(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" :
	    "info";
}

char *
display_text(const char *s, size_t n, size_t max)
{
	struct buf b;
	size_t i = 0, chars = 0, w;
	buf_init(&b);
	buf_reserve(&b, n < max ? n : max);
	while (i < n) {
		if (chars >= max) {
			buf_addstr(&b, "\xE2\x80\xA6");
			break;
		}
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F) {
			/* a run of printable ASCII at once */
			size_t j = i + 1;
			while (j < n && (unsigned char)s[j] >= 0x20 &&
			    (unsigned char)s[j] < 0x7F)
				j++;
			if (j - i > max - chars)
				j = i + (max - chars);
			buf_add(&b, s + i, j - i);
			chars += j - i;
			i = j;
			continue;
		} else if (c < 0x80) {
			if (c == '\t')
				buf_addstr(&b, "\\t");
			else if (c == '\n')
				buf_addstr(&b, "\\n");
			else if (c == '\r')
				buf_addstr(&b, "\\r");
			else
				buf_printf(&b, "\\x%02X", c);
			i++;
		} else {
			uint32_t cp = utf8_decode((const unsigned char *)s + i,
			    n - i, &w);
			if (cp == UNI_REPLACEMENT && w == 1)
				buf_printf(&b, "\\x%02X", c);
			else if (uni_is_invisible(cp) || uni_is_space(cp) ||
			    (cp >= 0x80 && cp < 0xA0))
				buf_printf(&b, "<U+%04X>", (unsigned)cp);
			else
				buf_add(&b, s + i, w);
			i += w;
		}
		chars++;
	}
	return buf_steal(&b);
}

/* String blocks: 64 KiB, or one string's size when it is larger, so a
 * run of 100,000 findings costs a few dozen allocations, not 400,000. */
#define DIAG_BLOCK (64 * 1024 - 64)

struct diag_strings {
	struct diag_strings *next;
	size_t	 used, size;
	char	 data[];
};

static char *
diag_copy(struct diaglist *l, const char *s, size_t n)
{
	struct diag_strings *b = l->strings;
	if (b == NULL || b->size - b->used < n + 1) {
		size_t size = n + 1 > DIAG_BLOCK / 4 ? n + 1 : DIAG_BLOCK;
		struct diag_strings *nb = xmalloc(sizeof *nb + size);
		nb->used = 0;
		nb->size = size;
		if (b != NULL && size != DIAG_BLOCK) {
			/* a large string's own block: the front one stays */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			l->strings = nb;
		}
		b = nb;
	}
	char *p = b->data + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

/* The key as display_text(key, klen, 200) shows it, without the
 * intermediate copy for a plain name. */
static char *
diag_key(struct diaglist *l, const char *k, size_t n)
{
	size_t i = 0;
	if (n <= 200)
		while (i < n && (unsigned char)k[i] >= 0x20 &&
		    (unsigned char)k[i] < 0x7F)
			i++;
	if (i == n)
		return diag_copy(l, k, n);
	char *t = display_text(k, n, 200);
	char *r = diag_copy(l, t, strlen(t));
	free(t);
	return r;
}

void
diag_add(struct diaglist *l, const char *rule, enum severity sev,
    const char *file, size_t file_index, unsigned line, unsigned col,
    const char *key, size_t klen, const char *hint, const char *message)
{
	const struct rule *r = rule_find(rule);
	if (r == NULL)
		abort();	/* a programming error: ids are fixed */
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	struct diag *d = &l->v[l->n];
	d->rule = r->id;
	d->sev = sev;
	if (file == NULL)
		d->file = NULL;
	else if (l->last_file != NULL && strcmp(l->last_file, file) == 0)
		d->file = (char *)l->last_file;
	else
		d->file = (char *)(l->last_file = diag_copy(l, file,
		    strlen(file)));
	d->file_index = file_index;
	d->line = line;
	d->col = line ? col : 0;
	d->key = key ? diag_key(l, key, klen) : NULL;
	d->message = diag_copy(l, message, strlen(message));
	d->hint = hint ? diag_copy(l, hint, strlen(hint)) : NULL;
	d->seq = (unsigned)l->n;
	l->n++;
}

static int
cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	if (x->file_index != y->file_index)
		return x->file_index < y->file_index ? -1 : 1;
	/* findings without a place come after those with one */
	unsigned xl = x->line ? x->line : 0xFFFFFFFFu;
	unsigned yl = y->line ? y->line : 0xFFFFFFFFu;
	if (xl != yl)
		return xl < yl ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* qsort of the 72-byte findings spent most of its time in calls to cmp
 * and in moving them (7% of a run on a 100,000-line file): their indexes
 * are merge-sorted instead, the comparison inline, then each finding is
 * moved once, in place, cycle by cycle. */
static int
before(const struct diag *x, const struct diag *y, uint32_t i, uint32_t j)
{
	if (x->file_index != y->file_index)
		return x->file_index < y->file_index;
	unsigned xl = x->line ? x->line : 0xFFFFFFFFu;
	unsigned yl = y->line ? y->line : 0xFFFFFFFFu;
	if (xl != yl)
		return xl < yl;
	if (x->col != y->col)
		return x->col < y->col;
	if (x->seq != y->seq)
		return x->seq < y->seq;
	/* equal findings keep their order, as glibc's qsort (a merge
	 * sort) kept them */
	return i < j;
}

void
diag_sort(struct diaglist *l)
{
	size_t n = l->n;
	if (n < 64 || n > UINT32_MAX) {
		if (n > 1)
			qsort(l->v, n, sizeof *l->v, cmp);
		return;
	}
	const struct diag *v = l->v;
	uint32_t *k = xreallocarray(NULL, n, sizeof *k);
	uint32_t *t = xreallocarray(NULL, n, sizeof *t);
	for (size_t i = 0; i < n; i++)
		k[i] = (uint32_t)i;
	/* bottom-up, runs of width w from k into t */
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t a = lo, b = mid, o = lo;
			while (a < mid && b < hi)
				t[o++] = before(&v[k[b]], &v[k[a]], k[b], k[a]) ?
				    k[b++] : k[a++];
			while (a < mid)
				t[o++] = k[a++];
			while (b < hi)
				t[o++] = k[b++];
		}
		uint32_t *x = k;
		k = t;
		t = x;
	}
	free(t);
	/* position i gets finding k[i]: follow each cycle once */
	for (size_t i = 0; i < n; i++) {
		if (k[i] == i)
			continue;
		struct diag tmp = l->v[i];
		size_t j = i;
		while (k[j] != i) {
			size_t from = k[j];
			l->v[j] = l->v[from];
			k[j] = (uint32_t)j;
			j = from;
		}
		l->v[j] = tmp;
		k[j] = (uint32_t)j;
	}
	free(k);
}

void
diag_count(const struct diaglist *l, size_t *e, size_t *w, size_t *i)
{
	*e = *w = *i = 0;
	for (size_t k = 0; k < l->n; k++) {
		if (l->v[k].sev == SEV_ERROR)
			(*e)++;
		else if (l->v[k].sev == SEV_WARNING)
			(*w)++;
		else
			(*i)++;
	}
}

void
diaglist_free(struct diaglist *l)
{
	struct diag_strings *b = l->strings;
	while (b != NULL) {
		struct diag_strings *next = b->next;
		free(b);
		b = next;
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
	l->strings = NULL;
	l->last_file = NULL;
}
