#!/bin/sh
# `kodus-envcheck fix`: each safe fix, exact bytes, and every guarantee:
# temp file beside the original then rename, mode and owner kept, .bak,
# parse errors refused untouched, verification, idempotence, --dry-run
# diff with secrets masked, symlinks, a concurrent writer, a crash.
. "$top_srcdir/tests/setup.sh"

KEY=sk-FIXxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
# expect_file FILE CONTENT(printf format) DESCRIPTION
expect_file() {
	printf "$2" >"$T/want.bytes"
	ntest=$((ntest + 1))
	if cmp -s "$T/want.bytes" "$1"; then pass "$3"; else
		fail "$3"; od -c "$1" | head -8 | sed 's/^/  got  /'; od -c "$T/want.bytes" | head -8 | sed 's/^/  want /'; fi
}

# ---- each fix ------------------------------------------------------------------
printf 'A=value  \nB="quoted "\nC=\342\200\234smart\342\200\235 \nAPI_OPEN_AI_APIKEY=%s\n# note\nD=keep # comment\n' "$KEY" >"$T/a.env"
run "$KEC" fix "$T/a.env"
expect_rc 0 "fix"
expect_out "$T/a.env: fixed trailing-whitespace 3, smart-quotes 1, legacy-name 1 (the original is $T/a.env.bak)" "summary"
expect_file "$T/a.env" "A=value\nB=\"quoted\"\nC=\"smart\"\nAPI_OPEN_AI_API_KEY=$KEY\n# note\nD=keep # comment\n" "fixed bytes"
expect_file "$T/a.env.bak" "A=value  \nB=\"quoted \"\nC=\342\200\234smart\342\200\235 \nAPI_OPEN_AI_APIKEY=$KEY\n# note\nD=keep # comment\n" "the original in .bak"
run "$KEC" fix "$T/a.env"
expect_rc 0 "a second run"
expect_out "$T/a.env: nothing to fix" "a second run changes nothing"

printf '\357\273\277A=1\r\nB=2\r\n' >"$T/crlf.env"
run "$KEC" fix --no-backup "$T/crlf.env"
expect_file "$T/crlf.env" 'A=1\nB=2\n' "BOM and CRLF"
ntest=$((ntest + 1))
if [ -e "$T/crlf.env.bak" ]; then fail "--no-backup wrote a backup"; else pass "--no-backup"; fi

printf 'URL="https://api.moonshot.ai/v1"    # .cn for China\nM=kimi-k2.6\t# tab comment\nS="a b"\nKEEP="$HOME"\nQ="kimi-k2.6" \t\n' >"$T/d.env"
run "$KEC" fix --for=docker "$T/d.env"
expect_rc 0 "--for=docker"
expect_file "$T/d.env" '# .cn for China\nURL=https://api.moonshot.ai/v1\n# tab comment\nM=kimi-k2.6\nS=a b\nKEEP="$HOME"\nQ=kimi-k2.6\n' "--for=docker: quotes, blanks after them and comments docker run would keep"
expect_grep "$T/out" "KEEP: the quotes stay" "what cannot be unquoted is named"
run env -i "$KEC" env --dialect=docker "$T/d.env"
expect_out '{"ok":true,"env":{"URL":"https://api.moonshot.ai/v1","M":"kimi-k2.6","S":"a b","KEEP":"\"$HOME\"","Q":"kimi-k2.6"}}' "docker run now reads the intended values"
run "$KEC" fix --for=docker "$T/d.env"
expect_out "$T/d.env: note: KEEP: the quotes stay: the value needs them, and docker run --env-file will keep them
$T/d.env: nothing to fix" "--for=docker: a second run changes nothing"

# ---- refusals ------------------------------------------------------------------
printf 'A=1  \nB="never closed\n' >"$T/bad.env"
cp "$T/bad.env" "$T/bad.copy"
run "$KEC" fix "$T/bad.env"
expect_rc 1 "a file compose cannot read"
expect_out "$T/bad.env: not fixed: docker compose cannot read it (2:3: unterminated quoted value: no closing \"): fix that by hand first" "refusal named"
ntest=$((ntest + 1))
if cmp -s "$T/bad.env" "$T/bad.copy" && [ ! -e "$T/bad.env.bak" ]; then pass "left untouched"; else fail "a refused file was touched"; fi

# a rename another value depends on: the verification stops it
printf 'API_OPEN_AI_APIKEY=%s\nCOPY=${API_OPEN_AI_APIKEY}\n' "$KEY" >"$T/v.env"
cp "$T/v.env" "$T/v.copy"
run "$KEC" fix "$T/v.env"
expect_rc 1 "a fix that would change another key"
expect_out "$T/v.env: not fixed: internal error: COPY would change value; nothing written" "the key named"
ntest=$((ntest + 1))
if cmp -s "$T/v.env" "$T/v.copy"; then pass "verification: nothing written"; else fail "written despite verification"; fi

# ---- --dry-run -------------------------------------------------------------------
printf 'X=1\nAPI_OPEN_AI_API_KEY=%s \nY=2\n' "$KEY" >"$T/dry.env"
cp "$T/dry.env" "$T/dry.copy"
run "$KEC" fix --dry-run "$T/dry.env"
expect_rc 0 "--dry-run"
expect_out "--- $T/dry.env
+++ $T/dry.env (fixed)
@@ -1,3 +1,3 @@
 X=1
-API_OPEN_AI_API_KEY=sk-…6t 
+API_OPEN_AI_API_KEY=sk-…S6t
 Y=2
$T/dry.env: would fix trailing-whitespace 1 (--dry-run: nothing written)" "a unified diff, secrets masked"
expect_nogrep "$T/out" "xQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6" "no key in the diff"
ntest=$((ntest + 1))
if cmp -s "$T/dry.env" "$T/dry.copy" && [ ! -e "$T/dry.env.bak" ]; then pass "--dry-run writes nothing"; else fail "--dry-run wrote"; fi

# secrets in the context lines and in comments are masked too
printf '# the old one: %s\nAPI_JWT_SECRET=%s\nLOG_LEVEL=info \n' "$KEY" "$KEY" >"$T/ctx.env"
run "$KEC" fix --dry-run "$T/ctx.env"
expect_rc 0 "--dry-run with secrets around the change"
expect_out "--- $T/ctx.env
+++ $T/ctx.env (fixed)
@@ -1,3 +1,3 @@
 # the old one: sk-…S6t
 API_JWT_SECRET=sk-…S6t
-LOG_LEVEL=info 
+LOG_LEVEL=info
$T/ctx.env: would fix trailing-whitespace 1 (--dry-run: nothing written)" "context lines and comments masked"
printf 'A=1\r\nB=2 \r\n' | { printf '\357\273\277'; cat; } >"$T/bc.env"
run "$KEC" fix --dry-run "$T/bc.env"
expect_out "# the byte order mark at the start goes
# 2 line ends CRLF -> LF
--- $T/bc.env
+++ $T/bc.env (fixed)
@@ -1,2 +1,2 @@
 <U+FEFF>A=1
-B=2 
+B=2
$T/bc.env: would fix trailing-whitespace 1, crlf 2, bom 1 (--dry-run: nothing written)" "what a line cannot show goes before the diff"

# ---- mode, owner, symlink ---------------------------------------------------------
printf 'A=1 \n' >"$T/m.env"
chmod 640 "$T/m.env"
if [ "$(id -u)" -eq 0 ] && chown 65534:65534 "$T/m.env" 2>/dev/null; then
	run "$KEC" fix "$T/m.env"
	expect_rc 0 "fix a file of another owner (as root)"
	ntest=$((ntest + 1))
	st=$(stat -c '%a %u:%g' "$T/m.env")
	if [ "$st" = "640 65534:65534" ]; then pass "mode and owner kept ($st)"; else fail "mode/owner now $st"; fi
else
	run "$KEC" fix "$T/m.env"
	ntest=$((ntest + 1))
	st=$(stat -c '%a' "$T/m.env")
	if [ "$st" = 640 ]; then pass "mode kept"; else fail "mode now $st"; fi
fi

mkdir "$T/real"
printf 'A=1  \n' >"$T/real/target.env"
ln -s real/target.env "$T/link.env"
run "$KEC" fix "$T/link.env"
expect_rc 0 "fix through a symlink"
ntest=$((ntest + 1))
if [ -L "$T/link.env" ] && [ "$(readlink "$T/link.env")" = real/target.env ]; then pass "the link is kept"; else fail "the link was replaced"; fi
expect_file "$T/real/target.env" 'A=1\n' "the target is fixed"
expect_file "$T/real/target.env.bak" 'A=1  \n' "the backup is beside the target"
expect_grep "$T/out" "(the original is $T/real/target.env.bak)" "the backup's place is named"

# ---- a concurrent writer, a crash ----------------------------------------------------
printf 'A=1  \n' >"$T/c.env"
run env KODUS_ENVCHECK_TEST_FAULT=change-before-rename "$KEC" fix --no-backup "$T/c.env"
expect_rc 1 "changed by someone else"
expect_out "$T/c.env: not fixed: it changed while being fixed (another program wrote it); not overwritten" "the concurrent change named"
expect_file "$T/c.env" 'A=1  \n# someone else was here\n' "the other writer's text survives"
ntest=$((ntest + 1))
if ls -a "$T" | grep -q 'kodus-envcheck\.'; then fail "a temp file was left behind"; else pass "the temp file is removed"; fi

printf 'A=1  \n' >"$T/k.env"
run env KODUS_ENVCHECK_TEST_FAULT=crash-before-rename "$KEC" fix --no-backup "$T/k.env"
ntest=$((ntest + 1))
if [ "$rc" -ge 128 ]; then pass "the crash happened (status $rc)"; else fail "no crash: status $rc"; fi
expect_file "$T/k.env" 'A=1  \n' "after a crash between write and rename the original is intact"
ntest=$((ntest + 1))
tmp=$(ls -a "$T" | grep '^\.k\.env\.kodus-envcheck\.' || true)
if [ -n "$tmp" ]; then pass "the new text was in a temp file beside it ($tmp)"; else fail "no temp file beside the original"; fi

if command -v strace >/dev/null 2>&1; then
	printf 'A=1  \n' >"$T/s.env"
	strace -f -o "$T/trace" -e trace=fsync,rename,renameat,renameat2 "$KEC" fix --no-backup "$T/s.env" >/dev/null 2>&1 || true
	ntest=$((ntest + 1))
	if awk '/fsync\(/ && !f {f=NR} /rename/ && !r {r=NR} END {exit !(f && r && f < r)}' "$T/trace"; then
		pass "fsync before rename"; else fail "no fsync before rename"; sed 's/^/  /' "$T/trace"; fi
fi

# ---- usage ---------------------------------------------------------------------------
run "$KEC" fix
expect_rc 2 "no file"
run "$KEC" fix --for=podman "$T/a.env"
expect_rc 2 "--for takes docker"
run "$KEC" fix "$T/missing.env"
expect_rc 2 "missing file"
mkdir "$T/dir.env"
run "$KEC" fix "$T/dir.env"
expect_rc 2 "a directory"
expect_err "kodus-envcheck: $T/dir.env: not a regular file" "a directory named"
finish
