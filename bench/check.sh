#!/bin/sh
# bench/check.sh - `kodus-envcheck check --offline` on the installer's
# .env.example and on a generated 10,000-variable file, beside a no-op C
# program (the cost of starting a process) in the same run. Prints medians
# and ratios; never fails on timing.
# usage: bench/check.sh [path/to/kodus-envcheck]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${1:-$top/kodus-envcheck}
shared=${KODUS_SHARED:-$top/../shared}
work=$(mktemp -d "${TMPDIR:-/tmp}/kec-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

printf 'int main(void) { return 0; }\n' >"$work/noop.c"
${CC:-cc} -O2 -o "$work/noop" "$work/noop.c"
python3 - "$work/10k.env" <<'PY'
import random, sys
r = random.Random(7)
with open(sys.argv[1], "w") as f:
    f.write("API_LLM_PROVIDER_MODEL=kimi-k2.6\nAPI_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1\n")
    for i in range(10000):
        k = r.choice(["APP_SETTING_%d", "SERVICE_%d_URL", "FEATURE_FLAG_%d", "WORKER_%d_PORT"]) % i
        v = r.choice(["value-%x" % r.getrandbits(40), '"quoted %d"' % i, "https://h%d.example.com/v1" % i, "%d" % r.randrange(65536)])
        f.write("%s=%s\n" % (k, v))
PY
files="$work/10k.env"
if [ -f "$shared/fixtures/kodus/env.example" ]; then
	cp "$shared/fixtures/kodus/env.example" "$work/installer.env"
	files="$work/installer.env $files"
fi

python3 - "$bin" "$work/noop" $files <<'PY'
import os, statistics, subprocess, sys, time
binary, noop, files = sys.argv[1], sys.argv[2], sys.argv[3:]
RUNS = 15
def wall(cmd):
    ts = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts)
floor = wall([noop])
print("no-op C program (process start floor)   %8.2f ms" % floor)
for f in files:
    n = sum(1 for _ in open(f, "rb"))
    t = wall([binary, "check", "--offline", f])
    print("check --offline %-14s %6d lines %8.2f ms   %.1fx the floor" % (os.path.basename(f), n, t, t / floor))
PY
