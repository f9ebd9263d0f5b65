/* test_mask.c - the one output path (secret.h): URL masking, remembered
 * secrets, escaping, exact bytes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "url.h"
#include "tap.h"

static void
url_is(const char *in, const char *want)
{
	size_t l;
	char *got = secret_url(in, strlen(in), &l);
	tap_is_bytes(got, l, want, strlen(want), in);
	free(got);
}

static void
hide_is(const char *in, const char *want)
{
	size_t l;
	char *got = secret_hide(in, strlen(in), &l);
	tap_is_bytes(got, l, want, strlen(want), in);
	free(got);
}

static void
show_is(const char *in, size_t n, const char *want, const char *what)
{
	char *got = secret_show(in, n);
	tap_is_bytes(got, strlen(got), want, strlen(want), what);
	free(got);
}

static void
part_is(const char *u, const char *key, const char *want)
{
	const char *got = url_secret_part(u, key, key ? strlen(key) : 0);
	ok((got == NULL && want == NULL) || (got && want &&
	    strcmp(got, want) == 0), "%s: %s (got %s)", u, want ? want :
	    "none", got ? got : "none");
}

int
main(void)
{
	url_is("https://gw:pw@h.example/v1?key=abc&x=&y#frag",
	    "https://gw:***@h.example/v1?key=***&x=&***#***");
	url_is("user:pw@host/v1", "user:***@host/v1");
	url_is("https://ghp_token@github.com/x", "https://***@github.com/x");
	url_is("https://h/v1?", "https://h/v1?");
	url_is("https://h/v1#", "https://h/v1#");
	url_is("https://h/v1?a=1;b=2", "https://h/v1?a=***;b=***");
	url_is("https://h:8443/v1", "https://h:8443/v1");

	hide_is("see https://a:b@h/p?q=1 and 'http://x/y#z'.",
	    "see https://a:***@h/p?q=*** and 'http://x/y#***'.");
	hide_is("no URL: a:b@c?d=e", "no URL: a:b@c?d=e");
	hide_is("did you mean https://api.moonshot.ai/v1?",
	    "did you mean https://api.moonshot.ai/v1?");
	secret_remember("hunter2hunter2", 14);
	secret_remember("abc12", 5);	/* too short to remember */
	hide_is("pw is hunter2hunter2! abc12", "pw is ***! abc12");
	secret_remember("0123456789abcdefXYZ", 19);
	hide_is("x0123456789abcdefXYZx", "x012…XYZx");
	secret_forget_all();
	hide_is("pw is hunter2hunter2!", "pw is hunter2hunter2!");

	show_is("a\x1b[2K\nb\xff\tc\x7f", 11, "a\\x1B[2K\\nb\\xFF\\tc\\x7F",
	    "ESC, LF, 0xFF, TAB and DEL escaped");
	show_is("n\0ul", 4, "n\\x00ul", "NUL escaped");
	show_is("caf\xc3\xa9 \xe2\x80\x8b", 9, "caf\xc3\xa9 <U+200B>",
	    "valid UTF-8 kept, a zero-width space shown");

	part_is("https://api.moonshot.ai/v1", "sk-abcdefghijkl", NULL);
	part_is("https://u:p@h/v1", NULL, "credentials");
	part_is("https://u@h/v1", NULL, "credentials");
	part_is("https://h/v1?key=x", NULL, "query");
	part_is("https://h/v1?api-version=2024", NULL, NULL);
	part_is("https://h/v1?x=sk-abcdefghijkl", "sk-abcdefghijkl", "query");
	part_is("https://h/v1#sk-abcdefghijkl", "sk-abcdefghijkl", "fragment");
	part_is("https://h/sk-abcdefghijkl/v1", "sk-abcdefghijkl", "path");
	part_is("https://h/openai/sk-team/v1", "sk-abcdefghijkl", NULL);
	return tap_done();
}
