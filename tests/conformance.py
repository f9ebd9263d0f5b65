#!/usr/bin/env python3
"""Run `kodus-envcheck env --dialect=D --reveal CASE.env` under an empty
environment for every case of a conformance corpus and every dialect;
compare `ok` and `env` with the real readers' outputs in expected.json.
Prints `N passed, M failed` per corpus; exit 1 on any mismatch."""
import json
import os
import subprocess
import sys

DIALECTS = ("compose", "docker", "node", "kubectl")


def run_corpus(binary, corpus, verbose):
    with open(os.path.join(corpus, "expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    passed = failed = 0
    fails = []
    for case_id in sorted(expected):
        path = os.path.join(corpus, case_id + ".env")
        for dia in DIALECTS:
            want = expected[case_id][dia]
            proc = subprocess.run(
                ["env", "-i", binary, "env", "--dialect=" + dia, "--reveal",
                 path], capture_output=True, timeout=20)
            try:
                got = json.loads(proc.stdout.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                got = {"unparsable": proc.stdout[:200].decode("latin-1")}
            good = (got.get("ok") is want["ok"] and
                    (not want["ok"] or got.get("env") == want["env"]))
            want_status = 0 if want["ok"] else 1
            if good and proc.returncode != want_status:
                good = False
                got = dict(got, status=proc.returncode)
            if good:
                passed += 1
            else:
                failed += 1
                fails.append((case_id, dia, want, got))
    name = os.path.basename(os.path.normpath(corpus))
    print("%s: %d passed, %d failed" % (name, passed, failed))
    for case_id, dia, want, got in fails[: (1000 if verbose else 10)]:
        print("  FAIL %s/%s" % (case_id, dia))
        print("    want %s" % json.dumps(want, ensure_ascii=True)[:400])
        print("    got  %s" % json.dumps(got, ensure_ascii=True)[:400])
    return failed


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = len(args) != len(sys.argv) - 1
    binary, corpora = args[0], args[1:]
    failed = 0
    for corpus in corpora:
        failed += run_corpus(binary, corpus, verbose)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
