#!/bin/sh
# The bash completion offers the commands, options, dialects, formats and
# rule ids. Skips without bash and bash-completion.
. "$top_srcdir/tests/setup.sh"

bc=/usr/share/bash-completion/bash_completion
command -v bash >/dev/null 2>&1 || skip "bash not found"
[ -f "$bc" ] || skip "bash-completion not installed"
mkdir "$T/bin"
ln -s "$KEC" "$T/bin/kodus-envcheck"

# complete WORDS...: the completions for the last word
complete_words() {
	PATH="$T/bin:$PATH" bash -c '
		. "$1"; . "$2"; shift 2
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_kodus_envcheck
		printf "%s\n" "${COMPREPLY[@]}" | sort' sh "$bc" \
	    "$top_srcdir/completion/kodus-envcheck" "$@" >"$T/out" 2>"$T/err"
}

complete_words kodus-envcheck ""
expect_out "$(printf '%s\n' --help --version check env fix providers rules)" "commands"
complete_words kodus-envcheck check --no
expect_out "--no-cross-region" "a check option"
complete_words kodus-envcheck env --dialect ""
expect_out "$(printf '%s\n' compose docker kubectl node)" "dialects"
complete_words kodus-envcheck check --format ""
expect_out "$(printf '%s\n' github json prometheus sarif text)" "check formats"
complete_words kodus-envcheck check --q
expect_out "--quiet" "check --quiet"
complete_words kodus-envcheck check --te
expect_out "--template" "check --template"
complete_words kodus-envcheck rules --
expect_out "$(printf '%s\n' --format --help)" "rules options"
complete_words kodus-envcheck check --exec -- ech
expect_grep "$T/out" "echo" "after --exec --: a command"
complete_words kodus-envcheck check -- ech
expect_nogrep "$T/out" "echo" "after a plain --: no command completion"
complete_words kodus-envcheck check --ignore base-url-s
expect_out "$(printf '%s\n' base-url-scheme base-url-shape)" "rule ids from 'kodus-envcheck rules'"
complete_words kodus-envcheck fix --
expect_out "$(printf '%s\n' --add-missing --dry-run --for --help --no-backup --template)" "fix options"
complete_words kodus-envcheck fix --for ""
expect_out "$(printf '%s\n' compose docker kubectl node)" "fix --for"
complete_words kodus-envcheck check --for ""
expect_out "$(printf '%s\n' compose docker kubectl node)" "check --for"
complete_words kodus-envcheck env --servi
expect_out "$(printf '%s\n' --service --services)" "env compose options"
mkdir "$T/proj"
printf 'services:\n  api:\n    image: x\n  worker:\n    image: y\n' >"$T/proj/compose.yaml"
(cd "$T/proj" && complete_words kodus-envcheck env --service "")
expect_out "$(printf '%s\n' api worker)" "service names from the compose file beside ./.env"
finish
