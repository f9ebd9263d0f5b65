#!/bin/sh
# .pre-commit-hooks.yaml: the fields the pre-commit framework requires, a
# files pattern that takes .env files and leaves templates alone, and the
# entry run as pre-commit runs it (shlex-split, file names appended).
. "$top_srcdir/tests/setup.sh"
PY=${PYTHON3:-python3}
EX=$top_srcdir/examples
M=$top_srcdir/.pre-commit-hooks.yaml
"$PY" -c 'import yaml' 2>/dev/null || skip "python3 yaml module missing"

mkdir "$T/bin"
ln -s "$KEC" "$T/bin/kodus-envcheck"
cp "$EX/moonshot.env" "$T/good.env"
cp "$EX/broken.env" "$T/broken.env"

"$PY" - "$M" "$T" >"$T/py" 2>&1 <<'PY' || true
import os, re, shlex, subprocess, sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
t = sys.argv[2]
def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
check(isinstance(hooks, list) and len(hooks) >= 1, "a list of hooks")
h = [x for x in hooks if x.get("id") == "kodus-envcheck"]
check(len(h) == 1, "one hook with id kodus-envcheck")
h = h[0]
for k in ("id", "name", "entry", "language"):
    check(isinstance(h.get(k), str) and h[k] != "", "required field " + k)
check(h["language"] == "system", "language: system (the installed program)")
known = {"id", "name", "entry", "language", "files", "exclude", "types",
         "types_or", "exclude_types", "always_run", "fail_fast", "verbose",
         "pass_filenames", "require_serial", "description",
         "language_version", "log_file", "minimum_pre_commit_version",
         "args", "stages"}
check(set(h) <= known, "no unknown field: %s" % sorted(set(h) - known))
rx = re.compile(h["files"])
for p in (".env", "deploy/.env", ".env.production", "a/b/.env.local"):
    check(rx.search(p) is not None, "files matches " + p)
for p in (".env.example", "deploy/.env.example", ".env.sample",
          ".env.template", "x.env", "env", ".envrc", "src/.env/x"):
    check(rx.search(p) is None, "files does not match " + p)
ex = h.get("exclude")
if ex:
    check(re.compile(ex).search(".env") is None, "exclude leaves .env")

# the entry as pre-commit runs it: shlex.split, then the file names
env = dict(os.environ, PATH=t + "/bin:" + os.environ["PATH"])
argv = shlex.split(h["entry"]) + h.get("args", [])
r = subprocess.run(argv + [t + "/good.env"], env=env, capture_output=True)
check(r.returncode == 0 and r.stdout == b"" and r.stderr == b"",
      "a clean file: status 0, silent (%d %r)" % (r.returncode, r.stdout[:200]))
r = subprocess.run(argv + [t + "/good.env", t + "/broken.env"], env=env,
                   capture_output=True)
out = r.stdout.decode()
check(r.returncode == 1, "a broken file among two: status 1 (%d)" % r.returncode)
check(t + "/broken.env:29:13: error:" in out, "the broken file's findings")
check("api-worker-drift" not in out and "good.env:" not in out,
      "each file checked alone: no drift between them")
check("errors," not in out, "--quiet: no summary lines")
r = subprocess.run(argv + [t + "/broken.env", t + "/good.env"], env=env,
                   capture_output=True)
check(r.returncode == 1, "a broken file first: status still 1 (%d)" % r.returncode)
r = subprocess.run(argv + ["-x.env"], env=env, cwd=t, capture_output=True)
check(r.returncode == 2 and b"-x.env: No such file" in r.stderr,
      "a file name starting with '-' is a file (%d)" % r.returncode)
PY
cat "$T/py"
ntest=$((ntest + $(grep -c '^ok: \|^FAIL: ' "$T/py")))
nfail=$((nfail + $(grep -c '^FAIL: ' "$T/py" || true)))
grep -q '^ok: a list' "$T/py" || { ntest=$((ntest + 1)); fail "the python checks did not run"; }

if command -v pre-commit >/dev/null 2>&1; then
	run pre-commit validate-manifest "$M"
	expect_rc 0 "pre-commit validate-manifest"
else
	echo "pre-commit not installed: validate-manifest not run"
fi
finish
