#!/bin/sh
# docker compose v2 and the installer's layout: the .env is both the
# compose project's .env and every service's env_file, so compose reads it
# twice and a reference to a name set further down resolves (FACTS
# section 4). A file not named .env, or --env-file-only, is read once.
. "$top_srcdir/tests/setup.sh"

mkdir "$T/p"
printf 'WEB_NEXTAUTH_SECRET=${NEXTAUTH_SECRET}\nNEXTAUTH_SECRET=x\nB=${NOPE}\n' >"$T/p/.env"
cp "$T/p/.env" "$T/p/api.env"

# ---- env -------------------------------------------------------------
run env -i "$KEC" env --reveal "$T/p/.env"
expect_rc 0 "env: the project .env"
expect_out '{"ok":true,"env":{"WEB_NEXTAUTH_SECRET":"x","NEXTAUTH_SECRET":"x","B":""}}' "env: a forward reference resolves in a file named .env"
run env -i "$KEC" env --reveal --env-file-only "$T/p/.env"
expect_out '{"ok":true,"env":{"WEB_NEXTAUTH_SECRET":"","NEXTAUTH_SECRET":"x","B":""}}' "env --env-file-only: read once, the forward reference is empty"
run env -i "$KEC" env --reveal "$T/p/api.env"
expect_out '{"ok":true,"env":{"WEB_NEXTAUTH_SECRET":"","NEXTAUTH_SECRET":"x","B":""}}' "env: a file not named .env is an env_file only"
run env -i NEXTAUTH_SECRET=shell "$KEC" env --reveal "$T/p/.env"
expect_out '{"ok":true,"env":{"WEB_NEXTAUTH_SECRET":"shell","NEXTAUTH_SECRET":"x","B":""}}' "env: the shell wins over the project .env"
run env -i "$KEC" env --reveal --dialect=docker "$T/p/.env"
expect_out '{"ok":true,"env":{"WEB_NEXTAUTH_SECRET":"${NEXTAUTH_SECRET}","NEXTAUTH_SECRET":"x","B":"${NOPE}"}}' "env --dialect=docker: no interpolation at all"
printf 'A=${B}\nB="open\n' >"$T/p2.env"
mkdir "$T/p2" && mv "$T/p2.env" "$T/p2/.env"
run env -i "$KEC" env --reveal "$T/p2/.env"
expect_rc 1 "env: a project .env compose refuses"
expect_grep "$T/out" '"ok":false,"dialect":"compose"' "refused in pass 1, said once"

# ---- check -----------------------------------------------------------
IGN=required-missing,webhook-url,unknown-variable,llm-not-configured,secret-format
chk() {
	run env -i KODUS_ENVCHECK_DATE=2026-11-27 "$KEC" check --offline --ignore "$IGN" "$@"
}
chk "$T/p/.env"
expect_rc 1 "check .env: \$NOPE is still an error"
expect_grep "$T/out" "$T/p/.env:1:21: info: \$NEXTAUTH_SECRET is only set further down the file: docker compose v2 resolves it, as it reads this file as the project .env before the env_file; docker compose v1 and an env_file not named .env leave it empty, docker run --env-file, kubectl and Node do not expand it [undefined-reference]" "check .env: the forward reference is info, the readers that leave it empty named"
expect_grep "$T/out" "$T/p/.env:3:3: error: \$NOPE is set neither earlier in the file nor in the environment: docker compose replaces it with an empty string [undefined-reference]" "check .env: a name set nowhere stays an error"
chk "$T/p/api.env"
expect_grep "$T/out" "$T/p/api.env:1:21: error: \$NEXTAUTH_SECRET is only set further down the file: docker compose replaces it with an empty string (only docker compose v2 reading the file as the project .env resolves it); set NEXTAUTH_SECRET above this line [undefined-reference]" "check api.env: the forward reference is an error"
chk --env-file-only "$T/p/.env"
expect_grep "$T/out" "$T/p/.env:1:21: error: \$NEXTAUTH_SECRET is only set further down the file" "check --env-file-only .env: an error"
chk --for=docker "$T/p/.env"
expect_grep "$T/out" "$T/p/.env:1:21: warning: \$NEXTAUTH_SECRET is only set further down the file: docker compose v2 resolves it" "check --for=docker .env: a warning"

# the installer's layout, no other finding: nothing stops the start
printf 'WEB_NEXTAUTH_SECRET=${NEXTAUTH_SECRET}\nNEXTAUTH_SECRET=x\n' >"$T/p/.env"
chk "$T/p/.env"
expect_rc 0 "check .env with only a forward reference: status 0"
finish
