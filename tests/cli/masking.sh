#!/bin/sh
# The one masking and escaping path (issue 11, items 3, 9, 10, 15): a key
# or password in the base URL, control bytes and invalid UTF-8 in values,
# file names and server answers, and a key the server echoes whatever its
# shape, in every output format, offline and against the loopback mock.
# Every run is also scanned for the fake key by tests/setup.sh.
. "$top_srcdir/tests/setup.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip "python3 not found"
KEY=sk-MASKxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
EX=$top_srcdir/examples/moonshot.env
BASE=API_OPENAI_FORCE_BASE_URL
export KODUS_ENVCHECK_DATE=2026-11-27
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY 2>/dev/null || true
ESC=$(printf '\033')

# envfile FILE BASE [KEY]: the clean example pointed at BASE with KEY
envfile() {
	sed -e "s|^$BASE=.*|$BASE=$2|" \
	    -e "s|^API_OPEN_AI_API_KEY=.*|API_OPEN_AI_API_KEY=${3:-$KEY}|" "$EX" >"$1"
}

# valid_json DESCRIPTION: stdout is one JSON document in strict UTF-8
valid_json() {
	ntest=$((ntest + 1))
	jquery str 1
	if [ "$jq_answer" = 1 ]; then pass "$1: valid JSON"
	else fail "$1: not valid JSON: $jq_answer"; fi
}
# expect_json EXPR WANTED DESCRIPTION: str(EXPR) of the JSON on stdout
expect_json() {
	ntest=$((ntest + 1))
	jquery str "$1"
	if [ "$jq_answer" = "$2" ]; then pass "$3"
	else fail "$3: $1 is '$jq_answer', wanted '$2'"; fi
}
# no_ctl FILE DESCRIPTION: no ESC, no other control byte but the newline,
# and valid UTF-8
no_ctl() {
	ntest=$((ntest + 1))
	jquery text - "$1"
	if [ "$jq_answer" = ok ]; then pass "$2: no raw control byte, valid UTF-8"
	else fail "$2: raw control bytes or invalid UTF-8"; cat -A "$1" | head -5 | sed 's/^/  /'; fi
}
json_queries

# ---- item 3: a key in the base URL, offline --------------------------------
MSG_Q="the base URL holds a secret in its query string: Kodus appends /chat/completions after it, so every request fails, and the secret is written to every access log on the way; not sent"
HINT="take the secret out of $BASE: Kodus sends the key from API_OPEN_AI_API_KEY in a header"
envfile "$T/q.env" "https://api.moonshot.ai/v1?key=$KEY"
run "$KEC" check --offline "$T/q.env"
expect_rc 1 "a key in the query string is an error"
expect_out "$T/q.env:8:27: error: $MSG_Q [secret-in-url]
    hint: $HINT
1 error, 0 warnings, 0 infos" "secret-in-url, text: the message and hint, nothing else"
run "$KEC" check --offline --format=json "$T/q.env"
valid_json "secret-in-url, json"
expect_json '(d["diagnostics"][0]["rule"], d["diagnostics"][0]["severity"], d["diagnostics"][0]["message"])' \
    "('secret-in-url', 'error', '$MSG_Q')" "secret-in-url, json"
run "$KEC" check --offline --format=github "$T/q.env"
expect_out "::error file=$T/q.env,line=8,col=27,title=secret-in-url::$MSG_Q%0Ahint: $HINT" "secret-in-url, github"

# the same key with no scheme: the base-url-scheme hint shows the URL masked
envfile "$T/ns.env" "api.moonshot.ai/v1?key=$KEY"
for f in text json github; do
	run "$KEC" check --offline --format=$f "$T/ns.env"
	expect_rc 1 "no scheme and a key, --format=$f"
	expect_grep "$T/out" "API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1?key=***" "the hint masks the query value, --format=$f"
done

# a secret-named parameter that is not the key; the fragment; the path
envfile "$T/t.env" "https://api.moonshot.ai/v1?token=s3cr3tTOKENvalue"
run "$KEC" check --offline --format=json "$T/t.env"
expect_json '[x["rule"] for x in d["diagnostics"]]' "['secret-in-url']" "token= in the query string"
expect_nogrep "$T/out" "s3cr3tTOKENvalue" "the token is not printed"
envfile "$T/f.env" "https://api.moonshot.ai/v1#$KEY"
run "$KEC" check --offline "$T/f.env"
expect_grep "$T/out" "the base URL holds a secret in its fragment ('#...'): Kodus appends /chat/completions after it, so every request fails; not sent [secret-in-url]" "the key after '#'"
envfile "$T/p.env" "https://gw.example/$KEY/v1"
run "$KEC" check --offline "$T/p.env"
expect_grep "$T/out" "error: the base URL holds the key in its path: it would travel in every request line, which proxies and access logs record; not sent [secret-in-url]" "the key in the path"

# must not fire: a plain base URL, a query that holds no secret, a path
# that merely looks like one
for u in "https://api.moonshot.ai/v1" "https://gw.example/v1?api-version=2024-10-21" "https://gw.example/openai/sk-team/v1"; do
	envfile "$T/ok.env" "$u"
	run "$KEC" check --offline --format=json "$T/ok.env"
	expect_nogrep "$T/out" "secret-in-url" "no secret-in-url for $u"
done

# ---- item 10: a gateway password in the userinfo ----------------------------
MSG_U="the base URL carries a user name or password (user:***@): Node's fetch, which Kodus's OpenAI client uses, refuses such a URL, so every request fails, and its error message quotes the URL"
envfile "$T/u.env" "https://gw:hunter2pass@gw.example/v1"
run "$KEC" check --offline "$T/u.env"
expect_rc 1 "a password in the userinfo is an error"
expect_out "$T/u.env:8:27: error: $MSG_U [secret-in-url]
    hint: $HINT
1 error, 0 warnings, 0 infos" "userinfo, text"
for f in json github; do
	run "$KEC" check --offline --format=$f "$T/u.env"
	expect_grep "$T/out" "refuses such a URL" "userinfo, --format=$f"
done
# and where a URL with a password is printed, the password is not
envfile "$T/u2.env" "http://gw:hunter2pass@gw.example/v1/chat/completions"
for f in text json github; do
	run "$KEC" check --offline --format=$f "$T/u2.env"
	expect_grep "$T/out" "http://gw:***@gw.example/v1" "the endpoint hint masks the password, --format=$f"
	expect_nogrep "$T/out" "hunter2pass" "no password, --format=$f"
done

# ---- secret values elsewhere, and URLs in other variables --------------------
{
	cat "$EX"
	printf 'API_LOG_LEVEL=3f1c9a7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a\n'
	printf 'DATABASE_URL=postgres://kodus:pgpass1234@db:5432/kodus\n'
} >"$T/s.env"
run "$KEC" check --offline --format=json "$T/s.env"
valid_json "secret values elsewhere"
expect_grep "$T/out" "'3f1…f3a' is not one of error, warn, info, debug" "the DB password in another variable shows its mask"
expect_nogrep "$T/out" "c9a7e5b2d4" "no part of the DB password"
run "$KEC" env "$T/s.env"
expect_grep "$T/out" '"API_LOG_LEVEL":"3f1…f3a"' "env: a secret's value in another variable"
expect_grep "$T/out" '"API_RABBITMQ_URI":"amqp://kodus:***@rabbitmq:5672/kodus-ai"' "env: a URL's password"
expect_grep "$T/out" '"DATABASE_URL":"postgres://kodus:***@db:5432/kodus"' "env: a URL's password under any name"

# ---- item 9: control bytes and invalid UTF-8 in values and file names --------
{
	cat "$EX"
	printf 'API_LOG_LEVEL=x\033[2K\\n0 errors\n'
	printf 'API_LOG_FORMAT="a\nb\377c"\n'
} >"$T/c.env"
run "$KEC" check --offline "$T/c.env"
no_ctl "$T/out" "control bytes in values, text"
expect_grep "$T/out" "error: 'x\\x1B[2K\\n0 errors' is not one of error, warn, info, debug [type-mismatch]" "ESC and a newline escaped, text"
run "$KEC" check --offline --format=github "$T/c.env"
no_ctl "$T/out" "control bytes in values, github"
expect_grep "$T/out" "'x\\x1B[2K\\n0 errors' is not one of" "ESC and a newline escaped, github"
run "$KEC" check --offline --format=json "$T/c.env"
valid_json "control bytes and invalid UTF-8 in values"
no_ctl "$T/out" "control bytes in values, json"

bad="$T/a${ESC}[2K
0 errors, 0 warnings, 0 infos$(printf '\377').env"
cp "$T/c.env" "$bad"
shown="$T/a\\x1B[2K\\n0 errors, 0 warnings, 0 infos\\xFF.env"
run "$KEC" check --offline "$bad"
no_ctl "$T/out" "a file name with ESC, a newline and 0xFF, text"
expect_grep "$T/out" "$shown:43:15: error: 'x" "the file name escaped, text"
ntest=$((ntest + 1))
if [ "$(grep -c '^0 errors' "$T/out")" = 0 ]; then pass "no forged summary line"; else fail "a forged summary line"; fi
run "$KEC" check --offline --format=json "$bad"
valid_json "a file name with ESC, a newline and 0xFF"
expect_json 'd["files"][0]["path"] == d["diagnostics"][0]["file"]' "True" "json: path and file agree"
expect_json 'd["files"][0]["path"].endswith("a\\x1B[2K\\n0 errors, 0 warnings, 0 infos\\xFF.env")' "True" "the file name escaped, json"
run "$KEC" check --offline --format=github "$bad"
no_ctl "$T/out" "a file name with ESC, a newline and 0xFF, github"
run "$KEC" fix --dry-run "$bad"
no_ctl "$T/out" "a file name with ESC, a newline and 0xFF, fix --dry-run"
expect_grep "$T/out" "$shown: nothing to fix" "the file name escaped, fix"
run "$KEC" check --offline "$T/nonexistent${ESC}[2K.env"
expect_err "kodus-envcheck: $T/nonexistent\\x1B[2K.env: No such file or directory" "the file name escaped on standard error"
run "$KEC" env "$T/c.env"
valid_json "env with invalid UTF-8"

# a key-shaped word in a file's path is masked in every format (SARIF's
# artifact URI once showed it whole)
mkdir "$T/sk-proj-PATHxQ3mN8pL2vR7tY4wZ6aB9cD1"
cp "$top_srcdir/examples/broken.env" "$T/sk-proj-PATHxQ3mN8pL2vR7tY4wZ6aB9cD1/.env"
for f in text json github sarif prometheus; do
	run "$KEC" check --offline --format=$f "$T/sk-proj-PATHxQ3mN8pL2vR7tY4wZ6aB9cD1/.env"
	expect_nogrep "$T/out" "PATHxQ3mN8pL2vR7" "no part of a key-shaped directory name, $f"
	case $f in text | json | github) expect_grep "$T/out" "sk-…cD1/.env" "the directory name's mask, $f" ;; esac
done
run "$KEC" check --offline --format=sarif "$T/sk-proj-PATHxQ3mN8pL2vR7tY4wZ6aB9cD1/.env"
expect_grep "$T/out" 'sk-%E2%80%A6cD1/.env"' "the directory name's mask, percent-encoded, sarif"
expect_nogrep "$T/out" "sk-…cD1" "sarif: no unencoded path"

# a catalog is a file like any other: its names and URLs too
printf '[provider evil]\nname = Evil\033[2Kname\nbase_url = https://u:pw1234@evil.example/v1?key=abc123\napi = openai\n' >"$T/evil.ini"
run "$KEC" providers --catalog "$T/evil.ini"
no_ctl "$T/out" "providers, text"
expect_grep "$T/out" 'Evil\x1B[2Kname                   https://u:***@evil.example/v1?key=***' "providers: the name escaped, the URL masked, text"
run "$KEC" providers --format=json --catalog "$T/evil.ini"
valid_json "providers, json"
expect_nogrep "$T/out" "pw1234" "providers: no password, json"

# ---- live, against the loopback mock ---------------------------------------------
mock ok --key "$KEY"
mock echo --scenario echo-key
mock hostile --scenario hostile-text
# catalog PORT: Moonshot and its siblings on loopback
catalog() {
	printf '[provider moonshot]\nbase_url = http://127.0.0.1:%s/v1\n\n[provider moonshot-cn]\nbase_url = http://127.0.0.1:%s/v1\n\n[provider kimi-code]\nbase_url = http://127.0.0.1:%s/v1\n' \
	    "$1" "$1" "$1" >"$T/cat.ini"
}
catalog "$ok_port"
# not_sent DESCRIPTION: the mock got no request
not_sent() {
	ntest=$((ntest + 1))
	if grep -q '^REQ' "$T/ok.log" 2>/dev/null; then fail "$1: a request was sent"; grep '^REQ' "$T/ok.log" | head -3 | sed 's/^/  /'
	else pass "$1: nothing sent"; fi
}
for u in "http://127.0.0.1:$ok_port/v1?key=$KEY" "http://gw:hunter2pass@127.0.0.1:$ok_port/v1" \
    "http://127.0.0.1:$ok_port/$KEY/v1" "http://127.0.0.1:$ok_port/v1#$KEY"; do
	envfile "$T/l.env" "$u"
	for f in text json github; do
		run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --format=$f "$T/l.env"
		expect_rc 1 "live, a secret in the base URL, --format=$f"
		expect_nogrep "$T/out" "hunter2pass" "live, no password, --format=$f"
		not_sent "live, $f"
	done
	expect_grep "$T/out" "title=secret-in-url" "live: secret-in-url"
	run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --ignore secret-in-url --format=json "$T/l.env"
	expect_json '(d["live"]["status"], d["live"]["reason"])' "('skipped', 'the base URL holds a secret; not sent')" "live: skipped, also with --ignore"
	not_sent "live, --ignore secret-in-url"
done

# a base URL with a query that is no secret, and a good key: the URLs
# printed have their query values masked
envfile "$T/l.env" "http://127.0.0.1:$ok_port/v1"
run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --format=json "$T/l.env"
expect_rc 0 "live, a clean base URL still runs"
expect_json 'd["provider"]["base_url"]' "http://127.0.0.1:$ok_port/v1" "the base URL shown as it is"

# item 15: a key echoed back whatever its shape: 6 characters, no prefix,
# a '.' inside
catalog "$echo_port"
for k in Zq9pXw Zq.9pL2vR7tY xQ3mN8pL2vR7tY4wZ6aB9cD1e; do
	envfile "$T/e.env" "http://127.0.0.1:$echo_port/v1" "$k"
	for f in text json github; do
		run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --no-cross-region --format=$f "$T/e.env"
		expect_rc 1 "the key $k echoed, --format=$f"
		case $k in
		Zq9pXw) frags="9pXw" ;;
		Zq.9pL2vR7tY) frags="Zq. R7tY" ;;
		*) frags="Z6aB9" ;;
		esac
		expect_nogrep "$T/out" "$k" "the whole key $k not printed, --format=$f"
		for frag in $frags; do
			expect_nogrep "$T/out" "$frag" "no part $frag of it, --format=$f"
		done
		expect_grep "$T/out" "Incorrect API key provided: " "the server's words are there, --format=$f"
	done
done
run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --no-cross-region "$T/e.env"
expect_grep "$T/out" "(Incorrect API key provided: xQ3…D1e (starts xQ3…D1e, xQ3…D1e********************cD1e))" "the echoed key and its first 20 characters show the key's mask"

# item 9, live: control bytes and invalid UTF-8 in what the server says
catalog "$hostile_port"
envfile "$T/h.env" "http://127.0.0.1:$hostile_port/v1"
for f in text json github; do
	run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --no-cross-region --format=$f "$T/h.env"
	expect_rc 1 "a hostile 401, --format=$f"
	no_ctl "$T/out" "a hostile 401, --format=$f"
	if [ $f = json ]; then valid_json "a hostile 401"; fi
done
run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --no-cross-region "$T/h.env"
expect_grep "$T/out" '(bad key\x1B[2K\n0 errors, 0 warnings, 0 infos \xFF end)' "the server's words escaped, text"
ntest=$((ntest + 1))
if [ "$(grep -c '^0 errors' "$T/out")" = 0 ]; then pass "no forged summary line from the server"; else fail "a forged summary line from the server"; fi
finish
