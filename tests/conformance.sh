#!/bin/sh
# Conformance of `env --dialect=D` with the real readers' outputs under
# ../shared/conformance (or $KODUS_SHARED/conformance). Skips (77) when the
# corpus or python3 is missing, e.g. in `make distcheck`'s copied tree.
. "${top_srcdir:-.}/tests/setup.sh"

shared=${KODUS_SHARED:-$top_srcdir/../shared}
py=${PYTHON3:-python3}
command -v "$py" >/dev/null 2>&1 || skip "python3 not found"
[ -f "$shared/conformance/dotenv/expected.json" ] ||
	skip "no conformance corpus at $shared/conformance"
set -- "$shared/conformance/dotenv"
[ -f "$shared/conformance/dotenv-random/expected.json" ] &&
	set -- "$@" "$shared/conformance/dotenv-random"
"$py" "$top_srcdir/tests/conformance.py" "$KEC" "$@"
