#!/bin/sh
# Memory that runs out at any point: tests/failalloc.c, preloaded, makes
# the Nth allocation (malloc, calloc, realloc) and every later one fail.
# For each N from 0 to the number a run makes (past 150, every fifth),
# the run must end as the program's out-of-memory path ends it - status
# 2 and "out of memory" on standard error - or as it ends without the
# shim; never by a signal. For fix, the file is then either as it was
# (alone) or as fix writes it (with its whole .env.bak): no temporary
# file is left, as one was when memory ran out while the backup was
# written. cJSON's
# NULL from a failed cJSON_PrintUnformatted crashed check --format=sarif
# at 173 of its 2,110 points before cJSON got the program's allocator.
# Skipped where the shim cannot be built or preloaded (a sanitizer build).
. "$top_srcdir/tests/setup.sh"

CCX=${CC:-cc}
command -v "${CCX%% *}" >/dev/null 2>&1 || skip "no C compiler ($CCX)"
# shellcheck disable=SC2086 # CC may hold flags
$CCX -O2 -fno-builtin -shared -fPIC -o "$T/failalloc.so" "$top_srcdir/tests/failalloc.c" \
    -ldl >"$T/cc.out" 2>&1 || skip "cannot build the shim: $(head -c 300 \
    "$T/cc.out")"
SHIM=$T/failalloc.so

# count ARGS...: total = the allocations "$KEC" ARGS... makes
count() {
	rm -f "$T/count"
	FAILALLOC_COUNT="$T/count" LD_PRELOAD="$SHIM" "$KEC" "$@" \
	    >/dev/null 2>&1 || true
	total=$(cat "$T/count" 2>/dev/null || echo 0)
}
count --version
[ "$total" -gt 0 ] || skip "the shim cannot be preloaded (a sanitizer build?)"

# points: the N to try for a run of $total allocations: every one of the
# first 150 (start-up, reading), then every fifth; from $from on only
points() {
	awk -v t="$total" -v f="${from:-0}" 'BEGIN {
	    for (n = 0; n <= t; n += n < 150 ? 1 : 5) if (n >= f) print n }'
}

cd "$top_srcdir"
sweep() {
	count "$@"
	run "$KEC" "$@"
	want=$rc
	bad=0 tried=0 oom=0
	for n in $(points); do
		tried=$((tried + 1))
		frc=0
		FAILALLOC_AFTER=$n LD_PRELOAD="$SHIM" "$KEC" "$@" \
		    >/dev/null 2>"$T/ferr" || frc=$?
		if [ "$frc" = 2 ] && grep -q 'out of memory' "$T/ferr"; then
			oom=$((oom + 1))
		elif [ "$frc" != "$want" ]; then
			bad=$((bad + 1))
			[ $bad -le 3 ] && echo "# $*: allocation $n failing:" \
			    "status $frc, $(head -c 200 "$T/ferr")"
		fi
	done
	ntest=$((ntest + 1))
	if [ "$bad" = 0 ] && [ "$oom" -gt 0 ]; then
		pass "$*: $tried failure points of $total allocations:" \
		    "$oom out of memory (status 2), the rest as without"
	else
		fail "$*: $bad of $tried failure points ended otherwise"
	fi
}

# the other formats make the same allocations as text until the report:
# for them only the last 100 before the fewer of theirs and text's, and
# those after, are tried
sweep check --offline --format=text examples/broken.env
text_total=$total
for fmt in json sarif prometheus github; do
	count check --offline --format=$fmt examples/broken.env
	from=$(( (total < text_total ? total : text_total) - 100 )) \
	    sweep check --offline --format=$fmt examples/broken.env
done
sweep env examples/broken.env
sweep fix --dry-run examples/broken.env
sweep rules --format=json
sweep providers --format=json
sweep check --offline tests/compose/split/.env
sweep env --service api tests/compose/split/.env

# fix in place: the file whole, before or after, and no temporary left
# fresh FILE: the directory $T/fx with nothing but .env, a copy of FILE
fresh() {
	rm -rf "$T/fx"
	mkdir "$T/fx"
	cp "$1" "$T/fx/.env"
}
fresh examples/broken.env
run "$KEC" fix "$T/fx/.env"
cp "$T/fx/.env" "$T/fixed"
cp "$T/fx/.env.bak" "$T/backup"
fresh examples/broken.env
count fix "$T/fx/.env"
bad=0 tried=0
for n in $(points); do
	tried=$((tried + 1))
	fresh examples/broken.env
	frc=0
	FAILALLOC_AFTER=$n LD_PRELOAD="$SHIM" "$KEC" fix "$T/fx/.env" \
	    >/dev/null 2>"$T/ferr" || frc=$?
	left=$(ls -A "$T/fx" | tr '\n' ' ')
	# before: .env as it was, alone; after: fixed, and the backup whole
	if [ "$frc" -lt 128 ] && { { [ "$left" = ".env " ] &&
	    cmp -s "$T/fx/.env" examples/broken.env; } ||
	    { [ "$left" = ".env .env.bak " ] && cmp -s "$T/fx/.env" \
	    "$T/fixed" && cmp -s "$T/fx/.env.bak" "$T/backup"; }; }; then
		:
	else
		bad=$((bad + 1))
		[ $bad -le 3 ] && echo "# fix, allocation $n failing: status" \
		    "$frc, left: $left"
	fi
done
ntest=$((ntest + 1))
if [ "$bad" = 0 ] && ! cmp -s "$T/fixed" examples/broken.env; then
	pass "fix: $tried failure points of $total allocations: the file" \
	    "before or after, whole, nothing else left"
else
	fail "fix: $bad of $tried failure points left a partial file," \
	    "a temporary or a crash"
fi

cd - >/dev/null
finish
