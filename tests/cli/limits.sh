#!/bin/sh
# Resource limits: a 15 MB .env (just under the 16 MiB a file may have)
# under a 32 MB address-space limit, and the
# live check with 100 file descriptors and with too few to open a socket.
# Each either works or fails with one clear line and a documented status:
# never a crash, never half an output, never a damaged file.
. "$top_srcdir/tests/setup.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip "python3 not found"
KEY=sk-LIMxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
OTHER=sk-OTHRxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
export KODUS_ENVCHECK_DATE=2026-11-27
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY 2>/dev/null || true

# limited LIMIT-OPTION N CMD...: CMD under `ulimit LIMIT-OPTION N`
limited() {
	opt=$1 n=$2
	shift 2
	run sh -c 'ulimit "$1" "$2" && shift 2 && exec "$@"' sh "$opt" "$n" "$@"
}

# ---- 32 MB of address space, a 15 MB file ------------------------------------
"$PY" - "$T/big.env" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    n = i = 0
    while n < 15 * 1024 * 1024:
        line = "VAR_%d=value_%d_abcdefghijklmnopqrstuvwxyz\n" % (i, i)
        f.write(line)
        n += len(line)
        i += 1
PY
cp "$T/big.env" "$T/big.copy"
size=$(wc -c <"$T/big.env")

# A sanitizer build reserves terabytes of address space: no -v limit there.
if sh -c 'ulimit -v 65536 && exec "$1" --version' sh "$KEC" >/dev/null 2>&1; then
	# oom_line LABEL NAME: stderr is the one line of an out-of-memory
	# failure naming NAME, stdout is empty, the status is 2
	oom_line() {
		expect_rc 2 "$1"
		ntest=$((ntest + 1))
		if [ "$(wc -l <"$T/err")" -eq 1 ] && grep -Eq "^kodus-envcheck: $2: (out of memory \\(could not allocate [0-9]+ bytes\\)|not enough memory to read it \\(($size|more than [0-9]+) bytes\\))\$" "$T/err"; then
			pass "$1: one clear line ($(cat "$T/err"))"; else fail "$1: stderr: $(head -c 300 "$T/err")"; fi
		ntest=$((ntest + 1))
		if [ ! -s "$T/out" ]; then pass "$1: no partial output"; else fail "$1: $(wc -c <"$T/out") bytes of output"; fi
	}
	cd "$T"
	for d in compose docker node; do
		limited -v 32768 "$KEC" env --dialect=$d big.env
		oom_line "env --dialect=$d" big.env
	done
	limited -v 32768 "$KEC" check --offline --format=json big.env
	oom_line "check --offline" big.env
	run sh -c 'ulimit -v 32768 && exec "$1" env - <big.env' sh "$KEC"
	oom_line "env - (standard input)" '<stdin>'
	limited -v 32768 "$KEC" fix --dry-run big.env
	oom_line "fix --dry-run" big.env
	limited -v 32768 "$KEC" fix big.env
	oom_line "fix" big.env
	ntest=$((ntest + 1))
	if cmp -s big.env big.copy && [ ! -e big.env.bak ] && [ -z "$(ls -A | grep kodus-envcheck)" ]; then
		pass "fix out of memory: the file is untouched, no temp file, no backup"; else fail "fix out of memory left traces"; ls -la; fi
	# the limit is no problem for an ordinary file
	limited -v 32768 "$KEC" check --offline "$top_srcdir/examples/moonshot.env"
	expect_rc 0 "32 MB are plenty for a real .env"
	cd - >/dev/null
else
	echo "# a sanitizer build cannot run under ulimit -v: the memory part skipped"
fi
rm -f "$T/big.env" "$T/big.copy"

# ---- file descriptors: 100, and too few for a socket ----------------------
mock intl --key "$OTHER"
mock cn --key "$KEY"
printf '[provider moonshot]\nbase_url = http://127.0.0.1:%s/v1\n\n[provider moonshot-cn]\nbase_url = http://127.0.0.1:%s/v1\n\n[provider kimi-code]\nbase_url = http://127.0.0.1:%s/v1\n' \
    "$intl_port" "$cn_port" "$cn_port" >"$T/cat.ini"
sed -e "s|^API_OPENAI_FORCE_BASE_URL=.*|API_OPENAI_FORCE_BASE_URL=http://127.0.0.1:$intl_port/v1|" \
    -e "s|^API_OPEN_AI_API_KEY=.*|API_OPEN_AI_API_KEY=$KEY|" "$top_srcdir/examples/moonshot.env" >"$T/live.env"
export KODUS_ENVCHECK_CATALOG="$T/cat.ini"

limited -n 100 "$KEC" check --timeout 10 "$T/live.env"
expect_rc 1 "100 descriptors: the live check runs"
expect_grep "$T/out" "[region-mismatch]" "100 descriptors: the region diagnosis as usual"
if sh -c 'ulimit -n 5 && exec "$1" --version' sh "$KEC" >/dev/null 2>&1; then
	limited -n 5 "$KEC" check --timeout 10 --retries 0 "$T/live.env"
	expect_rc 3 "5 descriptors: no socket, no verdict"
	expect_grep "$T/out" "cannot open a socket: Too many open files (the limit is 5: ulimit -n)" "5 descriptors: the reason, not 'connection refused'"
	expect_nogrep "$T/out" "connection refused" "5 descriptors: not called a refused connection"
	limited -n 5 "$KEC" check --offline "$T/live.env"
	expect_rc 0 "5 descriptors: the offline check needs none of them"
else
	echo "# this build cannot start with 5 descriptors: that part skipped"
fi
finish
