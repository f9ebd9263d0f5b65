#!/bin/sh
# bench/compose.sh - `check --offline` on the installer's project (its
# docker-compose.yml beside the .env) against `check --offline` of the same
# .env alone, in the same run. Prints medians and the ratio (target: at
# most 3x); never fails on timing.
# usage: bench/compose.sh [path/to/kodus-envcheck]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${1:-$top/kodus-envcheck}
shared=${KODUS_SHARED:-$top/../shared}
[ -f "$shared/fixtures/kodus/docker-compose.yml" ] || {
	echo "bench/compose.sh: $shared/fixtures/kodus not found"; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/kec-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/project" "$work/alone"
cp "$shared/fixtures/kodus/docker-compose.yml" "$work/project/"
cp "$shared/fixtures/kodus/env.example" "$work/project/.env"
cp "$shared/fixtures/kodus/env.example" "$work/alone/.env"

python3 - "$bin" "$work" <<'PY'
import statistics, subprocess, sys, time
binary, work = sys.argv[1], sys.argv[2]
RUNS = 21
def wall(path):
    ts = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run([binary, "check", "--offline", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={"PATH": "/usr/bin:/bin"})
        ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts)
# interleave to share the machine's noise
a = b = None
alone, proj = [], []
for _ in range(3):
    alone.append(wall(work + "/alone/.env"))
    proj.append(wall(work + "/project/.env"))
a, b = statistics.median(alone), statistics.median(proj)
print("check --offline .env alone                 %8.2f ms" % a)
print("check --offline .env + docker-compose.yml  %8.2f ms" % b)
print("ratio %.2fx (target <= 3x)" % (b / a))
PY
