/* secret.c - secret names and masking. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "utf8.h"
#include "util.h"

static int
name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

int
secret_name(const char *k, size_t n)
{
	while (n > 0 && !name_char(k[0]))
		k++, n--;
	while (n > 0 && !name_char(k[n - 1]))
		n--;
	static const char *const suffixes[] = {
		"_KEY", "_SECRET", "_TOKEN", "_PASS", "PASSWORD", "_DSN"
	};
	char up[128];
	/* Upper-case a copy once (long names: their last 127 bytes, which
	 * hold every suffix; APIKEY is searched in the whole name below). */
	size_t m = n < sizeof up ? n : sizeof up - 1;
	const char *tail = k + n - m;
	for (size_t i = 0; i < m; i++)
		up[i] = tail[i] >= 'a' && tail[i] <= 'z' ?
		    (char)(tail[i] - 32) : tail[i];
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		size_t l = strlen(suffixes[i]);
		if (m >= l && memcmp(up + m - l, suffixes[i], l) == 0)
			return 1;
	}
	if (n == m)
		return memmem(up, m, "APIKEY", 6) != NULL;
	for (size_t i = 0; i + 6 <= n; i++) {
		if ((k[i] | 0x20) != 'a')
			continue;
		size_t j = 1;
		while (j < 6 && (k[i + j] & ~0x20) == "APIKEY"[j])
			j++;
		if (j == 6)
			return 1;
	}
	return 0;
}

static int
key_char(char c)
{
	return name_char(c) || c == '-' || c == '.';
}

static int
key_token(const char *v, size_t n)
{
	static const char *const prefixes[] = {
		"sk-", "sk_", "gsk_", "xai-", "AIza", "fw_", "tgp_v1_", "hf_",
		"ghp_", "github_pat_", "glpat-", "xoxb-", "AKIA"
	};
	if (memmem(v, n, "T3BlbkFJ", 8) != NULL)
		return 1;
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		size_t l = strlen(prefixes[i]);
		if (n >= l + 16 && memcmp(v, prefixes[i], l) == 0)
			return 1;
	}
	return 0;
}

/* The next key-shaped word of v[*i..n): its offset and length, or 0. */
static int
next_key(const char *v, size_t n, size_t *i, size_t *start, size_t *len)
{
	/* any key-shaped word: quotes, "Bearer " or a comment around a
	 * pasted key do not make it less of one */
	while (*i < n) {
		while (*i < n && !key_char(v[*i]))
			(*i)++;
		size_t s = *i;
		while (*i < n && key_char(v[*i]))
			(*i)++;
		if (*i > s && key_token(v + s, *i - s)) {
			*start = s;
			*len = *i - s;
			return 1;
		}
	}
	return 0;
}

int
secret_value(const char *v, size_t n)
{
	size_t i = 0, s, l;
	return next_key(v, n, &i, &s, &l);
}

char *
secret_redact(const char *v, size_t n, size_t *outlen)
{
	struct buf b;
	size_t i = 0, done = 0, s, l;
	buf_init(&b);
	while (next_key(v, n, &i, &s, &l)) {
		buf_add(&b, v + done, s - done);
		char *m = secret_mask(v + s, l);
		buf_addstr(&b, m);
		free(m);
		done = s + l;
	}
	buf_add(&b, v + done, n - done);
	if (b.data == NULL)
		buf_reserve(&b, 0);
	*outlen = b.len;
	return buf_steal(&b);
}

int
secret_pair(const char *k, size_t kl, const char *v, size_t vl)
{
	return secret_name(k, kl) || secret_value(v, vl);
}

/* Byte offset just past the first count characters. */
static size_t
skip_chars(const char *s, size_t len, size_t count)
{
	size_t i = 0, w;
	while (i < len && count > 0) {
		utf8_decode((const unsigned char *)s + i, len - i, &w);
		i += w;
		count--;
	}
	return i;
}

char *
secret_mask(const char *v, size_t n)
{
	if (n == 0)
		return xstrdup("");
	size_t chars = utf8_count(v, n);
	if (chars < SECRET_MIN_SHOWN)
		return xstrdup("***");
	size_t head = skip_chars(v, n, 3);
	size_t tail = skip_chars(v, n, chars - 3);
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < head; i++)
		buf_addc(&b, (unsigned char)v[i] < 0x20 ? '?' : v[i]);
	buf_addstr(&b, "\xE2\x80\xA6");	/* … */
	for (size_t i = tail; i < n; i++)
		buf_addc(&b, (unsigned char)v[i] < 0x20 ? '?' : v[i]);
	return buf_steal(&b);
}
