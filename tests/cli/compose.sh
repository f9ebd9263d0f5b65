#!/bin/sh
# compose.sh - the compose project model: env --service / --services and
# check on a compose project; the compose file as bad input.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/setup.sh"
C=$top_srcdir/tests/compose
cp -R "$C/split" "$C/profiles" "$C/bad" "$T/"
cd "$T"

# ---- final environments, exact ------------------------------------------
run env -i FROM_SHELL=shellval "$KEC" env --service api split/.env
expect_rc 0 "env --service api"
expect_out '{"ok":true,"service":"api","active":true,"env":{"API_LLM_PROVIDER_MODEL":"kimi-k3","API_OPENAI_FORCE_BASE_URL":"https://api.moonshot.ai/v1","REF":"from-dotenv","FWD":"none","LATER":"x","API_OPEN_AI_API_KEY":"sk-…S6t","TAG":"2.0","FROM_SHELL":"shellval"},"from":{"API_LLM_PROVIDER_MODEL":"split/api.env:1","API_OPENAI_FORCE_BASE_URL":"split/api.env:2","REF":"split/api.env:3","FWD":"split/api.env:4","LATER":"split/api.env:5","API_OPEN_AI_API_KEY":"split/compose.yaml:7","TAG":"split/compose.yaml:8","FROM_SHELL":"split/compose.yaml:9"}}' \
    "api: its own env file, \${VAR} from the project .env, a default, a bare KEY from the shell, an unset bare KEY left out, the key masked"

run env -i "$KEC" env --service api split/.env
expect_grep "$T/out" '"TAG":"2.0"' "the project .env feeds interpolation"
expect_nogrep "$T/out" '"FROM_SHELL":' "a bare KEY set nowhere is not passed"

run env -i IMAGE_TAG=9 FROM_SHELL=s "$KEC" env --service api split/.env
expect_grep "$T/out" '"TAG":"9"' "the shell wins over the project .env"

LEAK_OK=1 run env -i "$KEC" env --reveal --service api split/.env
expect_grep "$T/out" '"API_OPEN_AI_API_KEY":"sk-Q3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t"' "--reveal"

run env -i FROM_SHELL=shellval "$KEC" env --service worker split/.env
expect_out '{"ok":true,"service":"worker","active":true,"env":{"API_LLM_PROVIDER_MODEL":"kimi-k2.5","API_OPENAI_FORCE_BASE_URL":"https://api.moonshot.ai/v1","COMMON":"2","PREV":"1","RUN_MIGRATIONS":"false","FROM_SHELL":"shellval"},"from":{"API_LLM_PROVIDER_MODEL":"split/compose.yaml:19","API_OPENAI_FORCE_BASE_URL":"split/common.env:2","DROPPED":"split/compose.yaml:22 (unset)","COMMON":"split/worker.env:1","PREV":"split/worker.env:2","RUN_MIGRATIONS":"split/compose.yaml:20","FROM_SHELL":"split/compose.yaml:21"}}' \
    "worker: two env files in order, required: false, a map override, KEY: null unset"

run env -i "$KEC" env --service nope split/.env
expect_rc 2 "an unknown service"
expect_err "kodus-envcheck: env: no service 'nope' in split/compose.yaml" "names the file"

run env -i "$KEC" env --service api "$T"/nowhere/.env
expect_rc 2 "no compose file"

# ---- the installer's compose file and .env ------------------------------
K=$top_srcdir/../shared/fixtures/kodus
if [ -f "$K/docker-compose.yml" ] && [ -f "$K/env.example" ]; then
	mkdir inst
	cp "$K/docker-compose.yml" inst/
	cp "$K/env.example" inst/.env
	run env -i "$KEC" env --service worker inst/.env
	expect_rc 0 "installer: worker"
	"${PYTHON3:-python3}" - "$T/out" inst/.env >"$T/py" 2>&1 <<'PY' || true
import json, sys
d = json.load(open(sys.argv[1]))
e, f = d["env"], d["from"]
assert e["RUN_MIGRATIONS"] == "false" and f["RUN_MIGRATIONS"] == "inst/docker-compose.yml:60", f["RUN_MIGRATIONS"]
assert e["ENV"] == "production" and f["ENV"] == "inst/docker-compose.yml:53"
assert f["API_LLM_PROVIDER_MODEL"].startswith("inst/.env:"), f["API_LLM_PROVIDER_MODEL"]
assert "WORKER_ROLE" not in e or e["WORKER_ROLE"] != "analytics"
print("OK")
PY
	expect_grep "$T/py" "OK" "installer: worker overrides from the compose file, the rest from .env"
	run env -i "$KEC" env --services inst/.env
	"${PYTHON3:-python3}" - "$T/out" >"$T/py" 2>&1 <<'PY' || true
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["name"]: x for x in d["services"]}
assert s["worker-analytics"]["active"] is False and s["worker-analytics"]["profiles"] == ["analytics"]
assert [s[n]["kodus"] for n in ("api", "worker", "worker-analytics", "webhooks", "kodus-web", "kodus-mcp-manager", "rabbitmq")] == \
    ["api", "worker", "worker-analytics", "webhooks", "web", "mcp-manager", None], s
assert s["api"]["image"] == "ghcr.io/kodustech/kodus-ai-api:latest"
assert s["api"]["env_files"] == ["inst/.env"]
print("OK")
PY
	expect_grep "$T/py" "OK" "installer: services, roles by image, the analytics profile off"
	run env -i COMPOSE_PROFILES=analytics "$KEC" env --services inst/.env
	expect_grep "$T/out" '"profiles":["analytics"],"active":true' "COMPOSE_PROFILES turns the profile on"
	run env -i "$KEC" env --service worker-analytics inst/.env
	expect_grep "$T/out" '"active":false,' "an inactive service says so"
	expect_grep "$T/out" '"WORKER_ROLE":"analytics"' "WORKER_ROLE from environment:"

	# check: the installer project, secrets filled in
	"${PYTHON3:-python3}" - "$K/env.example" inst/.env <<'PY'
import re, sys
hexv = "7a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c"
b64 = "eLfoGZI7Qm0lzDtFAJ9vjOFEs6uGj4cvDd8VFxqrY5M="
fill = {"API_JWT_SECRET": b64, "API_JWT_REFRESH_SECRET": b64, "WEB_NEXTAUTH_SECRET": b64,
        "NEXTAUTH_SECRET": b64, "API_CRYPTO_KEY": hexv, "CODE_MANAGEMENT_SECRET": hexv,
        "API_PG_DB_PASSWORD": hexv, "API_MG_DB_PASSWORD": hexv}
out = []
for line in open(sys.argv[1]).read().split("\n"):
    m = re.match(r"^([A-Z_]+)=", line)
    if m and m.group(1) in fill:
        line = m.group(1) + "=" + fill[m.group(1)]
    out.append(line)
open(sys.argv[2], "w").write("\n".join(out))
PY
	run env -i "$KEC" check --offline inst/.env
	expect_rc 0 "check: the installer's project, filled in"
	cp "$T/out" "$T/with-compose"
	mkdir alone
	cp inst/.env alone/.env
	run env -i "$KEC" check --offline alone/.env
	sed 's|alone/|inst/|g' "$T/out" >"$T/alone.out"
	ntest=$((ntest + 1))
	if cmp -s "$T/alone.out" "$T/with-compose"; then pass "check: the installer's compose file adds no finding"; else
		fail "check: the installer's compose file changes the report"; diff "$T/alone.out" "$T/with-compose" | head; fi
	run env -i COMPOSE_PROFILES=analytics "$KEC" check --offline inst/.env
	expect_rc 0 "check: worker-analytics on, same LLM block"
	expect_nogrep "$T/out" "api-worker-drift" "no drift in the installer's project"
	printf 'services:\n  worker-analytics:\n    environment:\n      - API_LLM_PROVIDER_MODEL=gpt-4o\n' >inst/docker-compose.override.yml
	run env -i "$KEC" check --offline inst/.env
	expect_rc 0 "check: an override on an inactive service"
	expect_nogrep "$T/out" "api-worker-drift" "an inactive profile is not compared"
	run env -i "$KEC" check --offline --profile analytics inst/.env
	expect_rc 1 "check --profile analytics"
	expect_grep "$T/out" "inst/docker-compose.override.yml:4:9: error: service worker-analytics receives 'gpt-4o', service api 'auto' (inst/.env:262)" "drift at the override file's line"
	run env -i "$KEC" check --offline --format=json --profile analytics inst/.env
	expect_grep "$T/out" '{"rule":"api-worker-drift","severity":"error","file":"inst/docker-compose.override.yml","line":4,"column":9,"key":"API_LLM_PROVIDER_MODEL"' "json: the compose file's line"
	rm inst/docker-compose.override.yml
fi

# ---- the project .env read twice (FACTS 4) -------------------------------
mkdir twice
printf 'services:\n  a:\n    env_file: .env\n  b:\n    env_file: other.env\n' >twice/compose.yaml
printf 'FWD=${LATER}\nLATER=x\n' >twice/.env
cp twice/.env twice/other.env
run env -i "$KEC" env --service a twice/.env
expect_out '{"ok":true,"service":"a","active":true,"env":{"FWD":"x","LATER":"x"},"from":{"FWD":"twice/.env:1","LATER":"twice/.env:2"}}' "the project .env as env_file: a forward reference resolves from the first pass"
run env -i "$KEC" env --service b twice/.env
expect_grep "$T/out" '"env":{"FWD":"x","LATER":"x"}' "another env_file sees the project environment too"
printf 'FWD=${LATER}\nLATER=y\n' >twice/other.env
printf 'NOTHING=1\n' >twice/.env
run env -i "$KEC" env --service b twice/.env
expect_grep "$T/out" '"env":{"FWD":"","LATER":"y"}' "a forward reference in an env file that is not the project .env is empty"
printf 'FWD=${LATER}\nLATER=x\n' >twice/.env
run env -i LATER=sh "$KEC" env --service a twice/.env
expect_grep "$T/out" '"env":{"FWD":"sh","LATER":"x"}' "a shell variable wins in the second pass's interpolation; the key itself keeps the file's value"

# ---- profiles, extends --------------------------------------------------
run env -i "$KEC" env --services profiles/.env
expect_grep "$T/out" '"name":"worker-analytics","image":"ghcr.io/kodustech/kodus-ai-worker:latest","kodus":"worker-analytics","profiles":["analytics"],"active":false' "a profile off"
expect_grep "$T/out" '"notes":["profiles/compose.yaml:14: service tools: extends: is not followed; its environment is not included"]' "extends is reported"
run env -i "$KEC" env --services --profile ops profiles/.env
expect_grep "$T/out" '"profiles":["debug","ops"],"active":true' "--profile"
expect_grep "$T/out" '"profiles":["analytics"],"active":false' "--profile replaces COMPOSE_PROFILES"
printf 'A=1\nCOMPOSE_PROFILES=analytics\n' >profiles/.env
run env -i "$KEC" env --services profiles/.env
expect_grep "$T/out" '"profiles":["analytics"],"active":true' "COMPOSE_PROFILES from the project .env"

# ---- -f merging ---------------------------------------------------------
cat >split/override.yaml <<'YML'
services:
  worker:
    env_file:
      - common.env
      - extra.env
    environment:
      - COMMON=3
YML
printf 'EXTRA=1\n' >split/extra.env
run env -i "$KEC" env --service worker --compose split/compose.yaml --compose split/override.yaml split/.env
expect_grep "$T/out" '"COMMON":"3","PREV":"3","EXTRA":"1","RUN_MIGRATIONS":"false"}' "a later --compose adds env files and overrides a key (that \${COMMON} in an env file sees, as compose-go looks environment: up first)"
expect_grep "$T/out" '"EXTRA":"split/extra.env:1"' "its origin"

# ---- bad input ----------------------------------------------------------
run "$KEC" env --services --compose bad/invalid.yaml
expect_rc 2 "invalid YAML"
expect_err "kodus-envcheck: bad/invalid.yaml:4:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence (line 3)" "invalid YAML: file, line, column"
run "$KEC" env --services --compose bad/tabs.yaml
expect_rc 2 "tabs"
expect_err "kodus-envcheck: bad/tabs.yaml:2:1: invalid YAML: found character that cannot start any token while scanning for the next token (line 2); a tab indents this line: YAML indents with spaces only" "tab indentation named"
run "$KEC" env --services --compose bad/laughs.yaml
expect_rc 2 "billion laughs"
expect_err 'kodus-envcheck: bad/laughs.yaml:7:4: the YAML expands to more than 1000000 nodes through aliases (a "billion laughs"): refused' "billion laughs refused"
run "$KEC" env --services --compose bad/anchor-loop.yaml
expect_err "kodus-envcheck: bad/anchor-loop.yaml:1:11: an alias inside its own anchor (a recursive structure): refused" "recursive alias"
run env -i "$KEC" env --services --compose bad/required.yaml
expect_rc 2 "missing env_file"
expect_err "kodus-envcheck: bad/required.yaml:4:15: service api: env_file bad/missing.env not found (docker compose refuses to start; 'required: false' makes it optional)" "missing env_file"
run env -i "$KEC" env --services --compose bad/needvar.yaml
expect_rc 2 ":? unset"
expect_err "kodus-envcheck: bad/needvar.yaml:3:12: required variable TAG is missing a value: set TAG first" ":? message"
run env -i TAG=1 "$KEC" env --services --compose bad/needvar.yaml
expect_rc 0 ":? set"
"${PYTHON3:-python3}" -c "
import sys
sys.stdout.write('services:\n  api:\n    environment:\n')
for i in range(400000): sys.stdout.write('      - K%d=vvvvvvvvvvvvvvvvv\n' % i)" >bad/big.yaml
run "$KEC" env --services --compose bad/big.yaml
expect_rc 2 "10 MB of YAML"
expect_err "kodus-envcheck: bad/big.yaml:1:1: larger than 1048576 bytes: refused" "size cap"
"${PYTHON3:-python3}" -c "print('a: ' + '[' * 100 + ']' * 100)" >bad/deep.yaml
run "$KEC" env --services --compose bad/deep.yaml
expect_rc 2 "deep nesting"
expect_err "kodus-envcheck: bad/deep.yaml:1:67: YAML nested more than 64 deep: refused" "depth cap"
"${PYTHON3:-python3}" -c "print('a: [' + ','.join(['1'] * 150000) + ']')" >bad/wide.yaml
run "$KEC" env --services --compose bad/wide.yaml
expect_rc 2 "too many nodes"
expect_grep "$T/err" "more than 100000 YAML nodes: refused" "node cap"
printf 'services:\n  api:\n    image: a\n    environment: {}\n    image: b\n' >bad/dup.yaml
run "$KEC" env --services --compose bad/dup.yaml
expect_rc 2 "a key twice in a map"
expect_err 'kodus-envcheck: bad/dup.yaml:5:5: mapping key "image" already defined at line 3: docker compose refuses the file' "duplicate key named"
printf 'services:\n  api:\n    env_file: bad.env\n' >bad/refuse.yaml
printf 'A="unterminated\n' >bad/bad.env
run "$KEC" env --service api --compose bad/refuse.yaml
expect_rc 1 "an env_file compose refuses"
expect_grep "$T/err" "bad/bad.env:1:3: docker compose refuses it:" "names the env file's line"

# ---- check on a compose project -----------------------------------------
run env -i "$KEC" check --offline split/.env
expect_rc 1 "check: split project"
expect_grep "$T/out" "split/compose.yaml:19:7: error: service worker receives 'kimi-k2.5', service api 'kimi-k3' (split/api.env:1): reviews run in the worker with another LLM setup than the API checks [api-worker-drift]" "drift at the environment: line of the worker"
expect_grep "$T/out" "split/compose.yaml:7:9: error: service worker receives '(not set)', service api 'sk-…S6t' (split/compose.yaml:7)" "a key only the api's environment: sets"
expect_grep "$T/out" "split/api.env:1:1: error: service api: kimi-k3 accepts only temperature 1; without API_LLM_TEMPERATURE_OVERRIDE Kodus sends its prompts' own temperature (0)" "the LLM rules run on the api's final environment, at its env file's line"
run env -i "$KEC" check --offline --ignore api-worker-drift split/.env
expect_nogrep "$T/out" "api-worker-drift" "--ignore silences the compose findings"
printf 'services:\n  api:\n    image: [x\n' >bad/compose.yaml
printf 'A=1\n' >bad/.env
run env -i "$KEC" check --offline bad/.env
expect_rc 2 "check: invalid compose file beside the .env"
expect_err "kodus-envcheck: bad/compose.yaml:4:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence (line 3)" "check names the compose file's line"
printf 'services:\n  api:\n    env_file: .env\n' >bad/compose.yaml
printf 'A="open\n' >bad/.env
run env -i "$KEC" check --offline bad/.env
expect_rc 1 "check: a .env compose refuses beside a compose file"
expect_grep "$T/out" "[unterminated-quote]" "the lint reports it; the compose step stays quiet"

run "$KEC" check --offline --compose split/compose.yaml split/api.env
expect_grep "$T/out" "[api-worker-drift]" "--compose with a file not named .env"
mkdir alone-split
cp split/compose.yaml split/api.env alone-split/
run env -i "$KEC" check --offline alone-split/api.env
expect_nogrep "$T/out" "api-worker-drift" "a file not named .env: no discovery"
run "$KEC" --version
expect_grep "$T/out" "libyaml 0.2" "--version names libyaml"
mkdir notfollowed
printf 'API_LLM_PROVIDER_MODEL=kimi-k2.6\n' >notfollowed/.env
printf 'include:\n  - other.yaml\nservices:\n  api:\n    image: ghcr.io/kodustech/kodus-ai-api:latest\n    env_file: .env\n    extends:\n      file: base.yaml\n      service: x\n' >notfollowed/compose.yaml
run env -i "$KEC" check --offline notfollowed/.env
expect_grep "$T/out" "notfollowed/compose.yaml:2:1: info: include: is not followed; the services it adds are not modelled [compose-not-followed]" "check says include: is not followed"
expect_grep "$T/out" "notfollowed/compose.yaml:7:1: info: service api: extends: is not followed; its environment is not included [compose-not-followed]" "check says extends: is not followed, at its line"
run env -i "$KEC" check --offline --ignore compose-not-followed notfollowed/.env
expect_nogrep "$T/out" "compose-not-followed" "--ignore silences it"
run env -i "$KEC" check --offline split/.env
expect_nogrep "$T/out" "compose-not-followed" "a project without them: nothing said"

# ---- usage ---------------------------------------------------------------
run "$KEC" env --compose x.yaml split/.env
expect_rc 2 "--compose without --service"
run "$KEC" env --service api --services
expect_rc 2 "both"
expect_err "kodus-envcheck: env: --service or --services, not both
Try 'kodus-envcheck env --help'." "one wording for usage errors"
run "$KEC" check --offline --environ --compose split/compose.yaml
expect_rc 2 "--compose with --environ"
expect_err "kodus-envcheck: check: --environ checks the process environment: --compose, --env-file and --profile are for files
Try 'kodus-envcheck check --help'." "says why"
finish
