#!/bin/sh
# examples/demo.sh - the full check of examples/moonshot.env, its live part
# against the bundled loopback mock provider (tests/mock/mockprovider.py),
# set up the way the classic Moonshot mistake looks: the key was made on
# platform.moonshot.cn but the base URL is the international one. The mock
# standing in for api.moonshot.ai refuses the key with a bare 401, as the
# real one does; the one standing in for api.moonshot.cn accepts it.
#
# usage: sh examples/demo.sh [path/to/kodus-envcheck]   (run from the top)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/kodus-envcheck}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kec-demo.XXXXXX")
pids=""
# shellcheck disable=SC2317 # invoked by the trap below
cleanup() {
	for pid in $pids; do
		kill "$pid" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

key=$(sed -n 's/^API_OPEN_AI_API_KEY=//p' "$top/examples/moonshot.env")
start() {	# start NAME KEY: a mock accepting only KEY
	python3 "$top/tests/mock/mockprovider.py" --port-file "$tmp/$1.port" \
	    --key "$2" >/dev/null 2>&1 &
	pids="$pids $!"
	n=0
	while [ ! -s "$tmp/$1.port" ]; do
		n=$((n + 1))
		[ $n -gt 200 ] && { echo "demo: the mock did not start" >&2; exit 2; }
		sleep 0.05
	done
}
start intl sk-some-other-key-made-on-platform-moonshot-ai
start cn "$key"
start code sk-kimi-some-kimi-code-plan-key
intl=$(cat "$tmp/intl.port")
cn=$(cat "$tmp/cn.port")
code=$(cat "$tmp/code.port")

# The catalog's Moonshot regions and plan, pointed at the mocks: the key
# must never reach a real host.
cat >"$tmp/catalog.ini" <<EOF2
[provider moonshot]
base_url = http://127.0.0.1:$intl/v1

[provider moonshot-cn]
base_url = http://127.0.0.1:$cn/v1

[provider kimi-code]
base_url = http://127.0.0.1:$code/v1
EOF2
sed "s|^API_OPENAI_FORCE_BASE_URL=.*|API_OPENAI_FORCE_BASE_URL=http://127.0.0.1:$intl/v1|" \
    "$top/examples/moonshot.env" >"$tmp/.env"

echo "\$ kodus-envcheck check --catalog catalog.ini .env   # a copy of examples/moonshot.env"
set +e
"$bin" check --catalog "$tmp/catalog.ini" "$tmp/.env"
status=$?
set -e
echo "(exit status $status: 1 means fix the .env)"
exit "$status"
