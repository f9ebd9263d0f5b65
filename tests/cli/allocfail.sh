#!/bin/sh
# Memory that runs out at any point: tests/failalloc.c, preloaded, makes
# the Nth allocation (malloc, calloc, realloc) and every later one fail.
# For each N from 0 to the number a run makes (past 100, every eighth;
# two runs at a time), the run must end as the program's out-of-memory
# path ends it - status 2 and "out of memory" on standard error - or as
# it ends without the shim; never by a signal. For fix, the file is then
# either as it was (alone) or as fix writes it (with its whole .env.bak):
# no temporary file is left, as one was when memory ran out while the
# backup was written. cJSON's NULL from a failed cJSON_PrintUnformatted
# crashed check --format=sarif at 173 of its 2,110 points before cJSON
# got the program's allocator. Skipped where the shim cannot be built or
# preloaded (a sanitizer build).
. "$top_srcdir/tests/setup.sh"

CCX=${CC:-cc}
command -v "${CCX%% *}" >/dev/null 2>&1 || skip "no C compiler ($CCX)"
# shellcheck disable=SC2086 # CC may hold flags
$CCX -O2 -fno-builtin -shared -fPIC -o "$T/failalloc.so" "$top_srcdir/tests/failalloc.c" \
    -ldl >"$T/cc.out" 2>&1 || skip "cannot build the shim: $(head -c 300 \
    "$T/cc.out")"
SHIM=$T/failalloc.so

# count ID ARGS...: total = the allocations "$KEC" ARGS... makes
count() {
	_id=$1
	shift
	rm -f "$T/count.$_id"
	FAILALLOC_COUNT="$T/count.$_id" LD_PRELOAD="$SHIM" "$KEC" "$@" \
	    >/dev/null 2>&1 || true
	total=$(cat "$T/count.$_id" 2>/dev/null || echo 0)
}
count v --version
[ "$total" -gt 0 ] || skip "the shim cannot be preloaded (a sanitizer build?)"

# points: the N to try for a run of $total allocations: every one of the
# first $full (100: start-up, reading), then every eighth; from $from on
points() {
	awk -v t="$total" -v f="${from:-0}" -v a="${full:-100}" 'BEGIN {
	    for (n = 0; n <= t; n += n < a ? 1 : 8) if (n >= f) print n }'
}

cd "$top_srcdir"
# sweep ID ARGS...: the run at each point; its verdict, a line "ok: ..."
# or "FAIL: ...", and notes go to $T/res.ID (sweeps run two at a time)
sweep() {
	_id=$1
	shift
	count "$_id" "$@"
	want=0
	"$KEC" "$@" >/dev/null 2>&1 || want=$?
	bad=0 tried=0 oom=0
	for n in $(points); do
		tried=$((tried + 1))
		frc=0
		FAILALLOC_AFTER=$n LD_PRELOAD="$SHIM" "$KEC" "$@" \
		    >/dev/null 2>"$T/ferr.$_id" || frc=$?
		line=
		IFS= read -r line <"$T/ferr.$_id" || true
		if [ "$frc" = 2 ] && case $line in
		    *"out of memory"*) true ;; *) false ;; esac; then
			oom=$((oom + 1))
		elif [ "$frc" != "$want" ]; then
			bad=$((bad + 1))
			[ $bad -le 3 ] && echo "# $*: allocation $n failing:" \
			    "status $frc, $(head -c 200 "$T/ferr.$_id")"
		fi
	done
	if [ "$bad" = 0 ] && [ "$oom" -gt 0 ]; then
		echo "ok: $*: $tried failure points of $total allocations:" \
		    "$oom out of memory (status 2), the rest as without"
	else
		echo "FAIL: $*: $bad of $tried failure points ended otherwise"
	fi
}
nsweep=0
# spawn ARGS...: sweep ARGS... in the background, two at a time
spawn() {
	nsweep=$((nsweep + 1))
	sweep "$nsweep" "$@" >"$T/res.$nsweep" 2>&1 &
	[ $((nsweep % 2)) = 1 ] || wait
}

# the other formats make the same allocations as text until the report:
# for them only the last 100 before the fewer of theirs and text's, and
# those after, are tried
count t check --offline --format=text examples/broken.env
text_total=$total
spawn check --offline --format=text examples/broken.env
for fmt in json sarif prometheus github; do
	count f check --offline --format=$fmt examples/broken.env
	from=$(( (total < text_total ? total : text_total) - 100 ))
	spawn check --offline --format=$fmt examples/broken.env
	from=0
done
spawn env examples/broken.env
spawn fix --dry-run examples/broken.env
spawn rules --format=json
spawn providers --format=json
spawn check --offline tests/compose/split/.env
spawn env --service api tests/compose/split/.env
wait
i=1
while [ $i -le $nsweep ]; do
	ntest=$((ntest + 1))
	grep '^# ' "$T/res.$i" || true
	v=$(grep -v '^# ' "$T/res.$i")
	case $v in
	ok:*) pass "${v#ok: }" ;;
	*) fail "${v#FAIL: }" ;;
	esac
	i=$((i + 1))
done

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
count x fix "$T/fx/.env"
bad=0 tried=0
for n in $(full=$total points); do
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
