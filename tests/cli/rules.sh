#!/bin/sh
# Every rule fires on a minimal file, at its line and column, with its
# severity, and stays silent on the nearest correct file.
. "$top_srcdir/tests/setup.sh"

# lint CONTENT [ARGS...]: CONTENT (printf format) into $T/t.env, then
# `check --offline ARGS $T/t.env` under an empty environment.
lint() {
	printf "$1" >"$T/t.env"
	shift
	run env -i KODUS_ENVCHECK_DATE=2026-11-27 "$KEC" check --offline "$@" "$T/t.env"
}

# fires RULE 'L:C: severity' CONTENT [ARGS...]   (or ': severity' for no place)
fires() {
	rule=$1 where=$2 content=$3
	shift 3
	lint "$content" "$@"
	ntest=$((ntest + 1))
	if grep -F -- "$T/t.env$where: " "$T/out" | grep -qF -- "[$rule]"; then
		pass "$rule fires at$where"
	else
		fail "$rule does not fire at$where on: $(printf '%s' "$content" | head -c 80)"
		sed 's/^/  | /' "$T/out" | head -8
	fi
}

# silent RULE CONTENT [ARGS...]
silent() {
	rule=$1 content=$2
	shift 2
	lint "$content" "$@"
	ntest=$((ntest + 1))
	if grep -qF -- "[$rule]" "$T/out"; then
		fail "$rule fires on: $(printf '%s' "$content" | head -c 80)"
		grep -F -- "[$rule]" "$T/out" | sed 's/^/  | /' | head -3
	else
		pass "$rule silent"
	fi
}

# expect_line STRING: stdout has this exact line
expect_line() {
	ntest=$((ntest + 1))
	if grep -qxF -- "$1" "$T/out"; then pass "line: $(printf '%s' "$1" | head -c 70)"; else
		fail "missing line: $1"; sed 's/^/  | /' "$T/out" | head -8; fi
}

MOON='API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1\n'
KEY='API_OPEN_AI_API_KEY=sk-TESTxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t\n'
M26='API_LLM_PROVIDER_MODEL=kimi-k2.6\nAPI_LLM_TEMPERATURE_OVERRIDE=1\n'

# ---- the bytes of the file -------------------------------------------
# Severities follow the reader the file is for (--for, docker compose by
# default): what only docker run and kubectl see is info under compose.
fires trailing-whitespace ':1:4: info' 'A=b  \n'
expect_line "$T/t.env:1:4: info: 2 trailing spaces after the value: docker run --env-file and kubectl keep them in the value (docker compose and Node trim them) [trailing-whitespace]"
expect_line "    hint: A=b"
fires trailing-whitespace ':1:4: warning' 'A=b  \n' --for=docker
fires trailing-whitespace ':1:4: warning' 'A=b  \n' --for=kubectl
fires trailing-whitespace ':1:4: info' 'A=b  \n' --for=node
fires trailing-whitespace ':1:5: error' 'A="b "\n'
fires trailing-whitespace ':1:5: warning' 'A="b "\n' --for=docker
fires trailing-whitespace ':1:4: info' 'A=b\302\240\n'
expect_grep "$T/out" "a no-break space (U+00A0) after the value" "NBSP named"
fires trailing-whitespace ':1:4: info' 'A=b\343\200\200\n'
silent trailing-whitespace 'A=b\nB="c"\n'

# quotes are docker compose's own syntax: nothing to say unless the file
# is for a reader that keeps them
silent quoted-value 'A="b"\nB='"'c d'"'\n'
silent quoted-value 'A="b"\n' --for=node
fires quoted-value ':1:3: warning' 'A="b"\n' --for=docker
expect_line "$T/t.env:1:3: warning: docker run --env-file and kubectl keep the quotes: they see '\"b\"' [quoted-value]"
expect_line "    hint: A=b"
fires quoted-value ':1:3: warning' 'A="b"\n' --for=kubectl
fires quoted-value ':1:3: error' 'A=`b`\n'
expect_line "$T/t.env:1:3: error: backquotes are quotes only to Node: docker compose, docker run and kubectl keep them in the value (\`b\`) [quoted-value]"
fires quoted-value ':1:3: info' 'A=`b`\n' --for=node
silent quoted-value 'A=b\n'
silent quoted-value 'A=b\n' --for=docker

fires inline-comment ':1:5: info' 'A=b # c\n'
expect_line "$T/t.env:1:5: info: docker run --env-file and kubectl keep the comment in the value: they see 'b # c' (docker compose and Node cut it); put the comment on its own line [inline-comment]"
fires inline-comment ':1:5: warning' 'A=b # c\n' --for=docker
fires inline-comment ':1:5: warning' 'A=b # c\n' --for=kubectl
fires inline-comment ':1:4: error' 'A=b\t# c\n'
fires inline-comment ':1:4: info' 'A=b\t# c\n' --for=node
silent inline-comment 'A=b#c\n# own line\nB=c\n'

fires smart-quotes ':1:3: error' 'A=\342\200\234b\342\200\235\n'
expect_grep "$T/out" "typographic quote “ (U+201C) in the value" "smart quote named"
expect_line "    hint: A=b"
silent smart-quotes 'A="b"\n'

fires invisible-character ':1:4: error' 'A=b\342\200\213c\n'
expect_grep "$T/out" "a zero-width space (U+200B) in the value: it is part of the value though nobody can see it" "zero-width named"
fires invisible-character ':1:2: error' 'A\342\200\213B=1\n'
fires invisible-character ':1:3: error' 'A=\377\n'
expect_grep "$T/out" "an invalid UTF-8 byte 0xFF in the value: docker run --env-file refuses the file" "invalid UTF-8 named"
fires invisible-character ':1:4: error' 'A=b\001\n'
silent invisible-character 'A=b c\n'

fires crlf ':1:4: info' 'A=1\r\nB=2\r\n'
expect_grep "$T/out" "2 lines end in CRLF" "CRLF lines counted"
fires crlf ':1:4: error' 'A=1\rB=2\n'
silent crlf 'A=1\nB=2\n'

fires bom ':1:1: info' '\357\273\277A=1\n'
silent bom 'A=1\n'

fires duplicate-key ':2:1: warning' 'A=1\nA=2\n'
expect_line "$T/t.env:2:1: warning: A is set again (first on line 1): docker compose, docker run and Node keep only this last value, kubectl refuses the file [duplicate-key]"
fires duplicate-key ':2:1: error' 'A=1\nA=2\n' --for=kubectl
silent duplicate-key 'A=1\nB=2\n'

fires invalid-key ':1:1: error' 'MY KEY=1\n'
fires invalid-key ':1:1: error' "'A'=1\\n"
fires invalid-key ':1:1: info' '1A=1\n'
expect_line "$T/t.env:1:1: info: '1A' is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*): kubectl refuses the file [invalid-key]"
fires invalid-key ':1:1: error' '1A=1\n' --for=kubectl
fires invalid-key ':1:1: info' 'A.B=1\n'
expect_line "$T/t.env:1:1: info: 'A.B' is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*): every reader takes it, but no shell and no Kodus variable uses such a name [invalid-key]"
# names docker compose refuses: the whole file is refused
fires invalid-key ':1:1: error' 'FOO@BAR=1\n'
expect_line "$T/t.env:1:1: error: 'FOO@BAR' is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*): docker compose refuses the file, Node drops the line, kubectl refuses the file [invalid-key]"
fires invalid-key ':1:1: error' 'FOO/BAR=1\n'
fires invalid-key ':1:1: info' 'FOO/BAR=1\n' --for=docker
fires invalid-key ':1:1: warning' 'FOO/BAR=1\n' --for=node
fires invalid-key ':1:1: info' 'A[0]=1\n'
fires invalid-key ':1:1: warning' '\303\204PI_KEY=1\n'
expect_grep "$T/out" "it has non-ASCII characters: Node drops the line, kubectl refuses the file [invalid-key]" "a non-ASCII letter named"
fires invalid-key ':1:1: error' '=1\n'
silent invalid-key 'A1=1\n_B=2\n'

fires lowercase-key ':1:1: warning' 'api_port=1\n'
expect_line "    hint: API_PORT=..."
silent lowercase-key 'API_PORT=1\n'

fires spaces-around-equals ':1:3: info' 'A =1\n'
expect_line "$T/t.env:1:3: info: white space before '=': docker run --env-file and kubectl refuse the whole file (docker compose and Node drop it) [spaces-around-equals]"
expect_line "    hint: A=1"
fires spaces-around-equals ':1:3: error' 'A =1\n' --for=docker
fires spaces-around-equals ':1:3: error' 'A =1\n' --for=kubectl
fires spaces-around-equals ':1:2: info' 'A= 1\n'
expect_line "    hint: A=1"
fires spaces-around-equals ':1:2: warning' 'A= 1\n' --for=docker
fires spaces-around-equals ':1:2: info' 'A: 1\n'
expect_line "$T/t.env:1:2: info: ':' instead of '=': docker compose and Node accept it, kubectl refuses the file, docker run --env-file refuses the file [spaces-around-equals]"
expect_line "    hint: A=1"
fires spaces-around-equals ':1:2: warning' 'A:1\n' --for=node
fires spaces-around-equals ':1:2: warning' 'A:1\n' --for=docker
fires spaces-around-equals ':1:2: error' 'A:1\n' --for=kubectl
silent spaces-around-equals 'A=1\n'

fires export-prefix ':1:1: info' 'export A=1\n'
expect_line "$T/t.env:1:1: info: 'export' before the name: docker run --env-file and kubectl refuse the whole file (docker compose and Node drop the word) [export-prefix]"
expect_line "    hint: A=1"
fires export-prefix ':1:1: error' 'export A=1\n' --for=docker
fires export-prefix ':1:1: error' 'export A=1\n' --for=kubectl
fires export-prefix ':1:1: info' 'export A=1\n' --for=node
silent export-prefix 'exportA=1\n'

fires unterminated-quote ':1:3: error' 'A="b\nB=2\n'
fires unterminated-quote ':1:3: error' "A='b\\n"
fires unterminated-quote ':1:3: warning' "A='b\\n" --for=docker
silent unterminated-quote 'A="b"\n'

fires bad-interpolation ':1:3: error' 'A=${B\n'
fires bad-interpolation ':1:3: warning' 'A=${B\n' --for=kubectl
fires bad-interpolation ':1:3: error' 'A=${B:?must be set}\n'
expect_grep "$T/out" "required variable B is missing a value: must be set" "compose's message"
silent bad-interpolation 'A=${B:-x}\n'

fires undefined-reference ':1:3: error' 'A=${NOPE}\n'
expect_grep "$T/out" '$NOPE is set neither earlier in the file nor in the environment' "unset reference named"
fires undefined-reference ':1:3: error' 'A=${B}\nB=1\n'
expect_line "$T/t.env:1:3: error: \$B is only set further down the file: docker compose replaces it with an empty string (only docker compose v2 reading the file as the project .env resolves it); set B above this line [undefined-reference]"
fires undefined-reference ':1:3: warning' 'A=${B}\nB=1\n' --for=docker
fires undefined-reference ':1:20: error' 'API_PG_DB_PASSWORD=ab$cd\n'
expect_grep "$T/out" "must be written '\$\$'" "\$ in a secret explained"
silent undefined-reference 'B=1\nA=${B}\nC=$$D\n'

fires dialect-mismatch ':1:3: info' 'A=b#c\n'
expect_line "$T/t.env:1:3: info: the readers disagree: docker compose sees 'b#c', docker run --env-file 'b#c', Node 'b' [dialect-mismatch]"
fires dialect-mismatch ':1:3: warning' 'A=b#c\n' --for=node
fires dialect-mismatch ':1:3: info' 'A=b#c\n' --for=docker
fires dialect-mismatch ':2:3: info' 'B=1\nA=${B}\n'
expect_line "$T/t.env:2:3: info: docker compose expands the \$ references in this value; docker run --env-file, kubectl and Node do not: they would pass them on literally [dialect-mismatch]"
fires dialect-mismatch ':2:3: warning' 'B=1\nA=${B}\n' --for=kubectl
fires dialect-mismatch ':1:1: info' "A=$(head -c 70000 /dev/zero | tr '\0' y)\\n"
expect_grep "$T/out" "docker run --env-file refuses the file: line longer than 64 KiB" "docker's limit"
fires dialect-mismatch ':1:1: error' "A=$(head -c 70000 /dev/zero | tr '\0' y)\\n" --for=docker
# an info said about the line does not hide docker compose refusing the file
fires dialect-mismatch ':1:7: error' 'A: "x"$y\n'
expect_line "$T/t.env:1:7: error: docker compose refuses the file: unexpected character '\$' in variable name [dialect-mismatch]"
silent dialect-mismatch 'A=b\n'

fires placeholder-value ':1:16: error' 'API_JWT_SECRET=changeme\n'
expect_line "$T/t.env:1:16: error: 'changeme' is a template placeholder, not a real value [placeholder-value]"
expect_line "    hint: generate one: openssl rand -base64 32"
fires placeholder-value ':1:5: warning' 'FOO=your-api-key\n'
fires placeholder-value ':1:20: error' 'API_PG_DB_PASSWORD=123456\n'
fires placeholder-value ':1:21: error' 'API_OPEN_AI_API_KEY=sk-...\n'
silent placeholder-value 'FOO=bar\nAPI_PG_DB_PASSWORD=3f1c9a7e5b2d\n'

# ---- the Kodus schema --------------------------------------------------
fires required-missing ': error' ''
expect_line "$T/t.env: error: API_JWT_SECRET is required and not set [required-missing]"
expect_line "    hint: generate one: openssl rand -base64 32"
fires required-missing ': error' 'API_JWT_SECRET=\n'
expect_grep "$T/out" "API_JWT_SECRET is required and empty" "empty is named"
fires required-missing ': error' 'API_MCP_SERVER_ENABLED=true\n'
expect_grep "$T/out" "API_KODUS_SERVICE_MCP_MANAGER is required when API_MCP_SERVER_ENABLED=true" "conditional requirement"
silent required-missing "$(cat "$top_srcdir/examples/moonshot.env" | sed 's/%/%%/g')\\n"

fires type-mismatch ':1:10: error' 'API_PORT=abc\n'
expect_line "$T/t.env:1:10: error: 'abc' is not a port number from 1 to 65535 [type-mismatch]"
fires type-mismatch ':1:16: error' 'API_LOG_PRETTY=TRUE\n'
expect_line "    hint: API_LOG_PRETTY=true"
fires type-mismatch ':1:13: error' 'WORKER_ROLE=all\n'
fires type-mismatch ':1:37: error' 'API_CRON_SYNC_CODE_REVIEW_REACTIONS=0 0 *\n'
fires type-mismatch ':1:15: error' 'API_SMTP_FROM=nobody\n'
fires type-mismatch ':1:18: error' 'API_FRONTEND_URL=localhost:3000\n'
silent type-mismatch 'API_PORT=3001\nAPI_LLM_TEMPERATURE_OVERRIDE=0.7\nAPI_LOG_PRETTY=false\nWORKER_ROLE=analytics\nAPI_CRON_SYNC_CODE_REVIEW_REACTIONS="0 */15 * * * *"\nAPI_SMTP_FROM=a@b.io\nAPI_FRONTEND_URL=http://localhost:3000\n'

fires secret-format ':1:16: error' 'API_CRYPTO_KEY=abc\n'
fires secret-format ':1:16: warning' 'API_JWT_SECRET=not-base64-at-all\n'
silent secret-format 'API_CRYPTO_KEY=7a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c\nAPI_JWT_SECRET=eLfoGZI7Qm0lzDtFAJ9vjOFEs6uGj4cvDd8VFxqrY5M=\n'

fires secret-mismatch ':1:21: error' 'WEB_NEXTAUTH_SECRET=eLfoGZI7Qm0lzDtFAJ9vjOFEs6uGj4cvDd8VFxqrY5M=\nNEXTAUTH_SECRET=c92JBvEdit46qDedOqjwnhEKW4dczYk5jxS658R3s4U=\n'
expect_grep "$T/out" "WEB_NEXTAUTH_SECRET differs from NEXTAUTH_SECRET (line 2)" "both named"
silent secret-mismatch 'WEB_NEXTAUTH_SECRET=eLfoGZI7Qm0lzDtFAJ9vjOFEs6uGj4cvDd8VFxqrY5M=\nNEXTAUTH_SECRET=eLfoGZI7Qm0lzDtFAJ9vjOFEs6uGj4cvDd8VFxqrY5M=\n'

fires legacy-name ':1:1: error' 'API_OPEN_AI_APIKEY=abc\n'
expect_line "$T/t.env:1:1: error: Kodus no longer reads API_OPEN_AI_APIKEY: rename it to API_OPEN_AI_API_KEY [legacy-name]"
fires legacy-name ':1:1: warning' 'API_LLM_MODEL_MAIN=x\n'
silent legacy-name 'API_OPEN_AI_API_KEY=abc\n'

fires unknown-variable ':1:1: info' 'API_OPEN_AI_KEY=x\n'
expect_grep "$T/out" "API_OPEN_AI_KEY is not a Kodus variable: did you mean API_OPEN_AI_API_KEY?" "closest name"
silent unknown-variable 'API_PORT=3001\n'

fires webhook-url ':2:36: error' 'WEB_HOSTNAME_API=k.example.com\nAPI_GITHUB_CODE_MANAGEMENT_WEBHOOK=https://k.example.com/github\n'
expect_line "    hint: API_GITHUB_CODE_MANAGEMENT_WEBHOOK=https://k.example.com/github/webhook"
fires webhook-url ':2:36: warning' 'WEB_HOSTNAME_API=k.example.com\nAPI_GITHUB_CODE_MANAGEMENT_WEBHOOK=http://k.example.com/github/webhook\n'
fires webhook-url ':2:36: warning' 'WEB_HOSTNAME_API=k.example.com\nAPI_GITHUB_CODE_MANAGEMENT_WEBHOOK=https://other.example.com/github/webhook\n'
fires webhook-url ': warning' 'API_PORT=3001\n'
silent webhook-url 'WEB_HOSTNAME_API=k.example.com\nGLOBAL_AZURE_REPOS_CODE_MANAGEMENT_WEBHOOK=https://k.example.com/azure-repos/webhook\n'

fires hostname-format ':1:18: error' 'WEB_HOSTNAME_API=https://k.example.com/\n'
expect_line "    hint: WEB_HOSTNAME_API=k.example.com"
silent hostname-format 'WEB_HOSTNAME_API=k.example.com\n'

fires rabbitmq-uri ':1:18: error' 'API_RABBITMQ_URI=http://rabbit/\n'
fires rabbitmq-uri ':1:18: warning' 'API_RABBITMQ_URI=amqp://u:secretpw@rabbit:5672/\n'
expect_line "    hint: API_RABBITMQ_URI=amqp://u:***@rabbit:5672/kodus-ai"
expect_nogrep "$T/out" "secretpw" "the URI's password is not shown"
silent rabbitmq-uri 'API_RABBITMQ_URI=amqp://u:p@rabbit:5672/kodus-ai\n'
# not a URL: the variable's own rule says it, not type-mismatch as well
fires rabbitmq-uri ':1:18: error' 'API_RABBITMQ_URI=rabbit:5672/kodus-ai\n'
expect_nogrep "$T/out" "[type-mismatch]" "rabbitmq-uri: one finding for a URI without a scheme"
fires type-mismatch ':1:18: error' 'API_RABBITMQ_URI=rabbit:5672/kodus-ai\n' --ignore rabbitmq-uri
fires webhook-url ':2:36: error' 'WEB_HOSTNAME_API=k.example.com\nAPI_GITHUB_CODE_MANAGEMENT_WEBHOOK=k.example.com:99999/github/webhook\n'
expect_nogrep "$T/out" "[type-mismatch]" "webhook-url: one finding for a URL that is not one"
fires type-mismatch ':2:36: error' 'WEB_HOSTNAME_API=k.example.com\nAPI_GITHUB_CODE_MANAGEMENT_WEBHOOK=k.example.com:99999/github/webhook\n' --ignore webhook-url

# ---- Fixed Mode --------------------------------------------------------
fires llm-not-configured ':1:24: info' 'API_LLM_PROVIDER_MODEL=auto\n'
fires llm-not-configured ':1:24: error' "API_LLM_PROVIDER_MODEL=kimi-k2.6\\n$MOON"
expect_line "$T/t.env:1:24: error: API_LLM_PROVIDER_MODEL is set but API_OPEN_AI_API_KEY is empty: Kodus reports the LLM as not configured and the first review fails [llm-not-configured]"
silent llm-not-configured "$M26$MOON$KEY"

fires base-url-endpoint ':3:27: error' "$M26"'API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1/chat/completions\n'"$KEY"
expect_line "    hint: API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1"
# with a typo'd host as well: both said, and the hint is the whole right URL
fires base-url-endpoint ':3:27: error' "$M26"'API_OPENAI_FORCE_BASE_URL=https://api.moonshot.com/v1/chat/completions\n'"$KEY"
expect_grep "$T/out" "api.moonshot.com is not a host of any provider in the catalog" "endpoint and typo'd host: the typo named too"
ntest=$((ntest + 1))
if [ "$(grep -c '^    hint: API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1$' "$T/out")" = 2 ]; then
	pass "endpoint and typo'd host: both hints the whole right URL"
else fail "endpoint and typo'd host: hints"; sed 's/^/  | /' "$T/out"; fi
silent base-url-endpoint "$M26$MOON$KEY"

fires base-url-scheme ':3:27: error' "$M26"'API_OPENAI_FORCE_BASE_URL=api.moonshot.ai/v1\n'"$KEY"
expect_line "    hint: API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1"
fires base-url-scheme ':3:27: error' "$M26"'API_OPENAI_FORCE_BASE_URL=http://api.moonshot.ai/v1\n'"$KEY"
for u in //api.moonshot.ai/v1 ://api.moonshot.ai/v1; do
	fires base-url-scheme ':3:27: error' "$M26"'API_OPENAI_FORCE_BASE_URL='"$u"'\n'"$KEY"
	expect_grep "$T/out" "'$u' is not a URL: no scheme before the // [base-url-scheme]" "$u: the scheme named as what is missing"
	expect_nogrep "$T/out" "[type-mismatch]" "$u: one finding, not a type-mismatch too"
	fires type-mismatch ':3:27: error' "$M26"'API_OPENAI_FORCE_BASE_URL='"$u"'\n'"$KEY" --ignore base-url-scheme
done
# a URL with a scheme that the type check refuses: both say their part
fires type-mismatch ':3:27: error' "$M26"'API_OPENAI_FORCE_BASE_URL=http://exa mple.com/v1\n'"$KEY"
expect_grep "$T/out" ":3:27: warning: http:// to exa mple.com: the key crosses" "a space in the host: base-url-scheme's warning too"
fires base-url-scheme ':3:27: warning' "$M26"'API_OPENAI_FORCE_BASE_URL=http://vllm.internal:8000/v1\n'"$KEY"
silent base-url-scheme "$M26"'API_OPENAI_FORCE_BASE_URL=http://127.0.0.1:8000/v1\n'"$KEY"

fires base-url-shape ':3:27: error' "$M26"'API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai\n'"$KEY"
expect_line "$T/t.env:3:27: error: Moonshot AI (international) serves its API under /v1, not '/': requests would get 404 [base-url-shape]"
fires base-url-shape ':3:27: error' "$M26"'API_OPENAI_FORCE_BASE_URL=https://api.moonshot.com/v1\n'"$KEY"
expect_grep "$T/out" "api.moonshot.com is not a host of any provider in the catalog: did you mean https://api.moonshot.ai/v1 (Moonshot AI (international)) or https://api.moonshot.cn/v1 (Moonshot AI (China))?" "typo'd host"
fires base-url-shape ':3:27: warning' "$M26"'API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1//\n'"$KEY"
expect_line "$T/t.env:3:27: warning: the base URL ends in '//': the clients drop only one trailing slash, so requests go to /v1//chat/completions, which servers answer with 404 [base-url-shape]"
expect_line "    hint: API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1"
silent base-url-shape "$M26$MOON$KEY"
# one trailing slash is harmless: the clients request /v1/chat/completions
silent base-url-shape "$M26"'API_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1/\n'"$KEY"

fires key-provider-mismatch ':4:21: warning' "$M26$MOON"'API_OPEN_AI_API_KEY=sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n'
expect_line "    hint: API_OPENAI_FORCE_BASE_URL=https://openrouter.ai/api/v1"
fires key-provider-mismatch ':4:21: warning' "$M26$MOON"'API_OPEN_AI_API_KEY=sk-kimi-TESTxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2\n'
expect_line "    hint: API_OPENAI_FORCE_BASE_URL=https://api.kimi.com/coding/v1"
silent key-provider-mismatch "$M26$MOON$KEY"

fires model-unknown ':1:24: error' 'API_LLM_PROVIDER_MODEL=kimi-k2-0905\n'"$MOON$KEY"
expect_line "$T/t.env:1:24: error: Moonshot AI (international) has no model 'kimi-k2-0905' (it answers 404); closest: kimi-k2-0905-preview (retired 2026-05-25, use kimi-k2.6), kimi-k2.5 (retired 2026-08-31, use kimi-k2.6), kimi-k2.6 [model-unknown]"
expect_line "    hint: API_LLM_PROVIDER_MODEL=kimi-k2.6"
fires model-unknown ':1:24: error' 'API_LLM_PROVIDER_MODEL=Kimi-K2.6\n'"$MOON$KEY"
expect_grep "$T/out" "(model ids are case-sensitive)" "case named"
fires model-unknown ':1:24: error' "$M26$KEY"
expect_grep "$T/out" "kimi-k2.6 is a Moonshot AI (international) model, but Kodus sends it to https://api.openai.com/v1 (OpenAI): API_OPENAI_FORCE_BASE_URL is empty" "forgotten base URL"
silent model-unknown "$M26$MOON$KEY"

fires model-retired ':1:24: error' 'API_LLM_PROVIDER_MODEL=kimi-k2-0905-preview\n'"$MOON$KEY"
expect_line "$T/t.env:1:24: error: kimi-k2-0905-preview was retired on 2026-05-25: the provider answers 404 [model-retired]"
printf 'API_LLM_PROVIDER_MODEL=kimi-k2.5\nAPI_LLM_TEMPERATURE_OVERRIDE=1\n'"$MOON$KEY" >"$T/t.env"
run env -i KODUS_ENVCHECK_DATE=2026-01-01 "$KEC" check --offline "$T/t.env"
expect_grep "$T/out" "$T/t.env:1:24: warning: kimi-k2.5 will be retired on 2026-08-31 [model-retired]" "future retirement is a warning"
silent model-retired "$M26$MOON$KEY"

fires temperature-override ':1:24: error' 'API_LLM_PROVIDER_MODEL=kimi-k3\n'"$MOON$KEY"
expect_line "$T/t.env:1:24: error: kimi-k3 accepts only temperature 1; without API_LLM_TEMPERATURE_OVERRIDE Kodus sends its prompts' own temperature (0): every review fails with 400 \"invalid temperature\" [temperature-override]"
expect_line "    hint: API_LLM_TEMPERATURE_OVERRIDE=1"
# Kodus clamps kimi-k2.6 and kimi-k2-thinking* to 1 itself
silent temperature-override 'API_LLM_PROVIDER_MODEL=kimi-k2.6\n'"$MOON$KEY"
fires temperature-override ':2:30: error' 'API_LLM_PROVIDER_MODEL=kimi-k3\nAPI_LLM_TEMPERATURE_OVERRIDE=0.6\n'"$MOON$KEY"
silent temperature-override 'API_LLM_PROVIDER_MODEL=kimi-k2.6\nAPI_LLM_TEMPERATURE_OVERRIDE=0.6\n'"$MOON$KEY"

fires anthropic-proxy ':2:27: info' 'API_LLM_PROVIDER_MODEL=claude-sonnet-4-5\nAPI_OPENAI_FORCE_BASE_URL=https://openrouter.ai/api/v1\nAPI_OPEN_AI_API_KEY=sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n'
silent anthropic-proxy 'API_LLM_PROVIDER_MODEL=claude-sonnet-4-5\nAPI_OPEN_AI_API_KEY=sk-ant-api03-TESTxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t\n'

# ---- api / worker -----------------------------------------------------
cp "$top_srcdir/examples/moonshot.env" "$T/api.env"
sed 's/kimi-k2.6/kimi-k3/; s/API_PG_DB_HOST=db_postgres/API_PG_DB_HOST=elsewhere/' "$top_srcdir/examples/moonshot.env" >"$T/worker.env"
run env -i "$KEC" check --offline --api "$T/api.env" --worker "$T/worker.env"
expect_rc 1 "LLM drift is an error"
expect_grep "$T/out" "$T/worker.env:7:24: error: API_LLM_PROVIDER_MODEL: the api file ($T/api.env) says 'kimi-k2.6', the worker file ($T/worker.env) 'kimi-k3'" "LLM drift"
expect_grep "$T/out" "$T/worker.env:14:16: warning: API_PG_DB_HOST: the api file ($T/api.env) says 'db_postgres', the worker file ($T/worker.env) 'elsewhere'" "other drift is a warning, the variable named"
run env -i "$KEC" check --offline --api "$T/api.env" --worker "$T/api.env"
expect_rc 0 "one file for both: no drift"
expect_nogrep "$T/out" "api-worker-drift" "no drift on one file"

finish
