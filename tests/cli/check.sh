#!/bin/sh
# `kodus-envcheck check`: formats, masking, silencing, exit statuses,
# schema discovery, catalogs; `providers` and `rules`.
. "$top_srcdir/tests/setup.sh"

PY=${PYTHON3:-python3}
EX=$top_srcdir/examples
KEY=sk-LEAKxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
export KODUS_ENVCHECK_DATE=2026-11-27

# ---- clean and broken examples ----------------------------------------
run "$KEC" check --offline --strict "$EX/moonshot.env"
expect_rc 0 "the clean example passes --strict"
expect_out "0 errors, 0 warnings, 0 infos" "the clean example: nothing to say"
run "$KEC" check --offline "$EX/broken.env"
expect_rc 1 "the broken example has errors"
for r in model-unknown inline-comment trailing-whitespace hostname-format webhook-url secret-mismatch placeholder-value secret-format undefined-reference rabbitmq-uri type-mismatch; do
	expect_grep "$T/out" "[$r]" "broken example shows $r"
done
# quotes are docker compose syntax: said only for a reader that keeps them
expect_nogrep "$T/out" "[quoted-value]" "broken example, for docker compose: no quoted-value"
run "$KEC" check --offline --for=docker "$EX/broken.env"
expect_grep "$T/out" "$EX/broken.env:8:57: warning: docker run --env-file and kubectl keep the comment in the value" "broken example, for docker run: the comment is a warning"

# ---- JSON --------------------------------------------------------------
run "$KEC" check --offline --format=json "$EX/broken.env"
expect_rc 1 "json: status 1"
"$PY" - "$T/out" "$EX/broken.env" >"$T/py" 2>&1 <<'PY' || true
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1, d["version"]
assert d["files"] == [{"path": sys.argv[2], "role": None, "reader": "compose"}], d["files"]
assert d["schema"] == {"source": "built-in", "auto": False}, d["schema"]
keys = {"rule", "severity", "file", "line", "column", "key", "message", "hint"}
for x in d["diagnostics"]:
    assert set(x) == keys, set(x)
first = d["diagnostics"][0]
assert first == {"rule": "model-unknown", "severity": "error", "file": sys.argv[2],
    "line": 6, "column": 24, "key": "API_LLM_PROVIDER_MODEL",
    "message": "Moonshot AI (international) has no model 'kimi-k2-0905' (it answers 404); closest: kimi-k2-0905-preview (retired 2026-05-25, use kimi-k2.6), kimi-k2.5 (retired 2026-08-31, use kimi-k2.6), kimi-k2.6",
    "hint": "API_LLM_PROVIDER_MODEL=kimi-k2.6"}, first
s = d["summary"]
n = {"error": 0, "warning": 0, "info": 0}
for x in d["diagnostics"]:
    n[x["severity"]] += 1
assert s == {"errors": n["error"], "warnings": n["warning"], "infos": n["info"]}, s
assert s["errors"] == 9 and s["warnings"] == 1, s
print("json ok")
PY
expect_grep "$T/py" "json ok" "json: fields, first diagnostic, summary counts"

printf 'A=1\n' >"$T/nofile.env"
run "$KEC" check --offline --format=json "$T/nofile.env"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); x=[x for x in d["diagnostics"] if x["rule"]=="required-missing"][0]; assert x["line"] is None and x["column"] is None; print("null ok")' "$T/out" >"$T/py" 2>&1 || true
expect_grep "$T/py" "null ok" "json: line and column null without a place"

# ---- GitHub annotations ------------------------------------------------
printf 'A=b # 50%%, really\n' >"$T/gh.env"
run "$KEC" check --offline --for=docker --format=github --ignore required-missing,webhook-url,unknown-variable,llm-not-configured "$T/gh.env"
expect_out "::warning file=$T/gh.env,line=1,col=5,title=inline-comment::docker run --env-file and kubectl keep the comment in the value: they see 'b # 50%25, really' (docker compose and Node cut it); put the comment on its own line%0Ahint: A=b" "github: annotation with escapes"
printf 'A=1\n' >"$T/a,b.env"
run "$KEC" check --offline --format=github "$T/a,b.env"
expect_grep "$T/out" "::error file=$(printf '%s' "$T" | sed 's/:/%3A/g')/a%2Cb.env,title=required-missing::" "github: ',' in a file name escaped, no line"

# ---- colour --------------------------------------------------------------
run "$KEC" check --offline "$EX/broken.env"
ntest=$((ntest + 1))
if grep -q "$(printf '\033')" "$T/out"; then fail "colour written to a file"; else pass "no colour when not a terminal"; fi
if command -v script >/dev/null 2>&1; then
	script -qec "'$KEC' check --offline '$EX/broken.env'" /dev/null >"$T/tty" 2>&1 || true
	ntest=$((ntest + 1))
	if grep -q "$(printf '\033')\[1;31merror" "$T/tty"; then pass "colour on a terminal"; else fail "no colour on a terminal"; fi
	NO_COLOR=1 script -qec "'$KEC' check --offline '$EX/broken.env'" /dev/null >"$T/tty" 2>&1 || true
	ntest=$((ntest + 1))
	if grep -q "$(printf '\033')" "$T/tty"; then fail "colour despite NO_COLOR"; else pass "NO_COLOR on a terminal"; fi
fi

# ---- secrets never in full --------------------------------------------
printf 'API_OPEN_AI_API_KEY="%s "\nAPI_LLM_PROVIDER_MODEL=kimi-k2.6\nAPI_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1 # x\nAPI_OPEN_AI_APIKEY=%s\nAPI_JWT_SECRET=%s\n' "$KEY" "$KEY" "$KEY" >"$T/s.env"
for f in text json github; do
	run env -i "$KEC" check --offline --format=$f "$T/s.env"
	expect_nogrep "$T/out" "xQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6" "no key in $f output"
	expect_nogrep "$T/err" "xQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6" "no key on stderr ($f)"
done

# a quoted name, or a key under a name that does not say so: still masked
printf '"API_OPEN_AI_API_KEY"=%s\nMY_SETTING=%s\nOTHER="%s" # x\n' "$KEY" "$KEY" "$KEY" >"$T/s2.env"
for f in text json github; do
	run env -i "$KEC" check --offline --format=$f "$T/s2.env"
	expect_nogrep "$T/out" "xQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6" "key-shaped values masked in $f"
done
run env -i "$KEC" env --dialect=docker "$T/s2.env"
expect_nogrep "$T/out" "xQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6" "key-shaped values masked by env"
expect_grep "$T/out" '"MY_SETTING":"sk-…S6t"' "env masks a key under any name"

# ---- silencing -----------------------------------------------------------
printf 'A=b # c\nB=d # kodus-envcheck: ignore inline-comment\n# kodus-envcheck: ignore inline-comment,quoted-value\nC="e" # f\nD=g # h\n' >"$T/ig.env"
run "$KEC" check --offline --for=docker --ignore required-missing,unknown-variable "$T/ig.env"
expect_grep "$T/out" "$T/ig.env:1:5: warning: docker run" "not silenced: line 1"
expect_nogrep "$T/out" "$T/ig.env:2:" "silenced by a comment on the line"
expect_nogrep "$T/out" "$T/ig.env:4:" "silenced by a comment above"
expect_grep "$T/out" "$T/ig.env:5:5: warning" "a directive covers one line"
expect_nogrep "$T/out" "[required-missing]" "--ignore"
run "$KEC" check --offline --ignore no-such-rule "$T/ig.env"
expect_rc 2 "--ignore with an unknown rule"
expect_err "kodus-envcheck: check: --ignore: no rule 'no-such-rule' (see kodus-envcheck(1), RULES)
Try 'kodus-envcheck check --help'." "unknown rule named"

# ---- exit statuses --------------------------------------------------------
cp "$EX/moonshot.env" "$T/w.env"
printf 'EXTRA=1\nEXTRA=2\n' >>"$T/w.env"
run "$KEC" check --offline "$T/w.env"
expect_rc 0 "warnings alone: status 0"
run "$KEC" check --offline --strict "$T/w.env"
expect_rc 1 "--strict: warnings count"
run "$KEC" check --offline "$T/none.env"
expect_rc 2 "missing file"
expect_err "kodus-envcheck: $T/none.env: No such file or directory" "missing file named"
run "$KEC" check --offline "$T"
expect_rc 2 "a directory"
run "$KEC" check --offline --format=xml "$EX/moonshot.env"
expect_rc 2 "unknown format"
expect_grep "$T/err" "unknown format 'xml'" "format named"
run "$KEC" check --offline --api
expect_rc 2 "option without its value"
run "$KEC" check --frob
expect_rc 2 "unknown option"
(cd "$T" && rm -f .env; set +e; "$KEC" check --offline >"$T/out" 2>"$T/err"; echo $? >"$T/rc")
rc=$(cat "$T/rc")
expect_rc 2 "no file and no ./.env"
expect_err "kodus-envcheck: .env: No such file or directory" "./.env is the default"
run sh -c "'$KEC' check --offline - <'$EX/moonshot.env'"
expect_rc 0 "standard input"

# ---- schema discovery ----------------------------------------------------
mkdir "$T/inst"
printf '# (required, secret)\nMY_TOKEN=\n# (type: enum(a,b))\nMY_MODE=a\n# (type: port, opt-in: uncomment to enable)\n# MY_PORT=1\n' >"$T/inst/.env.example"
printf 'MY_MODE=c\nMY_PORT=x\n' >"$T/inst/.env"
run "$KEC" check --offline "$T/inst/.env"
expect_grep "$T/out" "$T/inst/.env: error: MY_TOKEN is required and not set [required-missing]" "the example's required flag"
expect_grep "$T/out" "$T/inst/.env:1:9: error: 'c' is not one of a, b [type-mismatch]" "the example's enum"
expect_grep "$T/out" "$T/inst/.env:2:9: error: 'x' is not a port number" "an opt-in variable's type"
expect_grep "$T/out" "(schema: $T/inst/.env.example, found beside the file)" "the report says which schema"
expect_nogrep "$T/out" "API_JWT_SECRET is required" "built-in required flags replaced"
run "$KEC" check --offline --schema "$T/inst/.env.example" "$T/w.env"
expect_grep "$T/out" "(schema: $T/inst/.env.example)" "--schema"
run "$KEC" check --offline --schema "$T/nope" "$T/w.env"
expect_rc 2 "--schema missing"
run "$KEC" check --offline --format=json "$T/inst/.env"
expect_grep "$T/out" "\"schema\":{\"source\":\"$T/inst/.env.example\",\"auto\":true}" "json names the schema"
if [ -f "$top_srcdir/../shared/fixtures/kodus/env.example" ]; then
	"$PY" - "$top_srcdir/../shared/fixtures/kodus/env.example" "$T/filled.env" "$T/moonshot-filled.env" <<'PY'
import re, sys
hexv = "7a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c"
b64 = "eLfoGZI7Qm0lzDtFAJ9vjOFEs6uGj4cvDd8VFxqrY5M="
fill = {"API_JWT_SECRET": b64, "API_JWT_REFRESH_SECRET": b64, "WEB_NEXTAUTH_SECRET": b64,
        "NEXTAUTH_SECRET": b64, "API_CRYPTO_KEY": hexv, "CODE_MANAGEMENT_SECRET": hexv,
        "API_PG_DB_PASSWORD": hexv, "API_MG_DB_PASSWORD": hexv}
# and, in a second file, a webhook and a Fixed Mode block for Moonshot
more = {"WEB_HOSTNAME_API": "kodus.example.com",
        "API_GITHUB_CODE_MANAGEMENT_WEBHOOK": "https://kodus.example.com/github/webhook",
        "API_LLM_PROVIDER_MODEL": "kimi-k2.6",
        "API_OPENAI_FORCE_BASE_URL": "https://api.moonshot.ai/v1",
        "API_OPEN_AI_API_KEY": "sk-LEAKxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t",
        "API_LLM_TEMPERATURE_OVERRIDE": "1"}
for name, extra in ((sys.argv[2], {}), (sys.argv[3], more)):
    out = []
    for line in open(sys.argv[1]).read().split("\n"):
        m = re.match(r"^([A-Z_]+)=", line)
        if m and m.group(1) in fill:
            line = m.group(1) + "=" + fill[m.group(1)]
        if m and m.group(1) in extra:
            line = m.group(1) + "=" + extra[m.group(1)]
        out.append(line)
    open(name, "w").write("\n".join(out))
PY
	run "$KEC" check --offline --schema "$top_srcdir/../shared/fixtures/kodus/env.example" "$T/filled.env"
	expect_rc 0 "the installer's .env.example, secrets filled in: no error (its own schema)"
	run "$KEC" check --offline "$T/filled.env"
	expect_rc 0 "the installer's .env.example, secrets filled in: no error (built-in schema)"
	expect_grep "$T/out" "0 errors," "no error line"
	# its cron values are quoted: harmless to docker compose, the
	# installer's reader
	expect_nogrep "$T/out" "[quoted-value]" "the installer's quoted cron values: nothing to say"
	run "$KEC" check --offline --strict "$T/moonshot-filled.env"
	expect_rc 0 "the installer's template with a webhook and a Moonshot block: --strict passes"
	expect_grep "$T/out" "0 errors, 0 warnings, " "the installer's template with a webhook and a Moonshot block: no warning"
	run "$KEC" check --offline --for=docker "$T/moonshot-filled.env"
	expect_grep "$T/out" "9 warnings" "the same for docker run --env-file: the 9 quoted cron values"
fi

# ---- catalogs ------------------------------------------------------------
printf '[provider acme]\nbase_url = https://llm.acme.test/v1\nkey_prefixes = acme-\n\n[model acme-1]\nprovider = acme\ntemperature = 0.3\n\n[provider moonshot]\nmax_concurrency = 3\n' >"$T/cat.ini"
run "$KEC" providers --format=json --catalog "$T/cat.ini"
expect_rc 0 "providers with a catalog"
"$PY" - "$T/out" "$T/cat.ini" >"$T/py" 2>&1 <<'PY' || true
import json, sys
d = json.load(open(sys.argv[1]))
p = {x["id"]: x for x in d["providers"]}
assert p["acme"]["base_url"] == "https://llm.acme.test/v1", p["acme"]
assert p["acme"]["source"] == sys.argv[2]
assert p["moonshot"]["max_concurrency"] == 3, "merged key"
assert p["moonshot"]["base_url"] == "https://api.moonshot.ai/v1", "other keys kept"
assert p["moonshot"]["siblings"] == ["moonshot-cn", "kimi-code"]
m = {x["id"]: x for x in d["models"]}
assert m["acme-1"]["temperature"] == [0.3], m["acme-1"]
assert m["kimi-k2.6"]["context"] == 262144
print("catalog ok")
PY
expect_grep "$T/py" "catalog ok" "catalog merged key by key"
run env KODUS_ENVCHECK_CATALOG="$T/cat.ini" "$KEC" providers
expect_grep "$T/out" "acme          acme                           https://llm.acme.test/v1" "KODUS_ENVCHECK_CATALOG"
printf 'API_LLM_PROVIDER_MODEL=acme-1\nAPI_OPENAI_FORCE_BASE_URL=https://llm.acme.test/v1\nAPI_OPEN_AI_API_KEY=acme-0123456789abcdef\n' >"$T/acme.env"
run "$KEC" check --offline --catalog "$T/cat.ini" "$T/acme.env"
expect_grep "$T/out" "acme-1 accepts only temperature 0.3" "a catalog model's rules apply"
printf '[provider x]\nbase_url = ftp://x\n' >"$T/bad1.ini"
run "$KEC" providers --catalog "$T/bad1.ini"
expect_rc 2 "catalog with a bad base_url"
expect_err "kodus-envcheck: $T/bad1.ini:2: [provider x] base_url: must start with https:// (or http://)" "bad base_url named"
printf '[provider x]\nbase_url = https://x/v1\ncolour = red\n' >"$T/bad2.ini"
run "$KEC" providers --catalog "$T/bad2.ini"
expect_err "kodus-envcheck: $T/bad2.ini:3: unknown key 'colour' in [provider x]" "unknown key named"
printf '[thing x]\na = b\n' >"$T/bad3.ini"
run "$KEC" providers --catalog "$T/bad3.ini"
expect_err "kodus-envcheck: $T/bad3.ini:2: section [thing x] is neither [provider ID], [model ID] nor [kodus]" "unknown section named"
printf '[model m]\nprovider = nobody\n' >"$T/bad4.ini"
run "$KEC" providers --catalog "$T/bad4.ini"
expect_err "kodus-envcheck: catalog: [model m] provider: no provider 'nobody'" "dangling provider named"
{ printf '[provider x]\nbase_url = https://x/v1\nname = '; head -c 300 /dev/zero | tr '\0' n; printf '\n'; } >"$T/bad5.ini"
run "$KEC" providers --catalog "$T/bad5.ini"
expect_rc 2 "a line longer than inih takes"
expect_err "kodus-envcheck: catalog $T/bad5.ini:3:199: line longer than 198 bytes: the INI reader cannot take it" "long line refused with its place"
printf '[provider x]\nbase_url = https://x/v1\nname = a\000b\n' >"$T/bad6.ini"
run "$KEC" providers --catalog "$T/bad6.ini"
expect_err "kodus-envcheck: catalog $T/bad6.ini:3:9: NUL byte" "NUL refused with its place"
printf 'no section line\n' >"$T/bad7.ini"
run "$KEC" providers --catalog "$T/bad7.ini"
expect_err "kodus-envcheck: catalog $T/bad7.ini:1:1: not a [section], a 'name = value' line or a comment" "syntax error named"
run "$KEC" providers --catalog "$T/missing.ini"
expect_err "kodus-envcheck: catalog $T/missing.ini: No such file or directory" "missing catalog named"
run "$KEC" check --offline --catalog "$T/bad1.ini" "$EX/moonshot.env"
expect_rc 2 "check with a bad catalog"

# ---- rules ---------------------------------------------------------------
run "$KEC" rules
expect_rc 0 "rules"
man1="$top_srcdir/man/kodus-envcheck.1"
awk '{print $1}' "$T/out" | sort >"$T/rule-ids"
sed -n '/^\.Sh RULES/,/^\.Sh SECRETS/s/^\.It Cm \([a-z-]*\)$/\1/p' "$man1" | sort >"$T/man-rules"
ntest=$((ntest + 1))
if cmp -s "$T/rule-ids" "$T/man-rules"; then pass "the man page documents the $(wc -l <"$T/rule-ids") rules"; else
	fail "rules and man page disagree"; diff "$T/rule-ids" "$T/man-rules" | sed 's/^/  /'; fi
run "$KEC" rules --format=json
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)>30 and set(d[0])=={"id","group","summary"}; print("rules ok")' "$T/out" >"$T/py" 2>&1 || true
expect_grep "$T/py" "rules ok" "rules as JSON"

finish
