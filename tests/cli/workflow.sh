#!/bin/sh
# How kodus-envcheck fits other tools: GNU option order, --help and usage
# errors on every subcommand, JSON from rules, --quiet, the environment's
# ignore list.
. "$top_srcdir/tests/setup.sh"
EX=$top_srcdir/examples

# ---- options after operands (GNU permutation), until "--" ----------------
{ cat "$EX/moonshot.env"; printf 'API_PORT="3001"\n'; } >"$T/q.env"
run "$KEC" check --for=docker --offline "$T/q.env"
expect_grep "$T/out" "[quoted-value]" "quoted-value fires"
run "$KEC" check --for=docker "$T/q.env" --offline --ignore quoted-value
expect_rc 0 "--ignore after the file is an option"
expect_nogrep "$T/out" "[quoted-value]" "--ignore after the file silences the rule"
expect_nogrep "$T/err" "No such file" "--ignore not read as a file"
run "$KEC" check --for=docker --offline -- "$T/q.env" --ignore
expect_rc 2 "after --, --ignore is a file"
expect_err "kodus-envcheck: --ignore: No such file or directory" "after --, --ignore is a file name"
run "$KEC" env "$T/q.env" --dialect=docker
expect_rc 0 "env: option after FILE"
expect_grep "$T/out" '"API_PORT":"\"3001\""' "env: --dialect after FILE is used"
run "$KEC" check --for=docker "$T/q.env" --ignore quoted-value --offline --exec -- sh -c 'echo "app: $1"' sh --offline
expect_rc 0 "--exec: the command's own options stay its own"
expect_out "app: --offline" "--exec: what follows -- is the command's"

# ---- --exec: standard output is the app's ----------------------------------
run "$KEC" check --for=docker --offline "$T/q.env" --exec -- sh -c 'echo "{\"app\":1}"'
expect_rc 0 "--exec with a warning runs the app"
expect_out '{"app":1}' "--exec: stdout holds only the app's output"
expect_grep "$T/err" "[quoted-value]" "--exec: the findings on stderr"
expect_grep "$T/err" "0 errors, 1 warning, 0 infos" "--exec: the summary on stderr"
run "$KEC" check --for=docker --offline --format=json "$T/q.env" --exec -- sh -c 'echo app'
expect_out "app" "--exec --format=json: stdout still the app's"
expect_grep "$T/err" '"rule":"quoted-value"' "--exec --format=json: the JSON on stderr"
run "$KEC" check --offline "$EX/broken.env" --exec -- sh -c 'echo app'
expect_rc 1 "--exec with errors: the app is not run"
ntest=$((ntest + 1))
if [ ! -s "$T/out" ]; then pass "--exec with errors: nothing on stdout"; else fail "stdout: $(head -3 "$T/out")"; fi
expect_grep "$T/err" "9 errors, 1 warning, 2 infos" "--exec with errors: the report on stderr"

# ---- --help on every subcommand, usage on stdout, status 0 ----------------
for c in check env fix providers rules; do
	run "$KEC" "$c" --help
	expect_rc 0 "$c --help"
	expect_grep "$T/out" "usage: kodus-envcheck $c" "$c --help: usage on stdout"
	run "$KEC" "$c" -h
	expect_rc 0 "$c -h"
	run "$KEC" "$c" --frobnicate
	expect_rc 2 "$c: unknown option"
	expect_err "kodus-envcheck: $c: unknown option '--frobnicate'
Try 'kodus-envcheck $c --help'." "$c: one wording for an unknown option"
done
run "$KEC" check --offline --api
expect_err "kodus-envcheck: check: option '--api' needs a value
Try 'kodus-envcheck check --help'." "check: a missing value"
run "$KEC" check --offline=yes
expect_err "kodus-envcheck: check: option '--offline' takes no value
Try 'kodus-envcheck check --help'." "check: a value where none goes"
run "$KEC" fix
expect_err "kodus-envcheck: fix: no FILE given
Try 'kodus-envcheck fix --help'." "fix: no FILE, same wording"

# ---- rules and providers as JSON -----------------------------------------
run "$KEC" rules --format=json
expect_rc 0 "rules --format=json"
ntest=$((ntest + 1))
if "${PYTHON3:-python3}" -c 'import json,sys; a=json.load(open(sys.argv[1])); assert len(a) > 30 and all(set(r) >= {"id","group","summary"} for r in a); assert any(r["id"] == "quoted-value" for r in a)' "$T/out"; then
	pass "rules JSON: every rule with id, group, summary"; else fail "rules JSON"; fi
run "$KEC" rules --format json
expect_rc 0 "rules --format json (separate value)"
run "$KEC" rules --format=xml
expect_rc 2 "rules: unknown format"
expect_grep "$T/err" "kodus-envcheck: rules: unknown format 'xml' (use text or json)" "rules: format named"
run "$KEC" rules extra
expect_rc 2 "rules: an operand"
run "$KEC" providers --format json
expect_rc 0 "providers --format json"
ntest=$((ntest + 1))
if "${PYTHON3:-python3}" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["providers"] and d["models"]' "$T/out"; then
	pass "providers JSON parses"; else fail "providers JSON"; fi

# ---- --quiet: the findings alone; nothing when clean ---------------------
run "$KEC" check --for=docker --offline --quiet "$T/q.env"
expect_rc 0 "--quiet: a warning"
expect_out "$T/q.env:43:10: warning: docker run --env-file and kubectl keep the quotes: they see '\"3001\"' [quoted-value]
    hint: API_PORT=3001" "--quiet: the finding and its hint, no summary line"
run "$KEC" check --offline --quiet "$EX/moonshot.env"
expect_rc 0 "--quiet: clean"
ntest=$((ntest + 1))
if [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then pass "--quiet: nothing at all when clean"; else fail "--quiet printed: $(cat "$T/out" "$T/err")"; fi
run "$KEC" check --offline "$EX/moonshot.env"
expect_out "0 errors, 0 warnings, 0 infos" "without --quiet, the summary line"
run "$KEC" check --offline --quiet "$EX/broken.env"
expect_rc 1 "--quiet keeps the exit status"
expect_nogrep "$T/out" "errors," "--quiet: no summary with findings"
expect_grep "$T/out" "[type-mismatch]" "--quiet: findings printed"

# ---- KODUS_ENVCHECK_IGNORE: --ignore from the environment -----------------
run env KODUS_ENVCHECK_IGNORE=quoted-value,trailing-whitespace "$KEC" check --for=docker --offline "$T/q.env"
expect_rc 0 "KODUS_ENVCHECK_IGNORE"
expect_out "0 errors, 0 warnings, 0 infos" "KODUS_ENVCHECK_IGNORE silences the rules"
run env KODUS_ENVCHECK_IGNORE= "$KEC" check --for=docker --offline "$T/q.env"
expect_grep "$T/out" "[quoted-value]" "an empty KODUS_ENVCHECK_IGNORE silences nothing"
run env KODUS_ENVCHECK_IGNORE=trailing-whitespace "$KEC" check --for=docker --offline --ignore quoted-value "$T/q.env"
expect_out "0 errors, 0 warnings, 0 infos" "KODUS_ENVCHECK_IGNORE and --ignore add up"
run env KODUS_ENVCHECK_IGNORE=quoted-value,no-such-rule "$KEC" check --for=docker --offline "$T/q.env"
expect_rc 2 "KODUS_ENVCHECK_IGNORE: unknown rule"
expect_err "kodus-envcheck: check: KODUS_ENVCHECK_IGNORE: no rule 'no-such-rule' (see kodus-envcheck(1), RULES)
Try 'kodus-envcheck check --help'." "KODUS_ENVCHECK_IGNORE: the variable named"

# ---- messages: blanks counted, every bad ${ ------------------------------
printf 'FOO=abc \t\t\nBAR=x\t\t\nBAZ=y\t\nQUX=z  \t\n' >"$T/ws.env"
run "$KEC" check --offline --for=docker --ignore unknown-variable "$T/ws.env"
expect_grep "$T/out" "$T/ws.env:1:8: warning: 1 space and 2 tabs after the value" "space and tabs counted apart"
expect_grep "$T/out" "$T/ws.env:2:6: warning: 2 tabs after the value" "2 tabs"
expect_grep "$T/out" "$T/ws.env:3:6: warning: a tab after the value" "a tab"
expect_grep "$T/out" "$T/ws.env:4:6: warning: 2 spaces and 1 tab after the value" "spaces and a tab"
printf 'A=${B\nC=ok\nD=x${\nE=\047${\047\nF="${G"\n' >"$T/bad.env"
run "$KEC" check --offline --ignore unknown-variable,quoted-value "$T/bad.env"
grep -F '[bad-interpolation]' "$T/out" >"$T/bi" || true
printf '%s\n' "$T/bad.env:1:3: error: invalid variable reference \"\${\": docker compose refuses the file [bad-interpolation]" \
    "$T/bad.env:3:3: error: invalid variable reference \"\${\": docker compose refuses the file [bad-interpolation]" \
    "$T/bad.env:5:3: error: invalid variable reference \"\${\": docker compose refuses the file [bad-interpolation]" >"$T/want"
ntest=$((ntest + 1))
if cmp -s "$T/want" "$T/bi"; then pass "each bad \${ reported, not the single-quoted one"; else fail "bad \${: $(cat "$T/bi")"; fi
printf 'A=${B:-x}\nC=${D}\n' >"$T/good.env"
run "$KEC" check --offline --ignore unknown-variable "$T/good.env"
expect_nogrep "$T/out" "[bad-interpolation]" "good references: no bad-interpolation"

finish
