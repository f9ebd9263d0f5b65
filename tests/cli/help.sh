#!/bin/sh
# --help, --version, and --help kept in step with the man page.
. "$top_srcdir/tests/setup.sh"

run "$KEC" --help
expect_rc 0 "--help"
expect_grep "$T/out" "usage: kodus-envcheck" "--help usage line"
run "$KEC" --version
expect_rc 0 "--version"
ntest=$((ntest + 1))
if head -1 "$T/out" | grep -Eq '^kodus-envcheck [0-9]+\.[0-9]+\.[0-9]+$'; then pass "version line"; else fail "version line: $(head -1 "$T/out")"; fi
expect_grep "$T/out" "libcurl " "--version names libcurl"
expect_grep "$T/out" "cJSON " "--version names cJSON"
expect_grep "$T/out" "inih " "--version names inih"

# Every long option in --help is documented in the man page (as Fl -x),
# and every option the man page documents is in --help.
man="$top_srcdir/man/kodus-envcheck.1"
"$KEC" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$T/help-opts"
grep -oE 'Fl \\?-[a-z][a-z-]*' "$man" | sed -E 's/^Fl \\?-/--/' | sort -u >"$T/man-opts"
ntest=$((ntest + 1))
if cmp -s "$T/help-opts" "$T/man-opts"; then pass "--help and man page list the same $(wc -l <"$T/help-opts") options"; else
	fail "--help and man page disagree"; diff "$T/help-opts" "$T/man-opts" | sed 's/^/  /'; fi

# The same commands in --help and in the man page's SYNOPSIS.
"$KEC" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' | sort -u >"$T/help-cmds"
sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$man" | sed -n 's/^\.Cm \([a-z][a-z]*\)$/\1/p' | sort -u >"$T/man-cmds"
ntest=$((ntest + 1))
if [ -s "$T/help-cmds" ] && cmp -s "$T/help-cmds" "$T/man-cmds"; then pass "--help and man page list the same commands: $(tr '\n' ' ' <"$T/help-cmds")"; else
	fail "commands differ"; diff "$T/help-cmds" "$T/man-cmds" | sed 's/^/  /'; fi

finish
