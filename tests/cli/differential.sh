#!/bin/sh
# Differential test: 5,000 random .env files (tests/gen-env.py) read by
# `env --dialect=node` and by npm dotenv 16's own parse(), installed here
# into a temp dir; they must agree exactly. A mismatch prints the smallest
# failing file. Skips without npm (or when it cannot install dotenv).
# KEC_DIFF_COUNT and KEC_DIFF_SEED change the run.
. "$top_srcdir/tests/setup.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip "python3 not found"
command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 || skip "npm not found"
count=${KEC_DIFF_COUNT:-5000}
seed=${KEC_DIFF_SEED:-20261127}
mkdir "$T/npm"
(cd "$T/npm" && npm_direct init -y >/dev/null 2>&1 &&
	npm_direct install --silent --no-audit --no-fund dotenv@16.6.1 >/dev/null 2>&1) ||
	skip "cannot install dotenv@16.6.1 from npm"
"$PY" "$top_srcdir/tests/gen-env.py" "$T/files" "$count" "$seed"

# dotenv's answer for every file, in one node process
cat >"$T/npm/parse.js" <<'JS'
const dotenv = require('dotenv'), fs = require('fs'), path = require('path');
const dir = process.argv[2], out = {};
for (const f of fs.readdirSync(dir).sort())
  out[f] = dotenv.parse(fs.readFileSync(path.join(dir, f)));
process.stdout.write(JSON.stringify(out));
JS
node "$T/npm/parse.js" "$T/files" >"$T/node.json"

"$PY" - "$KEC" "$T/files" "$T/node.json" >"$T/report" 2>&1 <<'PY' || true
import concurrent.futures, json, os, subprocess, sys
binary, d, want_file = sys.argv[1:4]
want = json.load(open(want_file))

def mismatch(f):
    p = os.path.join(d, f)
    r = subprocess.run(["env", "-i", binary, "env", "--dialect=node", "--reveal", p],
                       capture_output=True)
    try:
        got = json.loads(r.stdout)
    except ValueError:
        got = None
    if r.returncode != 0 or got is None or got.get("ok") is not True or got["env"] != want[f]:
        return (os.path.getsize(p), f, got, want[f])
    return None

# one run a file, as many at once as there are processors
with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
    bad = [m for m in pool.map(mismatch, sorted(want)) if m is not None]
print("%d files, %d mismatches" % (len(want), len(bad)))
if bad:
    size, f, got, w = min(bad)
    print("smallest failing file: %s (%d bytes): %r" % (f, size, open(os.path.join(d, f), "rb").read()))
    print("  dotenv:         %s" % json.dumps(w, ensure_ascii=True))
    print("  kodus-envcheck: %s" % json.dumps(got and got.get("env"), ensure_ascii=True))
PY
cat "$T/report"
expect_grep "$T/report" "$count files, 0 mismatches" "env --dialect=node equals dotenv 16 parse() on $count random files"
finish
