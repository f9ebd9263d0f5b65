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

# A library that is not the one the tool needs (too old, or another
# build): a stub of the same name with none of its functions, first on
# LD_LIBRARY_PATH. Only the part that needs it stops, and the message
# names the package to install.
CCX=${CC:-cc}
command -v "${CCX%% *}" >/dev/null 2>&1 || { finish; exit; }
sonames() {
	LD_DEBUG=libs "$KEC" "$@" 2>&1 >/dev/null |
	    sed -n 's/.*find library=\(lib\(curl\|inih\|yaml\)[^ ]*\) .*/\1/p'
}
mkdir "$T/stub"
printf 'int kec_stub;\n' >"$T/stub.c"
for so in $( (sonames --version; sonames check --offline --catalog \
    "$top_srcdir/tests/fuzz/seeds/ini/override.ini" "$T/plain/.env") | sort -u); do
	# shellcheck disable=SC2086 # CC may hold flags
	$CCX -shared -fPIC -o "$T/stub/$so" "$T/stub.c"
done
stubbed() { run env LD_LIBRARY_PATH="$T/stub" "$KEC" "$@"; }
stubbed check --offline --catalog "$top_srcdir/tests/fuzz/seeds/ini/override.ini" "$T/plain/.env"
expect_rc 2 "inih without ini_parse_stream: status 2"
expect_err "kodus-envcheck: built-in providers.ini: libinih.so.1 has no ini_parse_stream: install a newer libinih1" "inih: the package named"
stubbed check --offline "$T/split/.env"
expect_rc 2 "libyaml without its parser: status 2"
expect_err "kodus-envcheck: $T/split/compose.yaml: libyaml-0.so.2 has no yaml_parser_initialize: install a newer libyaml-0-2" "libyaml: the package named"
cp "$top_srcdir/examples/moonshot.env" "$T/plain/live.env"
stubbed check "$T/plain/live.env"
expect_rc 3 "libcurl without curl_global_init: no verdict (status 3)"
expect_err "kodus-envcheck: live check: libcurl.so.4 has no curl_global_init: install a newer libcurl4 (7.66 or later)" "libcurl: the package and version named"
expect_grep "$T/out" "live check: skipped (libcurl is not available)" "libcurl: the report says the live check was skipped"
finish
