# tests/setup.sh - sourced by every shell test: strict mode, a private
# temp dir removed on exit, helpers. $KEC is the binary under test.
set -eu
LC_ALL=C
export LC_ALL
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${KEC:=$top_srcdir/kodus-envcheck}"
unset NO_COLOR KODUS_ENVCHECK_CATALOG 2>/dev/null || true
T=$(mktemp -d "${TMPDIR:-/tmp}/kec-test.XXXXXX")
mock_pids=""
trap 'for p in $mock_pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
# The programs under test get a temp dir of their own, for the leak scan.
mkdir "$T/tmp"
TMPDIR=$T/tmp
export TMPDIR
ntest=0
nfail=0

skip() { echo "SKIP: $*"; exit 77; }
# npm installs the tests' own tools from its registry: not traffic of the
# program under test, so not through the tripwire proxy below.
npm_direct() {
	env -u http_proxy -u https_proxy -u HTTPS_PROXY -u all_proxy \
	    -u ALL_PROXY npm "$@"
}
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
pass() { echo "ok: $*"; }

# The leak scan. Every fake API key of the tests is a known prefix and
# this body; any 5 characters of it in an output are a leak (the mask
# "sk-…S6t" shows 3). leak_scan FILE... prints the offending lines.
LEAK_BODY=Q3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
i=1
while [ "$i" -le $((${#LEAK_BODY} - 4)) ]; do
	printf '%s\n' "$LEAK_BODY" | cut -c "$i-$((i + 4))"
	i=$((i + 1))
done >"$T/leak-patterns"
leak_scan() {
	grep -aHnF -f "$T/leak-patterns" -- "$@" 2>/dev/null
}

# run CMD...: runs with stdout in $T/out, stderr in $T/err, status in $rc.
# A sanitizer report on stderr (in an --enable-sanitizers build) fails
# the test whatever else it checks, and so does a fake key, or 5
# characters of one, in stdout, stderr or a file left in $TMPDIR, unless
# LEAK_OK=1 says the run prints it on purpose (env --reveal, a command
# that prints its environment).
run() {
	set +e
	"$@" >"$T/out" 2>"$T/err" 8>&- 9>&-
	rc=$?
	set -e
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/err"; then
		ntest=$((ntest + 1))
		fail "sanitizer report from: $*"
		sed 's/^/  | /' "$T/err" | head -30
	fi
	if [ "${LEAK_OK:-0}" != 1 ]; then
		if leak_scan "$T/out" "$T/err" >"$T/leaks" ||
		    { [ -n "$(ls -A "$T/tmp")" ] &&
		    find "$T/tmp" -type f -exec grep -aHnF -f "$T/leak-patterns" {} + >>"$T/leaks"; }; then
			ntest=$((ntest + 1))
			fail "a key leaked from: $*"
			sed -e "s|^$T/||" -e 's/^/  | /' "$T/leaks" | head -5
		fi
	fi
}

# expect_rc N DESCRIPTION
expect_rc() {
	ntest=$((ntest + 1))
	if [ "$rc" -eq "$1" ]; then pass "$2 (status $rc)"; else
		fail "$2: status $rc, wanted $1"; sed 's/^/  stderr: /' "$T/err" | head -5; fi
}

# expect_out STRING DESCRIPTION: stdout is exactly STRING (plus newline)
expect_out() {
	ntest=$((ntest + 1))
	printf '%s\n' "$1" >"$T/want"
	if cmp -s "$T/want" "$T/out"; then pass "$2"; else
		fail "$2"; echo "  want: $1"; echo "  got:  $(head -c 600 "$T/out")"; fi
}

# expect_err STRING DESCRIPTION: stderr is exactly STRING (plus newline)
expect_err() {
	ntest=$((ntest + 1))
	printf '%s\n' "$1" >"$T/want"
	if cmp -s "$T/want" "$T/err"; then pass "$2"; else
		fail "$2"; echo "  want: $1"; echo "  got:  $(head -c 600 "$T/err")"; fi
}

# expect_grep FILE PATTERN DESCRIPTION (fixed string)
expect_grep() {
	ntest=$((ntest + 1))
	if grep -qF -- "$2" "$1"; then pass "$3"; else
		fail "$3: '$2' not in $(basename "$1")"; head -c 600 "$1" | sed 's/^/  /'; fi
}

# expect_nogrep FILE PATTERN DESCRIPTION
expect_nogrep() {
	ntest=$((ntest + 1))
	if grep -qF -- "$2" "$1"; then fail "$3: '$2' found in $(basename "$1")";
		grep -F -- "$2" "$1" | head -3 | sed 's/^/  /'; else pass "$3"; fi
}

finish() {
	if [ -n "$tripwire_port" ]; then
		ntest=$((ntest + 1))
		if grep -q '^CONN' "$T/tripwire.log" 2>/dev/null; then
			fail "a request left loopback (through the tripwire proxy)"
			grep '^REQ' "$T/tripwire.log" | head -5 | sed 's/^/  | /'
		else pass "no request left loopback"; fi
	fi
	echo "$ntest checks, $nfail failed"
	[ "$nfail" -eq 0 ]
}

# No test reaches a host beyond loopback. Every proxy variable libcurl
# reads points at a loopback port and no_proxy exempts loopback only, so
# a request to any other host goes to that port: the tripwire (a mock
# that logs the request and refuses it) once `mock` has started one,
# until then a port where nothing listens. finish fails the test when
# the tripwire saw a connection. A test of proxies sets its own.
guard_proxy() {
	http_proxy=$1 https_proxy=$1 HTTPS_PROXY=$1 all_proxy=$1 ALL_PROXY=$1
	no_proxy=127.0.0.1,localhost,::1
	NO_PROXY=$no_proxy
	export http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
}
unset HTTP_PROXY 2>/dev/null || true
guard_proxy http://127.0.0.1:9
tripwire_port=

# mock NAME [mockprovider.py options...]: start the loopback mock provider,
# logging to $T/NAME.log; its port in $NAME_port. Stopped on exit. The
# first call starts the tripwire too.
mock() {
	if [ -z "$tripwire_port" ] && [ "$1" != tripwire ]; then
		mock tripwire --scenario tripwire
		guard_proxy "http://127.0.0.1:$tripwire_port"
	fi
	name=$1
	shift
	"${PYTHON3:-python3}" "$top_srcdir/tests/mock/mockprovider.py" \
	    --port-file "$T/$name.port" --log "$T/$name.log" "$@" 8>&- 9>&- &
	mock_pids="$mock_pids $!"
	i=0
	while [ ! -s "$T/$name.port" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "mock $name did not start"; exit 99; }
		sleep 0.05
	done
	eval "${name}_port=\$(cat \"\$T/\$name.port\")"
}

# JSON questions about $T/out, answered by one python process a test
# (tests/jquery.py; a python start is a third of a second here), which
# json_queries starts (not in a subshell: the answers come on fds 8, 9).
# jquery MODE EXPR [FILE]: EXPR over the document as d, in $jq_answer:
# json.dumps of it (MODE json) or str of it (MODE str), or "error: ...";
# MODE text: "ok" when FILE is valid UTF-8 with no control byte but the
# newline.
json_queries() {
	mkfifo "$T/jq.in" "$T/jq.out"
	"${PYTHON3:-python3}" "$top_srcdir/tests/jquery.py" <"$T/jq.in" \
	    >"$T/jq.out" &
	mock_pids="$mock_pids $!"
	exec 8>"$T/jq.in" 9<"$T/jq.out"
}
jquery() {
	printf '%s\t%s\t%s\n' "$1" "${3:-$T/out}" "$2" >&8
	IFS= read -r jq_answer <&9 || jq_answer="error: tests/jquery.py gave no answer"
}
# jget EXPR: prints json.dumps(EXPR); expect_json EXPR WANTED: one check.
jget() {
	jquery json "$1"
	printf '%s\n' "$jq_answer"
}
expect_json() {
	ntest=$((ntest + 1))
	jquery json "$1"
	if [ "$jq_answer" = "$2" ]; then pass "$1 == $2"
	else fail "$1: got $jq_answer, wanted $2"; fi
}

# vm_limitable: does "$KEC" run under an address-space limit at all? A
# sanitizer build reserves terabytes of address space: no -v limit there.
vm_limitable() {
	sh -c 'ulimit -v 204800 && exec "$1" --version' sh "$KEC" \
	    >/dev/null 2>&1
}

# vm_limited KIB CMD...: run CMD under an address-space limit of KIB KiB
vm_limited() {
	run sh -c 'ulimit -v "$1" && shift && exec "$@"' sh "$@"
}

# vm_baseline ARGS...: sets vbase to the least address space (KiB, to
# within 256) under which "$KEC" ARGS... gives the status and output it
# gives without a limit: the fixed cost a memory bound is added to
vm_baseline() {
	run "$KEC" "$@"
	_vrc=$rc
	cp "$T/out" "$T/vm_want"
	_vlo=0 _vhi=409600
	while [ $((_vhi - _vlo)) -gt 256 ]; do
		_vmid=$(((_vlo + _vhi) / 2))
		vm_limited "$_vmid" "$KEC" "$@"
		if [ "$rc" = "$_vrc" ] && cmp -s "$T/out" "$T/vm_want"; then
			_vhi=$_vmid
		else
			_vlo=$_vmid
		fi
	done
	vbase=$_vhi
}
