#!/bin/sh
# The rule registry, src/rules.def: `rules` lists exactly its entries, no
# rule id is spelt as a string anywhere else in the source, dialect-mismatch
# sees what the other file rules said, and the exact diagnostic lines of a
# sample of rules of every group (file, kodus, llm, live).
. "$top_srcdir/tests/setup.sh"

PY=${PYTHON3:-python3}
def="$top_srcdir/src/rules.def"
export KODUS_ENVCHECK_DATE=2026-11-27

# ---- one list --------------------------------------------------------------
run "$KEC" rules
expect_rc 0 "rules"
awk '{print $1}' "$T/out" >"$T/listed"
sed -n 's/^RULE([A-Z_]*, "\([^"]*\)".*/\1/p' "$def" >"$T/defined"
ntest=$((ntest + 1))
if [ -s "$T/defined" ] && cmp -s "$T/listed" "$T/defined"; then
	pass "rules lists the $(wc -l <"$T/defined") entries of rules.def, in order"
else
	fail "rules and rules.def differ"; diff "$T/listed" "$T/defined" | sed 's/^/  /' | head; fi
# the enum constant is the id in capitals: R_BASE_URL_SHAPE, base-url-shape
sed -n 's/^RULE(\([A-Z_]*\), "\([^"]*\)".*/\1 \2/p' "$def" | while read -r name id; do
	[ "$name" = "$(printf '%s' "$id" | tr 'a-z-' 'A-Z_')" ] || echo "$name $id"
done >"$T/misnamed"
ntest=$((ntest + 1))
if [ ! -s "$T/misnamed" ]; then pass "enum names follow the ids"; else
	fail "enum names that are not their id"; sed 's/^/  /' "$T/misnamed"; fi
# the rules without a verdict: the ones that end the run with status 3
sed -n 's/^RULE([A-Z_]*, "\([^"]*\)", live, NO_VERDICT,.*/\1/p' "$def" | tr '\n' ' ' >"$T/nov"
expect_grep "$T/nov" "provider-error network tls proxy " "no-verdict rules: provider-error network tls proxy"

# ---- no rule id outside the registry -----------------------------------------
# id_literals DIR: every "id" of a rule, quoted, in DIR's C files other
# than rules.def. Allowed: the Prometheus timing phase "tls" (a label of
# the request's phases, not the rule).
id_literals() {
	for id in $(cat "$T/defined"); do
		grep -nF "\"$id\"" "$1"/*.c "$1"/*.h 2>/dev/null || :
	done | grep -vF 'phase_name[] = { "dns", "connect", "tls",' || :
}
id_literals "$top_srcdir/src" >"$T/literals"
ntest=$((ntest + 1))
if [ -s "$T/defined" ] && [ ! -s "$T/literals" ]; then
	pass "no rule id spelt outside src/rules.def"
else
	fail "rule ids as strings outside rules.def (use the R_ enum)"
	sed "s|^$top_srcdir/||; s/^/  /" "$T/literals" | head; fi
# the check finds one when there is one
mkdir "$T/src"
printf 'lint_report(l, lf, i, "crlf", SEV_INFO);\n' >"$T/src/x.c"
printf 'static const char *const phase_name[] = { "dns", "connect", "tls",\n' >"$T/src/y.c"
id_literals "$T/src" >"$T/literals"
ntest=$((ntest + 1))
if [ "$(wc -l <"$T/literals")" -eq 1 ] && grep -q 'x.c:1:' "$T/literals"; then
	pass "the literal check finds a planted \"crlf\""; else
	fail "the literal check missed a planted id"; cat "$T/literals"; fi

# ---- exact lines ------------------------------------------------------------
# lint CONTENT [ARGS...]: CONTENT (printf format) into $T/t.env, checked
# offline under an empty environment.
lint() {
	printf "$1" >"$T/t.env"
	shift
	run env -i KODUS_ENVCHECK_DATE=2026-11-27 "$KEC" check --offline "$@" "$T/t.env"
}
# line STRING: stdout has this exact line
line() {
	ntest=$((ntest + 1))
	if grep -qxF -- "$1" "$T/out"; then pass "line: $(printf '%s' "$1" | head -c 70)"; else
		fail "missing line: $1"; sed 's/^/  | /' "$T/out" | head -8; fi
}
# none RULE: no finding of RULE in stdout
none() {
	expect_nogrep "$T/out" "[$1]" "no $1"
}
F=$T/t.env

# the file
lint '\357\273\277A=1\nA=2\nexport B=3\nC=x\r\nD=${E:?}\n'
line "$F:1:1: info: the file starts with a UTF-8 byte order mark: docker compose, docker run, kubectl and Node drop it, but a shell or systemd reads the first name with it [bom]"
line "$F:2:1: warning: A is set again (first on line 1): docker compose, docker run and Node keep only this last value, kubectl refuses the file [duplicate-key]"
line "$F:3:1: info: 'export' before the name: docker run --env-file and kubectl refuse the whole file (docker compose and Node drop the word) [export-prefix]"
line "    hint: B=3"
line "$F:4:4: info: 1 line ends in CRLF (Windows line endings): docker compose, docker run, kubectl and Node drop the '\\r', but a shell sourcing the file keeps it in every value [crlf]"
line "$F:5:3: error: required variable E is missing a value [bad-interpolation]"
expect_rc 1 "errors: status 1"

# dialect-mismatch speaks only where no other file rule did, so it runs
# after all of them; a silenced finding still counts as said
lint 'A=b\tc # note\n'
line "$F:1:7: info: docker run --env-file and kubectl keep the comment in the value: they see 'b\\tc # note' (docker compose and Node cut it); put the comment on its own line [inline-comment]"
line "    hint: A=b\\tc"
none dialect-mismatch
lint 'A=b\tc # note\n' --ignore=inline-comment
none inline-comment
none dialect-mismatch
lint '# kodus-envcheck: ignore inline-comment\nA=b\tc # note\n'
none inline-comment
none dialect-mismatch
lint 'A=b#c\n'
line "$F:1:3: info: the readers disagree: docker compose sees 'b#c', docker run --env-file 'b#c', Node 'b' [dialect-mismatch]"
lint 'A=b#c\n' --ignore=dialect-mismatch,unknown-variable
none dialect-mismatch
none unknown-variable
# two files: each file's mismatch still follows its own findings
printf 'A=b\tc # note\nB=x#y\n' >"$T/api.env"
printf 'B=x#y\n' >"$T/worker.env"
run env -i KODUS_ENVCHECK_DATE=2026-11-27 "$KEC" check --offline --api "$T/api.env" --worker "$T/worker.env"
grep -F '[dialect-mismatch]' "$T/out" >"$T/dm" || :
ntest=$((ntest + 1))
if [ "$(sed 's/: .*//' "$T/dm" | tr '\n' ' ')" = "$T/api.env:2:3 $T/worker.env:1:3 " ]; then
	pass "dialect-mismatch on each file, not on the commented line"; else
	fail "dialect-mismatch lines:"; sed 's/^/  | /' "$T/dm"; fi

# the Kodus schema
lint 'API_PORT=abc\nNEXTAUTH_SECRET=a\nWEB_NEXTAUTH_SECRET=b\nAPI_PG_DB_HOSTT=x\n'
line "$F:1:10: error: 'abc' is not a port number from 1 to 65535 [type-mismatch]"
line "$F:2:17: warning: not 32 random bytes in base64, as the installer generates (1 characters) [secret-format]"
line "$F:3:21: error: WEB_NEXTAUTH_SECRET differs from NEXTAUTH_SECRET (line 2): the web app and the API must share this secret, or every sign-in fails [secret-mismatch]"
line "    hint: WEB_NEXTAUTH_SECRET=<the value of NEXTAUTH_SECRET>"
line "$F:4:1: info: API_PG_DB_HOSTT is not a Kodus variable: did you mean API_PG_DB_HOST? [unknown-variable]"
line "    hint: API_PG_DB_HOST=x"
line "$F: error: WORKER_ROLE is required and not set [required-missing]"
line "$F: warning: no code-management webhook URL is set: Kodus receives no pull-request events [webhook-url]"
line "$F: info: Fixed Mode is off (API_LLM_PROVIDER_MODEL is not set): reviews use the key each organisation sets in the web UI (BYOK) [llm-not-configured]"

# the LLM block
lint 'API_OPENAI_FORCE_BASE_URL=https://api.openai.com/v1/chat/completions\nAPI_OPEN_AI_API_KEY=sk-ant-TESTxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t\nAPI_LLM_PROVIDER_MODEL=gpt-4o\n'
line "$F:1:27: error: the base URL ends in the endpoint /chat/completions: Kodus appends it itself, so requests would go to .../chat/completions/chat/completions [base-url-endpoint]"
line "    hint: API_OPENAI_FORCE_BASE_URL=https://api.openai.com/v1"
line "$F:2:21: warning: the key looks like a Anthropic key (sk-ant-...), but the base URL is OpenAI's: expect 401 Unauthorized [key-provider-mismatch]"
lint 'API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1\nAPI_OPEN_AI_API_KEY=sk-TESTxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t\nAPI_LLM_PROVIDER_MODEL=kimi-k2-thinking\n'
line "$F:3:24: error: kimi-k2-thinking was retired on 2026-05-25: the provider answers 404 [model-retired]"
line "    hint: API_LLM_PROVIDER_MODEL=kimi-k2.6"
# the rule in the JSON report is the registry's id
lint 'API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1\nAPI_OPEN_AI_API_KEY=sk-TESTxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t\nAPI_LLM_PROVIDER_MODEL=kimi-k2-thinking\n' --format=json
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(x["rule"] for x in d["diagnostics"] if x["line"]))' "$T/out" >"$T/py" 2>&1 || :
expect_grep "$T/py" "model-retired" "JSON: the rule's id"

# ---- the live check ---------------------------------------------------------
command -v "$PY" >/dev/null 2>&1 || { finish; exit; }
KEY=sk-LIVExQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
unset CURL_CA_BUNDLE SSL_CERT_FILE 2>/dev/null || true
dead=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
# live BASE [ARGS...]: the example file with $KEY, Moonshot's catalog entries on
# loopback; text report in $T/out
live() {
	{
		printf '[provider moonshot]\nbase_url = %s\n\n' "$1"
		printf '[provider moonshot-cn]\nbase_url = http://127.0.0.1:%s/v1\n\n' "$dead"
		printf '[provider kimi-code]\nbase_url = http://127.0.0.1:%s/v1\n' "$dead"
	} >"$T/cat.ini"
	sed -e "s|^API_OPENAI_FORCE_BASE_URL=.*|API_OPENAI_FORCE_BASE_URL=$1|" \
	    -e "s|^API_OPEN_AI_API_KEY=.*|API_OPEN_AI_API_KEY=$KEY|" \
	    "$top_srcdir/examples/moonshot.env" >"$T/.env"
	shift
	run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --retries 0 --timeout 10 "$@" "$T/.env"
}
L=$T/.env
mock zero --key "$KEY" --scenario zero-balance
live "http://127.0.0.1:$zero_port/v1"
expect_rc 1 "no money: status 1"
line "$L:9:21: error: the available balance is 0.00 USD: requests with this key will fail [insufficient-balance]"
line "    hint: add funds at https://platform.moonshot.ai/console/api-keys"
mock ip --key "$KEY" --scenario ip-403
live "http://127.0.0.1:$ip_port/v1"
line "$L:9:21: error: HTTP 403 from 127.0.0.1:$ip_port: this machine's IP address is not on the organisation's allow-list (Access denied: your IP address is not in the organization's IP allow list (whitelist)) [ip-not-allowed]"
mock m404 --key "$KEY" --scenario model-404
live "http://127.0.0.1:$m404_port/v1"
line "$L:7:24: error: kimi-k2.6 is not among the 2 models this key can use at 127.0.0.1:$m404_port; closest: kimi-k3 [model-not-found]"
line "    hint: API_LLM_PROVIDER_MODEL=kimi-k3"
mock rl --key "$KEY" --scenario rate-limit-429
live "http://127.0.0.1:$rl_port/v1"
expect_rc 0 "throttled: a warning, status 0"
line "$L:9:21: warning: HTTP 429 from 127.0.0.1:$rl_port: the key works, but the account is throttled (Your account org-xxx request reached organization max RPM: 3, please try again after 20 seconds) [rate-limited]"
# no verdict: an error, but not about the configuration
live "http://127.0.0.1:$dead/v1"
expect_rc 3 "nothing listening: status 3, not 1"
grep -F '[network]' "$T/out" >"$T/net" || :
expect_grep "$T/net" "$L:8:27: error: 127.0.0.1:$dead: connection refused: " "network: where and what"
expect_grep "$T/net" " after 1 attempt [network]" "network: attempts"
live "http://127.0.0.1:$dead/v1" --ignore=network
expect_rc 3 "--ignore=network: still no verdict, status 3"
expect_nogrep "$T/out" "[network]" "--ignore=network silences it"

finish
