#!/bin/sh
# `kodus-envcheck fix` on hostile and odd files: every byte it does not
# mean to change is kept (NULs too), odd line ends reach a fixed point in
# one run, ACLs and extended attributes are kept, hard links are refused,
# an older backup survives a failed fix, and a signal leaves no temporary
# file behind.
. "$top_srcdir/tests/setup.sh"

# expect_file FILE CONTENT(printf format) DESCRIPTION
expect_file() {
	printf "$2" >"$T/want.bytes"
	ntest=$((ntest + 1))
	if cmp -s "$T/want.bytes" "$1"; then pass "$3"; else
		fail "$3"; od -c "$1" | head -8 | sed 's/^/  got  /'; od -c "$T/want.bytes" | head -8 | sed 's/^/  want /'; fi
}
# no_temp DESCRIPTION: no temporary file of fix is left in $T
no_temp() {
	ntest=$((ntest + 1))
	left=$(find "$T" -name '*.kodus-envcheck.*')
	if [ -z "$left" ]; then pass "$1"; else fail "$1: $left"; fi
}

# ---- a NUL byte: kept, with every byte after it -------------------------------
printf 'KEY=abc\000secret-tail \nB=x\000y\n' >"$T/nul.env"
cp "$T/nul.env" "$T/nul.copy"
run "$KEC" fix --dry-run "$T/nul.env"
expect_rc 0 "--dry-run on a value with a NUL"
expect_out "--- $T/nul.env
+++ $T/nul.env (fixed)
@@ -1,2 +1,2 @@
-KEY=abc\\x00secret-tail 
+KEY=abc\\x00secret-tail
 B=x\\x00y
$T/nul.env: would fix trailing-whitespace 1 (--dry-run: nothing written)" "the diff shows the NUL and what follows it"
run "$KEC" fix "$T/nul.env"
expect_rc 0 "fix a value with a NUL"
expect_out "$T/nul.env: fixed trailing-whitespace 1 (the original is $T/nul.env.bak)" "the NUL file fixed"
expect_file "$T/nul.env" 'KEY=abc\000secret-tail\nB=x\000y\n' "the bytes after the NUL are kept"
ntest=$((ntest + 1))
if cmp -s "$T/nul.env.bak" "$T/nul.copy"; then pass "the backup holds every byte"; else fail "the backup lost bytes"; fi
run "$KEC" fix "$T/nul.env"
expect_out "$T/nul.env: nothing to fix" "a second run on the NUL file"

# ---- odd line ends: one run reaches the fixed point -----------------------------
# line_ends NAME INPUT WANT SUMMARY [--for=docker]: the first run writes WANT
# and says SUMMARY, a second run changes nothing, docker compose reads the
# same values before and after, and so does docker run after the fix.
line_ends() {
	f=$T/le-$1.env
	printf "$2" >"$f"
	env -i "$KEC" env --reveal "$f" >"$T/compose.before"
	run "$KEC" fix --no-backup ${5:-} "$f"
	expect_rc 0 "$1: fix"
	expect_out "$f: $4" "$1: summary"
	expect_file "$f" "$3" "$1: bytes"
	cp "$f" "$T/le.copy"
	run "$KEC" fix --no-backup ${5:-} "$f"
	expect_rc 0 "$1: a second run"
	expect_out "$f: nothing to fix" "$1: a second run finds nothing"
	ntest=$((ntest + 1))
	if cmp -s "$f" "$T/le.copy"; then pass "$1: a second run writes nothing"; else fail "$1: a second run changed the file"; fi
	env -i "$KEC" env --reveal "$f" >"$T/compose.after"
	ntest=$((ntest + 1))
	if cmp -s "$T/compose.before" "$T/compose.after"; then pass "$1: docker compose reads the same values"; else
		fail "$1: docker compose values changed"; cat "$T/compose.before" "$T/compose.after" | sed 's/^/  /'; fi
	env -i "$KEC" env --reveal --dialect=docker "$f" >"$T/docker.after"
	ntest=$((ntest + 1))
	if cmp -s "$T/compose.after" "$T/docker.after"; then pass "$1: docker run reads them too"; else
		fail "$1: docker run reads other values"; cat "$T/compose.after" "$T/docker.after" | sed 's/^/  /'; fi
}
line_ends crcrlf 'A=1\r\r\r\nB=2' 'A=1\nB=2' 'fixed crlf 1'
line_ends crlf 'A=1\r\nB=2\r\n' 'A=1\nB=2\n' 'fixed crlf 2'
line_ends mixed 'A=1\r\nB=2\nC=3\r\r\n# c\r\n\r\nD="x"\r\n' 'A=1\nB=2\nC=3\n# c\n\nD=x\n' \
    'fixed crlf 5, quoted-value 1' --for=docker
line_ends no-final-newline 'A=1\r\nB=2 ' 'A=1\nB=2' 'fixed trailing-whitespace 1, crlf 1'
line_ends crs-at-end 'A=1 \r\r\nB=2\r\r' 'A=1\nB=2' 'fixed trailing-whitespace 2, crlf 1'
line_ends comment-docker 'A=1 # c \r\r\nB="x" \r\r\nC="y"\r\r\n' '# c \nA=1\nB=x\nC=y\n' \
    'fixed trailing-whitespace 1, crlf 3, quoted-value 2, inline-comment 1' --for=docker

# a CR alone is no line end to docker compose (A is "1\rB=2" there): left
printf 'A=1\rB=2\r' >"$T/cr.env"
cp "$T/cr.env" "$T/cr.copy"
run "$KEC" fix "$T/cr.env"
expect_rc 0 "CR-only line ends"
expect_out "$T/cr.env: nothing to fix" "CR-only line ends are left alone"
ntest=$((ntest + 1))
if cmp -s "$T/cr.env" "$T/cr.copy" && [ ! -e "$T/cr.env.bak" ]; then pass "CR-only: nothing written"; else fail "CR-only: written"; fi

# a quoted value spanning CRLF lines loses its CRs: meant, and said
printf 'A="x\r\r\ny"\r\nB=2\r\n' >"$T/ml.env"
run "$KEC" fix --no-backup "$T/ml.env"
expect_out "$T/ml.env: fixed crlf 3" "a multi-line value with CRLF"
expect_file "$T/ml.env" 'A="x\ny"\nB=2\n' "its CRs are gone"
run env -i "$KEC" env --reveal "$T/ml.env"
expect_out '{"ok":true,"env":{"A":"x\ny","B":"2"}}' "docker compose reads the value as written on Linux"
run "$KEC" fix --no-backup "$T/ml.env"
expect_out "$T/ml.env: nothing to fix" "a second run on the multi-line value"

# ---- hard links: refused, both names untouched -----------------------------------
printf 'A=1 \n' >"$T/hl.env"
ln "$T/hl.env" "$T/hl2.env"
run "$KEC" fix "$T/hl.env"
expect_rc 1 "a file with two hard links"
expect_out "$T/hl.env: not fixed: it has 2 hard links, and replacing it would split them (the other names would keep the old text); nothing written" "the refusal says why"
expect_file "$T/hl.env" 'A=1 \n' "the file is untouched"
ntest=$((ntest + 1))
if [ "$(stat -c %i "$T/hl.env")" = "$(stat -c %i "$T/hl2.env")" ] && [ ! -e "$T/hl.env.bak" ]; then
	pass "the link stays, no backup"; else fail "the link was split or a backup written"; fi
no_temp "no temporary file after the hard-link refusal"

# ---- extended attributes and POSIX ACLs: kept ------------------------------------
mkdir "$T/xa"
printf 'A=1 \n' >"$T/xa/probe"
if command -v setfattr >/dev/null 2>&1 && command -v getfattr >/dev/null 2>&1 &&
    setfattr -n user.kec -v probe "$T/xa/probe" 2>/dev/null; then
	printf 'A=1 \n' >"$T/xa/x.env"
	setfattr -n user.kec.note -v 'keep me' "$T/xa/x.env"
	setfattr -n user.kec.bin -v 0x00ff00 "$T/xa/x.env"
	(cd "$T/xa" && getfattr -d -m - -e hex x.env) >"$T/xa.before"
	run "$KEC" fix "$T/xa/x.env"
	expect_rc 0 "fix a file with extended attributes"
	expect_file "$T/xa/x.env" 'A=1\n' "fixed"
	(cd "$T/xa" && getfattr -d -m - -e hex x.env) >"$T/xa.after"
	(cd "$T/xa" && getfattr -d -m - -e hex x.env.bak | sed 's/x\.env\.bak$/x.env/') >"$T/xa.bak"
	ntest=$((ntest + 1))
	if cmp -s "$T/xa.before" "$T/xa.after" && grep -q 'user.kec.bin=0x00ff00' "$T/xa.after"; then
		pass "extended attributes kept"; else fail "extended attributes lost"; diff "$T/xa.before" "$T/xa.after" | sed 's/^/  /'; fi
	ntest=$((ntest + 1))
	if cmp -s "$T/xa.before" "$T/xa.bak"; then pass "the backup has them too"; else fail "the backup lost them"; fi
else
	echo "# no setfattr, or no user extended attributes on $T: that part skipped"
fi
if command -v setfacl >/dev/null 2>&1 && command -v getfacl >/dev/null 2>&1 &&
    setfacl -m u:65534:r "$T/xa/probe" 2>/dev/null; then
	printf 'A=1 \n' >"$T/xa/acl.env"
	chmod 640 "$T/xa/acl.env"
	setfacl -m u:65534:rw "$T/xa/acl.env"
	getfacl -c "$T/xa/acl.env" 2>/dev/null >"$T/acl.before"
	run "$KEC" fix "$T/xa/acl.env"
	expect_rc 0 "fix a file with an ACL"
	getfacl -c "$T/xa/acl.env" 2>/dev/null >"$T/acl.after"
	ntest=$((ntest + 1))
	if cmp -s "$T/acl.before" "$T/acl.after" && grep -q '^user:65534:rw-$\|^user:nobody:rw-$' "$T/acl.after"; then
		pass "the ACL is kept"; else fail "the ACL changed"; diff "$T/acl.before" "$T/acl.after" | sed 's/^/  /'; fi
	# a directory's default ACL must not creep onto a file that had none
	mkdir "$T/xa/dflt"
	printf 'A=1 \n' >"$T/xa/dflt/plain.env"
	chmod 600 "$T/xa/dflt/plain.env"
	setfacl -d -m u:65534:rwx "$T/xa/dflt"
	getfacl -c "$T/xa/dflt/plain.env" 2>/dev/null >"$T/acl.before"
	run "$KEC" fix --no-backup "$T/xa/dflt/plain.env"
	expect_rc 0 "fix a file in a directory with a default ACL"
	getfacl -c "$T/xa/dflt/plain.env" 2>/dev/null >"$T/acl.after"
	ntest=$((ntest + 1))
	if cmp -s "$T/acl.before" "$T/acl.after" && [ "$(stat -c %a "$T/xa/dflt/plain.env")" = 600 ]; then
		pass "no inherited ACL, mode 600 kept"; else fail "the file got the directory's ACL"; cat "$T/acl.after" | sed 's/^/  /'; fi
else
	echo "# no setfacl, or no ACLs on $T: that part skipped"
fi

# ---- the backup: put in place last, an older one never lost silently -------------
printf 'A=1 \n' >"$T/b.env"
printf 'OLDER BACKUP\n' >"$T/b.env.bak"
run env KODUS_ENVCHECK_TEST_FAULT=disk-full "$KEC" fix "$T/b.env"
expect_rc 1 "a full disk while writing the new text"
expect_out "$T/b.env: not fixed: cannot write: No space left on device" "the full disk named"
expect_file "$T/b.env" 'A=1 \n' "the file is untouched"
expect_file "$T/b.env.bak" 'OLDER BACKUP\n' "the older backup is untouched"
no_temp "no temporary file after a full disk"
run "$KEC" fix "$T/b.env"
expect_rc 0 "fix with an older backup there"
expect_out "$T/b.env: fixed trailing-whitespace 1 (the original is $T/b.env.bak; an older one there was replaced)" "replacing the older backup is said"
expect_file "$T/b.env.bak" 'A=1 \n' "the backup is the original"
printf 'A=1 \n' >"$T/bd.env"
mkdir "$T/bd.env.bak"
run "$KEC" fix "$T/bd.env"
expect_rc 1 "a directory where the backup goes"
expect_out "$T/bd.env: not fixed: $T/bd.env.bak exists and is not a file; nothing written" "refused before writing"
expect_file "$T/bd.env" 'A=1 \n' "the file is untouched"
no_temp "no temporary file after the backup refusal"

# ---- signals between write and rename: no temporary file left --------------------
# signal NAME STATUS: fix pauses after writing both temporary files (the
# test hook prints a line and waits); the signal must remove them.
signal() {
	printf 'A=1 \n' >"$T/sig.env"
	printf 'OLDER BACKUP\n' >"$T/sig.env.bak"
	: >"$T/sig.err"
	KODUS_ENVCHECK_TEST_FAULT=pause-before-rename "$KEC" fix "$T/sig.env" >"$T/sig.out" 2>"$T/sig.err" &
	pid=$!
	i=0
	while ! grep -q 'paused before rename' "$T/sig.err"; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then break; fi
		sleep 0.05
	done
	ntest=$((ntest + 1))
	if [ "$(find "$T" -name '.sig.env*.kodus-envcheck.*' | wc -l)" -eq 2 ]; then
		pass "SIG$1: both temporary files exist at the pause"; else fail "SIG$1: no pause with two temporary files"; cat "$T/sig.err"; fi
	kill -"$1" "$pid" 2>/dev/null || true
	set +e
	wait "$pid"
	rc=$?
	set -e
	expect_rc "$2" "SIG$1 during fix ends it with the signal"
	no_temp "SIG$1: the temporary files are removed"
	expect_file "$T/sig.env" 'A=1 \n' "SIG$1: the file is untouched"
	expect_file "$T/sig.env.bak" 'OLDER BACKUP\n' "SIG$1: the older backup is untouched"
}
signal TERM 143
signal HUP 129

finish
