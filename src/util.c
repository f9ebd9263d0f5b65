/* util.c - memory, buffers and file reading shared by every module. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "tempfile.h"
#include "utf8.h"
#include "util.h"

const char *progname = "kodus-envcheck";

static char oom_file[256];

void
oom_context(const char *name)
{
	if (name == NULL)
		oom_file[0] = '\0';
	else
		snprintf(oom_file, sizeof oom_file, "%s", name);
	/* printed without allocating: a control byte of the name as '?' */
	for (char *p = oom_file; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = '?';
}

static void
oom(size_t n)
{
	/* Not a crash: a clear line and the documented status for "could
	 * not run". Keep it allocation-free. */
	char msg[512];
	int len = snprintf(msg, sizeof msg,
	    "%s: %s%sout of memory (could not allocate %zu bytes)\n",
	    progname, oom_file, oom_file[0] ? ": " : "", n);
	if (len > (int)sizeof msg - 1)
		len = (int)sizeof msg - 1;
	if (len > 0)
		(void)!write(STDERR_FILENO, msg, (size_t)len);
	temp_unlink_all();	/* no temporary file left behind */
	_exit(2);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		oom(n);
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

void *
xgrow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	size_t c = *cap ? *cap : 16;
	while (c <= n)
		c = c > SIZE_MAX / 2 ? SIZE_MAX : c * 2;
	p = xreallocarray(p, c, size);
	*cap = c;
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	/* Most results are short: formatted once into the stack, and only
	 * a longer one a second time (a finding's message each). */
	char small[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		oom(0);
	char *p = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof small)
		memcpy(p, small, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	wipe(small, (size_t)n < sizeof small ? (size_t)n : sizeof small);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->sink = NULL;
}

void
buf_grow(struct buf *b, size_t extra)
{
	if (b->sink != NULL && b->len >= BUF_CHUNK)
		buf_flush(b);
	if (extra > SIZE_MAX - b->len - 1)
		oom(SIZE_MAX);
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	int fresh = b->data == NULL;
	b->data = xrealloc_large(b->data, b->len + 1, cap);
	b->cap = cap;
	if (fresh)
		b->data[0] = '\0';	/* the invariant holds from the start */
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n >= b->cap - b->len && b->sink != NULL && n >= BUF_CHUNK) {
		/* in order, and not copied first */
		buf_flush(b);
		b->sink->write(b->sink, p, n);
		return;
	}
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	/* straight into the buffer; a second pass only when it is short */
	buf_reserve(b, 64);
	va_copy(again, ap);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	if (n < 0)
		oom(0);
	if ((size_t)n >= b->cap - b->len) {
		buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, again);
	}
	va_end(again);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_flush(struct buf *b)
{
	if (b->sink == NULL || b->len == 0)
		return;
	b->sink->write(b->sink, b->data, b->len);
	wipe(b->data, b->len);
	buf_reset(b);
}

void
buf_drain(struct buf *b)
{
	if (b->sink != NULL && b->len >= BUF_CHUNK)
		buf_flush(b);
}

char *
buf_steal(struct buf *b)
{
	if (b->data == NULL) {
		buf_reserve(b, 0);
		b->data[0] = '\0';
	}
	char *p = b->data;
	buf_init(b);
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

#define HUGE_PAGE ((size_t)2 << 20)

#define SMALL_PAGE ((size_t)4096)

static int whole_huge_pages;

void
large_blocks_whole_pages(int on)
{
	whole_huge_pages = on;
}

void *
realloc_large(void *p, size_t used, size_t n)
{
	/* from 1 MiB: made resident in one call, in huge pages where the
	 * kernel can */
	if (n < HUGE_PAGE / 2)
		return realloc(p, n ? n : 1);
	void *q;
	uintptr_t s, e;		/* the whole pages of the block */
	if (whole_huge_pages) {
		/* rounded up to whole huge pages, aligned: the fastest
		 * first touch, for up to 2 MiB of address space a block */
		size_t round = n + (HUGE_PAGE - 1) < n ? n :
		    (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		if (posix_memalign(&q, HUGE_PAGE, round) != 0)
			return NULL;
		s = (uintptr_t)q;
		e = s + round;
	} else {
		static int once;
		if (!once) {
			/* Blocks this large are always their own mapping,
			 * given back when freed: glibc would otherwise raise
			 * its threshold after the first free and carve the
			 * next ones from a heap that only grows. */
			(void)mallopt(M_MMAP_THRESHOLD, (int)(HUGE_PAGE / 2));
			once = 1;
		}
		/* Not aligned on a huge page: posix_memalign left up to
		 * 2 MiB of address space unused before each block, which a
		 * limit of the address space (ulimit -v) counts. */
		q = malloc(n);
		if (q == NULL)
			return NULL;
		s = ((uintptr_t)q + SMALL_PAGE - 1) & ~(uintptr_t)(SMALL_PAGE - 1);
		e = ((uintptr_t)q + n) & ~(uintptr_t)(SMALL_PAGE - 1);
	}
	if (e > s) {
#ifdef MADV_HUGEPAGE
		(void)madvise((void *)s, e - s, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
		(void)madvise((void *)s, e - s, MADV_POPULATE_WRITE);
#endif
	}
	if (p != NULL) {
		if (used)
			memcpy(q, p, used);
		wipe(p, used);
		free(p);
	}
	return q;
}

void *
xrealloc_large(void *p, size_t used, size_t n)
{
	void *q = realloc_large(p, used, n);
	if (q == NULL)
		oom(n);
	return q;
}

struct strarena_block {
	struct strarena_block *next;
	size_t	 used;
	size_t	 size;
	char	 data[];
};

char *
strarena_copy(struct strarena *a, const char *s, size_t n)
{
	struct strarena_block *b = a->blocks;
	if (b == NULL || b->size - b->used < n + 1) {
		size_t first = a->first ? a->first : STRARENA_BLOCK;
		size_t max = a->max > first ? a->max : first;
		size_t regular = b == NULL ? first :
		    b->size * 2 > max ? max : b->size * 2;
		int oneoff = n + 1 > regular / 4;
		size_t size = oneoff ? n + 1 : regular;
		struct strarena_block *nb = xrealloc_large(NULL, 0,
		    sizeof *nb + size);
		nb->used = 0;
		nb->size = size;
		if (b != NULL && oneoff) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->blocks = nb;
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

void
strarena_free(struct strarena *a)
{
	struct strarena_block *b = a->blocks;
	while (b != NULL) {
		struct strarena_block *next = b->next;
		wipe(b->data, b->used);
		free(b);
		b = next;
	}
	a->blocks = NULL;
}

void
utc_date(time_t t, char out[11])
{
	if (t < 0 || t > (time_t)253402300799) {	/* 9999-12-31 */
		memcpy(out, "1970-01-01", 11);
		return;
	}
	/* days since 1970 to a date in a calendar of 400-year eras from
	 * March 0000: a leap day is then the era's, the century's or the
	 * quad's last */
	long z = (long)(t / 86400) + 719468;
	long era = z / 146097, doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	unsigned day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	unsigned m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	unsigned y = (unsigned)(yoe + era * 400 + (m <= 2));
	char f[11] = { (char)('0' + y / 1000), (char)('0' + y / 100 % 10),
	    (char)('0' + y / 10 % 10), (char)('0' + y % 10), '-',
	    (char)('0' + m / 10), (char)('0' + m % 10), '-',
	    (char)('0' + day / 10), (char)('0' + day % 10), '\0' };
	memcpy(out, f, 11);
}

void
wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		explicit_bzero(p, n);
}

void
buf_wipe(struct buf *b)
{
	if (b->data != NULL)
		wipe(b->data, b->cap);
	buf_free(b);
}

/* How many '\n' bytes. With SSE2 (every x86-64) sixteen at a time into
 * byte counters, summed every 255 rounds: four times memchr's speed on
 * a file of short lines, where memchr pays a call a line. */
size_t
count_newlines(const char *d, size_t n)
{
	size_t count = 0, i = 0;
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	while (n - i >= 16) {
		__m128i acc = zero;
		for (int k = 0; k < 255 && n - i >= 16; k++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)
			    (const void *)(d + i));
			/* a match is -1: subtracting counts it */
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
		}
		__m128i sum = _mm_sad_epu8(acc, zero);
		count += (size_t)_mm_cvtsi128_si32(sum) +
		    (size_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(sum, sum));
	}
#endif
	for (; i < n; i++)
		count += d[i] == '\n';
	return count;
}

int
read_file(const char *path, struct buf *out, char **cause)
{
	int fd;
	int is_stdin = strcmp(path, "-") == 0;

	buf_init(out);
	if (is_stdin)
		fd = STDIN_FILENO;
	else {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd == -1) {
			*cause = xstrdup(strerror(errno));
			return -1;
		}
	}

	struct stat st;
	if (fstat(fd, &st) == -1) {
		*cause = xstrdup(strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		*cause = xstrdup("is a directory, not a file");
		goto fail;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > READ_FILE_MAX)
		goto too_large;
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		/* One allocation for regular files; a failure is reported
		 * as a sentence, not a crash. */
		/* room for the terminating NUL and for the read that
		 * sees the end of the file */
		out->data = realloc_large(NULL, 0, (size_t)st.st_size + 2);
		if (out->data == NULL) {
			*cause = xasprintf("not enough memory to read it "
			    "(%jd bytes)", (intmax_t)st.st_size);
			goto fail;
		}
		out->cap = (size_t)st.st_size + 2;
	}

	for (;;) {
		if (out->cap - out->len < 2) {
			size_t ncap = out->cap ? out->cap * 2 : 65536;
			/* room for one byte past the limit, to see it */
			if (ncap > READ_FILE_MAX + 2)
				ncap = READ_FILE_MAX + 2;
			char *p = realloc_large(out->data, out->len, ncap);
			if (p == NULL) {
				*cause = xasprintf("not enough memory to read "
				    "it (more than %zu bytes)", out->len);
				goto fail;
			}
			out->data = p;
			out->cap = ncap;
		}
		ssize_t n = read(fd, out->data + out->len,
		    out->cap - out->len - 1);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*cause = xstrdup(strerror(errno));
			goto fail;
		}
		out->len += (size_t)n;
		if (out->len > READ_FILE_MAX)
			goto too_large;
	}
	if (out->data == NULL)
		buf_reserve(out, 0);
	out->data[out->len] = '\0';
	if (!is_stdin)
		close(fd);
	return 0;

too_large:
	*cause = xstrdup("larger than 16 MiB, the most kodus-envcheck reads "
	    "of a file");
fail:
	if (!is_stdin)
		close(fd);
	buf_free(out);
	return -1;
}

int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	if (*s == '\0' || *s == ' ' || *s == '+')
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
parse_seconds(const char *s, double max, double *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	double v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* ECMAScript StrWhiteSpaceChar: WhiteSpace and LineTerminator. */
static int
js_space(uint32_t c)
{
	return c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C ||
	    c == 0x0D || c == 0x20 || c == 0xA0 || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

static size_t
digits(const char *s, size_t i, size_t n)
{
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

size_t
js_parse_float(const char *s, size_t n, double *out)
{
	size_t i = 0, w;
	while (i < n) {
		uint32_t c = utf8_decode((const unsigned char *)s + i, n - i,
		    &w);
		if (!js_space(c) || (c == UNI_REPLACEMENT && w == 1))
			break;
		i += w;
	}
	size_t start = i;
	int neg = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (n - i >= 8 && memcmp(s + i, "Infinity", 8) == 0) {
		*out = neg ? -HUGE_VAL : HUGE_VAL;
		return i + 8;
	}
	size_t d = i, e = digits(s, i, n);
	size_t mant = e - d;
	if (e < n && s[e] == '.') {
		size_t f = digits(s, e + 1, n);
		mant += f - (e + 1);
		if (mant > 0)
			e = f;
	}
	if (mant == 0)
		return 0;
	if (e < n && (s[e] == 'e' || s[e] == 'E')) {
		size_t x = e + 1;
		if (x < n && (s[x] == '+' || s[x] == '-'))
			x++;
		size_t xe = digits(s, x, n);
		if (xe > x)
			e = xe;
	}
	/* only ASCII digits, sign, '.' and e: strtod in the C locale reads
	 * exactly this literal, correctly rounded */
	char *z = xstrndup(s + start, e - start);
	*out = strtod(z, NULL);
	free(z);
	return e;
}

size_t
edit_distance_max(const char *a, size_t al, const char *b, size_t bl,
    size_t max)
{
	size_t row[257];
	if (al > 256 || bl > 256)
		return max + 1;
	if ((al > bl ? al - bl : bl - al) > max)
		return max + 1;
	for (size_t j = 0; j <= bl; j++)
		row[j] = j;
	for (size_t i = 1; i <= al; i++) {
		size_t diag = row[0], best_in_row;
		row[0] = i;
		best_in_row = row[0];
		for (size_t j = 1; j <= bl; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
			if (best < best_in_row)
				best_in_row = best;
		}
		/* every later row is at least this row's minimum */
		if (best_in_row > max)
			return max + 1;
	}
	return row[bl] > max ? max + 1 : row[bl];
}

size_t
edit_distance(const char *a, size_t al, const char *b, size_t bl)
{
	if (al > 256 || bl > 256)
		return (size_t)-1;
	return edit_distance_max(a, al, b, bl, 512);
}

int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

char *
path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}
