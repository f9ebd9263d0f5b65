#!/bin/sh
# Output streams (issue 16): a report costs no memory however large it
# is, on standard output and into check --output; a write error midway
# is one clear message and status 2; --output leaves FILE whole or as it
# was; the Prometheus counts per rule and severity.
#
# The memory bound is asserted functionally, as in memory.sh: the
# baseline is the smallest address-space limit (ulimit -v, 256 KiB
# steps) under which a one-line file gives its normal status and output,
# and the run on a big file must give the same status and bytes as
# without a limit under the baseline + 16 MB + 8n. The big file is 6,000
# short lines, each with two findings, in a directory whose path is some
# 760 bytes long: every finding repeats the path, so the report (11 to 13
# MB by format) is far larger than the file (0.2 MB) while the lint
# stays small. A report held whole in memory (before: --output in every
# format, SARIF everywhere) needs more than the bound.
. "$top_srcdir/tests/setup.sh"

command -v awk >/dev/null 2>&1 || skip "awk not found"

seg=d$(printf '%0250d' 0)
D=$T/$seg/$seg/$seg
mkdir -p "$D"
printf 'APP_SETTING=value\n' >"$D/tiny.env"
awk 'BEGIN {
	for (i = 0; i < 6000; i++)
		printf "APP_SETTING_%d=abcdefgh  # note\n", i
}' >"$D/big.env"
n=$(wc -c <"$D/big.env" | tr -d ' ')

# ---- 1. the memory bound ----------------------------------------------
if vm_limitable; then
	vlimit=1
else
	vlimit=0
	echo "# cannot run under ulimit -v (a sanitizer build?): no bound"
fi

# report FMT MODE FILE [LIMIT]: check --offline FILE in FMT, to standard
# output (MODE out) or --output (MODE file), the report in $T/report
report() {
	fmt=$1 mode=$2 f=$3 lim=${4:-}
	rm -f "$T/r.out"
	if [ "$mode" = out ]; then
		set -- "$KEC" check --offline --format="$fmt" "$f"
	else
		set -- "$KEC" check --offline --format="$fmt" \
		    --output "$T/r.out" "$f"
	fi
	if [ -n "$lim" ]; then
		vm_limited "$lim" "$@"
	else
		run "$@"
	fi
	if [ "$mode" = out ]; then
		cp "$T/out" "$T/report"
	elif [ -f "$T/r.out" ]; then
		cp "$T/r.out" "$T/report"
	else
		: >"$T/report"
	fi
}

for fmt in text json sarif github; do
	for mode in out file; do
		report "$fmt" "$mode" "$D/big.env"
		want_rc=$rc
		cp "$T/report" "$T/big.want"
		cp "$T/report" "$T/big.$mode.want"
		ntest=$((ntest + 1))
		size=$(wc -c <"$T/big.want" | tr -d ' ')
		if [ "$want_rc" = 1 ] && [ "$size" -gt $((20 * n)) ]; then
			pass "$fmt $mode: a report of $size bytes (status 1)"
		else
			fail "$fmt $mode: status $want_rc, $size bytes"
		fi
		[ "$vlimit" = 1 ] || continue

		report "$fmt" "$mode" "$D/tiny.env"
		tiny_rc=$rc
		cp "$T/report" "$T/tiny.want"
		lo=0 hi=16384
		while [ $((hi - lo)) -gt 256 ]; do
			mid=$(((lo + hi) / 2))
			report "$fmt" "$mode" "$D/tiny.env" "$mid"
			if [ "$rc" = "$tiny_rc" ] &&
			    cmp -s "$T/report" "$T/tiny.want"; then
				hi=$mid
			else
				lo=$mid
			fi
		done
		limit=$((hi + 16384 + 8 * n / 1024))
		report "$fmt" "$mode" "$D/big.env" "$limit"
		ntest=$((ntest + 1))
		if [ "$rc" = "$want_rc" ] && cmp -s "$T/report" "$T/big.want"
		then
			pass "$fmt $mode: same status and bytes under $limit KiB (baseline $hi)"
		else
			fail "$fmt $mode: under $limit KiB: status $rc, $(head -c 200 "$T/err")"
		fi
	done
	# the same bytes on standard output and in the file
	ntest=$((ntest + 1))
	if cmp -s "$T/big.out.want" "$T/big.file.want"; then
		pass "$fmt: --output holds what standard output gets"
	else
		fail "$fmt: --output differs from standard output"
	fi
done

# ---- 2. write errors midway ---------------------------------------------
cannot() {
	printf 'kodus-envcheck: cannot write output: %s\n' "$1"
}
if [ -w /dev/full ]; then
	for fmt in text sarif; do
		run sh -c '"$1" check --offline --format="$2" "$3" >/dev/full' \
		    sh "$KEC" "$fmt" "$D/big.env"
		expect_rc 2 "$fmt to /dev/full"
		expect_err "$(cannot 'No space left on device')" "$fmt to /dev/full: one message"
	done
fi
for fmt in text sarif; do
	run sh -c '"$1" check --offline --format="$2" "$3" >&-' \
	    sh "$KEC" "$fmt" "$D/big.env"
	expect_rc 2 "$fmt to a closed standard output"
	expect_err "$(cannot 'Bad file descriptor')" "$fmt to a closed standard output: one message"
done
# nothing to print is still an error on a closed standard output, as it
# was, and the file of --output is written all the same
rm -f "$T/c.prom"
run sh -c '"$1" check --offline --format=prometheus --output "$2" "$3" >&-' \
    sh "$KEC" "$T/c.prom" "$D/tiny.env"
expect_rc 2 "--output with standard output closed"
expect_err "$(cannot 'Bad file descriptor')" "--output with standard output closed: the message"
expect_grep "$T/c.prom" "kodus_envcheck_exit_status 1" "--output with standard output closed: the file written"
# and a closed standard output is no place for a file the program opens:
# the command of --exec gets it closed, as it was given
run sh -c '"$1" check --offline "$2" --exec -- sh -c '\''if [ -e /dev/fd/1 ]; then echo open >&2; else echo closed >&2; fi'\'' >&-' \
    sh "$KEC" "$top_srcdir/examples/moonshot.env"
expect_rc 0 "--exec with standard output closed"
expect_grep "$T/err" "closed" "--exec: the command's standard output closed, as given"

# A pipe whose reader is gone: the report (megabytes) cannot all fit in
# the pipe, so a write fails whenever the reader leaves. With SIGPIPE
# ignored, the error is the message and status 2; else the signal ends
# the program, silently, as for any filter.
for fmt in text json; do
	rm -f "$T/prc"
	(trap '' PIPE
	{ set +e; "$KEC" check --offline --format="$fmt" "$D/big.env" \
	    2>"$T/err"; echo $? >"$T/prc"; } | true)
	rc=$(cat "$T/prc")
	expect_rc 2 "$fmt into a closed pipe, SIGPIPE ignored"
	expect_err "$(cannot 'Broken pipe')" "$fmt into a closed pipe: one message"
done
# whether this shell may reset SIGPIPE (not when it was ignored on entry)
sigpipe=$(sh -c 'kill -PIPE $$; echo alive' 2>/dev/null || true)
rm -f "$T/prc"
{ set +e; "$KEC" check --offline "$D/big.env" 2>"$T/err"
  echo $? >"$T/prc"; } | true
rc=$(cat "$T/prc")
ntest=$((ntest + 1))
if [ "$sigpipe" = alive ]; then
	if [ "$rc" = 2 ] && [ "$(cat "$T/err")" = "$(cannot 'Broken pipe')" ]
	then pass "closed pipe, SIGPIPE ignored by the caller: status 2"
	else fail "closed pipe, SIGPIPE ignored: status $rc, $(head -c 200 "$T/err")"; fi
elif [ "$rc" -gt 128 ] && [ ! -s "$T/err" ]; then
	pass "closed pipe: ended by SIGPIPE (status $rc), nothing on stderr"
else
	fail "closed pipe: status $rc, $(head -c 200 "$T/err")"
fi

# ---- 3. --output fails midway: FILE as it was, no temporary file ----------
# A file size limit (SIGXFSZ ignored: EFBIG) stops the write a few KiB in.
printf 'old report\n' >"$T/x.prom"
run sh -c 'trap "" XFSZ; ulimit -f 16 && exec "$@"' sh "$KEC" check \
    --offline --format=json --output "$T/x.prom" "$D/big.env"
expect_rc 2 "--output over the file size limit"
expect_err "kodus-envcheck: check: --output $T/x.prom: cannot write: File too large (left as it was)" "--output over the file size limit: the message"
ntest=$((ntest + 1))
if [ "$(cat "$T/x.prom")" = "old report" ]; then pass "--output: the old file as it was"
else fail "--output: the old file changed"; fi
ntest=$((ntest + 1))
left=$(ls -A "$T" | grep '^\.x\.prom\.' || true)
if [ -z "$left" ]; then pass "--output: no temporary file left"
else fail "--output: left $left"; fi

# A signal midway (SIGTERM, as docker stop sends; the test's fault hook
# raises it at the first write into the temporary file): it still ends
# the run, and the temporary file goes with it.
for fmt in prometheus json; do
	KODUS_ENVCHECK_TEST_FAULT=term-while-writing run "$KEC" check \
	    --offline --format=$fmt --output "$T/x.prom" "$D/big.env"
	expect_rc 143 "$fmt: --output, SIGTERM while writing: ended by it"
	ntest=$((ntest + 1))
	left=$(ls -A "$T" | grep '^\.x\.prom\.' || true)
	if [ -z "$left" ] && [ "$(cat "$T/x.prom")" = "old report" ]; then
		pass "$fmt: --output, SIGTERM: the old file as it was, no" \
		    "temporary file left"
	else
		fail "$fmt: --output, SIGTERM: left '$left', $(head -c 40 \
		    "$T/x.prom")"
	fi
done

# ---- 4. Prometheus: one series a (rule, severity), in the order of each
# pair's first finding, counting its findings (as the text report lists
# them) ---------------------------------------------------------------------
awk 'BEGIN {
	for (i = 0; i < 3000; i++) {
		printf "a%d=1 \n", i
		printf "APP_SETTING_%d= x  # note\n", i
		if (i % 7 == 0)
			printf "export B%d=\"x\"\n", i
	}
}' >"$T/mixed.env"
run "$KEC" check --offline --format=text "$T/mixed.env"
sed -n -E 's/^(.*: )?(error|warning|info): .* \[([a-z0-9-]+)\]$/\3 \2/p' "$T/out" |
    awk '{ if (!($0 in c)) o[n++] = $0; c[$0]++ }
	END { for (i = 0; i < n; i++) { split(o[i], a, " ")
		printf "kodus_envcheck_findings{rule=\"%s\",severity=\"%s\"} %d\n",
		    a[1], a[2], c[o[i]] } }' >"$T/counts.want"
run "$KEC" check --offline --format=prometheus "$T/mixed.env"
grep '^kodus_envcheck_findings{' "$T/out" >"$T/counts" || true
ntest=$((ntest + 1))
if [ "$(wc -l <"$T/counts.want")" -ge 5 ] && cmp -s "$T/counts.want" "$T/counts"
then pass "prometheus: the counts of the text report, in its order"
else fail "prometheus counts differ"; diff "$T/counts.want" "$T/counts" | head -10; fi

finish
