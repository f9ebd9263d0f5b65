#!/bin/sh
# Bad invocations and hostile files: one line on stderr, status 2, never
# a crash; huge files and lines work.
. "$top_srcdir/tests/setup.sh"

run "$KEC" env "$T/missing.env"
expect_rc 2 "missing file"
expect_err "kodus-envcheck: $T/missing.env: No such file or directory" "missing file message"

mkdir "$T/dir"
run "$KEC" env "$T/dir"
expect_rc 2 "directory"
expect_err "kodus-envcheck: $T/dir: is a directory, not a file" "directory message"

printf 'A=1\n' >"$T/noread.env"
chmod 000 "$T/noread.env"
if [ "$(id -u)" -ne 0 ]; then
	run "$KEC" env "$T/noread.env"
	expect_rc 2 "unreadable file"
	expect_err "kodus-envcheck: $T/noread.env: Permission denied" "unreadable message"
fi
chmod 644 "$T/noread.env"

run "$KEC" env --frobnicate "$T/noread.env"
expect_rc 2 "unknown option"
expect_grep "$T/err" "kodus-envcheck: env: unknown option '--frobnicate'" "unknown option named"

run "$KEC" env --dialect=yaml "$T/noread.env"
expect_rc 2 "unknown dialect"
expect_grep "$T/err" "unknown dialect 'yaml'" "unknown dialect named"

run "$KEC" env
expect_rc 2 "no file"
expect_grep "$T/err" "env: no FILE given" "no file message"

run "$KEC" frobnicate
expect_rc 2 "unknown command"
expect_grep "$T/err" "unknown command 'frobnicate'" "unknown command named"

run "$KEC"
expect_rc 2 "no command"

# output to a full device is an error, not a silent truncation
if [ -w /dev/full ]; then
	run sh -c "'$KEC' env '$T/noread.env' >/dev/full"
	expect_rc 2 "stdout is /dev/full"
	expect_grep "$T/err" "cannot write output: No space left on device" "write error named"
	run sh -c "'$KEC' --help >/dev/full"
	expect_rc 2 "--help to /dev/full"
fi

# NUL bytes, invalid UTF-8, binary garbage: every dialect answers
head -c 65536 /dev/urandom >"$T/garbage.env" 2>/dev/null || dd if=/dev/urandom of="$T/garbage.env" bs=1024 count=64 2>/dev/null
for d in compose docker node; do
	run "$KEC" env --dialect=$d "$T/garbage.env"
	ntest=$((ntest + 1))
	if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then pass "garbage under $d (status $rc)"; else fail "garbage under $d: status $rc"; fi
	expect_grep "$T/out" '"ok":' "garbage under $d: JSON answer"
done

# a 1 MB single line and a 16 MB file (16 MiB is the most a file may have)
${PYTHON3:-python3} - "$T" <<'PY'
import sys
t = sys.argv[1]
with open(t + "/long.env", "w") as f:
    f.write("A=" + "x" * (1 << 20) + "\nB=2\n")
line = "API_SOME_VARIABLE_NAME_%07d=some-value-that-is-long-enough-%07d\n"
with open(t + "/big.env", "w") as f:
    n = 0
    while n < 16 * 1000 * 1000:
        s = line % (n, n)
        f.write(s)
        n += len(s)
PY
run "$KEC" env "$T/long.env"
expect_rc 0 "1 MB line under compose"
ntest=$((ntest + 1))
if [ "$(wc -c <"$T/out")" -gt 1048576 ]; then pass "1 MB value printed whole"; else fail "1 MB value truncated"; fi
run "$KEC" env --dialect=node "$T/long.env"
expect_rc 0 "1 MB line under node"
run "$KEC" env --dialect=docker "$T/long.env"
expect_rc 1 "docker refuses a line over 64 KiB, like docker run"
expect_grep "$T/out" "line longer than 64 KiB" "docker limit named"
run "$KEC" env "$T/big.env"
expect_rc 0 "16 MB file"
expect_grep "$T/out" '"API_SOME_VARIABLE_NAME_0000000":"some-value-that-is-long-enough-0000000"' "16 MB file: first variable"

finish
