#!/bin/sh
# check --environ and --exec: the container's view, and handing over to
# the application in place (same PID) only when the check passes.
. "$top_srcdir/tests/setup.sh"

EX=$top_srcdir/examples
PY=${PYTHON3:-python3}
export KODUS_ENVCHECK_DATE=2026-11-27

# envrun ARGS...: the clean example as the environment, plus ARGS
# (NAME=value assignments, then the command)
envrun() {
	run sh -c 'set -a; . "$1"; set +a; shift; exec env "$@"' sh "$EX/moonshot.env" "$@"
}

envrun "$KEC" check --environ --offline
expect_rc 0 "a clean environment"
expect_out "0 errors, 0 warnings, 0 infos" "nothing to say (PATH, HOME, ... are not reported)"

envrun 'API_OPEN_AI_API_KEY="sk-TESTxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t"' http_proxy= "$KEC" check --environ --offline
expect_rc 1 "quotes reached the program"
expect_grep "$T/out" 'environ: error: API_OPEN_AI_API_KEY: the value the program gets includes the quotes: "sk…6t" [quoted-value]' "quoted value, named by variable"
expect_grep "$T/out" "    hint: API_OPEN_AI_API_KEY=sk-…S6t" "hint without the quotes"
expect_nogrep "$T/out" "lowercase-key" "http_proxy is not a Kodus name"

envrun 'API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1 # .cn for China' 'API_LLM_PROVIDER_MODEL=kimi-k2.6 ' "$KEC" check --environ --offline --format=json
expect_rc 1 "comment and blank reached the program"
"$PY" - "$T/out" >"$T/py" 2>&1 <<'PY' || true
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((x["rule"], x["key"], x["file"], x["line"]) for x in d["diagnostics"])
want = [("base-url-shape", "API_OPENAI_FORCE_BASE_URL", "environ", None),
        ("inline-comment", "API_OPENAI_FORCE_BASE_URL", "environ", None),
        ("model-unknown", "API_LLM_PROVIDER_MODEL", "environ", None),
        ("trailing-whitespace", "API_LLM_PROVIDER_MODEL", "environ", None)]
assert got == want, got
assert d["files"] == [{"path": "environ", "role": None, "reader": "environ"}], d["files"]
print("environ json ok")
PY
expect_grep "$T/py" "environ json ok" "JSON: source environ, the variable, no line"

envrun "$KEC" check --environ --offline "$EX/moonshot.env"
expect_rc 2 "--environ with a file"
expect_err "kodus-envcheck: check: --environ checks the process environment: name no FILE, --api or --worker with it
Try 'kodus-envcheck check --help'." "usage named"

# ---- --exec -------------------------------------------------------------
cat >"$T/app" <<'APP'
#!/bin/sh
echo "app pid $$"
for a in "$@"; do echo "arg [$a]"; done
APP
chmod +x "$T/app"
# The wrapper prints its own PID, then becomes the check, which becomes
# the app: all three are one process.
envrun sh -c 'echo "shell pid $$"; exec "$0" check --environ --offline --exec -- "$1" "one two" three' "$KEC" "$T/app"
expect_rc 0 "the app ran"
shellpid=$(sed -n 's/^shell pid //p' "$T/out")
apppid=$(sed -n 's/^app pid //p' "$T/out")
ntest=$((ntest + 1))
if [ -n "$shellpid" ] && [ "$shellpid" = "$apppid" ]; then pass "exec in place: same PID $apppid"; else
	fail "PIDs differ: shell $shellpid, app $apppid"; fi
expect_grep "$T/out" "arg [one two]" "an argument with a space arrives whole"
expect_grep "$T/out" "arg [three]" "the last argument arrives"

envrun API_OPEN_AI_API_KEY= "$KEC" check --environ --offline --exec -- "$T/app" x
expect_rc 1 "errors: the check's status"
expect_nogrep "$T/out" "app pid" "errors: the app is not run"

envrun "$KEC" check --environ --offline --strict --exec -- "$T/app" API_PORT=1
expect_rc 0 "--strict and no warning: runs"
envrun EXTRA_VAR_WITH_TYPO_API_PORTT=1 "$KEC" check --environ --offline --exec -- "$T/app"
expect_rc 0 "an info does not stop the app"

envrun "$KEC" check --environ --offline --exec -- "$T/no-such-app"
expect_rc 127 "a missing command: 127"
expect_err "0 errors, 0 warnings, 0 infos
kodus-envcheck: cannot run '$T/no-such-app': No such file or directory" "missing command named, after the summary on stderr"

run "$KEC" check --offline --exec "$EX/moonshot.env"
expect_rc 2 "--exec without --"
run "$KEC" check --offline --allow-unreachable "$EX/moonshot.env"
expect_rc 2 "--allow-unreachable without --exec"

# no verdict reachable: a provider nobody answers for
dead=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
printf '[provider moonshot]\nbase_url = http://127.0.0.1:%s/v1\n' "$dead" >"$T/cat.ini"
envrun API_OPENAI_FORCE_BASE_URL="http://127.0.0.1:$dead/v1" KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --environ --retries 0 --no-cross-region --exec -- "$T/app" x
expect_rc 3 "unreachable: status 3"
expect_nogrep "$T/out" "app pid" "unreachable: the app is not run"
envrun API_OPENAI_FORCE_BASE_URL="http://127.0.0.1:$dead/v1" KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --environ --retries 0 --no-cross-region --exec --allow-unreachable -- "$T/app" x
expect_rc 0 "--allow-unreachable: the app runs"
expect_grep "$T/out" "arg [x]" "--allow-unreachable: with its arguments"
expect_grep "$T/err" "warning: no verdict reachable from the provider; running '$T/app' anyway (--allow-unreachable)" "with a warning"

finish
