#!/bin/sh
# tests/fuzz/run.sh [SECONDS] - run each libFuzzer harness (built by
# `make fuzz`) for SECONDS (default 60), seeded from tests/fuzz/seeds and,
# for the .env harness, ../shared/conformance. Fails on a crash, a leak, a
# UBSan report or an input slower than 1 s. Prints executions per second.
# Run from the build directory.
set -eu
secs=${1:-60}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
shared=${KODUS_SHARED:-$top_srcdir/../shared}
work=$(mktemp -d "${TMPDIR:-/tmp}/kec-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
# fuzz_one NAME: one harness for $secs seconds; its report in
# $work/NAME.out, status 1 on a finding.
fuzz_one() {
	name=$1
	bin=tests/fuzz/fuzz_$name
	# An 8 KiB .env already yields over a thousand findings, each masked
	# and escaped in five formats for two files (under ASan: 0.3 s; a
	# 16 KiB one took 0.7 s on a loaded machine); the 1 s limit is for
	# pathological inputs, not for size.
	maxlen=65536
	[ "$name" = env ] && maxlen=8192
	# The interpolation is bounded (kodus-envcheck(1), LIMITS): a 1 MiB
	# value, 16 MiB for a file's, 32 levels. Under ASan that is well
	# within 512 MB; an input that needs more is a finding, and so is
	# one allocation of more than 64 MB.
	rss=2048 mall=
	[ "$name" = interp ] && rss=512 mall=-malloc_limit_mb=64
	mkdir "$work/$name"
	set -- "$work/$name" "$top_srcdir/tests/fuzz/seeds/$name"
	if [ "$name" = env ]; then
		for c in dotenv dotenv-random; do
			[ -d "$shared/conformance/$c" ] && set -- "$@" "$shared/conformance/$c"
		done
	fi
	set +e
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    "$bin" -max_total_time="$secs" -timeout=1 -rss_limit_mb="$rss" $mall \
	    -max_len="$maxlen" -print_final_stats=1 -artifact_prefix="$work/$name-" \
	    "$@" >"$work/$name.log" 2>&1
	rc=$?
	set -e
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$name.log")
	if [ "$rc" -eq 0 ]; then
		echo "fuzz_$name: ${runs:-?} runs in ${secs} s, ${eps:-?} executions per second, no finding"
	else
		echo "fuzz_$name: FAILED (status $rc)"
		grep -E 'ERROR|runtime error|SUMMARY|Test unit written|timeout' "$work/$name.log" | head -20
		for a in "$work/$name-"*; do
			[ -f "$a" ] && { echo "input:"; od -c "$a" | head -20; }
		done
		return 1
	fi
}
for name in env ini classify interp compose; do
	[ -x "tests/fuzz/fuzz_$name" ] || { echo "tests/fuzz/fuzz_$name: not built (make fuzz)"; exit 2; }
done
# As many harnesses at once as there are processors (each is one
# process, one core): the five take 3 x SECONDS rather than 5 x on two.
jobs=${KEC_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
status=0
set -- env ini classify interp compose
while [ $# -gt 0 ]; do
	batch='' k=0
	while [ $# -gt 0 ] && [ $k -lt "$jobs" ]; do
		batch="$batch $1" k=$((k + 1))
		shift
	done
	for name in $batch; do
		if fuzz_one "$name" >"$work/$name.out" 2>&1; then
			echo 0 >"$work/$name.rc"
		else
			echo 1 >"$work/$name.rc"
		fi &
	done
	wait
	for name in $batch; do
		cat "$work/$name.out"
		[ "$(cat "$work/$name.rc")" = 0 ] || status=1
	done
done
exit $status
