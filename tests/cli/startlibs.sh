#!/bin/sh
# The libraries a run opens (src/dynload.h). A lint of an .env alone
# opens neither inih (the built-in catalog and schema are compiled in),
# libyaml (no compose file) nor libcurl (--offline): each would cost every
# start its loading. A --catalog file still opens inih, a compose file
# libyaml. glibc's loader names what it opens under LD_DEBUG=libs.
. "${top_srcdir:-.}/tests/setup.sh"

# libs ARGS...: the libraries a run of $KEC ARGS opens, in $T/libs
libs() {
	LD_DEBUG=libs "$KEC" "$@" >/dev/null 2>"$T/debug" || true
	sed -n 's/.*find library=\([^ ]*\) .*/\1/p' "$T/debug" |
	    sed 's/\.so.*//' | sort -u >"$T/libs"
}

mkdir "$T/plain"
printf 'API_PORT=3001\n' >"$T/plain/.env"
libs check --offline "$T/plain/.env"
grep -qx 'libc' "$T/libs" ||
    skip "the loader does not name the libraries it opens (not glibc?)"
expect_nogrep "$T/libs" "libinih" "an .env alone: inih not opened"
expect_nogrep "$T/libs" "libyaml" "an .env alone: libyaml not opened"
expect_nogrep "$T/libs" "libcurl" "an .env alone: libcurl not opened"

libs check --offline --catalog "$top_srcdir/tests/fuzz/seeds/ini/override.ini" \
    "$T/plain/.env"
expect_grep "$T/libs" "libinih" "a --catalog file: inih opened"
expect_nogrep "$T/libs" "libyaml" "a --catalog file: libyaml not opened"

cp -R "$top_srcdir/tests/compose/split" "$T/split"
libs check --offline "$T/split/.env"
expect_grep "$T/libs" "libyaml" "a compose file beside: libyaml opened"
expect_nogrep "$T/libs" "libinih" "a compose file beside: inih not opened"
finish
