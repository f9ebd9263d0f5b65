#!/bin/sh
# The memory bound of issue 16: check --offline on an input of n bytes
# needs at most 16 MB + 8n beyond what the process needs for a tiny file,
# in text and in JSON. Asserted functionally, not timed: the baseline is
# the smallest address-space limit (ulimit -v, 256 KiB steps) under which
# check --offline --format=json of a one-line file still gives its
# normal status and output; then a 4 MB file, 5,000 long values with a
# finding and a hint each, must give the same status and the same bytes
# as without a limit, under the baseline + 16 MB + 8n. (The JSON report
# built as one cJSON tree needed about 55 MB here, over the bound.)
. "$top_srcdir/tests/setup.sh"

vm_limitable || skip "cannot run under ulimit -v (a sanitizer build?)"
command -v awk >/dev/null 2>&1 || skip "awk not found"

cd "$T"
printf 'APP_SETTING=value\n' >tiny.env
# 5,000 lines of NAME=<800 hex digits>  # note
awk 'BEGIN {
	for (i = 0; i < 5000; i++) {
		v = ""
		x = i * 2654435761 % 4294967296
		for (j = 0; j < 100; j++) {
			x = (x * 1103515245 + 12345) % 2147483648
			v = v sprintf("%08x", x)
		}
		printf "APP_SETTING_%d=%s  # note\n", i, v
	}
}' >big.env
n=$(wc -c <big.env | tr -d ' ')

for fmt in json text; do
	vm_baseline check --offline --format=$fmt tiny.env
	base=$vbase
	limit=$((base + 16384 + 8 * n / 1024))
	echo "# $fmt: baseline $base KiB; bound for $n bytes: $limit KiB"

	run "$KEC" check --offline --format=$fmt big.env
	want_rc=$rc
	cp "$T/out" "big.$fmt"
	ntest=$((ntest + 1))
	if [ "$want_rc" = 1 ] && [ -s "big.$fmt" ]; then
		pass "$fmt: findings on the big file (status 1)"
	else
		fail "$fmt: status $want_rc, $(wc -c <"big.$fmt") bytes"
	fi
	vm_limited "$limit" "$KEC" check --offline --format=$fmt big.env
	ntest=$((ntest + 1))
	if [ "$rc" = "$want_rc" ] && cmp -s "$T/out" "big.$fmt"; then
		pass "$fmt: same status and output under 16 MB + 8n"
	else
		fail "$fmt: under $limit KiB: status $rc, $(head -c 200 "$T/err")"
	fi
done

cd - >/dev/null
finish
