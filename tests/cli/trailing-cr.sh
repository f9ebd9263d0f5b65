#!/bin/sh
# A value ending in blanks and a stray CR ("KEY = \r\r\n"): the lexer
# counts the CR as trailing white space, the description of it did not,
# and the message printed an uninitialised buffer (stack bytes).
. "${top_srcdir:-.}/tests/setup.sh"

printf 'API_OPEN_AI_API_KEY = \r\r\nC=\n' >"$T/cr.env"
run env -i "$KEC" check --offline --ignore unknown-variable "$T/cr.env"
expect_grep "$T/out" "$T/cr.env:1:23: info: white space after the value: docker run --env-file and kubectl keep it in the value (docker compose and Node trim it) [trailing-whitespace]" "stray CR: the words, no stray bytes"
finish
