#!/bin/sh
# bench/env.sh - how fast is `kodus-envcheck env` beside the floor (cat) and
# Node dotenv 16 parse() on the same files, in the same run? Prints medians
# and ratios; never fails on timing (the machine is shared and noisy).
# usage: bench/env.sh [path/to/kodus-envcheck]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${1:-$top/kodus-envcheck}
shared=${KODUS_SHARED:-$top/../shared}
work=$(mktemp -d "${TMPDIR:-/tmp}/kec-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 "$here/gen-env.py" 100000 >"$work/100k.env"
files="$work/100k.env"
[ -f "$shared/fixtures/kodus/env.example" ] && files="$shared/fixtures/kodus/env.example $files"

node_ok=0
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
	(cd "$work" && npm init -y >/dev/null 2>&1 &&
		npm install --silent --no-audit --no-fund dotenv@16.6.1 >/dev/null 2>&1) && node_ok=1
	cp "$here/node-parse.js" "$work/"
fi

python3 - "$bin" "$work" "$node_ok" $files <<'PY'
import os, statistics, subprocess, sys, time
binary, work, node_ok, files = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4:]
RUNS = 15

def wall(cmd):
    ts = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
        ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts)

for f in files:
    lines = sum(1 for _ in open(f, "rb"))
    size = os.path.getsize(f)
    print("%s: %d lines, %d bytes (median of %d runs)" % (os.path.basename(f), lines, size, RUNS))
    floor = wall(["cat", f])
    ours = wall([binary, "env", "--reveal", f])
    print("  cat (floor)                    %8.2f ms" % floor)
    print("  kodus-envcheck env             %8.2f ms   %.2fx the floor" % (ours, ours / floor))
    if node_ok:
        node_proc = wall(["node", os.path.join(work, "node-parse.js"), f, "1"])
        out = subprocess.run(["node", os.path.join(work, "node-parse.js"), f, str(RUNS)],
                             capture_output=True, cwd=work, text=True).stdout.strip()
        node_parse = float(out)
        print("  node: dotenv.parse() alone     %8.2f ms" % node_parse)
        print("  node: whole process            %8.2f ms" % node_proc)
        print("  ratio node parse() / ours      %8.1fx  (target >= 10x on 100k lines)" % (node_parse / ours))
        print("  ratio node process / ours      %8.1fx" % (node_proc / ours))
    else:
        print("  node/npm not available: Node dotenv not measured")
PY
