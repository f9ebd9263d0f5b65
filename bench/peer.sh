#!/bin/sh
# bench/peer.sh - `check --offline` against dotenv-linter (its own analyzer,
# v4.0.0, behind the small `dlmini` CLI of ../shared/peers/dotenv-linter) in
# the same run: the installer's .env, a 100,000-line file from
# bench/gen-env.py in text and --format=json, and the peak memory of each
# run (getrusage of the child, via wait4). Prints medians of interleaved
# runs and ratios; never fails on timing.
#
# The peer, first found wins:
#   DLMINI=path/to/dlmini          a built binary
#   DLMINI_BUILD=DIR               a build directory of build.sh
#                                  (DIR/target/release/dlmini), built there
#                                  when missing and DOTENV_LINTER_GIT is set
#   DOTENV_LINTER_GIT=DIR          a fetched dotenv-linter git dir: built
#                                  into a temporary directory (needs cargo)
# Without any (or without cargo), the peer is skipped with one line and
# our own figures are still printed.
# usage: bench/peer.sh [path/to/kodus-envcheck]
#   RUNS=N (default 21) runs per command and file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${1:-$top/kodus-envcheck}
shared=${KODUS_SHARED:-$top/../shared}
runs=${RUNS:-21}
[ "$runs" -ge 21 ] 2>/dev/null || runs=21
work=$(mktemp -d "${TMPDIR:-/tmp}/kec-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
PATH=$PATH:${CARGO_HOME:-$HOME/.cargo}/bin

# the peer
peer=
why=
build_peer() {
	# build_peer OUTDIR: prints nothing, sets peer or why
	if ! command -v cargo >/dev/null 2>&1; then
		why="cargo not found"
	elif [ ! -d "${DOTENV_LINTER_GIT:-/nonexistent}" ]; then
		why="DOTENV_LINTER_GIT is not a fetched dotenv-linter git dir"
	elif [ ! -f "$shared/peers/dotenv-linter/build.sh" ]; then
		why="$shared/peers/dotenv-linter/build.sh not found"
	elif bash "$shared/peers/dotenv-linter/build.sh" "$1" \
	    >"$work/build.log" 2>&1; then
		peer=$1/target/release/dlmini
	else
		why="the build failed (last lines: $(tail -n 3 "$work/build.log" |
		    tr '\n' ' '))"
	fi
}
if [ -n "${DLMINI:-}" ]; then
	if [ -x "$DLMINI" ]; then peer=$DLMINI; else why="DLMINI=$DLMINI is not executable"; fi
elif [ -n "${DLMINI_BUILD:-}" ]; then
	if [ -x "$DLMINI_BUILD/target/release/dlmini" ]; then
		peer=$DLMINI_BUILD/target/release/dlmini
	else
		build_peer "$DLMINI_BUILD"
	fi
elif [ -n "${DOTENV_LINTER_GIT:-}" ]; then
	build_peer "$work/dlmini"
else
	why="set DLMINI, DLMINI_BUILD or DOTENV_LINTER_GIT (see the comment at the top)"
fi
if [ -n "$peer" ]; then
	echo "peer: dotenv-linter v4.0.0 analyzer ($peer)"
else
	echo "peer: dotenv-linter skipped: $why"
fi

# peak CMD...: runs CMD (output to /dev/null), prints its exit status and
# peak resident KiB on standard error. A child forked by Python would
# count Python's own pages in its peak; this one's children start small.
cat >"$work/peak.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
	(void)argc;
	pid_t p = fork();
	if (p == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) dup2(fd, 1);
		execv(argv[1], argv + 1);
		_exit(127);
	}
	int st; struct rusage ru;
	if (p < 0 || wait4(p, &st, 0, &ru) < 0) return 1;
	fprintf(stderr, "%d %ld\n", WIFEXITED(st) ? WEXITSTATUS(st) :
	    128 + WTERMSIG(st), ru.ru_maxrss);
	return 0;
}
C
${CC:-cc} -O2 -o "$work/peak" "$work/peak.c"

python3 "$here/gen-env.py" 100000 >"$work/100k.env"
files="$work/100k.env"
if [ -f "$shared/fixtures/kodus/env.example" ]; then
	# named .env, as it is deployed (dotenv-finder reads it by path)
	mkdir "$work/kodus"
	cp "$shared/fixtures/kodus/env.example" "$work/kodus/.env"
	files="$work/kodus/.env $files"
else
	echo "installer .env: $shared/fixtures/kodus/env.example not found, skipped"
fi

python3 - "$bin" "$peer" "$work" "$runs" $files <<'PY'
import os, statistics, subprocess, sys, time
binary, peer, work, runs, files = sys.argv[1], sys.argv[2], sys.argv[3], \
    int(sys.argv[4]), sys.argv[5:]
env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}

def once(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env)
    return (time.perf_counter() - t0) * 1000

def peak(cmd):
    p = subprocess.run([os.path.join(work, "peak")] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       env=env)
    rc, kb = p.stderr.split()[-2:]
    return int(rc), int(kb) / 1024.0

def ratio(peer_ms, ours_ms):
    r = peer_ms / ours_ms
    return "%.2fx (%s)" % (r, "ours faster" if r >= 1 else "ours slower")

print("median of %d interleaved runs each; ratio = dotenv-linter time / "
      "ours (>= 1: we are no slower)" % runs)
for f in files:
    size = os.path.getsize(f)
    lines = sum(1 for _ in open(f, "rb"))
    name = "installer .env" if os.path.basename(f) == ".env" else \
        os.path.basename(f)
    print("\n%s: %d lines, %d bytes" % (name, lines, size))
    cmds = [("check --offline (text)", [binary, "check", "--offline", f]),
            ("check --offline --format=json",
             [binary, "check", "--offline", "--format=json", f])]
    if peer:
        cmds.append(("dotenv-linter", [peer, "check", f]))
    for _, c in cmds:   # warm the page cache
        once(c)
    times = {label: [] for label, _ in cmds}
    for _ in range(runs):
        for label, c in cmds:
            times[label].append(once(c))
    med = {label: statistics.median(t) for label, t in times.items()}
    mem = {}
    for label, c in cmds:
        rc, mb = peak(c)
        mem[label] = mb
        print("  %-31s %9.2f ms  peak %7.1f MB  exit %d" % (label,
              med[label], mb, rc))
    budget = 16 + 8 * size / 1048576.0
    for label in [l for l, _ in cmds[:2]]:
        print("  %-31s peak %.1f MB of the 16 MB + 8n budget %.1f MB "
              "(%s)" % (label, mem[label], budget,
                        "within" if mem[label] <= budget else "OVER"))
    if peer:
        for label in [l for l, _ in cmds[:2]]:
            print("  ratio %-25s %s; memory %.2fx the peer's" % (label,
                  ratio(med["dotenv-linter"], med[label]),
                  mem[label] / mem["dotenv-linter"]))
    print("  JSON / text time: %.2fx" % (med[cmds[1][0]] / med[cmds[0][0]]))
PY
