#!/bin/sh
# An independent server: Stoplight Prism mocking OpenAI's own published
# OpenAPI spec (../shared/peers/openai-min-v1.yaml). The models probe must
# pass with a key, and the --deep chat request must be valid by OpenAI's
# schema (Prism answers 422 to a request the spec does not allow). Skips
# without npm or the spec. KEC_PRISM_DIR caches the install.
. "$top_srcdir/tests/setup.sh"

spec=${KODUS_SHARED:-$top_srcdir/../shared}/peers/openai-min-v1.yaml
[ -f "$spec" ] || skip "no $spec"
command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 || skip "npm not found"
PY=${PYTHON3:-python3}
dir=${KEC_PRISM_DIR:-${top_builddir:-$T}/tests/.prism}
if [ ! -x "$dir/node_modules/.bin/prism" ]; then
	mkdir -p "$dir"
	(cd "$dir" && printf '{"name":"kec-prism-test","private":true}\n' >package.json &&
		npm_direct install --silent --no-audit --no-fund @stoplight/prism-cli@5.16.0 >/dev/null 2>&1) ||
		skip "cannot install @stoplight/prism-cli@5.16.0"
fi
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$dir/node_modules/.bin/prism" mock -h 127.0.0.1 -p "$port" "$spec" >"$T/prism.log" 2>&1 &
prism=$!
trap 'kill $prism 2>/dev/null; rm -rf "$T"' EXIT
i=0
until "$PY" -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),1)' "$port" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 150 ] && { cat "$T/prism.log"; echo "prism did not start"; exit 99; }
	sleep 0.2
done

printf '[provider openai]\nbase_url = http://127.0.0.1:%s/v1\n' "$port" >"$T/cat.ini"
KEY=sk-proj-PRISMxQ3mN8pL2T3BlbkFJvR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
sed -e "s|^API_LLM_PROVIDER_MODEL=.*|API_LLM_PROVIDER_MODEL=gpt-4o-mini|" \
    -e "/^API_LLM_TEMPERATURE_OVERRIDE=/d" \
    -e "s|^API_OPENAI_FORCE_BASE_URL=.*|API_OPENAI_FORCE_BASE_URL=http://127.0.0.1:$port/v1|" \
    -e "s|^API_OPEN_AI_API_KEY=.*|API_OPEN_AI_API_KEY=$KEY|" \
    "$top_srcdir/examples/moonshot.env" >"$T/.env"
run "$KEC" check --deep --format=json --catalog "$T/cat.ini" "$T/.env"
"$PY" - "$T/out" >"$T/py" 2>&1 <<'PY' || true
import json, sys
d = json.load(open(sys.argv[1]))
p = {x["name"]: x for x in d["probes"]}
assert p["models"]["status"] == 200 and p["models"]["verdict"] == "ok", p["models"]
assert p["chat"]["status"] == 200 and p["chat"]["verdict"] == "ok", p["chat"]
assert d["provider"]["id"] == "openai", d["provider"]
print("prism ok")
PY
expect_grep "$T/py" "prism ok" "Prism: the models probe passes and the --deep request is valid (no 422)"
expect_nogrep "$T/out" "PRISMxQ3mN8pL2T3BlbkFJvR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6" "no key printed"
# The spec's model list is made up ("string"): the model is not in it.
expect_grep "$T/out" '"rule":"model-not-found"' "the model is looked up in Prism's list"
finish
