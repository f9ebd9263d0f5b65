/* envmap.h - an ordered map of variable names to byte-string values.
 *
 * Keys keep the order of their first assignment; a later assignment
 * replaces the value (and its position) in place, as every .env reader
 * does. Keys and values may hold any byte, NUL included, and are stored
 * NUL-terminated in an arena of blocks that never move, so the pointers
 * stay valid until envmap_free (which wipes them: values may be secrets). */
#ifndef KEC_ENVMAP_H
#define KEC_ENVMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* key and val are NUL-terminated when copied; by-reference values (see
 * envmap_set_ref) are not: always use the lengths. */
struct envvar {
	const char *key;
	const char *val;
	size_t	 vlen;
	size_t	 key_off;	/* byte offset of the last assignment's key */
	uint32_t klen;
	uint32_t count;		/* how many times the key was assigned */
};


/* A hash-table slot: entry index + 1 (0 = empty) and the hash's high
 * bits, so a probe rarely touches an entry that is not the one. */
struct envslot {
	uint32_t idx;
	uint32_t tag;
};

/* An assignment waiting in the queue of ENVMAP_DEFER. */
struct envpending {
	const char *key;
	const char *val;
	size_t	 klen;
	size_t	 vlen;
	size_t	 key_off;
	uint64_t hash;
};

#define ENVMAP_QUEUE 16

struct envmap {
	struct envvar	*v;
	size_t		 n;
	size_t		 cap;
	struct envslot	*slots;	/* open addressing */
	size_t		 nslots;
	struct strarena	 arena;
	struct envpending q[ENVMAP_QUEUE];	/* a ring */
	unsigned	 qhead, qlen;
};

void envmap_init(struct envmap *);
/* Assign key=val. Without ENVMAP_COPY_KEY / ENVMAP_COPY_VAL the bytes are
 * stored by reference and must outlive the map: the common case of a
 * verbatim slice of the input costs no copy. */
#define ENVMAP_COPY_KEY 1
#define ENVMAP_COPY_VAL 2
#define ENVMAP_COPY (ENVMAP_COPY_KEY | ENVMAP_COPY_VAL)
/* With ENVMAP_DEFER the assignment may wait in a short queue while the
 * memory of its hash slot is prefetched (on a 100,000-line file the
 * table no longer fits in a cache, and each insertion is a miss): the
 * next envmap_get or envmap_flush applies what waits, in order. Read
 * m->v and m->n only after one of them. Returns NULL when deferred. */
#define ENVMAP_DEFER 4
struct envvar *envmap_set(struct envmap *, const char *key, size_t klen,
    const char *val, size_t vlen, size_t key_off, int flags);
/* Make room for n keys without rehashing. */
void envmap_reserve(struct envmap *, size_t n);
struct envvar *envmap_get(const struct envmap *, const char *key,
    size_t klen);
struct envvar *envmap_getz(const struct envmap *, const char *key);
/* The hash of a name, for an index of one's own (lint.c). */
uint64_t envmap_hash(const char *key, size_t klen);
/* Apply the deferred assignments. */
void envmap_flush(struct envmap *);
void envmap_free(struct envmap *);

#endif
