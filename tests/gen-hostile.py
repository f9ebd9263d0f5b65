#!/usr/bin/env python3
"""Write the hostile inputs of tests/cli/hostile.sh and bench/hostile-mem.sh
into DIR: small files whose reading costs time or memory out of all
proportion to their size, if nothing bounds it.

usage: gen-hostile.py DIR
"""
import os
import sys

d = sys.argv[1]


def put(name, text):
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(text)


# 1. each value twice the one before: 8 bytes * 2^40 at the end
lines_exp = ["V0=xxxxxxxx"] + ["V%d=${V%d}${V%d}" % (i, i - 1, i - 1)
                               for i in range(1, 41)]
put("exp.env", "\n".join(lines_exp) + "\n")
# the same, in double quotes and with a default, to reach the limit on
# the whole file rather than one value: 40 values of 512 KiB each
lines = ['B0="%s"' % ("y" * 1024)] + \
    ['B%d="${B%d:-}${B%d-}"' % (i, i - 1, i - 1) for i in range(1, 10)] + \
    ['C%d=${B9}' % i for i in range(40)]
put("total.env", "\n".join(lines) + "\n")

# 2. references nested 50,000 deep, with each operator, bare and quoted
N = 50000
for name, op in (("dash", ":-"), ("qmark", ":?"), ("minus", "-"),
                 ("question", "?")):
    body = "${X" + op
    put("nest-%s.env" % name, "A=" + body * N + "v" + "}" * N + "\n")
    put("nest-%s-dq.env" % name,
        'A="' + body * N + "v" + "}" * N + '"\n')
# many references side by side (not nested): each one is a tail of the
# one before in compose's algorithm
put("side.env", "A=" + "${X:-v}" * 100000 + "\n")

# the largest that pass: a value of exactly 1 MiB, 32 levels of nesting
put("ok-1mib.env", "\n".join(lines_exp[:18]) + "\n")
put("ok-nest32.env", "A=" + "${X:-" * 32 + "v" + "}" * 32 + "\n")
put("nest33.env", "A=" + "${X:-" * 33 + "v" + "}" * 33 + "\n")

# 17. a 200,000-variable .env.example and a 130,000-provider catalog
# (12 MB, under the 16 MiB a file may have)
with open(os.path.join(d, "schema.env.example"), "w") as f:
    for i in range(200000):
        f.write("# (type: url)\nVAR_%d=\n" % i)
with open(os.path.join(d, "catalog.ini"), "w") as f:
    n = 130000
    for i in range(n):
        f.write("[provider p%d]\nbase_url = https://p%d.example/v1\n"
                "siblings = p%d\nkey_prefixes = sk-\n\n"
                % (i, i, (i + 1) % n))
put("small.env", "VAR_199999=not a url\n")
