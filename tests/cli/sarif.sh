#!/bin/sh
# check --format=sarif: SARIF 2.1.0 with the rule table, results with
# level, message, file and region, and a fix for trailing blanks; valid by
# the SARIF 2.1.0 JSON schema (sarif-2.1.0.json of Microsoft's SARIF
# multitool package) under ajv. The schema part needs npm: KEC_SARIF_DIR
# caches the install; without npm it is skipped.
. "$top_srcdir/tests/setup.sh"
PY=${PYTHON3:-python3}
EX=$top_srcdir/examples

# a warning with a fix, an error, a note, a file-wide finding; a key
KEY=sk-EXAMPLEq3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
sed -e 's/^API_PG_DB_PORT=5432$/API_PG_DB_PORT=5432 \t/' \
    -e "s/^API_OPEN_AI_API_KEY=.*/API_OPEN_AI_API_KEY=\"$KEY \"/" \
    "$EX/moonshot.env" >"$T/a b.env"
printf 'SOMETHING_ELSE=1\nA=${B\n' >>"$T/a b.env"
run "$KEC" check --offline --format=sarif "$T/a b.env"
expect_rc 1 "sarif: errors give status 1"
cp "$T/out" "$T/a.sarif"
"$PY" - "$T/a.sarif" "$T/a b.env" >"$T/py" 2>&1 <<'PY' || true
import json, sys
d = json.load(open(sys.argv[1]))
path = sys.argv[2]
def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
check(d["version"] == "2.1.0", "version 2.1.0")
run = d["runs"][0]
drv = run["tool"]["driver"]
check(drv["name"] == "kodus-envcheck", "driver name")
ids = [r["id"] for r in drv["rules"]]
check(len(ids) > 30 and "trailing-whitespace" in ids, "every rule in driver.rules")
r0 = drv["rules"][ids.index("trailing-whitespace")]
check(r0["shortDescription"]["text"] == "blanks after a value", "shortDescription")
check(r0["fullDescription"]["text"].startswith("blanks after a value: docker run keeps them"), "fullDescription")
check("--ignore trailing-whitespace" in r0["help"]["text"], "help text")
res = run["results"]
uri = "file://" + path.replace(" ", "%20")
def find(rule):
    return [x for x in res if x["ruleId"] == rule]
tws = find("trailing-whitespace")
check(len(tws) == 2, "two trailing-whitespace results")
tw = [x for x in tws if x["locations"][0]["physicalLocation"]["region"]["startLine"] == 15][0]
tq = [x for x in tws if x is not tw][0]
check(tq["level"] == "error" and "fixes" not in tq, "blanks inside the quotes of a key: error, no fix")
check("Q3mN8" not in json.dumps(d), "the key is not in the log")
check(tw["level"] == "note", "note level: an info, docker compose trims the blanks")
check(ids[tw["ruleIndex"]] == "trailing-whitespace", "ruleIndex points at the rule")
pl = tw["locations"][0]["physicalLocation"]
check(pl["artifactLocation"]["uri"] == uri, "uri percent-encoded: " + pl["artifactLocation"]["uri"])
check(pl["region"] == {"startLine": 15, "startColumn": 20}, "region %r" % pl["region"])
check(tw["message"]["text"].startswith("1 space and 1 tab after the value"), "message text")
rep = tw["fixes"][0]["artifactChanges"][0]["replacements"][0]
check(rep["deletedRegion"] == {"startLine": 15, "startColumn": 20, "endLine": 15, "endColumn": 22}, "fix deletes the 2 blanks: %r" % rep["deletedRegion"])
check(rep["insertedContent"]["text"] == "", "fix inserts nothing")
bi = find("bad-interpolation")
check(len(bi) == 1 and bi[0]["level"] == "error", "bad-interpolation: error")
check(bi[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 44, "bad-interpolation line")
uv = find("unknown-variable")
check(uv and all(x["level"] == "note" for x in uv), "unknown-variable: note")
check(all("fixes" not in x for x in res if x["ruleId"] != "trailing-whitespace"), "no other fixes")
PY
cat "$T/py"
ntest=$((ntest + $(grep -c '^ok: \|^FAIL: ' "$T/py")))
nfail=$((nfail + $(grep -c '^FAIL: ' "$T/py" || true)))
grep -q '^ok: version' "$T/py" || { ntest=$((ntest + 1)); fail "the python checks did not run"; }

run "$KEC" check --offline --format=sarif "$EX/moonshot.env"
expect_rc 0 "sarif: a clean file"
cp "$T/out" "$T/clean.sarif"
expect_grep "$T/out" '"results":[]' "sarif: no results"
cd "$EX" && run "$KEC" check --offline --format=sarif broken.env && cd - >/dev/null
cp "$T/out" "$T/broken.sarif"
expect_grep "$T/out" '"uri":"broken.env"' "sarif: a relative path stays relative"
run env -i API_LLM_PROVIDER_MODEL=kimi-k2.6 "$KEC" check --offline --environ --format=sarif
cp "$T/out" "$T/environ.sarif"
expect_nogrep "$T/out" '"locations"' "sarif: the environment has no file location"

# ---- the example workflow uploads the log to code scanning ---------------
if "$PY" -c 'import yaml' 2>/dev/null; then
	"$PY" - "$EX/github-code-scanning.yml" >"$T/py" 2>&1 <<'PY' || true
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
steps = w["jobs"]["envcheck"]["steps"]
run = [s for s in steps if "--format=sarif" in s.get("run", "")]
check(len(run) == 1 and "kodus-envcheck check --offline --format=sarif" in run[0]["run"], "workflow: a step writes SARIF")
up = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
check(len(up) == 1 and up[0]["with"]["sarif_file"] in run[0]["run"], "workflow: upload-sarif uploads that file")
check(w["permissions"].get("security-events") == "write", "workflow: may write security events")
check(steps.index(up[0]) > steps.index(run[0]) and run[0].get("continue-on-error") is True, "workflow: uploads also when the check fails")
PY
	cat "$T/py"
	ntest=$((ntest + $(grep -c '^ok: \|^FAIL: ' "$T/py")))
	nfail=$((nfail + $(grep -c '^FAIL: ' "$T/py" || true)))
	grep -q '^ok: workflow: a step' "$T/py" || { ntest=$((ntest + 1)); fail "the workflow checks did not run"; }
fi

# ---- the SARIF 2.1.0 schema, with ajv ------------------------------------
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
	echo "npm not found: schema validation skipped"
	finish
	exit $?
fi
dir=${KEC_SARIF_DIR:-${top_builddir:-$T}/tests/.sarif}
if [ ! -f "$dir/sarif-2.1.0.json" ] || [ ! -d "$dir/node_modules/ajv-formats" ]; then
	# a package build keeps npm offline (debian/rules): nothing to install
	# from, and that is not a failure of the SARIF output
	if [ "${npm_config_offline:-}" = true ]; then
		echo "npm is offline and $dir holds no install: schema validation skipped"
		finish
		exit $?
	fi
	mkdir -p "$dir"
	# the schema ships in the multitool's platform package: only its
	# tarball is fetched (npm pack runs no scripts), one file taken out
	# (no npm init: it refuses a directory named .sarif as a package name)
	(cd "$dir" && printf '{"name":"kec-sarif-test","private":true}\n' >package.json &&
		npm_direct install --silent --no-audit --no-fund ajv@8.17.1 ajv-formats@3.0.1 >/dev/null 2>&1 &&
		npm_direct pack --silent @microsoft/sarif-multitool-linux@5.7.0 >/dev/null 2>&1 &&
		tar -xzf microsoft-sarif-multitool-linux-5.7.0.tgz package/sarif-2.1.0.json &&
		mv package/sarif-2.1.0.json . && rm -rf package microsoft-sarif-multitool-linux-5.7.0.tgz) ||
		{ ntest=$((ntest + 1)); fail "cannot install ajv or the SARIF schema from npm"; finish; exit 1; }
fi
cat >"$T/validate.js" <<'JS'
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");
const fs = require("fs");
const schema = JSON.parse(fs.readFileSync(process.argv[2]));
if (!/Version 2\.1\.0 JSON Schema/.test(schema.title)) {
	console.log("FAIL: not the SARIF 2.1.0 schema: " + schema.title);
	process.exit(0);
}
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const v = ajv.compile(schema);
for (const f of process.argv.slice(3)) {
	const want = !f.endsWith("invalid.sarif");
	const ok = v(JSON.parse(fs.readFileSync(f)));
	const name = f.replace(/.*\//, "");
	if (ok === want)
		console.log("ok: " + name + (want ? " is valid SARIF 2.1.0" : " is rejected by the schema"));
	else
		console.log("FAIL: " + name + " " + JSON.stringify(v.errors && v.errors.slice(0, 3)));
}
JS
# the validator must be able to fail: no driver name, a bad level
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"level":"fatal","message":{"text":"x"}}]}]}\n' >"$T/invalid.sarif"
NODE_PATH=$dir/node_modules node "$T/validate.js" "$dir/sarif-2.1.0.json" \
    "$T/a.sarif" "$T/clean.sarif" "$T/broken.sarif" "$T/environ.sarif" "$T/invalid.sarif" >"$T/js" 2>&1 || true
cat "$T/js"
ntest=$((ntest + 5))
nfail=$((nfail + $(grep -c '^FAIL' "$T/js" || true) + 5 - $(grep -c '^ok: ' "$T/js" || true)))
finish
