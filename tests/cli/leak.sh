#!/bin/sh
# The leak scan, on purpose: a known fake key in every place of a .env a
# key can end up (under its own name, a quoted name, another name, a
# comment, a URL, quotes of every kind), through every command and format
# that reads it, and a provider that echoes it back. No stdout, stderr,
# JSON or file left in the temp dir holds the key or any 5 characters of
# it (the mask sk-…S6t shows 3). tests/setup.sh scans every run of the
# other tests the same way; this test first proves the scan can fire.
. "$top_srcdir/tests/setup.sh"

PY=${PYTHON3:-python3}
KEY=sk-LEAKxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
EX=$top_srcdir/examples
export KODUS_ENVCHECK_DATE=2026-11-27
LEAK_OK=1	# this test scans each run itself, with a check of its own

# scanned DESCRIPTION [quiet]: nothing of the key in the last run's
# outputs or in a file it left in $TMPDIR; without "quiet", the run must
# have printed something to scan
scanned() {
	ntest=$((ntest + 1))
	: >"$T/leaks"
	leak_scan "$T/out" "$T/err" >>"$T/leaks" || true
	find "$T/tmp" -type f -exec grep -aHnF -f "$T/leak-patterns" {} + >>"$T/leaks" 2>/dev/null || true
	if [ -s "$T/leaks" ]; then fail "$1: the key leaked"; sed 's/^/  | /' "$T/leaks" | head -5
	elif [ "${2-}" != quiet ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then fail "$1: no output to scan"
	else pass "$1: no key ($(cat "$T/out" "$T/err" | wc -c) bytes scanned)"; fi
}

# ---- the scan itself fires, and not on the mask ----------------------------
printf 'API_OPEN_AI_API_KEY=%s\n' "$KEY" >"$T/out"
: >"$T/err"
ntest=$((ntest + 1))
if leak_scan "$T/out" >/dev/null; then pass "the scan finds the whole key"; else fail "the scan misses the whole key"; fi
printf 'part of it: N8pL2\n' >"$T/out"
ntest=$((ntest + 1))
if leak_scan "$T/out" >/dev/null; then pass "the scan finds 5 characters of it"; else fail "the scan misses a fragment"; fi
printf 'masked: sk-…S6t, last four: rS6t\n' >"$T/out"
ntest=$((ntest + 1))
if leak_scan "$T/out" >/dev/null; then fail "the scan fires on the mask"; else pass "the mask and the last four characters are no leak"; fi
run "$KEC" env --reveal "$EX/moonshot.env"
printf 'API_OPEN_AI_API_KEY=%s\n' "$KEY" >"$T/r.env"
run "$KEC" env --reveal "$T/r.env"
ntest=$((ntest + 1))
if leak_scan "$T/out" >/dev/null; then pass "the scan catches env --reveal"; else fail "the scan misses env --reveal"; fi

# ---- a .env with the key everywhere ----------------------------------------
{
	sed "s|^API_OPEN_AI_API_KEY=.*|API_OPEN_AI_API_KEY=$KEY |" "$EX/moonshot.env"
	printf '# the old key: %s\n' "$KEY"
	printf '"API_OPENAI_API_KEY"=%s\n' "$KEY"
	printf 'API_LOG_LEVEL=%s\n' "$KEY"
	printf 'API_LLM_PROVIDER_MODEL_FALLBACK=\342\200\234%s\342\200\235\n' "$KEY"
	printf "API_RABBITMQ_URI=amqp://kodus:%s@rabbitmq:5672/kodus\n" "$KEY"
	printf 'API_WEBHOOKS_URL="https://hooks.example.com/?token=%s" # pasted\n' "$KEY"
	printf "EXTRA_TOKEN='%s'\n" "$KEY"
	printf 'BROKEN=`%s\n' "$KEY"
} >"$T/all.env"
cp "$T/all.env" "$T/all.copy"

for f in text json github; do
	run "$KEC" check --offline --format=$f "$T/all.env"
	expect_rc 1 "check --format=$f finds the errors"
	scanned "check --offline --format=$f"
done
run "$KEC" check --offline --strict --api "$T/all.env" --worker "$EX/moonshot.env"
scanned "check --api/--worker (drift between the two)"
for d in compose docker node; do
	run "$KEC" env --dialect=$d "$T/all.env"
	scanned "env --dialect=$d"
done
printf 'API_OPEN_AI_API_KEY=%s\n' "$KEY" >"$T/plain.env"
run "$KEC" env "$T/plain.env"
expect_grep "$T/out" '"API_OPEN_AI_API_KEY":"sk-…S6t"' "env shows the mask"
scanned "env on a readable file"
run "$KEC" fix --dry-run "$T/all.env"
scanned "fix --dry-run"
run "$KEC" fix --dry-run --for=docker "$T/all.env"
scanned "fix --dry-run --for=docker"
ntest=$((ntest + 1))
if cmp -s "$T/all.env" "$T/all.copy"; then pass "--dry-run left the file alone"; else fail "--dry-run changed the file"; fi
# without the quoted name and the unterminated backquote, which compose
# refuses
grep -v '^"\|^BROKEN' "$T/all.copy" >"$T/fixme.env"
run "$KEC" fix "$T/fixme.env"
expect_rc 0 "fix writes"
expect_grep "$T/out" "fixed trailing-whitespace 1, smart-quotes 1" "what fix did"
scanned "fix"
ntest=$((ntest + 1))
if [ -z "$(ls -A "$T" | grep '\.kodus-envcheck\.')" ]; then pass "no temp file left beside the file"; else fail "a temp file was left"; fi

# ---- the process environment -------------------------------------------------
run env API_OPEN_AI_API_KEY="$KEY " API_LLM_PROVIDER_MODEL="$KEY" "$KEC" check --environ --offline --format=json
scanned "check --environ"
run sh -c 'set -a; . "$1"; set +a; exec "$2" check --environ --offline --exec -- true' sh "$EX/moonshot.env" "$KEC"
expect_rc 0 "--exec runs the command"
run sh -c 'set -a; . "$1"; set +a; API_OPEN_AI_API_KEY="$3 "; export API_OPEN_AI_API_KEY; exec "$2" check --environ --offline --exec -- true' sh "$EX/moonshot.env" "$KEC" "$KEY"
expect_rc 1 "--exec refuses"
scanned "check --environ --exec that refuses"
run "$KEC" check --offline --exec -- /nonexistent/app "$KEY"
scanned "--exec of a command that is not there"

# ---- usage errors that name an argument ---------------------------------------
run "$KEC" check --offline --ignore "$KEY" "$EX/moonshot.env"
scanned "--ignore with a key for a rule"
run "$KEC" env --dialect="$KEY" "$T/plain.env"
scanned "env --dialect with a key"

# ---- live: a provider that accepts it, one that echoes it ---------------------
if command -v "$PY" >/dev/null 2>&1; then
	mock ok --key "$KEY"
	mock echo --scenario echo-key
	# every sibling of moonshot on loopback: no key goes to a real host
	printf '[provider moonshot]\nbase_url = http://127.0.0.1:%s/v1\n\n[provider moonshot-cn]\nbase_url = http://127.0.0.1:%s/v1\n\n[provider kimi-code]\nbase_url = http://127.0.0.1:%s/v1\n' \
	    "$echo_port" "$ok_port" "$echo_port" >"$T/cat.ini"
	for port in "$ok_port" "$echo_port"; do
		sed -e "s|^API_OPENAI_FORCE_BASE_URL=.*|API_OPENAI_FORCE_BASE_URL=http://127.0.0.1:$port/v1|" \
		    -e "s|^API_OPEN_AI_API_KEY=.*|API_OPEN_AI_API_KEY=$KEY|" "$EX/moonshot.env" >"$T/live-$port.env"
	done
	for f in text json github; do
		run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --deep --format=$f "$T/live-$ok_port.env"
		expect_rc 0 "live, a good key, --format=$f"
		[ $f = github ] && q=quiet || q=
		scanned "live, a good key, --format=$f" $q
		run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --format=$f --no-cross-region "$T/live-$echo_port.env"
		expect_rc 1 "live, a provider that echoes the key, --format=$f"
		scanned "live, the key echoed whole, in part and in a header, --format=$f"
	done
	run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check "$T/live-$echo_port.env"
	expect_rc 1 "live: the echoing region refuses, the sibling accepts"
	expect_grep "$T/out" "region-mismatch" "the region diagnosis"
	scanned "live, the region diagnosis"
fi
finish
