#!/bin/sh
# `kodus-envcheck env`: exact JSON, dialects, masking, stdin, refusals.
. "$top_srcdir/tests/setup.sh"

KEY=sk-TESTxQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
printf 'API_OPEN_AI_API_KEY="%s"\nAPI_OPENAI_FORCE_BASE_URL=https://api.moonshot.ai/v1    # .cn for China\nAPI_LLM_PROVIDER_MODEL=kimi-k2.6\n' "$KEY" >"$T/a.env"

run env -i "$KEC" env "$T/a.env"
expect_rc 0 "compose reading"
expect_out '{"ok":true,"env":{"API_OPEN_AI_API_KEY":"sk-…S6t","API_OPENAI_FORCE_BASE_URL":"https://api.moonshot.ai/v1","API_LLM_PROVIDER_MODEL":"kimi-k2.6"}}' \
	"compose: quotes removed, comment cut, key masked"

run env -i "$KEC" env --dialect=docker "$T/a.env"
expect_rc 0 "docker reading"
expect_out '{"ok":true,"env":{"API_OPEN_AI_API_KEY":"\"sk…6t\"","API_OPENAI_FORCE_BASE_URL":"https://api.moonshot.ai/v1    # .cn for China","API_LLM_PROVIDER_MODEL":"kimi-k2.6"}}' \
	"docker: quotes and comment kept, masked value shows the quote"

LEAK_OK=1	# prints the key on purpose
run env -i "$KEC" env --dialect node --reveal "$T/a.env"
LEAK_OK=0
expect_rc 0 "node reading, separate option value"
expect_out "{\"ok\":true,\"env\":{\"API_OPEN_AI_API_KEY\":\"$KEY\",\"API_OPENAI_FORCE_BASE_URL\":\"https://api.moonshot.ai/v1\",\"API_LLM_PROVIDER_MODEL\":\"kimi-k2.6\"}}" \
	"node with --reveal prints the key in full"

for d in compose docker node; do
	run env -i "$KEC" env --dialect=$d "$T/a.env"
	expect_nogrep "$T/out" "xQ3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6" "no full key under $d"
done

# stdin
run sh -c "printf 'A=1\nB=\${A}2\n' | env -i '$KEC' env -"
expect_rc 0 "stdin"
expect_out '{"ok":true,"env":{"A":"1","B":"12"}}' "stdin read as '-', interpolation"

# the process environment feeds compose interpolation, not docker's values
printf 'U=${FROM_HOST}\nFROM_HOST\n' >"$T/h.env"
run env -i FROM_HOST=hostval "$KEC" env "$T/h.env"
expect_out '{"ok":true,"env":{"U":"hostval","FROM_HOST":"hostval"}}' "compose uses the process environment"
run env -i FROM_HOST=hostval "$KEC" env --dialect=docker "$T/h.env"
expect_out '{"ok":true,"env":{"U":"${FROM_HOST}","FROM_HOST":"hostval"}}' "docker: bare key inherits, no interpolation"

# refusals: status 1, JSON names the file, line and column
printf 'A=1\nB="open\nC=3\n' >"$T/u.env"
run env -i "$KEC" env "$T/u.env"
expect_rc 1 "compose refuses an unterminated quote"
expect_out "{\"ok\":false,\"dialect\":\"compose\",\"file\":\"$T/u.env\",\"error\":\"unterminated quoted value: no closing \\\"\",\"line\":2,\"column\":3}" \
	"refusal JSON with line and column"
run env -i "$KEC" env --dialect=node "$T/u.env"
expect_rc 0 "node never refuses"
printf 'export A=1\n' >"$T/x.env"
run env -i "$KEC" env --dialect=docker "$T/x.env"
expect_rc 1 "docker refuses export"
expect_grep "$T/out" '"line":1,"column":1}' "docker refusal position"
printf 'A=${B:?set B first}\n' >"$T/q.env"
run env -i "$KEC" env "$T/q.env"
expect_rc 1 "required variable"
expect_grep "$T/out" '"error":"required variable B is missing a value: set B first"' "message of :?"

# NUL and invalid UTF-8 in values come out as escapes, never raw
printf 'A=x\000y\nB=\377z\n' >"$T/n.env"
run env -i "$KEC" env "$T/n.env"
expect_rc 0 "NUL and invalid UTF-8 accepted by compose"
expect_out '{"ok":true,"env":{"A":"x\u0000y","B":"\ufffdz"}}' "escaped NUL and U+FFFD"
run env -i "$KEC" env --dialect=docker "$T/n.env"
expect_rc 1 "docker refuses invalid UTF-8"
expect_grep "$T/out" '"line":2,"column":3}' "docker: the invalid byte's position"

# empty file, comments only
: >"$T/e.env"
run "$KEC" env "$T/e.env"
expect_out '{"ok":true,"env":{}}' "empty file"

finish
