#!/bin/sh
# Compare with the template: template-missing, check --template, and
# fix --add-missing (comment blocks, defaults, never a secret value).
. "$top_srcdir/tests/setup.sh"
KEY=sk-EXAMPLEq3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t

mkdir "$T/inst"
printf '%s\n' '# Kodus' '' '# the port' '# of the api' '# (type: port)' 'MY_PORT=3001' '' \
    '# (required, secret)' 'MY_TOKEN=' '# (secret)' 'MY_KEY=changeme' \
    '# a key, by its name' "OTHER_API_KEY=$KEY" \
    '# (type: port, opt-in: uncomment to enable)' '# MY_OPT=1' 'MY_SET=x' >"$T/inst/.env.example"
printf 'MY_SET=y\nMY_OTHER=1\n' >"$T/inst/.env"

# ---- template-missing ----------------------------------------------------
run "$KEC" check --offline "$T/inst/.env"
expect_grep "$T/out" "$T/inst/.env: info: MY_PORT is in the template ($T/inst/.env.example) and not set; kodus-envcheck fix --add-missing adds it [template-missing]
    hint: MY_PORT=3001" "template-missing: info, with the default as hint"
expect_grep "$T/out" "$T/inst/.env: info: MY_KEY is in the template ($T/inst/.env.example) and not set; kodus-envcheck fix --add-missing adds it [template-missing]" "a secret of the template"
expect_grep "$T/out" "    hint: a secret: generate one, e.g. openssl rand -hex 32" "a secret: the hint generates one"
expect_nogrep "$T/out" "hint: MY_KEY=changeme" "a secret's template value is not suggested"
expect_grep "$T/out" "OTHER_API_KEY is in the template" "a key by its name"
expect_nogrep "$T/out" "MY_TOKEN is in the template" "a required one is required-missing's"
expect_grep "$T/out" "$T/inst/.env: error: MY_TOKEN is required and not set [required-missing]" "required-missing stays"
expect_nogrep "$T/out" "MY_OPT" "an opt-in variable is not missing"
expect_nogrep "$T/out" "MY_SET is in the template" "a set variable is not missing"
expect_grep "$T/out" "$T/inst/.env:2:1: info: MY_OTHER is not a Kodus variable [unknown-variable]" "a variable the template does not have"
expect_nogrep "$T/out" "'y' is not a port" "the opt-in's annotation is its own (MY_SET is no port)"
run "$KEC" check --offline "$T/inst/.env" --ignore template-missing
expect_nogrep "$T/out" "[template-missing]" "--ignore template-missing"

# no template: the built-in schema, no template-missing
cp "$T/inst/.env" "$T/alone.env"
run "$KEC" check --offline "$T/alone.env"
expect_nogrep "$T/out" "[template-missing]" "no template, no template-missing"

# --template names one; --schema still works
cp "$T/inst/.env.example" "$T/tpl"
run "$KEC" check --offline --template "$T/tpl" "$T/alone.env"
expect_grep "$T/out" "MY_PORT is in the template ($T/tpl) and not set" "--template FILE"
run "$KEC" check --offline --schema "$T/tpl" "$T/alone.env"
expect_grep "$T/out" "MY_PORT is in the template ($T/tpl) and not set" "--schema FILE, as before"
run "$KEC" check --offline --template "$T/nope" "$T/alone.env"
expect_rc 2 "--template: a missing file"

# ---- fix --add-missing ---------------------------------------------------
cp "$T/inst/.env" "$T/inst/b.env"
run "$KEC" fix --add-missing --dry-run "$T/inst/b.env"
expect_rc 0 "--add-missing --dry-run"
expect_grep "$T/out" "@@ -2,0 +3,17 @@" "the diff hunk"
expect_grep "$T/out" "would fix template-missing 4 (--dry-run: nothing written)" "--dry-run: the count"
printf 'MY_SET=y\nMY_OTHER=1\n' >"$T/want"
ntest=$((ntest + 1))
if cmp -s "$T/want" "$T/inst/b.env"; then pass "--dry-run writes nothing"; else fail "--dry-run wrote"; fi
run "$KEC" fix --add-missing "$T/inst/b.env"
expect_rc 0 "--add-missing"
expect_out "$T/inst/b.env: fixed template-missing 4 (the original is $T/inst/b.env.bak)" "--add-missing: what was done"
printf '%s\n' 'MY_SET=y' 'MY_OTHER=1' '' '# the port' '# of the api' '# (type: port)' 'MY_PORT=3001' '' \
    '# (required, secret)' '# a secret: generate one, e.g. openssl rand -hex 32' 'MY_TOKEN=' '' \
    '# (secret)' '# a secret: generate one, e.g. openssl rand -hex 32' 'MY_KEY=' '' \
    '# a key, by its name' '# a secret: generate one, e.g. openssl rand -hex 32' 'OTHER_API_KEY=' >"$T/want"
ntest=$((ntest + 1))
if cmp -s "$T/want" "$T/inst/b.env"; then pass "--add-missing: comment blocks, defaults, empty secrets"; else
	fail "--add-missing wrote:"; diff "$T/want" "$T/inst/b.env" | sed 's/^/  /'; fi
run "$KEC" fix --add-missing "$T/inst/b.env"
expect_out "$T/inst/b.env: nothing to fix" "--add-missing twice: nothing more"
run "$KEC" check --offline "$T/inst/b.env"
expect_nogrep "$T/out" "[template-missing]" "after --add-missing, nothing missing"

# with other fixes, and a file without a last line end
printf 'MY_SET=y \nMY_PORT=1' >"$T/inst/c.env"
run "$KEC" fix --add-missing --no-backup "$T/inst/c.env"
expect_out "$T/inst/c.env: fixed trailing-whitespace 1, template-missing 3" "--add-missing with another fix"
ntest=$((ntest + 1))
if head -2 "$T/inst/c.env" | cmp -s - "$(printf 'MY_SET=y\nMY_PORT=1\n' >"$T/w2"; echo "$T/w2")"; then pass "the last line gets its line end"; else fail "c.env: $(head -3 "$T/inst/c.env")"; fi

# no template beside the file; --template without --add-missing
cp "$T/inst/.env" "$T/d.env"
run "$KEC" fix --add-missing "$T/d.env"
expect_rc 2 "--add-missing without a template"
expect_err "kodus-envcheck: $T/d.env: --add-missing: $T/.env.example: No such file or directory (give the template with --template FILE)" "no template: named, with the way out"
run "$KEC" fix --add-missing --template "$T/tpl" --no-backup "$T/d.env"
expect_rc 0 "fix --add-missing --template"
expect_grep "$T/d.env" "MY_PORT=3001" "--template: the default added"
run "$KEC" fix --template "$T/tpl" "$T/d.env"
expect_rc 2 "--template alone"
expect_err "kodus-envcheck: fix: --template goes with --add-missing
Try 'kodus-envcheck fix --help'." "--template alone: usage error"
finish
