/* failalloc.c - a shim for LD_PRELOAD that makes allocations fail, for
 * tests/cli/allocfail.sh.
 *
 *   FAILALLOC_AFTER=N    the call to malloc, calloc or realloc after the
 *                        first N fails (NULL, errno ENOMEM), and so does
 *                        every one after it: memory that ran out
 *   FAILALLOC_COUNT=FILE at exit, write how many calls there were
 *
 * Built by the test with the C compiler (-fno-builtin: else malloc and
 * memset below become a call to calloc, itself), not part of the program. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static long calls, after = -2;	/* -2: not read yet, -1: never fail */
static int resolving;

/* What dlsym allocates while the real functions are looked up. */
static char early[8192];
static size_t early_used;

static void *
early_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n > sizeof early - early_used)
		return NULL;
	void *p = early + early_used;
	early_used += n;
	return p;
}

static int
is_early(const void *p)
{
	return (const char *)p >= early && (const char *)p < early + sizeof early;
}

static void
resolve(void)
{
	if (real_malloc != NULL || resolving)
		return;
	resolving = 1;
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	resolving = 0;
}

/* Does this call fail? */
static int
fails(void)
{
	if (after == -2) {
		const char *e = getenv("FAILALLOC_AFTER");
		after = e != NULL ? atol(e) : -1;
	}
	calls++;
	return after >= 0 && calls > after;
}

void *
malloc(size_t n)
{
	resolve();
	if (real_malloc == NULL)
		return early_alloc(n);
	if (fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return real_malloc(n);
}

void *
calloc(size_t a, size_t b)
{
	if (b != 0 && a > SIZE_MAX / b) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(a * b);
	if (p != NULL)
		memset(p, 0, a * b);
	return p;
}

void *
realloc(void *p, size_t n)
{
	resolve();
	if (real_realloc == NULL || is_early(p))
		return NULL;
	if (fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return real_realloc(p, n);
}

void
free(void *p)
{
	resolve();
	if (p == NULL || is_early(p) || real_free == NULL)
		return;
	real_free(p);
}

__attribute__((destructor)) static void
report(void)
{
	const char *f = getenv("FAILALLOC_COUNT");
	if (f == NULL)
		return;
	char b[32];
	int n = snprintf(b, sizeof b, "%ld\n", calls);
	int fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		if (n > 0)
			(void)!write(fd, b, (size_t)n);
		close(fd);
	}
}
