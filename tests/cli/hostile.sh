#!/bin/sh
# Hostile files (issue 11, items 1, 2 and 17): small files whose reading
# cost gigabytes, blew the stack or took minutes. Each run is under a
# 200 MB address-space limit (so that a regression fails instead of
# eating the machine) and `timeout` as a hang guard only: the checks
# are the exit status, the exact message, and the bytes on disk.
. "$top_srcdir/tests/setup.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip "python3 not found"
command -v timeout >/dev/null 2>&1 || skip "timeout not found"
H=$T/h
mkdir "$H"
"$PY" "$top_srcdir/tests/gen-hostile.py" "$H"
cd "$H"

if vm_limitable; then
	LIMIT='ulimit -v 204800 &&'
else
	LIMIT=
	echo "# a sanitizer build cannot run under ulimit -v: no memory limit"
fi
# bounded CMD...: CMD under 200 MB of address space, killed after 120 s
bounded() {
	run sh -c "$LIMIT exec timeout 120 \"\$@\"" sh "$@"
}

# expect_limit LABEL MESSAGE: status 2, nothing on stdout, stderr is
# exactly MESSAGE
expect_limit() {
	expect_rc 2 "$1"
	expect_err "kodus-envcheck: $2" "$1: message"
	ntest=$((ntest + 1))
	if [ ! -s "$T/out" ]; then pass "$1: no output"; else
		fail "$1: $(head -c 200 "$T/out")"; fi
}

# ---- 1. each value twice the one before ----------------------------------
V18='exp.env:19:5: V18: value longer than 1 MiB after interpolation (a limit of kodus-envcheck)'
bounded "$KEC" env exp.env
expect_limit "env: exponential values" "$V18"
bounded "$KEC" check --offline exp.env
expect_limit "check: exponential values" "$V18"
bounded "$KEC" check --offline --format=json exp.env
expect_limit "check --format=json: exponential values" "$V18"
cp exp.env exp.orig
bounded "$KEC" fix --dry-run exp.env
expect_limit "fix --dry-run: exponential values" "$V18; nothing written"
bounded "$KEC" fix exp.env
expect_limit "fix: exponential values" "$V18; nothing written"
ntest=$((ntest + 1))
if cmp -s exp.env exp.orig && [ ! -e exp.env.bak ] && [ "$(ls -A "$T/tmp")" = "" ]; then
	pass "fix: the file is untouched, no backup, no temp file"; else
	fail "fix left traces"; ls -la; fi
bounded "$KEC" env total.env
expect_limit "env: 16 MiB of values in all" 'total.env:41:5: C30: interpolated values longer than 16 MiB in all (a limit of kodus-envcheck)'

# the largest value that passes: exactly 1 MiB
bounded "$KEC" env ok-1mib.env
expect_rc 0 "a value of exactly 1 MiB"
ntest=$((ntest + 1))
n=$("$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["env"]["V17"]))' <"$T/out")
if [ "$n" = 1048576 ]; then pass "V17 is 1 MiB long"; else fail "V17: $n bytes"; fi

# ---- 2. nesting ------------------------------------------------------------
for f in nest-dash nest-qmark nest-minus nest-question; do
	for q in "" -dq; do
		bounded "$KEC" env $f$q.env
		expect_limit "env: 50,000 levels ($f$q)" "$f$q.env:1:3: A: variable references nested more than 32 deep (a limit of kodus-envcheck)"
	done
done
NEST='nest-dash.env:1:3: A: variable references nested more than 32 deep (a limit of kodus-envcheck)'
bounded "$KEC" check --offline nest-dash.env
expect_limit "check: 50,000 levels" "$NEST"
bounded "$KEC" fix --dry-run nest-dash.env
expect_limit "fix --dry-run: 50,000 levels" "$NEST; nothing written"
bounded "$KEC" env nest33.env
expect_limit "env: 33 levels" 'nest33.env:1:3: A: variable references nested more than 32 deep (a limit of kodus-envcheck)'
bounded "$KEC" env ok-nest32.env
expect_rc 0 "32 levels"
expect_out '{"ok":true,"env":{"A":"v"}}' "32 levels: the default value"
# 100,000 references side by side: compose-go substitutes the tail after
# each one's closing brace; that is a loop here, not a recursion
bounded "$KEC" env side.env
expect_rc 0 "100,000 references side by side"
ntest=$((ntest + 1))
if "$PY" -c 'import json,sys; v=json.load(sys.stdin)["env"]["A"]; sys.exit(v != "v" * 100000)' <"$T/out"; then
	pass "side by side: 100,000 defaults"; else fail "side by side: $(head -c 200 "$T/out")"; fi

# ---- 17. reads: a size limit for every file, linear time -------------------
BIG='larger than 16 MiB, the most kodus-envcheck reads of a file'
bounded "$KEC" env /dev/zero
expect_limit "env /dev/zero" "/dev/zero: $BIG"
run sh -c "$LIMIT exec timeout 120 \"\$1\" env - </dev/zero" sh "$KEC"
expect_limit "env - </dev/zero" "<stdin>: $BIG"
bounded "$KEC" check --offline --catalog /dev/zero small.env
expect_limit "check --catalog /dev/zero" "catalog /dev/zero: $BIG"
bounded "$KEC" check --offline --schema /dev/zero small.env
expect_limit "check --schema /dev/zero" "/dev/zero: $BIG"
bounded "$KEC" providers --catalog /dev/zero
expect_limit "providers --catalog /dev/zero" "catalog /dev/zero: $BIG"
"$PY" -c 'import os,sys; f=open(sys.argv[1],"wb"); f.truncate((16 << 20) + 1)' sparse.env
bounded "$KEC" check --offline sparse.env
expect_limit "check: a file of 16 MiB and a byte" "sparse.env: $BIG"
bounded "$KEC" fix sparse.env
expect_limit "fix: a file of 16 MiB and a byte" "sparse.env: $BIG"

# 200,000 variables in the .env.example, given and found beside the file
bounded "$KEC" check --offline --schema schema.env.example small.env
expect_rc 1 "200,000-variable .env.example"
expect_grep "$T/out" "small.env:1:12: error: 'not a url' is not a URL (scheme://host...) [type-mismatch]" "its last variable is known"
mkdir beside
cp schema.env.example beside/.env.example
cp small.env beside/.env
bounded "$KEC" check --offline beside/.env
expect_rc 1 "200,000-variable .env.example beside the file"
expect_grep "$T/out" "(schema: beside/.env.example, found beside the file)" "the one beside the file is used"
# 130,000 providers
bounded "$KEC" providers --catalog catalog.ini
expect_rc 0 "130,000-provider catalog"
ntest=$((ntest + 1))
if grep -q '^p129999 ' "$T/out"; then pass "its last provider is listed"; else
	fail "p129999 not listed"; fi
bounded "$KEC" check --offline --catalog catalog.ini small.env
expect_rc 1 "check with a 130,000-provider catalog"

cd - >/dev/null
finish
