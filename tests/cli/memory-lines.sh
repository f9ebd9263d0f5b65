#!/bin/sh
# The memory bound of issue 16 (16 MB + 8n for an input of n bytes, in
# text and JSON) on the files that are many lines rather than long ones,
# asserted as tests/cli/memory.sh does: the baseline is the smallest
# address-space limit (ulimit -v, 256 KiB steps) under which a one-line
# file gives its normal status and output; each file below must then
# give the same status and bytes as without a limit under the baseline
# + 16 MB + 8n. No timing.
#   lines.env    100,000 lines like bench/gen-env.py's: comments,
#                quoted, referencing and commented values, a finding on
#                most lines (the lexer's entries, four readings of
#                80,000 names and 100,000 findings at once)
#   blank.env    2 MiB of empty lines (the readers reserved a map slot a
#                line, the line index doubled: 200 MB)
#   comment.env  2 MiB of comment lines
#   bare.env     160 KiB of "A" lines: a duplicate-key finding a 2-byte
#                line (findings kept as 64-byte records, their messages
#                made when printed: 30 MB before)
#   empty.env    160 KiB of "A=" lines
#   trail.env    160 KiB of "A=1 " lines: two findings a line
# Files made of nothing but findings stay in the bound up to about
# 200 KiB: each such line holds a 64-byte entry and a 64-byte finding,
# more than the 8 bytes a byte the bound allows (kodus-envcheck(1),
# LIMITS, says what a larger one costs).
. "$top_srcdir/tests/setup.sh"

vm_limitable || skip "cannot run under ulimit -v (a sanitizer build?)"
command -v awk >/dev/null 2>&1 || skip "awk not found"

cd "$T"
printf 'APP_SETTING=value\n' >tiny.env
awk 'BEGIN {
	x = 12345
	for (i = 0; i < 100000; i++) {
		x = (x * 1103515245 + 12345) % 2147483648
		k = i % 10
		if (k == 0)
			printf "# section %d: settings for the service\n", i
		else if (k == 1)
			printf "\n"
		else if (k == 2)
			printf "API_VAR_%d=\"q%08x%08x\"\n", i, x, i
		else if (k == 3)
			printf "API_URL_%d=https://host-%d.example.com/v1  # note\n", i, i
		else if (k == 4)
			printf "API_REF_%d=${API_VAR_%d}-suffix\n", i, i - 2
		else if (k == 5)
			printf "API_SINGLE_%d=\x27literal $value %d\x27\n", i, i
		else
			printf "API_PLAIN_%d=v%08x%08x%08x\n", i, x, i * 7, x % 99991
	}
}' >lines.env
awk 'BEGIN { for (i = 0; i < 2097152; i++) printf "\n" }' >blank.env
awk 'BEGIN { for (i = 0; i < 1048576; i++) printf "#\n" }' >comment.env
awk 'BEGIN { for (i = 0; i < 81920; i++) printf "A\n" }' >bare.env
awk 'BEGIN { for (i = 0; i < 54613; i++) printf "A=\n" }' >empty.env
awk 'BEGIN { for (i = 0; i < 32768; i++) printf "A=1 \n" }' >trail.env

for fmt in json text; do
	vm_baseline check --offline --format=$fmt tiny.env
	base=$vbase

	for f in lines blank comment bare empty trail; do
		n=$(wc -c <$f.env | tr -d ' ')
		limit=$((base + 16384 + 8 * n / 1024))
		run "$KEC" check --offline --format=$fmt $f.env
		want_rc=$rc
		cp "$T/out" "$f.$fmt"
		vm_limited "$limit" "$KEC" check --offline --format=$fmt $f.env
		ntest=$((ntest + 1))
		if [ "$rc" = "$want_rc" ] && cmp -s "$T/out" "$f.$fmt"; then
			pass "$fmt $f.env ($n bytes): same status ($rc) and" \
			    "output under $limit KiB (16 MB + 8n)"
		else
			fail "$fmt $f.env: under $limit KiB: status $rc (want" \
			    "$want_rc), $(head -c 200 "$T/err")"
		fi
	done
	# the findings are there: the run above checked something
	ntest=$((ntest + 1))
	found=$(grep -o 'unknown-variable' "lines.$fmt" | wc -l | tr -d ' ')
	if [ "$found" = 80000 ]; then
		pass "$fmt: the 100,000-line file has its 80,000 findings"
	else
		fail "$fmt: $found unknown-variable findings, not 80000"
	fi
	ntest=$((ntest + 1))
	found=$(grep -o 'duplicate-key' "bare.$fmt" | wc -l | tr -d ' ')
	tw=$(grep -o 'trailing-whitespace' "trail.$fmt" | wc -l | tr -d ' ')
	if [ "$found" = 81919 ] && [ "$tw" = 32768 ]; then
		pass "$fmt: bare.env has its 81,919 duplicate-key findings," \
		    "trail.env its 32,768 trailing-whitespace ones"
	else
		fail "$fmt: $found duplicate-key findings (not 81919)," \
		    "$tw trailing-whitespace (not 32768)"
	fi
done

cd - >/dev/null
finish
