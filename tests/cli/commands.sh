#!/bin/sh
# The command table (src/cli.c) drives dispatch, the top-level --help and
# each command's --help; option errors keep their exact wording.
. "$top_srcdir/tests/setup.sh"

EX=$top_srcdir/examples
export KODUS_ENVCHECK_DATE=2026-11-27
cmds="check env fix providers rules"

# The commands --help lists, in the table's order: a line "  NAME ..."
# at the start of each command's summary.
run "$KEC" --help
expect_rc 0 "--help"
cp "$T/out" "$T/help"
listed=$(sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' "$T/help" | uniq | tr '\n' ' ')
ntest=$((ntest + 1))
if [ "$listed" = "$cmds " ]; then pass "--help lists the commands in order: $listed"; else
	fail "--help lists '$listed', wanted '$cmds '"; fi
ntest=$((ntest + 1))
if head -5 "$T/help" | grep -qx 'Commands:' && tail -1 "$T/help" | grep -qx \
    'See kodus-envcheck(1) and kodus-envcheck.ini(5).'; then
	pass "--help: head, commands, tail"; else fail "--help head or tail"; fi

# Each command's summary: its synopsis line, then its description
# indented by 8 (what the entry's summary holds).
summary() {
	ntest=$((ntest + 1))
	if grep -A1 -xF -- "$1" "$T/help" | tail -1 | grep -qxF -- "$2"; then
		pass "summary of ${1%% [[-]*}"; else fail "no summary '$2' after '$1'"; fi
}
summary "  check [options] [FILE...]" \
    "        Lint the .env files (default ./.env), then check the LLM"
summary "  env [--dialect=compose|docker|node|kubectl] [--env-file-only]" \
    "      [--reveal] FILE"
summary "  fix [--dry-run] [--no-backup] [--for=READER] [--add-missing" \
    "      [--template FILE]] FILE..."
summary "  providers [--format=text|json] [--catalog FILE]" \
    "        Print the merged provider and model catalog."
summary "  rules [--format=text|json]" \
    "        List the rule ids that check reports and --ignore takes."

# "help" and "-h" are --help; no command at all prints it on stderr.
run "$KEC" help
expect_rc 0 "help"
ntest=$((ntest + 1))
if cmp -s "$T/help" "$T/out"; then pass "help is --help"; else fail "help differs from --help"; fi
run "$KEC" -h
ntest=$((ntest + 1))
if cmp -s "$T/help" "$T/out"; then pass "-h is --help"; else fail "-h differs from --help"; fi
run "$KEC"
expect_rc 2 "no command"
ntest=$((ntest + 1))
if [ ! -s "$T/out" ] && cmp -s "$T/help" "$T/err"; then pass "no command: --help on stderr"; else
	fail "no command: not --help on stderr"; fi

# Each listed command dispatches: its --help (and -h) is its usage, and
# the option parser finds the --help after an operand.
for c in $cmds; do
	run "$KEC" "$c" --help
	expect_rc 0 "$c --help"
	ntest=$((ntest + 1))
	if head -1 "$T/out" | grep -q "^usage: kodus-envcheck $c " && [ ! -s "$T/err" ]; then
		pass "$c --help is its usage"; else fail "$c --help: $(head -1 "$T/out")"; fi
	cp "$T/out" "$T/usage"
	run "$KEC" "$c" -h
	ntest=$((ntest + 1))
	if cmp -s "$T/usage" "$T/out"; then pass "$c -h"; else fail "$c -h differs from $c --help"; fi
	run "$KEC" "$c" operand --help
	ntest=$((ntest + 1))
	if [ "$rc" -eq 0 ] && cmp -s "$T/usage" "$T/out"; then pass "$c operand --help"; else
		fail "$c operand --help: status $rc"; fi
done

# ... and runs.
run "$KEC" rules
expect_rc 0 "rules runs"
expect_grep "$T/out" "required-missing" "rules lists a rule"
run "$KEC" providers --format=json
expect_rc 0 "providers runs"
expect_grep "$T/out" '{"providers":[' "providers prints JSON"
run "$KEC" env --dialect=docker "$EX/moonshot.env"
expect_rc 0 "env runs"
expect_grep "$T/out" '"API_LLM_PROVIDER_MODEL"' "env prints the variables"
cp "$EX/moonshot.env" "$T/m.env"
run "$KEC" fix --dry-run "$T/m.env"
expect_rc 0 "fix runs"
run "$KEC" check --offline "$EX/moonshot.env"
expect_rc 0 "check runs"
expect_out "0 errors, 0 warnings, 0 infos" "check's summary"
# check hands the --exec command back to be run once the report is out
run "$KEC" check --offline "$EX/moonshot.env" --exec -- sh -c 'echo ran "$0"' arg
expect_rc 0 "check --exec"
expect_out "ran arg" "the command ran, with its arguments"
expect_err "0 errors, 0 warnings, 0 infos" "the report went to stderr"

# Errors: exact text, status 2.
err() {
	want=$1
	shift
	run "$KEC" "$@"
	expect_rc 2 "$*"
	expect_err "$want" "message of: $*"
}
err "kodus-envcheck: unknown command 'bogus'
Try 'kodus-envcheck --help'." bogus
err "kodus-envcheck: unknown option '--bogus'
Try 'kodus-envcheck --help'." --bogus
err "kodus-envcheck: rules: unknown format 'xml' (use text or json)
Try 'kodus-envcheck rules --help'." rules --format=xml
err "kodus-envcheck: check: option '--timeout' needs a value
Try 'kodus-envcheck check --help'." check --timeout
err "kodus-envcheck: fix: option '--dry-run' takes no value
Try 'kodus-envcheck fix --help'." fix --dry-run=1
err "kodus-envcheck: env: unknown option '-z'
Try 'kodus-envcheck env --help'." env -z
err "kodus-envcheck: providers: unexpected argument 'a'
Try 'kodus-envcheck providers --help'." providers a
err "kodus-envcheck: check: --exec takes '--' and then the command: --exec -- CMD [ARGS...]
Try 'kodus-envcheck check --help'." check --exec
err "kodus-envcheck: check: --allow-unreachable goes with --exec
Try 'kodus-envcheck check --help'." check --offline --allow-unreachable x.env
err "kodus-envcheck: check: --ignore: no rule 'nosuch' (see kodus-envcheck(1), RULES)
Try 'kodus-envcheck check --help'." check --ignore=nosuch

finish
