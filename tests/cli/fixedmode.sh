#!/bin/sh
# The Fixed Mode corpus: blocks that work in Kodus get no error and no
# warning; blocks that fail get the named finding, word for word
# (tests/corpus/fixedmode/EXPECT says which).
. "$top_srcdir/tests/setup.sh"

C=$top_srcdir/tests/corpus/fixedmode
TAB=$(printf '\t')
checked=""

while IFS="$TAB" read -r file what sev where msg; do
	case $file in ''|'#'*) continue ;; esac
	ntest=$((ntest + 1))
	if [ ! -f "$C/$file" ]; then
		fail "$file: no such corpus file"
		continue
	fi
	checked="$checked $file"
	cp "$C/$file" "$T/$file"
	run env -i KODUS_ENVCHECK_DATE=2026-11-27 "$KEC" check --offline \
	    --ignore required-missing,webhook-url "$T/$file"
	case $what in
	works)
		if [ "$rc" = 0 ] && ! grep -qE ': (error|warning): ' "$T/out"; then
			pass "$file works"
		else
			fail "$file: a finding on a block that works (rc $rc)"
			sed 's/^/  | /' "$T/out" | head -6
		fi ;;
	"no "*)
		if grep -qF -- "[${what#no }]" "$T/out"; then
			fail "$file: ${what#no } fires"
			sed 's/^/  | /' "$T/out" | head -6
		else
			pass "$file: no ${what#no }"
		fi ;;
	*)
		if [ "$where" = - ]; then
			line="$T/$file: $sev: $msg [$what]"
		else
			line="$T/$file:$where: $sev: $msg [$what]"
		fi
		if grep -qxF -- "$line" "$T/out"; then
			pass "$file: $what $sev"
		else
			fail "$file: missing: $line"
			sed 's/^/  | /' "$T/out" | head -6
		fi
		want_rc=0
		[ "$sev" = error ] && want_rc=1
		grep -qE ': error: ' "$T/out" && want_rc=1
		expect_rc "$want_rc" "$file: exit status"
		;;
	esac
done <"$C/EXPECT"

# every corpus file has an expectation, and each kind is represented
for f in "$C"/*.env; do
	ntest=$((ntest + 1))
	case " $checked " in
	*" ${f##*/} "*) pass "${f##*/} has an expectation" ;;
	*) fail "${f##*/} has no line in EXPECT" ;;
	esac
done
# ---- Kodus's own behaviour is catalog data, overridable -------------
MK=sk-TESTx$LEAK_BODY
printf 'API_LLM_PROVIDER_MODEL=kimi-k2.6\nAPI_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1\nAPI_OPEN_AI_API_KEY=%s\n' "$MK" >"$T/k26.env"
# a Kodus version without the clamp
printf '[kodus]\ntemperature_one_models =\n' >"$T/noclamp.ini"
run env -i KODUS_ENVCHECK_DATE=2026-11-27 "$KEC" check --offline \
    --ignore required-missing,webhook-url --catalog "$T/noclamp.ini" "$T/k26.env"
expect_grep "$T/out" "$T/k26.env:1:24: error: kimi-k2.6 accepts only temperature 1 or 0.6; without API_LLM_TEMPERATURE_OVERRIDE Kodus sends its prompts' own temperature (0): every review fails with 400 \"invalid temperature\" [temperature-override]" "no clamp in [kodus]: kimi-k2.6 needs the override"
# a Kodus version that matches only claude- (not claude_)
printf 'API_LLM_PROVIDER_MODEL=claude_sonnet_4\nAPI_OPEN_AI_API_KEY=sk-ant-api03-TESTx%s\n' "$LEAK_BODY" >"$T/cl.env"
printf '[kodus]\nclaude_models = claude-\n' >"$T/dash.ini"
run env -i "$KEC" check --offline --ignore required-missing,webhook-url \
    --catalog "$T/dash.ini" "$T/cl.env"
expect_grep "$T/out" "[key-provider-mismatch]" "claude_ is OpenAI-compatible when [kodus] says only claude-"
run env -i "$KEC" check --offline --ignore required-missing,webhook-url "$T/cl.env"
expect_nogrep "$T/out" "[key-provider-mismatch]" "claude_ is native Anthropic by default"
# a proxy test on another host: api.anthropic.com is then a proxy
printf 'API_LLM_PROVIDER_MODEL=claude-sonnet-4-5\nAPI_OPENAI_FORCE_BASE_URL=https://api.anthropic.com/v1\nAPI_OPEN_AI_API_KEY=sk-ant-api03-TESTx%s\n' "$LEAK_BODY" >"$T/ah.env"
printf '[kodus]\nnative_anthropic_host = anthropic.example\n' >"$T/host.ini"
run env -i "$KEC" check --offline --ignore required-missing,webhook-url \
    --catalog "$T/host.ini" "$T/ah.env"
expect_grep "$T/out" "[anthropic-proxy]" "native_anthropic_host decides what is via proxy"
run env -i "$KEC" check --offline --ignore required-missing,webhook-url "$T/ah.env"
expect_nogrep "$T/out" "[anthropic-proxy]" "api.anthropic.com is native by default"
# helper calls that no longer use API_OPEN_AI_API_KEY in auto mode
printf '[kodus]\nauto_helper_base_url =\n' >"$T/nohelper.ini"
run env -i "$KEC" check --offline --ignore required-missing,webhook-url \
    --catalog "$T/nohelper.ini" "$C/fails-auto-moonshot-key.env"
expect_nogrep "$T/out" ": warning: " "no auto_helper_base_url: no auto-mode warning"
# bad data is refused, naming file and line
printf '[kodus]\nclaude_model = claude-\n' >"$T/typo.ini"
run env -i "$KEC" check --offline --catalog "$T/typo.ini" "$T/k26.env"
expect_rc 2 "unknown [kodus] key"
expect_grep "$T/err" "$T/typo.ini:2: unknown key 'claude_model' in [kodus]" "unknown [kodus] key named"
printf '[provider deepseek]\nbase_paths = v1\n' >"$T/bp.ini"
run env -i "$KEC" check --offline --catalog "$T/bp.ini" "$T/k26.env"
expect_rc 2 "base_paths without a slash"
expect_grep "$T/err" "$T/bp.ini:2: [provider deepseek] base_paths: 'v1' does not start with /" "base_paths error named"
printf '[model kimi-k3]\nretired = soon\n' >"$T/ret.ini"
run env -i "$KEC" check --offline --catalog "$T/ret.ini" "$T/k26.env"
expect_rc 2 "a bad retired value"
expect_grep "$T/err" "[model kimi-k3] retired: 'soon' is not a date YYYY-MM-DD or yes" "retired error named"

finish
