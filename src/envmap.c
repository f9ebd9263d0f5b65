/* envmap.c - ordered hash map for .env values, arena-backed. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "envmap.h"
#include "util.h"

/* Blocks double from 64 KiB to one huge page, so a map of 100,000 values
 * touches few fresh pages and a small one stays small. A map with room
 * for ARENA_BIG_MAP keys copies values by the megabyte: its first block is
 * the huge page, rather than a few hundred small pages touched for the
 * first time. */
#define ARENA_FIRST (64 * 1024)
#define ARENA_MAX (((size_t)2 << 20) - 64)
#define ARENA_BIG_MAP 16384

static char *
arena_copy(struct envmap *m, const char *s, size_t n)
{
	if (m->arena.blocks == NULL) {
		m->arena.first = m->cap >= ARENA_BIG_MAP ? ARENA_MAX :
		    ARENA_FIRST;
		m->arena.max = ARENA_MAX;
	}
	return strarena_copy(&m->arena, s, n);
}

/* A multiply-xorshift hash over 8-byte words: names are short, and FNV's
 * byte loop showed in profiles of 100,000-line files. The last word
 * overlaps the one before it rather than being copied byte by byte; the
 * length, mixed in first, keeps that unambiguous. */
uint64_t
envmap_hash(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
	if (n >= 8) {
		const char *last = s + n - 8;
		for (; s < last; s += 8) {
			memcpy(&w, s, 8);
			h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
			h ^= h >> 31;
		}
		memcpy(&w, last, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		w = a | (uint64_t)b << 32;
	} else if (n > 0) {
		const unsigned char *u = (const unsigned char *)s;
		w = u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16;
	} else
		w = 0;
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

/* At most three quarters of the slots in use: with the tags, a probe
 * seldom reads a wrong entry, and a map of 100,000 names needs 1 MiB of
 * slots rather than 2. */
#define ENVMAP_ROOMY(n, slots)	((n) * 4 <= (slots) * 3)

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
	m->slots = xrealloc_large(NULL, 0, n * sizeof *m->slots);
	memset(m->slots, 0, n * sizeof *m->slots);
	m->nslots = n;
	size_t mask = n - 1;
	for (size_t i = 0; i < m->n; i++) {
		/* computed again rather than kept: a smaller entry is fewer
		 * pages to touch, and a reserved map never rehashes */
		uint64_t h = envmap_hash(m->v[i].key, m->v[i].klen);
		size_t j = (size_t)h & mask;
		while (m->slots[j].idx != 0)
			j = (j + 1) & mask;
		m->slots[j].idx = (uint32_t)(i + 1);
		m->slots[j].tag = (uint32_t)(h >> 32);
	}
}

static void
grow(struct envmap *m, size_t cap)
{
	if (cap > SIZE_MAX / sizeof *m->v)
		abort();	/* cannot happen: the caller caps it */
	m->v = xrealloc_large(m->v, m->n * sizeof *m->v, cap * sizeof *m->v);
	m->cap = cap;
}

void
envmap_reserve(struct envmap *m, size_t n)
{
	size_t want = 64;
	while (!ENVMAP_ROOMY(n, want) && want < ((size_t)1 << 31))
		want *= 2;
	if (want > m->nslots)
		rehash(m, want);
	if (n > m->cap && n < ((size_t)1 << 28))
		grow(m, n);
}

struct envvar *
envmap_get(const struct envmap *m, const char *key, size_t klen)
{
	/* Logically const: what waits in the queue is already part of the
	 * map's contents, and every map is a modifiable object. */
	if (m->qlen != 0)
		envmap_flush((struct envmap *)m);
	if (m->nslots == 0)
		return NULL;
	uint32_t s = find_slot(m, key, klen, envmap_hash(key, klen))->idx;
	return s ? &m->v[s - 1] : NULL;
}

struct envvar *
envmap_getz(const struct envmap *m, const char *key)
{
	return envmap_get(m, key, strlen(key));
}

static struct envvar *
put(struct envmap *m, const char *key, size_t klen, uint64_t h, int copy)
{
	if (!ENVMAP_ROOMY(m->n + 1, m->nslots))
		rehash(m, m->nslots ? m->nslots * 2 : 64);
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
	if (m->n == m->cap)
		grow(m, m->cap ? m->cap * 2 : 32);
	v = &m->v[m->n++];
	s->idx = (uint32_t)m->n;
	s->tag = (uint32_t)(h >> 32);
	v->key = copy ? arena_copy(m, key, klen) : key;
	v->klen = (uint32_t)klen;
	v->count = 1;
	return v;
}

static struct envvar *
apply(struct envmap *m, const char *key, size_t klen, uint64_t h, int copy_key,
    const char *val, size_t vlen, size_t key_off)
{
	struct envvar *v = put(m, key, klen, h, copy_key);
	/* A replaced value stays in the arena until envmap_free wipes it. */
	v->val = val;
	v->vlen = vlen;
	v->key_off = key_off;
	return v;
}

/* Apply the assignment that has waited longest: its slot is in cache. */
static void
apply_oldest(struct envmap *m)
{
	const struct envpending *p = &m->q[m->qhead];
	apply(m, p->key, p->klen, p->hash, 0, p->val, p->vlen, p->key_off);
	m->qhead = (m->qhead + 1) % ENVMAP_QUEUE;
	m->qlen--;
}

void
envmap_flush(struct envmap *m)
{
	while (m->qlen > 0)
		apply_oldest(m);
}

struct envvar *
envmap_set(struct envmap *m, const char *key, size_t klen, const char *val,
    size_t vlen, size_t key_off, int flags)
{
	uint64_t h = envmap_hash(key, klen);
	if (flags & ENVMAP_COPY_VAL)
		val = arena_copy(m, val, vlen);
	if (!(flags & ENVMAP_DEFER) || m->nslots == 0) {
		envmap_flush(m);
		return apply(m, key, klen, h, flags & ENVMAP_COPY_KEY, val,
		    vlen, key_off);
	}
	if (m->qlen == ENVMAP_QUEUE)
		apply_oldest(m);
	/* the caller's bytes may not outlive the call: copy the key now */
	if (flags & ENVMAP_COPY_KEY)
		key = arena_copy(m, key, klen);
	__builtin_prefetch(&m->slots[(size_t)h & (m->nslots - 1)]);
	if (m->n + m->qlen < m->cap)
		__builtin_prefetch(&m->v[m->n + m->qlen], 1);
	struct envpending *p = &m->q[(m->qhead + m->qlen++) % ENVMAP_QUEUE];
	p->key = key;
	p->klen = klen;
	p->val = val;
	p->vlen = vlen;
	p->key_off = key_off;
	p->hash = h;
	return NULL;
}

void
envmap_free(struct envmap *m)
{
	strarena_free(&m->arena);
	free(m->v);
	free(m->slots);
	envmap_init(m);
}
