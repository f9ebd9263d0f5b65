#!/bin/sh
# The live check against the loopback mock provider: each verdict, its
# exit status, retries, the region diagnosis, TLS, connection reuse, and
# that the key never shows and never goes where it should not.
. "$top_srcdir/tests/setup.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip "python3 not found"
KEY=sk-LIVExQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
OTHER=sk-OTHRxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
export KODUS_ENVCHECK_DATE=2026-11-27
unset CURL_CA_BUNDLE SSL_CERT_FILE 2>/dev/null || true

# A port with nothing listening: bind, note, close.
closed_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# catalog MOONSHOT_URL CN_URL CODE_URL [extra lines]: loopback Moonshot
catalog() {
	{
		printf '[provider moonshot]\nbase_url = %s\n\n' "$1"
		printf '[provider moonshot-cn]\nbase_url = %s\n\n' "$2"
		printf '[provider kimi-code]\nbase_url = %s\n' "$3"
		if [ $# -gt 3 ]; then printf "%s\n" "$4"; fi
	} >"$T/cat.ini"
}

# envfile BASE [KEY]: the clean example, pointed at BASE with KEY
envfile() {
	sed -e "s|^API_OPENAI_FORCE_BASE_URL=.*|API_OPENAI_FORCE_BASE_URL=$1|" \
	    -e "s|^API_OPEN_AI_API_KEY=.*|API_OPEN_AI_API_KEY=${2:-$KEY}|" \
	    "$top_srcdir/examples/moonshot.env" >"$T/.env"
}

# live [ARGS...]: check with the catalog, JSON in $T/out
live() {
	run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check --format=json --timeout 10 "$@" "$T/.env"
	ntest=$((ntest + 1))
	if grep -qF "xQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6" "$T/out" "$T/err"; then
		fail "a key was printed"; else pass "no key printed"; fi
}

json_queries

# ---- a working key -------------------------------------------------------
mock ok --key "$KEY"
dead=$(closed_port)
catalog "http://127.0.0.1:$ok_port/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1"
envfile "http://127.0.0.1:$ok_port/v1"
live
expect_rc 0 "a good key: status 0"
expect_json 'd["diagnostics"]' '[]'
expect_json '[(p["name"], p["method"], p["status"], p["verdict"], p["attempts"]) for p in d["probes"]]' \
	'[["models", "GET", 200, "ok", 1], ["balance", "GET", 200, "ok", 1]]'
expect_json 'd["provider"]' "{\"id\": \"moonshot\", \"base_url\": \"http://127.0.0.1:$ok_port/v1\", \"region\": \"international\", \"model\": \"kimi-k2.6\", \"balance\": 49.58, \"currency\": \"USD\", \"context_length\": 262144, \"model_listed\": true}"
expect_json 'd["probes"][0]["url"]' "\"http://127.0.0.1:$ok_port/v1/models\""
ntest=$((ntest + 1))
if [ "$(grep -c '^CONN' "$T/ok.log")" -eq 1 ] && [ "$(grep -c '^REQ' "$T/ok.log")" -eq 2 ]; then
	pass "two requests on one connection"; else fail "connections: $(grep -c '^CONN' "$T/ok.log")"; cat "$T/ok.log"; fi
run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" check "$T/.env"
expect_rc 0 "text report"
expect_grep "$T/out" "live check: Moonshot AI (international) at http://127.0.0.1:$ok_port/v1, model kimi-k2.6" "text: what was checked"
expect_grep "$T/out" "kimi-k2.6 is available (context 262144 tokens); balance 49.58 USD" "text: model and balance"

# --deep: one chat request, as Kodus's Test button sends it
: >"$T/ok.log"
live --deep
expect_rc 0 "--deep passes on an empty completion cut by length"
expect_json '[p["name"] for p in d["probes"]]' '["models", "balance", "chat"]'
expect_grep "$T/ok.log" 'BODY {"max_tokens":16,"messages":[{"content":"ping","role":"user"}],"model":"kimi-k2.6"}' "chat body: ping, 16 tokens, no temperature"

# ---- the wrong region ------------------------------------------------------
mock intl --key "$OTHER"
mock cn --key "$KEY"
mock code --key "$OTHER"
catalog "http://127.0.0.1:$intl_port/v1" "http://127.0.0.1:$cn_port/v1" "http://127.0.0.1:$code_port/v1"
envfile "http://127.0.0.1:$intl_port/v1"
live
expect_rc 1 "region mismatch: status 1"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["region-mismatch"]'
expect_json 'd["diagnostics"][0]["hint"]' "\"API_OPENAI_FORCE_BASE_URL=http://127.0.0.1:$cn_port/v1\""
expect_json 'd["diagnostics"][0]["line"]' '8'
expect_json 'd["diagnostics"][0]["message"]' "\"the key sk-\\u2026S6t was issued on platform.moonshot.cn (Moonshot AI (China)): 127.0.0.1:$intl_port refuses it with 401 and 127.0.0.1:$cn_port accepts it\""
expect_nogrep "$T/intl.log" "balance" "after the 401 the balance is not asked"
expect_grep "$T/cn.log" "REQ 1 GET /v1/models" "the sibling is asked"
live --no-cross-region
expect_rc 1 "--no-cross-region: still status 1"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["auth-failed"]'
expect_json 'd["diagnostics"][0]["key"]' '"API_OPEN_AI_API_KEY"'
: >"$T/cn.log"
live --no-cross-region
expect_out_empty=$(wc -c <"$T/cn.log")
ntest=$((ntest + 1))
if [ "$expect_out_empty" -eq 0 ]; then pass "--no-cross-region: the sibling is not asked"; else fail "sibling asked"; fi
envfile "http://127.0.0.1:$intl_port/v1" sk-NONExQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
live
expect_json '[x["rule"] for x in d["diagnostics"]]' '["auth-failed"]'
expect_grep "$T/out" "(Invalid Authentication); the other regions refuse it too (127.0.0.1:$cn_port, 127.0.0.1:$code_port)\"" "refused everywhere"
# a sibling that cannot be reached is no evidence either way
catalog "http://127.0.0.1:$intl_port/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$code_port/v1"
live --retries 0 --format=text
expect_rc 1 "refused here, a sibling unreachable: status 1"
expect_grep "$T/out" "(Invalid Authentication); the other regions refuse it too (127.0.0.1:$code_port); could not ask 127.0.0.1:$dead (network) whether it accepts it [auth-failed]" "the unreachable sibling is not said to refuse"

# ---- money, limits, models, permissions -------------------------------------
scenario() {
	name=$1
	shift
	mock "$name" --key "$KEY" "$@"
	catalog "http://127.0.0.1:$(eval echo \$${name}_port)/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1"
	envfile "http://127.0.0.1:$(eval echo \$${name}_port)/v1"
}
scenario zero --scenario zero-balance
live
expect_rc 1 "zero balance"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["insufficient-balance"]'
expect_grep "$T/out" "the available balance is 0.00 USD" "balance shown"

scenario quota --scenario quota-429
live
expect_rc 1 "quota 429"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["insufficient-balance"]'
expect_json '[p["attempts"] for p in d["probes"]]' '[1, 1]'

scenario rl --scenario rate-limit-429
live
expect_rc 0 "rate limited: the key works"
expect_json '[(x["rule"], x["severity"]) for x in d["diagnostics"]]' '[["rate-limited", "warning"]]'
expect_json '[p["attempts"] for p in d["probes"]]' '[1, 1]'

scenario over --scenario overloaded-once
live
expect_rc 0 "overloaded once, then fine"
expect_json '[p["attempts"] for p in d["probes"]]' '[2, 1]'

scenario m404 --scenario model-404
live --deep
expect_rc 1 "model not offered"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["model-not-found"]'
expect_grep "$T/out" "kimi-k2.6 is not among the 2 models this key can use" "model list looked up"
expect_grep "$T/out" "closest: kimi-k3" "closest ids from the provider"

scenario ip --scenario ip-403
live
expect_rc 1 "IP allow-list"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["ip-not-allowed"]'

# ---- no verdict: retries and exit status 3 ------------------------------------
scenario flaky --scenario flaky-500
live
expect_rc 0 "500 then 200: retried"
expect_json '[p["attempts"] for p in d["probes"]]' '[2, 2]'

scenario html --scenario html-503
live --retries 1
expect_rc 3 "503 gateway page: no verdict"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["provider-error"]'
expect_grep "$T/out" "HTML page" "gateway page named"
expect_json '[p["attempts"] for p in d["probes"]]' '[2, 2]'

scenario slow --scenario slow
run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" timeout 20 "$KEC" check --format=json --timeout 1.5 "$T/.env"
expect_rc 3 "slower than the deadline: status 3"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["network"]'
expect_grep "$T/out" "no answer within the 1.5 s deadline (--timeout)" "the deadline named"

scenario reset --scenario reset
live --retries 1
expect_rc 3 "connection reset"
expect_grep "$T/out" "connection reset" "reset named"

scenario huge --scenario huge
# a deadline far above the transfer: under ASan on a loaded machine the
# 5 MB answer once took longer than the usual 10 s
live --timeout 60
expect_rc 0 "a 5 MB model list: read whole (the cap is 8 MiB)"
expect_json 'd["probes"][0]["status"]' '200'
expect_json 'd["provider"].get("model_listed")' 'true'

scenario bad --scenario badjson
live
expect_rc 3 "invalid JSON: no verdict"
expect_grep "$T/out" "not valid JSON" "bad JSON named"

mock elsewhere
scenario redir --scenario redirect --redirect-to "http://127.0.0.1:$elsewhere_port/v1/models"
live
expect_rc 1 "redirect"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["redirect"]'
expect_grep "$T/out" "redirecting to 127.0.0.1:$elsewhere_port" "Location host named"
ntest=$((ntest + 1))
if grep -q REQ "$T/elsewhere.log" 2>/dev/null; then fail "the redirect was followed"; else pass "the redirect was not followed"; fi

catalog "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1"
envfile "http://127.0.0.1:$dead/v1"
live --retries 0
expect_rc 3 "connection refused"
expect_grep "$T/out" "connection refused" "refused named"
live --retries 0 --wait 1.5
expect_rc 3 "--wait: still no answer"
ntest=$((ntest + 1))
att=$(jget 'd["probes"][0]["attempts"]')
if [ "$att" -gt 2 ]; then pass "--wait keeps retrying ($att attempts)"; else fail "--wait: $att attempts"; fi

# ---- plain HTTP beyond loopback: never sent -----------------------------------
envfile "http://10.255.255.1/v1"
live
expect_rc 1 "http:// to another host"
expect_grep "$T/out" "not sent: the key would cross the network to 10.255.255.1 in clear text" "refused to send"
expect_json 'd["live"]["status"]' '"skipped"'

# ---- TLS ---------------------------------------------------------------------
if command -v openssl >/dev/null 2>&1; then
	(
		cd "$T"
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=kec test CA" \
		    -keyout ca.key -out ca.pem >/dev/null 2>&1
		for h in good wrong; do
			san="IP:127.0.0.1,DNS:localhost"
			[ $h = wrong ] && san="DNS:wrong.example"
			openssl req -newkey rsa:2048 -nodes -subj "/CN=$h" -keyout $h.key -out $h.csr >/dev/null 2>&1
			printf 'subjectAltName=%s\n' "$san" >$h.ext
			openssl x509 -req -in $h.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
			    -extfile $h.ext -out $h.pem >/dev/null 2>&1
		done
	)
	mock tls --key "$KEY" --tls-cert "$T/good.pem" --tls-key "$T/good.key"
	mock tlsw --key "$KEY" --tls-cert "$T/wrong.pem" --tls-key "$T/wrong.key"
	catalog "https://127.0.0.1:$tls_port/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1"
	envfile "https://127.0.0.1:$tls_port/v1"
	live --cacert "$T/ca.pem"
	expect_rc 0 "TLS with the test CA"
	live
	expect_rc 3 "TLS with an unknown CA: no verdict"
	expect_json '[x["rule"] for x in d["diagnostics"]]' '["tls"]'
	expect_grep "$T/out" "signed by an unknown authority" "unknown CA named"
	run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" CURL_CA_BUNDLE="$T/ca.pem" "$KEC" check --format=json "$T/.env"
	expect_rc 0 "CURL_CA_BUNDLE honoured"
	run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" SSL_CERT_FILE="$T/ca.pem" "$KEC" check --format=json "$T/.env"
	expect_rc 0 "SSL_CERT_FILE honoured"
	catalog "https://127.0.0.1:$tlsw_port/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1"
	envfile "https://127.0.0.1:$tlsw_port/v1"
	live --cacert "$T/ca.pem"
	expect_rc 3 "certificate for another host"
	expect_grep "$T/out" "the certificate is for another host name" "wrong host named"
	ntest=$((ntest + 1))
	if grep -q '^REQ' "$T/tlsw.log"; then fail "a request went to the wrong-host server"; else pass "no request to a host with the wrong certificate"; fi
	live --cacert "$T/missing.pem"
	expect_rc 3 "unreadable CA file"
	expect_json '[x["rule"] for x in d["diagnostics"]]' '["tls"]'
fi

# ---- a proxy that is not there --------------------------------------------------
mock pr --key "$KEY"
catalog "http://127.0.0.1:$pr_port/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1"
envfile "http://127.0.0.1:$pr_port/v1"
# (--allow-http: a key over plain http goes through no proxy without it)
run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" http_proxy="http://127.0.0.1:$dead" no_proxy= NO_PROXY= "$KEC" check --format=json --retries 0 --allow-http "$T/.env"
expect_rc 3 "the proxy refuses"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["proxy"]'

finish
