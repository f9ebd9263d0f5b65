# tests/setup.sh - sourced by every shell test: strict mode, a private
# temp dir removed on exit, helpers. $KEC is the binary under test.
set -eu
LC_ALL=C
export LC_ALL
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${KEC:=$top_srcdir/kodus-envcheck}"
unset NO_COLOR KODUS_ENVCHECK_CATALOG 2>/dev/null || true
T=$(mktemp -d "${TMPDIR:-/tmp}/kec-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
ntest=0
nfail=0

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
pass() { echo "ok: $*"; }

# run CMD...: runs with stdout in $T/out, stderr in $T/err, status in $rc.
# A sanitizer report on stderr (in an --enable-sanitizers build) fails
# the test whatever else it checks.
run() {
	set +e
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/err"; then
		ntest=$((ntest + 1))
		fail "sanitizer report from: $*"
		sed 's/^/  | /' "$T/err" | head -30
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
	echo "$ntest checks, $nfail failed"
	[ "$nfail" -eq 0 ]
}
