#!/usr/bin/env python3
"""Write N random .env files to DIR (seeded): keys, delimiters, quotes,
escapes, comments, interpolation, CR/LF and odd Unicode, mixed the way
pasted configuration goes wrong. For differential tests against the real
readers: gen-env.py DIR N SEED."""
import os
import random
import sys

KEYS = ["A", "B", "KEY", "API_OPEN_AI_API_KEY", "API_LLM_PROVIDER_MODEL",
        "lower", "X.Y", "X-Y", "_U", "1N", "export", "exportA", "__proto__"]
ATOMS = ["=", ":", ": ", " ", "  ", "\t", "#", " #", " # c", "\"", "'", "`",
         "\\", "\\n", "\\r", "\\t", "\\\"", "\\'", "\\$", "$", "${A}", "$A",
         "${B:-x}", "${C:?e}", "$$", "\n", "\n", "\r\n", "\r", "\u00a0",
         "\u2028", "\u3000", "\ufeff", "\u200b", "\u201c", "\u201d", "é",
         "x", "y", "1", ".", "-", "_", "{", "}", "sk-abc", "https://h/v1",
         "export ", "\x00", "\x01"]


def value(rnd):
    q = rnd.choice(["", "", "\"", "'", "`"])
    body = "".join(rnd.choice(ATOMS) for _ in range(rnd.randint(0, 6)))
    close = q if rnd.random() < 0.85 else ""
    tail = rnd.choice(["", "", " # note", "\t# tab", "#x", "  ", " junk"])
    return q + body + close + tail


def line(rnd):
    r = rnd.random()
    if r < 0.1:
        return rnd.choice(["", "# comment", "   ", "#" + value(rnd)])
    if r < 0.2:
        return "".join(rnd.choice(ATOMS) for _ in range(rnd.randint(1, 8)))
    pre = rnd.choice(["", "", " ", "export ", "\t", "\ufeff"])
    delim = rnd.choice(["=", "=", "=", " =", "= ", " = ", ":", ": "])
    return pre + rnd.choice(KEYS) + delim + value(rnd)


def main():
    out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        eol = rnd.choice(["\n", "\n", "\r\n", "\r"])
        text = eol.join(line(rnd) for _ in range(rnd.randint(1, 12)))
        if rnd.random() < 0.5:
            text += eol
        data = text.encode("utf-8")
        if rnd.random() < 0.05:
            data = data.replace(b"x", b"\xff", 1)   # invalid UTF-8
        with open(os.path.join(out, "f%05d.env" % i), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
