#!/bin/sh
# bench/hostile-mem.sh - the memory ceiling on hostile files (issue 11):
# `env`, `check --offline` and `fix --dry-run` on each file that
# tests/gen-hostile.py writes (values that double line by line, 50,000
# levels of nesting, 100,000 references side by side, /dev/zero, ...),
# and `check --offline` with a 200,000-variable .env.example and a
# 130,000-provider catalog. Prints each run's exit status, wall time and
# peak resident memory (getrusage of that child, via wait4), and the
# ceiling each must stay under; exits 1 if one does not. Times are
# printed for information only.
# usage: bench/hostile-mem.sh [path/to/kodus-envcheck]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${1:-$top/kodus-envcheck}
work=$(mktemp -d "${TMPDIR:-/tmp}/kec-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$top/tests/gen-hostile.py" "$work"
# peak CMD...: runs CMD, prints its exit status and peak resident KiB.
# A child forked by Python would count Python's own size in its peak;
# this small program's children start small.
cat >"$work/peak.c" <<'C'
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
	(void)argc;
	pid_t p = fork();
	if (p == 0) { execv(argv[1], argv + 1); _exit(127); }
	int st; struct rusage ru;
	if (p < 0 || wait4(p, &st, 0, &ru) < 0) return 1;
	fprintf(stderr, "%d %ld\n", WIFEXITED(st) ? WEXITSTATUS(st) :
	    128 + WTERMSIG(st), ru.ru_maxrss);
	return 0;
}
C
${CC:-cc} -O2 -o "$work/peak" "$work/peak.c"

cd "$work"
python3 - "$bin" <<'PY'
import os, subprocess, sys, time

binary = sys.argv[1]
# A hostile .env is at most 663 bytes to 700 KB here; what it may cost
# is bounded by the limits (1 MiB a value, 16 MiB for a file's values,
# 32 levels, 16 MiB a file), not by what it asks for.
ENV_CEILING_MB = 64
# The schema and catalog runs read 6 to 12 MB files, kept whole with an
# index: their cost is linear in the size.
BIG_CEILING_MB = 200

envs = ["exp.env", "total.env", "side.env", "nest33.env", "ok-1mib.env",
        "ok-nest32.env", "/dev/zero"]
for op in ("dash", "qmark", "minus", "question"):
    envs += ["nest-%s.env" % op, "nest-%s-dq.env" % op]
runs = []
for f in envs:
    for cmd in (["env"], ["check", "--offline"], ["fix", "--dry-run"]):
        runs.append((cmd + [f], ENV_CEILING_MB))
runs.append((["check", "--offline", "--schema", "schema.env.example",
              "small.env"], BIG_CEILING_MB))
runs.append((["check", "--offline", "--catalog", "catalog.ini",
              "small.env"], BIG_CEILING_MB))
runs.append((["check", "--offline", "--catalog", "/dev/zero", "small.env"],
             ENV_CEILING_MB))
runs.append((["check", "--offline", "--schema", "/dev/zero", "small.env"],
             ENV_CEILING_MB))

over = 0
print("%-58s %6s %8s %9s %8s" % ("run", "status", "seconds", "peak MB",
                                  "ceiling"))
for args, ceiling in runs:
    t0 = time.perf_counter()
    p = subprocess.run(["./peak", binary] + args, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    rc, kb = p.stderr.split()[-2:]
    rc, mb = int(rc), int(kb) / 1024.0
    flag = "" if mb <= ceiling else "  OVER"
    over += mb > ceiling
    print("%-58s %6d %8.2f %9.1f %8d%s" % (" ".join(args)[:58], rc, dt, mb,
                                           ceiling, flag))
print("ceiling: %d MB for a hostile .env, %d MB for the 6-12 MB schema and "
      "catalog; %d over" % (ENV_CEILING_MB, BIG_CEILING_MB, over))
sys.exit(1 if over else 0)
PY
