#!/usr/bin/env bash
# Every healthcheck of docker-compose.yml works as Docker runs it, without Docker: each `test` is run here the way
# the engine would run it inside its container (CMD-SHELL under /bin/sh -c, which is dash on Debian and Ubuntu
# images; CMD executed directly, no shell) with the service's environment, against stand-ins on loopback:
#   seqcast      a running `seqcast demo` (its HTTP port as SEQCAST_HTTP_PORT)
#   kafka        the demo's embedded broker; /opt/kafka/bin/kafka-broker-api-versions.sh is Kafka's own
#                BrokerApiVersionsCommand (kafka-tools, the clients' version, from the Maven repository)
#   alert-sink   alertmanager/webhook_sink.py
#   alertmanager Debian's prometheus-alertmanager with alertmanager/alertmanager.yml (receiver URL pointed at the sink)
# Each must pass while its service is up, and fail when pointed at a closed port (a check that cannot fail proves
# nothing). Then an alert posted to Alertmanager must reach the webhook sink (the receiver a test can observe).
# Needs: apt-get install -y docker-compose prometheus-alertmanager curl wget dash; python3, java.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need docker-compose docker-compose
need prometheus-alertmanager prometheus-alertmanager
need amtool prometheus-alertmanager
need dash dash
need curl curl
need wget wget
need python3 python3
cd "$ROOT"

docker-compose -f docker-compose.yml config >"$OUT/compose-healthchecks.config.yml"
amtool check-config alertmanager/alertmanager.yml >/dev/null
echo "amtool check-config alertmanager/alertmanager.yml: valid"

# Kafka's tools at the clients' version (test scope of pom.xml), as the kafka image's /opt/kafka/bin scripts run them
STANDIN="$(mktemp -d)"
./mvnw -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$STANDIN/classpath.txt" \
  >"$OUT/compose-healthchecks.mvn.log" 2>&1 || ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$STANDIN/classpath.txt" >>"$OUT/compose-healthchecks.mvn.log" 2>&1
mkdir -p "$STANDIN/opt/kafka/bin"
cat >"$STANDIN/opt/kafka/bin/kafka-broker-api-versions.sh" <<SH
#!/bin/sh
exec java -Xmx256m -XX:TieredStopAtLevel=1 -cp "$(cat "$STANDIN/classpath.txt")" org.apache.kafka.tools.BrokerApiVersionsCommand "\$@"
SH
chmod +x "$STANDIN/opt/kafka/bin/kafka-broker-api-versions.sh"

SEQ_PORT="$(free_port)"
SINK_PORT="$(free_port)"
AM_PORT="$(free_port)"
start_demo "$SEQ_PORT" "${DEMO_SECONDS:-180}"
BROKER="$(grep -o 'broker 127\.0\.0\.1:[0-9]*' "$OUT/demo-$SEQ_PORT.log" | head -1 | cut -d' ' -f2)"
echo "demo broker: $BROKER"

python3 alertmanager/webhook_sink.py --bind 127.0.0.1 --port "$SINK_PORT" >"$OUT/webhook-sink.log" 2>&1 &
PIDS+=($!)
sed "s#http://alert-sink:5001/#http://127.0.0.1:$SINK_PORT/#" alertmanager/alertmanager.yml >"$STANDIN/alertmanager.yml"
prometheus-alertmanager --config.file="$STANDIN/alertmanager.yml" --storage.path="$STANDIN/am-data" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= >"$OUT/alertmanager.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$AM_PORT/-/ready" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$SINK_PORT/health" >/dev/null 2>&1; then
    break
  fi
  sleep 1
done

python3 - "$OUT/compose-healthchecks.config.yml" "$STANDIN" "$BROKER" "$SEQ_PORT" "$SINK_PORT" "$AM_PORT" <<'PY'
import json, os, re, shutil, socket, subprocess, sys, time, urllib.request, yaml

config, standin, broker, seq_port, sink_port, am_port = sys.argv[1:7]
services = yaml.safe_load(open(config))["services"]
closed = socket.socket(); closed.bind(("127.0.0.1", 0)); dead_port = str(closed.getsockname()[1]); closed.close()

# per service: (container text -> host text) rewrites, and environment overrides, for "up" and for "down"
def stand_in(port):
    return {
        "kafka": ([("/opt/kafka/", standin + "/opt/kafka/"),
                   ("localhost:9092", broker if port is None else "127.0.0.1:" + port)], {}),
        "seqcast": ([("127.0.0.1:8080", "127.0.0.1:" + (port or seq_port))],
                    {"SEQCAST_HTTP_PORT": port or seq_port}),
        "alert-sink": ([("127.0.0.1:5001", "127.0.0.1:" + (port or sink_port))], {}),
        "alertmanager": ([("127.0.0.1:9093", "127.0.0.1:" + (port or am_port))], {}),
    }

def seconds(text, default):
    m = re.fullmatch(r"(\d+)s", str(text or ""))
    return int(m.group(1)) if m else default

def run(name, test, port):
    rewrites, env_over = stand_in(port)[name]
    env = dict(os.environ)
    environment = services[name].get("environment") or {}
    if isinstance(environment, list):
        environment = dict(e.split("=", 1) for e in environment)
    env.update({k: str(v) for k, v in environment.items()})
    env.update(env_over)
    def host(arg):
        arg = arg.replace("$$", "$")  # compose's escape of a literal $
        for container, here in rewrites:
            arg = arg.replace(container, here)
        return arg
    kind = test[0]
    if kind == "CMD-SHELL":
        argv = ["dash", "-c", host(test[1])]  # Docker: /bin/sh -c, dash in Debian/Ubuntu images
    elif kind == "CMD":
        argv = [host(a) for a in test[1:]]
    else:
        raise SystemExit("%s: healthcheck kind %r is not handled by this check" % (name, kind))
    # the service's own timeout, but at least SLOW_MACHINE_SECONDS: a JVM tool starting on a busy CI machine is no
    # test of the shell semantics this check is about
    timeout = max(seconds(services[name]["healthcheck"].get("timeout"), 30),
                  int(os.environ.get("SLOW_MACHINE_SECONDS", "60")))
    start = time.time()
    try:
        p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
        return p.returncode, (p.stdout + p.stderr).strip()[-300:], time.time() - start
    except subprocess.TimeoutExpired:
        return "timeout", "no answer within the healthcheck's timeout of %ds" % timeout, time.time() - start

problems, passed = [], 0
for name, svc in services.items():
    hc = svc.get("healthcheck")
    if not hc or hc.get("disable"):
        continue
    test = hc["test"] if isinstance(hc["test"], list) else ["CMD-SHELL", hc["test"]]
    if test[0] == "NONE":
        continue
    if name not in stand_in(None):
        problems.append("%s has a healthcheck but no stand-in in this check: add one" % name)
        continue
    # up: the service's stand-in is running; retried as Docker retries, within the service's retries
    for attempt in range(1, 4):
        code, out, took = run(name, test, None)
        if code == 0:
            break
        time.sleep(2)
    print("%-13s %-9s up:   exit %s after %.1fs%s" % (name, test[0], code, took, "" if code == 0 else " -> " + out))
    if code != 0:
        problems.append("%s: healthcheck fails against a running stand-in (exit %s): %s\n    test: %s"
                        % (name, code, out, test))
    else:
        passed += 1
    code, out, took = run(name, test, dead_port)
    print("%-13s %-9s down: exit %s after %.1fs" % (name, test[0], code, took))
    if code == 0:
        problems.append("%s: healthcheck passes with nothing listening: it cannot fail" % name)
    else:
        passed += 1

# the receiver a test can observe: an alert posted to Alertmanager reaches the webhook sink
alert = [{"labels": {"alertname": "SeqcastComposeCheck", "severity": "info", "pipeline": "check"},
          "annotations": {"summary": "compose-healthchecks.sh end-to-end notification"}}]
req = urllib.request.Request("http://127.0.0.1:%s/api/v2/alerts" % am_port, json.dumps(alert).encode(),
                             {"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=10).read()
received = []
for _ in range(60):
    received = json.load(urllib.request.urlopen("http://127.0.0.1:%s/alerts" % sink_port, timeout=10))
    if any(a.get("labels", {}).get("alertname") == "SeqcastComposeCheck" for a in received):
        break
    time.sleep(1)
ok = any(a.get("labels", {}).get("alertname") == "SeqcastComposeCheck" for a in received)
print("alertmanager -> webhook sink: %s" % ("notification received" if ok else "NOTHING received in 60 s"))
if ok:
    passed += 1
else:
    problems.append("an alert posted to Alertmanager never reached the webhook receiver of alertmanager.yml")

for p in problems:
    print("FAIL: " + p)
print("%d passed, %d failed" % (passed, len(problems)))
sys.exit(1 if problems else 0)
PY
