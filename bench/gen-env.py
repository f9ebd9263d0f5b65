#!/usr/bin/env python3
"""Write a realistic N-line .env file to stdout: comments, blank lines,
quoted and unquoted values, inline comments, references. Deterministic."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
rnd = random.Random(42)
out = []
for i in range(n):
    kind = i % 10
    if kind == 0:
        out.append("# section %d: settings for the service" % i)
    elif kind == 1:
        out.append("")
    elif kind == 2:
        out.append('API_VAR_%d="%s"' % (i, "q%016x" % rnd.getrandbits(64)))
    elif kind == 3:
        out.append("API_URL_%d=https://host-%d.example.com/v1  # note" % (i, i))
    elif kind == 4:
        out.append("API_REF_%d=${API_VAR_%d}-suffix" % (i, i - 2))
    elif kind == 5:
        out.append("API_SINGLE_%d='literal $value %d'" % (i, i))
    else:
        out.append("API_PLAIN_%d=%s" % (i, "v%024x" % rnd.getrandbits(96)))
sys.stdout.write("\n".join(out) + "\n")
