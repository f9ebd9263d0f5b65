#!/bin/sh
# bad-interpolation goes by the kind of docker compose's error, not by the
# words of its message: each kind fires the rule with the message as the
# reader words it, and compose's other refusals do not fire it.
. "${top_srcdir:-.}/tests/setup.sh"

# only the bad-interpolation lines of $T/out into $T/bi, compared with $1
bi_is() {
	grep -F '[bad-interpolation]' "$T/out" >"$T/bi" || true
	printf '%s' "$1" >"$T/want"
	ntest=$((ntest + 1))
	if cmp -s "$T/want" "$T/bi"; then pass "$2"; else
		fail "$2: got"; cat "$T/bi"; echo "want"; cat "$T/want"; fi
}

printf 'A=x\nC=${B:?must be set}\n' >"$T/req.env"
run env -i "$KEC" check --offline --ignore unknown-variable "$T/req.env"
expect_rc 1 "required variable: exit 1"
bi_is "$T/req.env:2:3: error: required variable B is missing a value: must be set [bad-interpolation]
" "\${B:?msg}: the reader's message"

printf 'A="${B?}"\n' >"$T/req2.env"
run env -i "$KEC" check --offline --for=kubectl --ignore unknown-variable "$T/req2.env"
bi_is "$T/req2.env:1:3: warning: required variable B is missing a value [bad-interpolation]
" "\${B?} in double quotes, for kubectl: a warning"

# the first invalid reference, then each one after it, read again
printf 'A=${B\nC=1\nD=x${\nE="${X?}"\nF=${\n' >"$T/bad.env"
run env -i "$KEC" check --offline --ignore unknown-variable,quoted-value "$T/bad.env"
bi_is "$T/bad.env:1:3: error: invalid variable reference \"\${\": docker compose refuses the file [bad-interpolation]
$T/bad.env:3:3: error: invalid variable reference \"\${\": docker compose refuses the file [bad-interpolation]
" "invalid references: up to the one that is no invalid reference"

# compose refuses these files too, for other reasons: other rules say so
printf 'A="x\n' >"$T/open.env"
run env -i "$KEC" check --offline --ignore unknown-variable "$T/open.env"
expect_grep "$T/out" "$T/open.env:1:3: error: the double quote that opens the value is never closed: docker compose refuses the whole file [unterminated-quote]" "open quote: unterminated-quote"
bi_is "" "open quote: no bad-interpolation"
printf 'A@B=1\n' >"$T/name.env"
run env -i "$KEC" check --offline --ignore unknown-variable "$T/name.env"
bi_is "" "'@' in a name: no bad-interpolation"

# a limit of this program is no bad reference either (exit 2)
awk 'BEGIN { s = "A="; for (i = 0; i < 40; i++) s = s "${X:-"; s = s "v";
	for (i = 0; i < 40; i++) s = s "}"; print s }' >"$T/deep.env"
run env -i "$KEC" check --offline "$T/deep.env"
expect_rc 2 "nesting past the limit: exit 2"
bi_is "" "nesting past the limit: no bad-interpolation"

# Node's reader: a comment ends at \n, \r, U+2028 or U+2029, and at no
# other byte (an invalid byte before U+2029, a cut U+2028 are not ends)
printf '# c\342\200\250A=1\n# x\360\342\200\251B=2\n#\342\200\n C=3\n#\342\200\250' >"$T/lt.env"
run env -i "$KEC" env --dialect=node --reveal "$T/lt.env"
expect_rc 0 "node: line terminators in comments: exit 0"
expect_grep "$T/out" '{"ok":true,"env":{"A":"1","B":"2","C":"3"}}' "node: a comment ends at U+2028/U+2029 too"

finish
