#!/bin/sh
# Run every example of kodus-envcheck(1): each "$ command" line of an
# EXAMPLES display, from a directory with the project's examples/ and
# examples/moonshot.env as .env. Lines after a command are its exact
# output; a command shown without output must not fail with status 2.
. "$top_srcdir/tests/setup.sh"

man="$top_srcdir/man/kodus-envcheck.1"
mkdir "$T/bin" "$T/w"
ln -s "$KEC" "$T/bin/kodus-envcheck"
cp -R "$top_srcdir/examples" "$T/w/examples"
cp "$top_srcdir/examples/moonshot.env" "$T/w/.env"

# The displays of EXAMPLES, mdoc escapes (\e, \(lq, \(rq) undone,
# as "$ cmd" and output.
sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$man" |
	sed -n '/^\.Bd -literal/,/^\.Ed/p' |
	sed -e 's/\\e/\\/g' -e 's/\\(lq/“/g' -e 's/\\(rq/”/g' >"$T/displays"

n=0
flush() {
	[ -n "${cmd-}" ] || return 0
	n=$((n + 1))
	(cd "$T/w" && PATH="$T/bin:$PATH" KODUS_ENVCHECK_DATE=2026-11-27 \
	    sh -c "$cmd" >"$T/out" 2>"$T/err"; echo $? >"$T/rc") || true
	rc=$(cat "$T/rc")
	ntest=$((ntest + 1))
	if [ -s "$T/want" ]; then
		if cmp -s "$T/want" "$T/out"; then pass "example $n: $cmd"; else
			fail "example $n: $cmd"; diff "$T/want" "$T/out" | sed 's/^/  /'; fi
	elif [ "$rc" -ne 2 ] && [ "$rc" -lt 126 ]; then pass "example $n runs: $cmd (status $rc)"; else
		fail "example $n: $cmd: status $rc"; sed 's/^/  /' "$T/err"; fi
	cmd=
}
cmd=
while IFS= read -r line; do
	case $line in
	'.Bd '*) : >"$T/want" ;;
	'.Ed') flush ;;
	'$ '*) flush; cmd=${line#\$ }; : >"$T/want" ;;
	*) [ -n "$cmd" ] && printf '%s\n' "$line" >>"$T/want" ;;
	esac
done <"$T/displays"
ntest=$((ntest + 1))
if [ "$n" -ge 5 ]; then pass "$n examples run"; else fail "only $n examples found"; fi
finish
