/* util.h - memory, growable buffers, whole-file reading.
 *
 * x* allocators never return NULL: on exhaustion they print one line and
 * exit with status 2, so the rest of the code stays free of NULL checks. */
#ifndef KEC_UTIL_H
#define KEC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#define KEC_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Name the file being worked on in an out-of-memory message (NULL: none). */
void oom_context(const char *name);
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
/* Room for element n of array p that holds *cap: doubles as needed. */
void *xgrow(void *p, size_t n, size_t *cap, size_t size);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) KEC_PRINTF(1, 2);
char *xvasprintf(const char *, va_list) KEC_PRINTF(1, 0);

/* A byte buffer; data is always NUL-terminated (the NUL is not counted).
 * With a sink (NULL by default) it streams: once it holds BUF_CHUNK bytes
 * or more and must grow, it hands them to the sink and starts again
 * empty; an addition of BUF_CHUNK bytes or more goes to the sink
 * directly. So its memory stays within two chunks and what one call adds
 * (json_add_string reserves six bytes a byte), however much is written,
 * and its writers need not know. Never give a buffer with a sink to code
 * that keeps an offset into it or rewrites bytes it has added. */
struct buf_sink {
	void	(*write)(struct buf_sink *, const char *, size_t);
};
struct buf {
	char		*data;
	size_t		 len;
	size_t		 cap;
	struct buf_sink	*sink;
};
#define BUF_CHUNK ((size_t)64 * 1024)

void buf_init(struct buf *);
/* Make room for extra more bytes (and the NUL). */
void buf_grow(struct buf *, size_t extra);
static inline void
buf_reserve(struct buf *b, size_t extra)
{
	/* cap is 0 or holds len + 1: one comparison on the common path */
	if (extra >= b->cap - b->len)
		buf_grow(b, extra);
}
void buf_add(struct buf *, const void *, size_t);
static inline void
buf_addc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_addstr(struct buf *, const char *);
void buf_printf(struct buf *, const char *, ...) KEC_PRINTF(2, 3);
void buf_vprintf(struct buf *, const char *, va_list) KEC_PRINTF(2, 0);
/* Empty the buffer, keeping its memory (wipe it with buf_wipe). */
void buf_reset(struct buf *);
/* Hand what the buffer holds to its sink, if it has one, and empty it
 * (the bytes wiped: output may hold a masked secret's ends). */
void buf_flush(struct buf *);
/* buf_flush once the buffer holds BUF_CHUNK bytes or more: a writer that
 * calls it between its units (a finding) streams whole units while the
 * output is small. */
void buf_drain(struct buf *);
char *buf_steal(struct buf *);
void buf_free(struct buf *);
/* The UTC date of t as "YYYY-MM-DD" (1970-01-01 outside years 1970 to
 * 9999). By hand: glibc's gmtime_r reads /etc/localtime first. */
void utc_date(time_t t, char out[11]);
/* Zero memory that held a secret, in a way the compiler keeps. */
void wipe(void *, size_t);
/* Memory for a buffer that may be large (a whole input file, a table
 * with a slot per line): from 1 MiB up it is aligned on 2 MiB, advised as
 * transparent huge pages and mapped in one call. On a virtual machine the
 * first touch of each 4 KiB page costs microseconds; on a 100,000-line
 * file that was most of the run. realloc_large copies the first `used`
 * bytes, wipes and frees the old block, and returns NULL (p untouched)
 * on failure; xrealloc_large exits instead. Free the result with free(). */
void *realloc_large(void *p, size_t used, size_t n);
void *xrealloc_large(void *p, size_t used, size_t n);
/* With on, realloc_large rounds blocks up to whole 2 MiB pages, aligned:
 * about a fifth faster for env on a 100,000-line file, at up to 2 MiB of
 * address space more a block. check keeps the default (off), which its
 * 16 MB + 8n bound on the address space needs. */
void large_blocks_whole_pages(int on);
/* Zero the bytes before freeing: buffers that held secrets. */
void buf_wipe(struct buf *);

/* NUL-terminated copies in blocks that never move, so the pointers stay
 * valid until strarena_free (which wipes them: they may hold secrets).
 * Blocks double from first to max (0: STRARENA_BLOCK for both); a string
 * over a quarter of the next block gets a block of its own, kept behind
 * the front one. A zeroed struct is an empty arena. */
#define STRARENA_BLOCK (64 * 1024 - 64)
struct strarena_block;
struct strarena {
	struct strarena_block *blocks;
	size_t		 first, max;
};
char *strarena_copy(struct strarena *, const char *s, size_t n);
void strarena_free(struct strarena *);

/* Read a whole file ("-" is standard input) into out. Returns 0, or -1 with
 * *cause set to a sentence naming the reason (caller frees). Every file
 * the program reads comes through here: none may be larger than
 * READ_FILE_MAX (kodus-envcheck(1), LIMITS), so that neither /dev/zero
 * nor a stray disk image makes it grow without bound. */
#define READ_FILE_MAX	(16u << 20)
int read_file(const char *path, struct buf *out, char **cause);

/* How many '\n' bytes d[0..n) holds. */
size_t count_newlines(const char *d, size_t n);

/* Parse a decimal integer in [min, max]; returns 0 or -1. */
int parse_long(const char *, long min, long max, long *out);
/* Parse a non-negative decimal number of seconds (e.g. "1.5"). */
int parse_seconds(const char *, double max, double *out);
/* JavaScript's parseFloat over s[0..n): skip leading white space (the
 * ECMAScript set, Unicode included), then read the longest prefix that is
 * a decimal literal (sign, digits, '.', exponent) or [+-]Infinity. Returns
 * the bytes read, white space included, with the number in *out; 0 when
 * parseFloat gives NaN (nothing numeric at the start). */
size_t js_parse_float(const char *s, size_t n, double *out);

/* Levenshtein distance; (size_t)-1 for names longer than 256 bytes. */
size_t edit_distance(const char *a, size_t al, const char *b, size_t bl);
/* The same, but gives up as soon as the distance must exceed max (then
 * returns max + 1): cheap enough to compare a name against a schema. */
size_t edit_distance_max(const char *a, size_t al, const char *b, size_t bl,
    size_t max);

/* The program name used in messages. */
extern const char *progname;

/* The value of a base64 digit, standard or URL-safe alphabet (as Node's
 * Buffer.from(v, 'base64') reads both), or -1. */
int b64_value(unsigned char c);
/* The directory part of path: "." without a slash, "/" at the root
 * (caller frees). */
char *path_dir(const char *path);

#endif
