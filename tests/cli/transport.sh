#!/bin/sh
# The live check's transport and verdicts on hostile ground: where the
# key's bytes really go (proxies, catalog siblings), keys that cannot be
# a header value (CR, LF, control characters, 1 MiB), 200s that are not
# the API's answer, and --wait against --timeout. Every run is scanned
# for the key (tests/setup.sh); the tripwire proxy of tests/setup.sh
# fails the test if anything leaves loopback.
. "$top_srcdir/tests/setup.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip "python3 not found"
KEY=sk-TRNSxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
OTHER=sk-OTHRxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
export KODUS_ENVCHECK_DATE=2026-11-27
unset CURL_CA_BUNDLE SSL_CERT_FILE 2>/dev/null || true

closed_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# catalog MOONSHOT_URL CN_URL CODE_URL: Moonshot and its siblings
catalog() {
	printf '[provider moonshot]\nbase_url = %s\n\n[provider moonshot-cn]\nbase_url = %s\n\n[provider kimi-code]\nbase_url = %s\n' \
	    "$1" "$2" "$3" >"$T/cat.ini"
}

# envfile BASE [KEY-LINE]: the clean example, pointed at BASE; the key
# line as given (raw, so it can hold quotes and escapes)
envfile() {
	sed -e "s|^API_OPENAI_FORCE_BASE_URL=.*|API_OPENAI_FORCE_BASE_URL=$1|" \
	    -e '/^API_OPEN_AI_API_KEY=/d' "$top_srcdir/examples/moonshot.env" >"$T/.env"
	printf '%s\n' "${2:-API_OPEN_AI_API_KEY=$KEY}" >>"$T/.env"
}

json_queries
# no_req LOG DESCRIPTION: the server behind LOG received no request
no_req() {
	ntest=$((ntest + 1))
	if grep -q '^REQ' "$1" 2>/dev/null; then fail "$2"; grep '^REQ' "$1" | head -3 | sed 's/^/  | /'
	else pass "$2"; fi
}
# Every proxy variable cleared: what a run sets after it is all there is.
NOPX="-u http_proxy -u https_proxy -u HTTPS_PROXY -u all_proxy -u ALL_PROXY -u no_proxy -u NO_PROXY"

dead=$(closed_port)
mock ok --key "$KEY"
mock fp --scenario tripwire	# a fake proxy: records, then refuses
catalog "http://127.0.0.1:$ok_port/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1"
export KODUS_ENVCHECK_CATALOG="$T/cat.ini"

# ---- the guard itself: a real host goes to the tripwire, not the network ----
envfile "https://api.moonshot.ai/v1"
run "$KEC" check --format=json --retries 0 "$T/.env"
expect_rc 3 "a real host: no verdict (the tripwire refuses)"
expect_grep "$T/tripwire.log" "CONNECT api.moonshot.ai:443 auth=none" "the guard sees a request to a real host"
: >"$T/tripwire.log"	# that one was on purpose

# ---- item 4: plain http through a proxy ------------------------------------
envfile "http://127.0.0.1:$ok_port/v1"
for var in http_proxy all_proxy ALL_PROXY; do
	: >"$T/fp.log"
	run env $NOPX $var="http://127.0.0.1:$fp_port" "$KEC" check --format=json "$T/.env"
	expect_rc 3 "http:// to loopback through $var: not sent, no verdict"
	expect_json '[(x["rule"], x["severity"]) for x in d["diagnostics"]]' '[["proxy", "error"]]'
	expect_json 'd["diagnostics"][0]["message"]' "\"not sent: the key would cross to the proxy 127.0.0.1:$fp_port ($var) in clear text (http://)\""
	expect_json 'd["diagnostics"][0]["hint"]' '"use https://, name the host in no_proxy, or pass --allow-http to send the key in clear text anyway"'
	expect_json 'd["live"]["status"]' '"skipped"'
	no_req "$T/fp.log" "$var: the proxy received nothing"
done
no_req "$T/ok.log" "nor did the provider"
# credentials in the proxy URL are not shown
run env $NOPX http_proxy="http://proxyuser:pr0xyPassw0rd@127.0.0.1:$fp_port" "$KEC" check "$T/.env"
expect_rc 3 "a proxy with credentials: not sent"
expect_grep "$T/out" "the key would cross to the proxy 127.0.0.1:$fp_port (http_proxy) in clear text" "the proxy named by host"
expect_nogrep "$T/out" "pr0xyPassw0rd" "the proxy's password not shown"
# libcurl ignores HTTP_PROXY (httpoxy): so does the check
run env $NOPX HTTP_PROXY="http://127.0.0.1:$fp_port" "$KEC" check --format=json "$T/.env"
expect_rc 0 "HTTP_PROXY (upper case) is not a proxy for http://"
# no_proxy naming the host: sent directly
for np in 127.0.0.1 "example.com, 127.0.0.1" 127.0.0.0/8 '*'; do
	run env $NOPX http_proxy="http://127.0.0.1:$fp_port" no_proxy="$np" "$KEC" check --format=json "$T/.env"
	expect_rc 0 "no_proxy=$np: sent directly"
done
run env $NOPX http_proxy="http://127.0.0.1:$fp_port" NO_PROXY=localhost,127.0.0.1 "$KEC" check --format=json "$T/.env"
expect_rc 0 "NO_PROXY upper case: sent directly"
run env $NOPX http_proxy="http://127.0.0.1:$fp_port" no_proxy=10.0.0.0/8,127.0.0.10,example.com "$KEC" check --format=json "$T/.env"
expect_rc 3 "no_proxy naming other hosts: still through the proxy, so not sent"
no_req "$T/fp.log" "no_proxy: the proxy received nothing"
# --allow-http: sent, and through the very proxy the check named
run env $NOPX http_proxy="http://127.0.0.1:$fp_port" "$KEC" check --format=json --allow-http "$T/.env"
expect_grep "$T/fp.log" "GET http://127.0.0.1:$ok_port/v1/models" "--allow-http: through the proxy"
# https through a proxy: a CONNECT tunnel, the key inside TLS
: >"$T/fp.log"
envfile "https://127.0.0.1:$dead/v1"
run env $NOPX https_proxy="http://127.0.0.1:$fp_port" "$KEC" check --format=json --retries 0 "$T/.env"
expect_rc 3 "https through a proxy: sent (the proxy refuses the tunnel)"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["proxy"]'
expect_nogrep "$T/out" "not sent" "https through a proxy is not refused"
expect_grep "$T/fp.log" "CONNECT 127.0.0.1:$dead auth=none" "the proxy saw only a CONNECT, no key"

# ---- item 5: catalog siblings obey the same transport rules ------------------
mock intl --key "$OTHER"
mock code --key "$OTHER"
catalog "http://127.0.0.1:$intl_port/v1" "http://10.255.255.1/v1" "http://127.0.0.1:$code_port/v1"
envfile "http://127.0.0.1:$intl_port/v1"
run "$KEC" check --format=json "$T/.env"
expect_rc 1 "a 401, a plain-http sibling beyond loopback"
expect_json '[x["rule"] for x in d["diagnostics"]]' '["auth-failed"]'
expect_grep "$T/out" "the other regions refuse it too (127.0.0.1:$code_port); could not ask 10.255.255.1 (not sent: the key would cross the network to 10.255.255.1 in clear text (http://)) whether it accepts it" "the sibling is not asked, and says why"
expect_grep "$T/code.log" "GET /v1/models" "the loopback sibling is asked"
run "$KEC" check --format=json --allow-http --retries 0 --timeout 2 --no-cross-region "$T/.env"
expect_rc 1 "--no-cross-region: no sibling at all"
# (the tripwire, checked at the end, proves nothing went to 10.255.255.1)

# ---- item 6: a key Node cannot put in a header ------------------------------
catalog "http://127.0.0.1:$ok_port/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1"
# keyline DESCRIPTION WORDS LINE
keyline() {
	envfile "http://127.0.0.1:$ok_port/v1" "$3"
	: >"$T/ok.log"
	run "$KEC" check --offline --format=json "$T/.env"
	expect_rc 1 "$1: an error offline"
	expect_json '[x["message"] for x in d["diagnostics"] if x["rule"] == "key-invalid"]' "[\"$2: Node refuses it in the Authorization header, so every request to the provider fails; not sent\"]"
	expect_json '[(x["severity"], x["key"], x["hint"]) for x in d["diagnostics"] if x["rule"] == "key-invalid"]' '[["error", "API_OPEN_AI_API_KEY", "set API_OPEN_AI_API_KEY to the key alone, on one line"]]'
	run "$KEC" check --format=json "$T/.env"
	expect_rc 1 "$1: live, still status 1"
	expect_json 'd["live"]["status"]' '"skipped"'
	no_req "$T/ok.log" "$1: nothing sent"
}
keyline 'CR LF escapes in double quotes' 'the key holds a carriage return (CR) (character 51)' \
    "API_OPEN_AI_API_KEY=\"$KEY\\r\\nX-Injected: 1\""
keyline 'a real line feed in double quotes' 'the key holds a line feed (LF) (character 51)' \
    "API_OPEN_AI_API_KEY=\"$KEY
GET /v1/models HTTP/1.1\""
keyline 'an escape character' 'the key holds the control character 0x1B (character 4)' \
    "API_OPEN_AI_API_KEY=sk-$(printf '\033')$KEY"
keyline 'a character beyond Latin-1' 'the key holds the character U+2026 (character 51)' \
    "API_OPEN_AI_API_KEY=$KEY$(printf '\342\200\246')"
keyline 'invalid UTF-8' 'the key holds the invalid UTF-8 byte 0xFF (character 51)' \
    "API_OPEN_AI_API_KEY=$KEY$(printf '\377')"
# what Node does send: a tab, Latin-1 letters
for k in "\"$KEY	\"" "${KEY}é"; do
	envfile "http://127.0.0.1:$ok_port/v1" "API_OPEN_AI_API_KEY=$k"
	run "$KEC" check --offline --format=json "$T/.env"
	expect_json '[x["rule"] for x in d["diagnostics"] if x["rule"] == "key-invalid"]' '[]'
done

# ---- item 16: a key longer than any provider accepts ---------------------------
long=$("$PY" -c "import sys; print(sys.argv[1] * (1048576 // len(sys.argv[1])))" "$KEY")
envfile "http://127.0.0.1:$ok_port/v1" "API_OPEN_AI_API_KEY=$long"
run "$KEC" check --offline --format=json "$T/.env"
expect_rc 1 "a 1 MiB key: an error offline"
expect_json '[x["message"] for x in d["diagnostics"] if x["rule"] == "key-invalid"]' '["the key is 1048550 bytes, more than 8192 bytes: longer than any provider'"'"'s key, and a Authorization header that long is refused by HTTP servers; not sent"]'
: >"$T/ok.log"
run timeout 60 "$KEC" check --format=json "$T/.env"
expect_rc 1 "a 1 MiB key, live: status 1 at once, no retries"
expect_json 'd["probes"]' '[]'
no_req "$T/ok.log" "a 1 MiB key: nothing sent"
edge=$("$PY" -c "print('sk-' + 'a' * 8189)")
envfile "http://127.0.0.1:$ok_port/v1" "API_OPEN_AI_API_KEY=$edge"
run "$KEC" check --offline --format=json "$T/.env"
expect_json '[x["rule"] for x in d["diagnostics"] if x["rule"] == "key-invalid"]' '[]'

# ---- item 8: a 200 that is not the API's answer ----------------------------------
# answer NAME SCENARIO: a mock with it, the .env pointed there
answer() {
	mock "$1" --key "$KEY" --scenario "$2"
	catalog "http://127.0.0.1:$(eval echo \$${1}_port)/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1"
	envfile "http://127.0.0.1:$(eval echo \$${1}_port)/v1"
}
answer html html-200
run timeout 60 "$KEC" check --format=json --deep --timeout 20 "$T/.env"
expect_rc 3 "200 with 1.6 MB of HTML: no verdict"
expect_json '[(x["rule"], x["severity"]) for x in d["diagnostics"]]' '[["provider-error", "error"]]'
expect_grep "$T/out" "HTTP 200 with an HTML page, not the API's JSON (a gateway, proxy or login page answered)" "the HTML named"
expect_json '[p["verdict"] for p in d["probes"]]' '["provider-error", "provider-error", "provider-error"]'

answer shape wrong-shape
run "$KEC" check --format=json --deep "$T/.env"
expect_rc 3 "200 with JSON that is no answer: no verdict"
expect_json '[p["verdict"] for p in d["probes"]]' '["provider-error", "provider-error", "provider-error"]'
expect_grep "$T/out" 'HTTP 200 but the answer has no model list (\"data\"): not the API' "models: a list is needed"

answer nochoices no-choices
run "$KEC" check --format=json "$T/.env"
expect_rc 0 "no choices, without --deep: not asked"
run "$KEC" check --format=json --deep "$T/.env"
expect_rc 3 "a chat 200 without choices: no verdict"
expect_json '[p["verdict"] for p in d["probes"]]' '["ok", "ok", "provider-error"]'
expect_grep "$T/out" 'HTTP 200 but the answer has no completion (\"choices\"): not the API' "chat: choices are needed"

answer endless endless
run timeout 60 "$KEC" check --format=json --timeout 20 "$T/.env"
expect_rc 3 "an endless body: ends at the cap"
expect_grep "$T/out" "HTTP 200 with an answer larger than 8 MiB: not the API's answer" "the model list's cap named"
expect_json '[p["verdict"] for p in d["probes"]]' '["provider-error", "provider-error"]'

answer trickle trickle
run timeout 60 "$KEC" check --format=json --timeout 2 --retries 0 "$T/.env"
expect_rc 3 "a body that never ends: ends at the deadline"
expect_grep "$T/out" "HTTP 200, but the answer had not ended within the 2 s deadline (--timeout)" "the deadline named"

# ---- item 14: --wait shorter than --timeout ------------------------------------------
mock slow --key "$KEY" --scenario slow
catalog "http://127.0.0.1:$slow_port/v1" "http://127.0.0.1:$dead/v1" "http://127.0.0.1:$dead/v1"
envfile "http://127.0.0.1:$slow_port/v1"
# (timeout 30 only guards against a hang: --wait 2 ends long before)
run timeout 30 "$KEC" check --format=json --wait 2 --timeout 120 "$T/.env"
expect_rc 3 "--wait 2 --timeout 120 against a server that never answers: ends"
expect_grep "$T/out" "no answer within the --wait deadline (2 s)" "--wait named"
expect_nogrep "$T/out" "(--timeout)" "--timeout not named"
run timeout 30 "$KEC" check --format=json --wait 3 --timeout 1 "$T/.env"
expect_rc 3 "--timeout 1 --wait 3: no answer, no verdict"
expect_grep "$T/out" "timed out: no answer within the " "the deadline named"

finish
