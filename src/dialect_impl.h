/* dialect_impl.h - what the readers of dialect_*.c share with dialect.c;
 * not part of the interface (that is dialect.h). */
#ifndef KEC_DIALECT_IMPL_H
#define KEC_DIALECT_IMPL_H

#include <stddef.h>

#include "dialect.h"
#include "util.h"

/* The first error only: a later one leaves r as it is. */
void dialect_set_error(struct dialect_result *r, enum dialect_error kind,
    size_t off, const char *fmt, ...) KEC_PRINTF(4, 5);

/* One line as docker run's kvfile reads it (kubectl reads the same way):
 * the line from p, its CR dropped, a byte order mark dropped on the first
 * line (*lineno 0), then unicode.IsSpace trimmed off its start. */
enum kv_status {
	KV_LINE,	/* the line is [s, end); *lineno counted it */
	KV_TOO_LONG,	/* longer than bufio.Scanner's 64 KiB token */
	KV_BAD_UTF8	/* invalid UTF-8 at bad */
};
struct kv_line {
	size_t	 s, end;	/* the line, trimmed */
	size_t	 next;		/* where the next line starts */
	size_t	 bad;		/* KV_BAD_UTF8: the first invalid byte */
};
enum kv_status dialect_kv_line(const char *d, size_t n, size_t p,
    unsigned *lineno, struct kv_line *);

/* The readers, called by dialect_eval with r ready (ok set, env empty). */
void dialect_compose_eval(const char *, size_t, env_lookup_fn, void *,
    struct dialect_result *);
void dialect_docker_eval(const char *, size_t, env_lookup_fn, void *,
    struct dialect_result *);
void dialect_kubectl_eval(const char *, size_t, env_lookup_fn, void *,
    struct dialect_result *);
void dialect_node_eval(const char *, size_t, struct dialect_result *);

#endif
