#!/bin/sh
# examples/: the deployment examples are valid (shellcheck, YAML, the
# structure that makes them work), consistent with the build, and the
# container entrypoint really checks the environment and then becomes the
# app, with its PID and its exact arguments.
. "$top_srcdir/tests/setup.sh"

PY=${PYTHON3:-python3}
EX=$top_srcdir/examples
EP=$EX/docker-entrypoint.sh

# ---- shell scripts -------------------------------------------------------
if command -v shellcheck >/dev/null 2>&1; then
	for f in "$EP" "$EX/demo.sh"; do
		run shellcheck -s sh "$f"
		cat "$T/err" >>"$T/out"
		expect_rc 0 "shellcheck -s sh $(basename "$f")"
		if [ "$rc" -ne 0 ]; then sed 's/^/  /' "$T/out" | head -20; fi
	done
else
	echo "shellcheck is not installed: shell lint skipped"
fi

# ---- YAML: syntax of every file, then what makes each one work -----------
if command -v "$PY" >/dev/null 2>&1 && "$PY" -c 'import yaml' 2>/dev/null; then
	run "$PY" - "$EX" <<'PY'
import glob, os, sys, yaml

ex = sys.argv[1]
docs = {}
bad = 0
files = sorted(glob.glob(os.path.join(ex, "**", "*.yaml"), recursive=True) +
               glob.glob(os.path.join(ex, "**", "*.yml"), recursive=True))
for path in files:
    try:
        with open(path) as f:
            docs[os.path.basename(path)] = [d for d in yaml.safe_load_all(f) if d is not None]
        print("parsed", os.path.relpath(path, ex))
    except yaml.YAMLError as e:
        print("BAD %s: %s" % (path, e))
        bad += 1
if bad or not files:
    sys.exit(1)

def check(name, cond, what):
    print(("yes " if cond else "NO  ") + name + ": " + what)
    return cond

ok = True

# compose.yaml: a one-shot envcheck that api and worker wait on
c = docs["compose.yaml"][0]
s = c["services"]
e = s.get("envcheck", {})
cmd = e.get("command", [])
cmd = cmd.split() if isinstance(cmd, str) else cmd
ef = e.get("env_file", [])
ef = [ef] if isinstance(ef, str) else ef
ok &= check("compose", cmd[:1] == ["check"] and "--environ" in cmd,
            "envcheck runs check --environ")
ok &= check("compose", ".env" in ef or "./.env" in ef, "envcheck reads env_file .env")
ok &= check("compose", str(e.get("restart")) == "no", 'envcheck has restart: "no"')
ok &= check("compose", e.get("build", {}).get("dockerfile") == "examples/Dockerfile",
            "envcheck is built from examples/Dockerfile")
for svc in ("api", "worker"):
    dep = s.get(svc, {}).get("depends_on", {})
    cond = isinstance(dep, dict) and \
        (dep.get("envcheck") or {}).get("condition") == "service_completed_successfully"
    ok &= check("compose", cond,
                svc + " depends on envcheck: service_completed_successfully")

# kubernetes-initcontainer.yaml: the init container checks --environ with
# the same envFrom as the app container
k = docs["kubernetes-initcontainer.yaml"]
kinds = {d.get("kind"): d for d in k}
dep = kinds.get("Deployment")
ok &= check("k8s", dep is not None and "ConfigMap" in kinds and "Secret" in kinds,
            "a Deployment, a ConfigMap and a Secret")
if dep is not None:
    pod = dep["spec"]["template"]["spec"]
    inits = pod.get("initContainers") or []
    conts = pod.get("containers") or []
    envc = [i for i in inits
            if "--environ" in (i.get("command") or []) + (i.get("args") or [])
            and "check" in (i.get("command") or []) + (i.get("args") or [])]
    ok &= check("k8s", len(envc) == 1, "one initContainer runs check --environ")
    ok &= check("k8s", len(conts) >= 1 and envc != [] and
                all(x.get("envFrom") == envc[0].get("envFrom") for x in conts),
                "the initContainer's envFrom is the container's")
    refs = [(r.get("configMapRef") or r.get("secretRef") or {}).get("name")
            for r in (envc[0].get("envFrom") if envc else [])]
    names = [d["metadata"]["name"] for d in k if d.get("kind") in ("ConfigMap", "Secret")]
    ok &= check("k8s", len(refs) == 2 and sorted(refs) == sorted(names),
                "envFrom names the ConfigMap and the Secret of the file")
    sel = dep["spec"]["selector"]["matchLabels"]
    lab = dep["spec"]["template"]["metadata"]["labels"]
    ok &= check("k8s", all(lab.get(a) == b for a, b in sel.items()),
                "the selector matches the pod's labels")
cm = kinds.get("ConfigMap", {})
ok &= check("k8s", all(isinstance(v, str) for v in cm.get("data", {}).values()),
            "every ConfigMap value is a string")
sec = kinds.get("Secret", {})
ok &= check("k8s", isinstance(sec.get("stringData"), dict) and
            all(isinstance(v, str) for v in sec["stringData"].values()),
            "the Secret has string stringData")

# github-actions.yml: on push and pull_request, a step runs the check with
# annotations ("on" is a boolean to YAML 1.1)
w = docs["github-actions.yml"][0]
on = w.get("on", w.get(True)) or {}
ok &= check("workflow", "push" in on and "pull_request" in on,
            "runs on push and pull_request")
runs = [st.get("run", "") for j in w["jobs"].values() for st in j.get("steps", [])]
ok &= check("workflow", any("kodus-envcheck check" in r and "--format=github" in r
                            for r in runs),
            "a step runs kodus-envcheck check --format=github")
sys.exit(0 if ok else 1)
PY
	expect_rc 0 "YAML examples parse and have the right structure"
	if [ "$rc" -ne 0 ]; then grep -hv '^yes \|^parsed ' "$T/out" "$T/err" | sed 's/^/  /' | head -40; fi
	expect_grep "$T/out" "parsed compose.yaml" "compose.yaml parsed"
	expect_grep "$T/out" "parsed kubernetes-initcontainer.yaml" "kubernetes-initcontainer.yaml parsed"
	expect_grep "$T/out" "parsed github-actions.yml" "github-actions.yml parsed"
else
	echo "python3 with the yaml module (python3-yaml) is missing: YAML checks skipped"
fi

# ---- the Dockerfile, the workflow and the drop-in agree with the build ----
DF=$EX/Dockerfile
expect_grep "$DF" "FROM debian:12 AS build" "Dockerfile: a debian:12 build stage"
expect_grep "$DF" "FROM debian:12-slim" "Dockerfile: a debian:12-slim runtime stage"
expect_grep "$DF" "autoreconf -fi" "Dockerfile: runs autoreconf -fi"
expect_grep "$DF" "./configure --prefix=/usr" "Dockerfile: configures for /usr"
expect_grep "$DF" "make install DESTDIR=/out" "Dockerfile: installs into /out"
expect_grep "$DF" "COPY --from=build /out/ /" "Dockerfile: the runtime gets /out"
expect_grep "$DF" 'ENTRYPOINT ["kodus-envcheck"]' "Dockerfile: the entrypoint"
# every -dev package configure asks for is installed by the Dockerfile and
# by the workflow
sed -n 's/.*install the Debian package \([a-z0-9.+-]*\).*/\1/p' \
    "$top_srcdir/configure.ac" >"$T/devpkgs"
ntest=$((ntest + 1))
if [ "$(wc -l <"$T/devpkgs")" -ge 3 ]; then pass "configure.ac names $(wc -l <"$T/devpkgs") Debian packages"; else
	fail "configure.ac: no 'install the Debian package' messages found"; fi
while read -r p; do
	expect_grep "$DF" " $p" "Dockerfile installs $p"
	expect_grep "$EX/github-actions.yml" " $p" "the workflow installs $p"
done <"$T/devpkgs"
for p in libinih1 libcjson1 libyaml-0-2 libcurl4 ca-certificates; do
	ntest=$((ntest + 1))
	if grep -Eq "(^|[[:space:]])$p([[:space:]]|\$)" "$DF"; then pass "Dockerfile runtime has $p"; else
		fail "Dockerfile: no $p"; fi
done
expect_grep "$EX/systemd/kodus-envcheck.conf" \
    "ExecStartPre=/usr/bin/kodus-envcheck check --wait 60 /opt/kodus/.env" \
    "systemd drop-in: ExecStartPre runs the check"
expect_grep "$EX/systemd/kodus-envcheck.conf" "[Service]" "systemd drop-in: [Service] section"

# ---- the entrypoint: the command line it builds ------------------------
# A stand-in kodus-envcheck that prints its arguments, one [word] each.
mkdir "$T/rec" "$T/empty" "$T/bin"
cat >"$T/rec/kodus-envcheck" <<'EOF'
#!/bin/sh
for a in "$@"; do printf '[%s]' "$a"; done
echo
EOF
chmod +x "$T/rec/kodus-envcheck"

run env -i PATH="$T/rec:/usr/bin:/bin" KODUS_ENVCHECK_OFFLINE=1 /bin/sh "$EP" app "a b"
expect_rc 0 "entrypoint, offline"
expect_out "[check][--environ][--offline][--exec][--][app][a b]" "offline: --offline, no --wait"
run env -i PATH="$T/rec:/usr/bin:/bin" /bin/sh "$EP" app "a b"
expect_out "[check][--environ][--wait][60][--allow-unreachable][--exec][--][app][a b]" \
	"default: --wait 60, unreachable allowed"
run env -i PATH="$T/rec:/usr/bin:/bin" KODUS_ENVCHECK_WAIT=5 KODUS_ENVCHECK_ALLOW_UNREACHABLE=0 \
	KODUS_ENVCHECK_STRICT=1 KODUS_ENVCHECK_ARGS="--ignore x,y  --schema /*" /bin/sh "$EP" app "*"
expect_out "[check][--environ][--ignore][x,y][--schema][/*][--strict][--wait][5][--exec][--][app][*]" \
	"settings: wait, strict, no unreachable, extra args split without globbing"

run env -i PATH="$T/rec:/usr/bin:/bin" /bin/sh "$EP"
expect_rc 2 "entrypoint without a command"

# ---- the entrypoint with the real kodus-envcheck ----------------------
ln -s "$KEC" "$T/bin/kodus-envcheck"
# The app: notes that it ran, prints its PID and its argv.
cat >"$T/bin/kodus-app" <<EOF
#!/bin/sh
: >"$T/app.ran"
echo "app: pid=\$\$"
echo "app: argc=\$#"
for a in "\$@"; do printf 'app: arg=[%s]\n' "\$a"; done
EOF
chmod +x "$T/bin/kodus-app"
# launch PIDFILE ENVFILE SCRIPT ARGS...: writes its own PID, exports every
# variable of ENVFILE (a plain NAME=value file), then becomes
# `sh SCRIPT ARGS...` with the same PID.
cat >"$T/launch" <<'EOF'
#!/bin/sh
echo "$$" >"$1"
set -a
. "$2"
set +a
shift 2
exec /bin/sh "$@"
EOF
cat >"$T/want-args" <<'EOF'
argc=6
arg=[one]
arg=[two words]
arg=[--offline]
arg=[--]
arg=[*]
arg=[]
EOF

# app_ran DESCRIPTION: the app ran as the launcher's PID, with its argv intact
app_ran() {
	ntest=$((ntest + 1))
	sed -n 's/^app: //p' "$T/out" >"$T/app"
	{ echo "pid=$(cat "$T/pid")"; cat "$T/want-args"; } >"$T/want"
	if cmp -s "$T/want" "$T/app"; then pass "$1: the app ran as PID $(cat "$T/pid"), argv intact"; else
		fail "$1: the app's PID or argv"; diff "$T/want" "$T/app" | sed 's/^/  /'
		sed 's/^/  stderr: /' "$T/err" | head -5; fi
}
# app_not_run DESCRIPTION
app_not_run() {
	ntest=$((ntest + 1))
	if [ ! -e "$T/app.ran" ] && ! grep -q '^app: ' "$T/out"; then pass "$1: the app did not run"; else
		fail "$1: the app ran"; fi
}
# start ENVFILE [NAME=VALUE...]: the entrypoint in a clean environment made
# of PATH, the NAME=VALUEs and ENVFILE, with `kodus-app ARGS` as the command
start() {
	envfile=$1
	shift
	rm -f "$T/app.ran" "$T/pid"
	run env -i PATH="$T/bin:/usr/bin:/bin" "$@" /bin/sh "$T/launch" "$T/pid" \
	    "$envfile" "$EP" kodus-app one "two words" --offline -- "*" ""
}

# A clean configuration: checked, then exec'd in place.
start "$EX/moonshot.env" KODUS_ENVCHECK_OFFLINE=1
expect_rc 0 "clean environment, offline"
app_ran "clean environment"

# A broken one: the model is set, the key is empty. Status 1, no app.
sed 's/^API_OPEN_AI_API_KEY=.*/API_OPEN_AI_API_KEY=/' "$EX/moonshot.env" >"$T/bad.env"
start "$T/bad.env" KODUS_ENVCHECK_OFFLINE=1
expect_rc 1 "empty API_OPEN_AI_API_KEY with a model"
app_not_run "broken environment"
expect_grep "$T/err" "environ" "the diagnostics name the source environ"
expect_grep "$T/err" "API_OPEN_AI_API_KEY" "the diagnostics name the variable"
expect_grep "$T/err" "[llm-not-configured]" "the rule that fired"

# No verdict: the provider (a loopback port nobody listens on) cannot be
# reached. By default the app starts anyway, with a warning; with
# KODUS_ENVCHECK_ALLOW_UNREACHABLE=0 it does not, and the status is 3.
printf '[provider moonshot]\nbase_url = http://127.0.0.1:1/v1\n' >"$T/catalog.ini"
sed 's|^API_OPENAI_FORCE_BASE_URL=.*|API_OPENAI_FORCE_BASE_URL=http://127.0.0.1:1/v1|' \
    "$EX/moonshot.env" >"$T/down.env"
start "$T/down.env" KODUS_ENVCHECK_CATALOG="$T/catalog.ini" KODUS_ENVCHECK_WAIT=0 \
	KODUS_ENVCHECK_ARGS="--retries 0 --timeout 2 --no-cross-region"
expect_rc 0 "provider unreachable, allowed (the default)"
app_ran "provider unreachable, allowed"
ntest=$((ntest + 1))
if grep -qi 'warning' "$T/err"; then pass "a warning on stderr when starting unchecked"; else
	fail "no warning on stderr for the unreachable provider"; sed 's/^/  stderr: /' "$T/err" | head -5; fi
start "$T/down.env" KODUS_ENVCHECK_CATALOG="$T/catalog.ini" KODUS_ENVCHECK_WAIT=0 \
	KODUS_ENVCHECK_ARGS="--retries 0 --timeout 2 --no-cross-region" KODUS_ENVCHECK_ALLOW_UNREACHABLE=0
expect_rc 3 "provider unreachable, not allowed"
app_not_run "provider unreachable, not allowed"

# ---- the entrypoint without kodus-envcheck in the image ----------------
# Fail closed by default (127, no app); KODUS_ENVCHECK_MISSING=run and
# KODUS_ENVCHECK_SKIP=1 start the app directly, still in place.
rm -f "$T/app.ran"
run env -i PATH="$T/empty" /bin/sh "$EP" "$T/bin/kodus-app" x
expect_rc 127 "kodus-envcheck missing: fail closed"
app_not_run "kodus-envcheck missing"
expect_grep "$T/err" "kodus-envcheck is not installed" "kodus-envcheck missing: says so"
mv "$T/bin/kodus-app" "$T/empty/kodus-app"
ln -s "$T/empty/kodus-app" "$T/bin/kodus-app"
start "$EX/moonshot.env" PATH="$T/empty" KODUS_ENVCHECK_MISSING=run
expect_rc 0 "kodus-envcheck missing, KODUS_ENVCHECK_MISSING=run"
app_ran "KODUS_ENVCHECK_MISSING=run"
expect_grep "$T/err" "warning: kodus-envcheck is not installed" "MISSING=run warns"
start "$T/bad.env" KODUS_ENVCHECK_SKIP=1
expect_rc 0 "KODUS_ENVCHECK_SKIP=1 skips even a broken check"
app_ran "KODUS_ENVCHECK_SKIP=1"


# ---- watching over time (issue 15): the CronJob, the timer, the alerts ----
if command -v "$PY" >/dev/null 2>&1 && "$PY" -c 'import yaml' 2>/dev/null; then
	"$KEC" check --offline --format=prometheus "$EX/broken.env" >"$T/metrics.prom" || true
	run "$PY" - "$EX" "$T/metrics.prom" <<'PY'
import os, re, sys, yaml
ex, metrics = sys.argv[1], open(sys.argv[2]).read()
def load(name):
    with open(os.path.join(ex, name)) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]
def check(name, cond, what):
    print(("yes " if cond else "NO  ") + name + ": " + what)
    return cond
ok = True
init = load("kubernetes-initcontainer.yaml")
ienv = [c for d in init if d.get("kind") == "Deployment"
        for c in d["spec"]["template"]["spec"]["initContainers"]][0]["envFrom"]
cj = load("kubernetes-cronjob.yaml")
ok &= check("cronjob", [d.get("kind") for d in cj] == ["CronJob"], "one CronJob, nothing else")
spec = cj[0]["spec"]
ok &= check("cronjob", spec.get("schedule") == "*/15 * * * *", "every 15 minutes")
ok &= check("cronjob", spec.get("concurrencyPolicy") == "Forbid", "never two at once")
pod = spec["jobTemplate"]["spec"]["template"]["spec"]
ok &= check("cronjob", pod.get("restartPolicy") in ("Never", "OnFailure"), "a Job's restartPolicy")
c = pod["containers"]
ok &= check("cronjob", len(c) == 1 and c[0]["args"][:2] == ["check", "--environ"],
            "the container runs check --environ")
ok &= check("cronjob", c[0].get("envFrom") == ienv,
            "the same ConfigMap and Secret as the init container")
al = load("prometheus-alerts.yml")[0]
rules = [r for g in al["groups"] for r in g["rules"]]
names = {r["alert"] for r in rules}
ok &= check("alerts", {"KodusLLMProviderDown", "KodusLLMBalanceLow", "KodusLLMModelRetired"} <= names,
            "provider down, balance low, model retired")
emitted = set(re.findall(r"^# TYPE (\S+)", metrics, re.M)) | {"kodus_envcheck_provider_up", "kodus_envcheck_balance"}
used = {m for r in rules for m in re.findall(r"kodus_envcheck_[a-z_]+", r["expr"])}
ok &= check("alerts", used and used <= emitted, "every metric named is one the tool writes: " + ", ".join(sorted(used)))
for r in rules:
    for rid in re.findall(r'rule=~"([^"]+)"', r["expr"]):
        for one in rid.split("|"):
            ok &= check("alerts", re.search(r"^\.It Cm %s$" % re.escape(one),
                        open(os.path.join(ex, "..", "man", "kodus-envcheck.1")).read(), re.M) is not None,
                        "rule %s exists" % one)
sys.exit(0 if ok else 1)
PY
	expect_rc 0 "the CronJob and the alerts have the right structure"
	if [ "$rc" -ne 0 ]; then grep -hv '^yes ' "$T/out" "$T/err" | sed 's/^/  /' | head -40; fi
fi
if command -v promtool >/dev/null 2>&1; then
	run promtool check rules "$EX/prometheus-alerts.yml"
	expect_rc 0 "promtool check rules prometheus-alerts.yml"
	expect_grep "$T/out" "SUCCESS: 4 rules found" "promtool: the four rules"
else
	echo "promtool not found (Debian: prometheus): alert rules not checked"
fi
# the timer: every 15 minutes, the service it starts runs for real (its
# ExecStart with the paths and the network swapped for the test's)
SV=$EX/systemd/kodus-envcheck-watch.service
expect_grep "$EX/systemd/kodus-envcheck-watch.timer" "OnCalendar=*:0/15" "timer: every 15 minutes"
expect_grep "$EX/systemd/kodus-envcheck-watch.timer" "WantedBy=timers.target" "timer: installable"
expect_grep "$SV" "Type=oneshot" "service: oneshot"
expect_grep "$SV" "ReadWritePaths=/var/lib/prometheus/node-exporter" "service: writes the textfile directory only"
cmd=$(sed -n 's/^ExecStart=//p' "$SV")
ntest=$((ntest + 1))
case $cmd in
"/usr/bin/kodus-envcheck check --format=prometheus --output /var/lib/prometheus/node-exporter/kodus-envcheck.prom "*" /opt/kodus/.env")
	pass "service: ExecStart writes the textfile" ;;
*)	fail "service: ExecStart is '$cmd'" ;;
esac
# shellcheck disable=SC2046 # the command line is split as systemd splits it
set -- $(printf '%s\n' "$cmd" | sed -e "s|^/usr/bin/kodus-envcheck|$KEC|" \
    -e "s|/var/lib/prometheus/node-exporter/|$T/|" -e "s|/opt/kodus/.env|$EX/moonshot.env|")
kec=$1
shift 2
run "$kec" check --offline "$@"
expect_rc 0 "service: its command runs (offline)"
expect_grep "$T/kodus-envcheck.prom" "kodus_envcheck_exit_status 0" "service: the textfile is written"
finish
