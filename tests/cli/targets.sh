#!/bin/sh
# The --for word of check and fix: the same four readers, and a clear
# usage error for anything else.
. "$top_srcdir/tests/setup.sh"

bytes() { od -An -c "$1" | tr -s ' \n' ' '; }

printf 'A=b # c\nB="d"\n' >"$T/t.env"
run "$KEC" check --offline --for=podman "$T/t.env"
expect_rc 2 "check --for: an unknown reader"
expect_err "kodus-envcheck: check: --for takes compose, docker, kubectl or node, not 'podman'
Try 'kodus-envcheck check --help'." "check --for: the words named"
run "$KEC" check --offline --for "$T/t.env"
expect_rc 2 "check --for without a value (the file taken as the value)"

run "$KEC" fix --for=podman "$T/t.env"
expect_rc 2 "fix --for: an unknown reader"
expect_err "kodus-envcheck: fix: --for takes compose, docker, kubectl or node, not 'podman'
Try 'kodus-envcheck fix --help'." "fix --for: the words named"

# kubectl keeps quotes and comments as docker run does: the same fixes
for r in docker kubectl; do
	printf 'A=b # c\nB="d"\n' >"$T/$r.env"
	run "$KEC" fix --no-backup --for=$r "$T/$r.env"
	expect_rc 0 "fix --for=$r"
	printf '# c\nA=b\nB=d\n' >"$T/want"
	ntest=$((ntest + 1))
	if cmp -s "$T/want" "$T/$r.env"; then pass "fix --for=$r: quotes dropped, comment moved"; else
		fail "fix --for=$r: $(bytes "$T/$r.env")"; fi
done
# docker compose and Node strip quotes and cut comments: nothing to fix
for r in compose node; do
	printf 'A=b # c\nB="d"\n' >"$T/$r.env"
	run "$KEC" fix --no-backup --for=$r "$T/$r.env"
	expect_rc 0 "fix --for=$r"
	expect_out "$T/$r.env: nothing to fix" "fix --for=$r: only the safe fixes"
done
finish
