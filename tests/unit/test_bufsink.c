/* test_bufsink.c - struct buf with a sink (util.h): what reaches the
 * sink is exactly what was added, in order, whatever adds it; the
 * buffer's memory stays within two chunks for small additions, and one
 * of a chunk or more is not copied; buf_drain breaks only between small
 * units. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "tap.h"
#include "util.h"

struct rec {
	struct buf_sink	 sink;		/* first */
	struct buf	 got;		/* everything handed over */
	size_t		 calls;
	size_t		 bad_breaks;	/* a chunk not ending with '\n' */
};

static void
rec_write(struct buf_sink *s, const char *p, size_t n)
{
	struct rec *r = (struct rec *)s;
	buf_add(&r->got, p, n);
	r->calls++;
	if (n == 0 || p[n - 1] != '\n')
		r->bad_breaks++;
}

static unsigned long rnd = 12345;

static size_t
next(size_t mod)
{
	rnd = rnd * 1103515245 + 12345;
	return (size_t)((rnd >> 16) % mod);
}

static void
add_unit(struct buf *t, size_t k, size_t n, int u, const char *big)
{
	switch (k) {
	case 0:
		buf_add(t, big, n);
		break;
	case 1:
		for (size_t i = 0; i < n % 200; i++)
			buf_addc(t, big[i]);
		break;
	case 2:
		buf_printf(t, "%d:%.*s", u, (int)n, big);
		break;
	case 3:
		json_add_string(t, big, n);
		break;
	default:
		buf_addstr(t, "");
		break;
	}
	buf_addc(t, '\n');
}

int
main(void)
{
	struct rec r;
	struct buf b, want;
	memset(&r, 0, sizeof r);
	r.sink.write = rec_write;
	buf_init(&r.got);
	buf_init(&b);
	buf_init(&want);
	b.sink = &r.sink;

	char *big = xmalloc(BUF_CHUNK * 3);
	for (size_t i = 0; i < BUF_CHUNK * 3; i++)
		big[i] = (char)('a' + i % 26);
	/* units through every writer, drained after each: small ones, then
	 * some of up to three chunks among them */
	for (int phase = 0; phase < 2; phase++) {
		size_t maxcap = 0;
		buf_free(&b);
		b.sink = &r.sink;
		buf_reset(&r.got);
		buf_reset(&want);
		r.calls = r.bad_breaks = 0;
		for (int u = 0; u < 4000; u++) {
			size_t k = next(5), n = next(phase && u % 50 == 0 ?
			    BUF_CHUNK * 3 : 300);
			add_unit(&b, k, n, u, big);
			add_unit(&want, k, n, u, big);
			buf_drain(&b);
			if (b.cap > maxcap)
				maxcap = b.cap;
		}
		ok(r.calls > 5, "%d: the sink was called along the way (%zu "
		    "times)", phase, r.calls);
		buf_flush(&b);
		ok(b.len == 0, "%d: buf_flush empties the buffer", phase);
		ok(r.got.len == want.len && memcmp(r.got.data, want.data,
		    want.len) == 0, "%d: the sink got every byte, in order "
		    "(%zu)", phase, want.len);
		if (phase == 0) {
			ok(maxcap <= 2 * BUF_CHUNK, "small units: the buffer "
			    "stayed small: %zu bytes for %zu written", maxcap,
			    want.len);
			ok(r.bad_breaks == 0, "small units: drained between "
			    "them (%zu breaks inside one)", r.bad_breaks);
		}
	}

	/* a chunk or more in one buf_add goes to the sink as it is */
	buf_free(&b);
	b.sink = &r.sink;
	buf_reset(&r.got);
	buf_reset(&want);
	for (int u = 0; u < 20; u++) {
		buf_addstr(&b, "head ");
		buf_add(&b, big, BUF_CHUNK * 3 - (size_t)u);
		buf_addstr(&want, "head ");
		buf_add(&want, big, BUF_CHUNK * 3 - (size_t)u);
	}
	buf_flush(&b);
	ok(r.got.len == want.len && memcmp(r.got.data, want.data,
	    want.len) == 0, "large additions: every byte, in order");
	ok(b.cap <= BUF_CHUNK, "large additions, not copied: %zu bytes",
	    b.cap);

	/* no drain, no unit: still bounded, still in order */
	buf_free(&b);
	b.sink = &r.sink;
	buf_reset(&r.got);
	buf_reset(&want);
	for (int u = 0; u < 200000; u++) {
		buf_printf(&b, "%d,", u);
		buf_printf(&want, "%d,", u);
	}
	buf_flush(&b);
	ok(r.got.len == want.len && memcmp(r.got.data, want.data,
	    want.len) == 0, "small writes, never drained: every byte");
	ok(b.cap <= 2 * BUF_CHUNK, "small writes, never drained: %zu bytes",
	    b.cap);

	/* below a chunk, buf_drain keeps the bytes */
	buf_reset(&r.got);
	buf_addstr(&b, "short\n");
	buf_drain(&b);
	ok(r.got.len == 0 && b.len == 6, "buf_drain waits for a chunk");
	buf_flush(&b);
	ok(r.got.len == 6, "buf_flush hands over the rest");

	/* no sink: buf_flush and buf_drain leave the buffer alone */
	struct buf p;
	buf_init(&p);
	buf_add(&p, big, BUF_CHUNK * 2);
	buf_drain(&p);
	buf_flush(&p);
	ok(p.len == BUF_CHUNK * 2, "without a sink nothing is handed over");

	buf_free(&p);
	buf_free(&b);
	buf_free(&want);
	buf_free(&r.got);
	free(big);
	return tap_done();
}
