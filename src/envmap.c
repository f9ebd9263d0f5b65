/* envmap.c - ordered hash map for .env values, arena-backed. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "envmap.h"
#include "util.h"

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t	 used;
	size_t	 size;
	char	 data[];
};

static char *
arena_copy(struct envmap *m, const char *s, size_t n)
{
	struct arena_block *b = m->blocks;
	if (b == NULL || b->size - b->used < n + 1) {
		size_t size = n + 1 > ARENA_BLOCK / 4 ? n + 1 : ARENA_BLOCK;
		struct arena_block *nb = xmalloc(sizeof *nb + size);
		nb->used = 0;
		nb->size = size;
		if (b != NULL && size != ARENA_BLOCK) {
			/* a big one-off: keep the current block in front */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			m->blocks = nb;
		}
		b = nb;
	}
	char *p = b->data + b->used;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

/* A multiply-xorshift hash over 8-byte words: names are short, and FNV's
 * byte loop showed in profiles of 100,000-line files. */
static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h ^= w;
	/* murmur3's finalizer: every input bit reaches the low bits the
	 * table index uses */
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDull;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ull;
	h ^= h >> 33;
	return h;
}

void
envmap_init(struct envmap *m)
{
	memset(m, 0, sizeof *m);
}

static struct envslot *
find_slot(const struct envmap *m, const char *key, size_t klen, uint64_t h)
{
	size_t mask = m->nslots - 1;
	size_t i = (size_t)h & mask;
	uint32_t tag = (uint32_t)(h >> 32);
	for (;;) {
		struct envslot *s = &m->slots[i];
		if (s->idx == 0)
			return s;
		if (s->tag == tag) {
			const struct envvar *v = &m->v[s->idx - 1];
			if (v->klen == klen && memcmp(v->key, key, klen) == 0)
				return s;
		}
		i = (i + 1) & mask;
	}
}

static void
rehash(struct envmap *m, size_t n)
{
	free(m->slots);
	m->slots = xcalloc(n, sizeof *m->slots);
	m->nslots = n;
	prefault(m->slots, n * sizeof *m->slots);
	size_t mask = n - 1;
	for (size_t i = 0; i < m->n; i++) {
		size_t j = (size_t)m->v[i].hash & mask;
		while (m->slots[j].idx != 0)
			j = (j + 1) & mask;
		m->slots[j].idx = (uint32_t)(i + 1);
		m->slots[j].tag = (uint32_t)(m->v[i].hash >> 32);
	}
}

void
envmap_reserve(struct envmap *m, size_t n)
{
	size_t want = 64;
	while (want < n * 2 && want < ((size_t)1 << 31))
		want *= 2;
	if (want > m->nslots)
		rehash(m, want);
	if (n > m->cap && n < ((size_t)1 << 28)) {
		m->v = xreallocarray(m->v, n, sizeof *m->v);
		prefault(m->v + m->cap, (n - m->cap) * sizeof *m->v);
		m->cap = n;
	}
}

struct envvar *
envmap_get(const struct envmap *m, const char *key, size_t klen)
{
	if (m->nslots == 0)
		return NULL;
	uint32_t s = find_slot(m, key, klen, hash(key, klen))->idx;
	return s ? &m->v[s - 1] : NULL;
}

struct envvar *
envmap_getz(const struct envmap *m, const char *key)
{
	return envmap_get(m, key, strlen(key));
}

static struct envvar *
put(struct envmap *m, const char *key, size_t klen, int copy)
{
	if ((m->n + 1) * 2 > m->nslots)
		rehash(m, m->nslots ? m->nslots * 2 : 64);
	uint64_t h = hash(key, klen);
	struct envslot *s = find_slot(m, key, klen, h);
	struct envvar *v;
	if (s->idx != 0) {
		v = &m->v[s->idx - 1];
		if (v->count < UINT32_MAX)
			v->count++;
		return v;
	}
	if (m->n >= UINT32_MAX - 1 || klen > UINT32_MAX)
		abort();	/* cannot happen with inputs that fit in memory */
	if (m->n == m->cap) {
		size_t old = m->cap;
		m->cap = m->cap ? m->cap * 2 : 32;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
		prefault(m->v + old, (m->cap - old) * sizeof *m->v);
	}
	v = &m->v[m->n++];
	s->idx = (uint32_t)m->n;
	s->tag = (uint32_t)(h >> 32);
	v->key = copy ? arena_copy(m, key, klen) : key;
	v->klen = (uint32_t)klen;
	v->count = 1;
	v->hash = h;
	return v;
}

struct envvar *
envmap_set(struct envmap *m, const char *key, size_t klen, const char *val,
    size_t vlen, size_t key_off, int flags)
{
	struct envvar *v = put(m, key, klen, flags & ENVMAP_COPY_KEY);
	/* A replaced value stays in the arena until envmap_free wipes it. */
	v->val = flags & ENVMAP_COPY_VAL ? arena_copy(m, val, vlen) : val;
	v->vlen = vlen;
	v->key_off = key_off;
	return v;
}

void
envmap_free(struct envmap *m)
{
	struct arena_block *b = m->blocks;
	while (b != NULL) {
		struct arena_block *next = b->next;
		wipe(b->data, b->used);
		free(b);
		b = next;
	}
	free(m->v);
	free(m->slots);
	envmap_init(m);
}
