#!/usr/bin/env python3
"""tests/jquery.py - answers the tests' JSON questions, one a line, so a
test starts python once rather than once a question (a python start takes
a third of a second on a loaded machine).

Each line read is MODE TAB FILE TAB EXPR: EXPR is a python expression over
the JSON document in FILE (strict UTF-8) as d. The answer is one line:
json.dumps of the value (MODE json) or str of it (MODE str), newlines as
\\n; "error: ..." when the file or the expression fails. MODE text asks
only whether FILE is valid UTF-8 without a control byte but the newline
("ok")."""
import json
import sys


def answer(line):
    mode, path, expr = line.rstrip("\n").split("\t", 2)
    try:
        with open(path, "rb") as f:
            b = f.read()
        t = b.decode("utf-8")
        if mode == "text":
            bad = [c for c in b if (c < 0x20 and c != 10) or c == 0x7F]
            return "error: control bytes %r" % bad[:5] if bad else "ok"
        d = json.loads(t)
        v = eval(expr, {"d": d, "json": json})
        out = json.dumps(v) if mode == "json" else str(v)
    except Exception as e:  # the test reports it as a failure
        out = "error: %s: %s" % (type(e).__name__, e)
    return out.replace("\n", "\\n")


for line in sys.stdin:
    sys.stdout.write(answer(line) + "\n")
    sys.stdout.flush()
