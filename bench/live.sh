#!/bin/sh
# bench/live.sh - the live check against loopback mocks over TLS that wait
# 200 ms before each answer, beside the same requests made one after
# another with the curl command line, in the same run. Two cases:
#   ok:     models + balance on one host (max_concurrency 1);
#   region: models (401) on the international host, then the sibling
#           hosts' models at once (balance dropped after the 401).
# Prints medians, the ratio, and TLS handshakes per host (connections the
# mocks accepted). Never fails on timing.
# usage: bench/live.sh [path/to/kodus-envcheck]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${1:-$top/kodus-envcheck}
work=$(mktemp -d "${TMPDIR:-/tmp}/kec-bench.XXXXXX")
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
command -v curl >/dev/null || { echo "curl not found"; exit 0; }
command -v openssl >/dev/null || { echo "openssl not found"; exit 0; }

cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench CA" \
    -keyout ca.key -out ca.pem >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout srv.key \
    -out srv.csr >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1\n' >srv.ext
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -days 2 -extfile srv.ext -out srv.pem >/dev/null 2>&1

KEY=sk-BENCHq3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t
mock() {	# mock NAME KEY
	python3 "$top/tests/mock/mockprovider.py" --port-file "$1.port" \
	    --log "$1.log" --key "$2" --delay-ms 200 --tls-cert srv.pem \
	    --tls-key srv.key &
	pids="$pids $!"
	while [ ! -s "$1.port" ]; do sleep 0.05; done
}
mock intl "$KEY"
mock cn sk-other
mock code sk-other
mock good "$KEY"
mock cn2 "$KEY"
p() { cat "$1.port"; }

printf '[provider moonshot]\nbase_url = https://127.0.0.1:%s/v1\n\n[provider moonshot-cn]\nbase_url = https://127.0.0.1:%s/v1\n\n[provider kimi-code]\nbase_url = https://127.0.0.1:%s/v1\n' \
    "$(p good)" "$(p cn)" "$(p code)" >ok.ini
printf '[provider moonshot]\nbase_url = https://127.0.0.1:%s/v1\n\n[provider moonshot-cn]\nbase_url = https://127.0.0.1:%s/v1\n\n[provider kimi-code]\nbase_url = https://127.0.0.1:%s/v1\n' \
    "$(p intl)" "$(p cn2)" "$(p code)" >region.ini
# the region case: the key is refused on intl, accepted on cn2
kill_key() { :; }
sed -e "s|^API_OPENAI_FORCE_BASE_URL=.*|API_OPENAI_FORCE_BASE_URL=https://127.0.0.1:$(p good)/v1|" \
    -e "s|^API_OPEN_AI_API_KEY=.*|API_OPEN_AI_API_KEY=$KEY|" "$top/examples/moonshot.env" >ok.env
sed -e "s|^API_OPENAI_FORCE_BASE_URL=.*|API_OPENAI_FORCE_BASE_URL=https://127.0.0.1:$(p intl)/v1|" \
    -e "s|^API_OPEN_AI_API_KEY=.*|API_OPEN_AI_API_KEY=sk-refusedq3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t|" \
    "$top/examples/moonshot.env" >region.env

python3 - "$bin" "$work" "$KEY" <<'PY'
import os, statistics, subprocess, sys, time
binary, work, key = sys.argv[1], sys.argv[2], sys.argv[3]
os.chdir(work)
port = lambda n: open(n + ".port").read().strip()
RUNS = 7
def wall(fn):
    ts = []
    for _ in range(RUNS):
        t0 = time.perf_counter(); fn(); ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts)
def conns(name):
    try:
        return sum(1 for l in open(name + ".log") if l.startswith("CONN"))
    except OSError:
        return 0
def reset_logs():
    for n in ("intl", "cn", "code", "good", "cn2"):
        open(n + ".log", "w").close()
def ours(case):
    return lambda: subprocess.run([binary, "check", "--catalog", case + ".ini",
        "--cacert", "ca.pem", case + ".env"], stdout=subprocess.DEVNULL)
def curl_seq(urls, k):
    def run():
        for u in urls:
            subprocess.run(["curl", "-s", "-o", "/dev/null", "--cacert", "ca.pem",
                "-H", "Authorization: Bearer " + k, u])
    return run
refused = "sk-refusedq3mN8pL2vR7tY4wZ6aB9cD1eF5gH0jK3mN7pQ2rS6t"
cases = {
    "ok": ([f"https://127.0.0.1:{port('good')}/v1/models",
            f"https://127.0.0.1:{port('good')}/v1/users/me/balance"], key, ["good"]),
    "region": ([f"https://127.0.0.1:{port('intl')}/v1/models",
                f"https://127.0.0.1:{port('intl')}/v1/users/me/balance",
                f"https://127.0.0.1:{port('cn2')}/v1/models",
                f"https://127.0.0.1:{port('code')}/v1/models"], refused,
               ["intl", "cn2", "code"]),
}
print("each mock answer waits 200 ms; TLS with a test CA; median of %d runs" % RUNS)
for case, (urls, k, hosts) in cases.items():
    reset_logs()
    t_ours = wall(ours(case))
    ours_conns = {h: conns(h) / RUNS for h in hosts}
    reset_logs()
    t_curl = wall(curl_seq(urls, k))
    curl_conns = {h: conns(h) / RUNS for h in hosts}
    print("%-7s kodus-envcheck check  %7.0f ms   TLS handshakes per host: %s" % (
        case, t_ours, ", ".join("%s %.0f" % kv for kv in ours_conns.items())))
    print("%-7s curl, one by one      %7.0f ms   TLS handshakes per host: %s   (%d requests)" % (
        "", t_curl, ", ".join("%s %.0f" % kv for kv in curl_conns.items()), len(urls)))
    print("%-7s ratio curl / ours     %7.2fx" % ("", t_curl / t_ours))
PY
