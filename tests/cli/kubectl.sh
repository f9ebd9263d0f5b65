#!/bin/sh
# `env --dialect=kubectl`: kubectl create configmap --from-env-file's
# reading. Exact outputs on hand-written cases always; then, where kubectl
# is installed, the same answer as the real kubectl on every file of the
# conformance corpus and on random files (tests/gen-env.py). Skips (77)
# the comparison without kubectl. KEC_KUBECTL_COUNT and KEC_KUBECTL_SEED
# change the random part.
. "$top_srcdir/tests/setup.sh"

# kenv CONTENT: CONTENT (printf format) read as kubectl reads it, under
# an empty environment
kenv() {
	printf "$1" >"$T/k.env"
	run env -i "$KEC" env --dialect=kubectl --reveal "$T/k.env"
}

# blanks: leading ones trimmed, trailing ones, quotes and comments kept
kenv '  A= 1 "x" # c  \r\n\tB=2\n'
expect_rc 0 "kept as written"
expect_out '{"ok":true,"env":{"A":" 1 \"x\" # c  ","B":"2"}}' "leading blanks trimmed; trailing blanks, quotes and comments kept; CR dropped"
kenv 'a.b-c=1\n_x=2\n-y=3\n.z=4\n# c\n\n'
expect_out '{"ok":true,"env":{"a.b-c":"1","_x":"2","-y":"3",".z":"4"}}' "'.' and '-' in names"
kenv 'A\n'
expect_out '{"ok":true,"env":{"A":""}}' "a bare name unset in the environment is empty (docker run drops it)"
run env -i A=from-env "$KEC" env --dialect=kubectl --reveal "$T/k.env"
expect_out '{"ok":true,"env":{"A":"from-env"}}' "a bare name takes the environment's value"
kenv '\357\273\277A=1\n'
expect_out '{"ok":true,"env":{"A":"1"}}' "a byte order mark on line 1 dropped"

kenv 'A=1\n1B=2\n'
expect_rc 1 "a name starting with a digit: refused"
expect_out '{"ok":false,"dialect":"kubectl","file":"'"$T"'/k.env","error":"'"'1B'"' is not a name kubectl takes ([-._a-zA-Z][-._a-zA-Z0-9]*, at most 253 characters): kubectl refuses the file","line":2,"column":1}' "the refusal named, with its place"
kenv 'A=1\nA=2\n'
expect_rc 1 "a name set twice: refused"
expect_grep "$T/out" '"error":"A is set twice: kubectl refuses the file","line":2,"column":1' "the second assignment named"
kenv 'A=1\n\357\273\277B=2\n'
expect_rc 1 "a byte order mark past line 1: refused"
kenv 'A@B=1\n'
expect_rc 1 "'@' in a name: refused"
kenv '..a=1\n'
expect_rc 1 "a name starting '..': refused"
kenv 'export A=1\n'
expect_rc 1 "'export A' is no name: refused"
kenv 'A =1\n'
expect_rc 1 "a blank before '=' is part of the name: refused"
kenv 'A=\377\n'
expect_rc 1 "invalid UTF-8: refused"
"${PYTHON3:-python3}" -c "import sys; sys.stdout.write('B=1\nA=' + 'x' * 70000 + '\nC=2\n')" >"$T/k.env"
run env -i "$KEC" env --dialect=kubectl --reveal "$T/k.env"
expect_out '{"ok":true,"env":{"B":"1"}}' "a line over 64 KiB silently ends the reading"

# check --for=kubectl: the refusals are errors, the kept quotes warnings
printf 'A=1\nA=2\nB="x"\n' >"$T/c.env"
run env -i KODUS_ENVCHECK_DATE=2026-11-27 "$KEC" check --offline --for=kubectl --ignore required-missing,webhook-url,unknown-variable,llm-not-configured "$T/c.env"
expect_rc 1 "check --for=kubectl: a name set twice is an error"
expect_grep "$T/out" "$T/c.env:2:1: error: A is set again (first on line 1): docker compose, docker run and Node keep only this last value, kubectl refuses the file [duplicate-key]" "duplicate-key message"
expect_grep "$T/out" "$T/c.env:3:3: warning: docker run --env-file and kubectl keep the quotes: they see '\"x\"' [quoted-value]" "kept quotes: a warning"

# ---- against the real kubectl --------------------------------------------
KUBECTL=${KUBECTL:-kubectl}
PY=${PYTHON3:-python3}
if ! command -v "$KUBECTL" >/dev/null 2>&1 || ! command -v "$PY" >/dev/null 2>&1; then
	finish || exit 1
	skip "kubectl or python3 not found: compared only the hand-written cases"
fi
corpus=${KODUS_SHARED:-$top_srcdir/../shared}/conformance/dotenv
mkdir "$T/files"
[ -d "$corpus" ] && cp "$corpus"/*.env "$T/files/"
"$PY" "$top_srcdir/tests/gen-env.py" "$T/files" "${KEC_KUBECTL_COUNT:-30}" "${KEC_KUBECTL_SEED:-20261130}"
"$PY" - "$KEC" "$KUBECTL" "$T/files" >"$T/report" 2>&1 <<'PY' || true
import json, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
binary, kubectl, d = sys.argv[1:4]

def real(p):
    r = subprocess.run(["env", "-i", kubectl, "create", "configmap", "x",
                        "--from-env-file=" + p, "--dry-run=client", "-o", "json"],
                       capture_output=True, timeout=60)
    if r.returncode != 0:
        return {"ok": False}
    return {"ok": True, "env": json.loads(r.stdout).get("data") or {}}

def ours(p):
    r = subprocess.run(["env", "-i", binary, "env", "--dialect=kubectl", "--reveal", p],
                       capture_output=True, timeout=60)
    try:
        got = json.loads(r.stdout)
    except ValueError:
        return {"unparsable": r.stdout[:200].decode("latin-1")}
    if r.returncode != (0 if got.get("ok") else 1):
        got["status"] = r.returncode
    return got

def same(want, got):
    return got.get("ok") is want["ok"] and "status" not in got and (
        not want["ok"] or got.get("env") == want["env"])

files = sorted(f for f in os.listdir(d) if f.endswith(".env") or f.startswith("f"))
with ThreadPoolExecutor(2) as ex:
    wants = list(ex.map(lambda f: real(os.path.join(d, f)), files))
bad = []
for f, want in zip(files, wants):
    got = ours(os.path.join(d, f))
    if not same(want, got):
        bad.append((os.path.getsize(os.path.join(d, f)), f, want, got))
print("%d files, %d mismatches" % (len(files), len(bad)))
for size, f, want, got in sorted(bad)[:5]:
    print("  %s (%d bytes): %r" % (f, size, open(os.path.join(d, f), "rb").read()[:200]))
    print("    kubectl:        %s" % json.dumps(want, ensure_ascii=True)[:300])
    print("    kodus-envcheck: %s" % json.dumps(got, ensure_ascii=True)[:300])
PY
cat "$T/report"
n=$(ls "$T/files" | wc -l | tr -d ' ')
expect_grep "$T/report" "$n files, 0 mismatches" "env --dialect=kubectl equals kubectl --from-env-file on $n files"
finish
