#!/usr/bin/env bash
# docker-compose.yml is valid (no Docker engine needed: `docker-compose config` from Debian's package) and its
# settings are those of the embedded `seqcast demo`: application id, topic creation and partitions, the demo
# feeds (data/demo-feeds.csv: files, columns, topics of their pipelines) and the total replay rate; the files it
# mounts exist.
# Needs: apt-get install -y docker-compose (brings python3-yaml).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need docker-compose docker-compose
cd "$ROOT"
docker-compose -f docker-compose.yml config >"$OUT/docker-compose.config.yml"
echo "docker-compose config: valid"
python3 - "$OUT/docker-compose.config.yml" <<'PY'
import csv, re, shlex, sys, yaml
cfg = yaml.safe_load(open(sys.argv[1]))
services = cfg["services"]
demo_src = open("src/main/java/io/seqcast/cli/DemoCommand.java").read()
problems, checked = [], 0

def demo(pattern, what):
    m = re.search(pattern, demo_src)
    if not m:
        problems.append("cannot find the demo's %s in DemoCommand.java (pattern %s): update this check" % (what, pattern))
        return None
    return m.group(1)

def same(what, compose_value, demo_value):
    global checked
    checked += 1
    if demo_value is not None and str(compose_value) != str(demo_value):
        problems.append("%s: docker-compose.yml has %r, the embedded demo %r" % (what, compose_value, demo_value))

env = services["seqcast"]["environment"]
same("application.id", env.get("SEQCAST_APPLICATION_ID"), demo(r'"application\.id",\s*"([^"]+)"', "application.id"))
same("topics.create", env.get("SEQCAST_TOPICS_CREATE"), demo(r'"topics\.create",\s*"([^"]+)"', "topics.create"))
partitions = demo(r"defaultPartitions\((\d+)\)", "broker partitions")
same("topics.partitions", env.get("SEQCAST_TOPICS_PARTITIONS"), partitions)
same("kafka num.partitions", services["kafka"]["environment"].get("KAFKA_NUM_PARTITIONS"), partitions)
same("seqcast http port", env.get("SEQCAST_HTTP_PORT"), demo(r"int httpPort = (\d+);", "http port"))

# the producer replays exactly the demo feeds, each into its pipeline's input topic, at the demo's total rate
topics = {}
import glob, os
for f in glob.glob("topology/*.yaml"):
    y = yaml.safe_load(open(f))
    topics[y["name"]] = y["input"]["topic"]
command = services["demo-producer"]["command"]
command = command[0] if isinstance(command, list) else command
replays, rate = {}, 0.0
for part in command.split("&"):
    args = shlex.split(part)
    if "replay" not in args:
        continue
    opt = {args[i]: args[i + 1] for i in range(len(args) - 1) if args[i].startswith("--")}
    files = [a for a in args if (a.endswith(".csv") or a.endswith(".csv.gz")) and a != opt.get("--beats")]
    rate += float(opt.get("--rate", 100))
    for f in files:
        # one file may feed two pipelines (an ECG record: raw samples for heartbeats, its lead for signals)
        if "--beats" in opt:
            replays[(f, opt["--topic"])] = ("beats", opt["--beats"][len("data/"):])
        elif "--ecg" in opt:
            replays[(f, opt["--topic"])] = ("ecg", opt.get("--seconds"))
        elif "--lead" in opt:
            replays[(f, opt["--topic"])] = ("lead", opt.get("--seconds"))
        else:
            replays[(f, opt["--topic"])] = (opt.get("--time-column"), opt.get("--value-column"))
expected = {}
for row in csv.DictReader(l for l in open("data/demo-feeds.csv") if not l.startswith("#")):
    expected[("data/" + row["file"], topics.get(row["pipeline"]))] = (row["time_column"], row["value_column"])
checked += 1
if replays != expected:
    problems.append("demo-producer replays %s; the demo replays %s (data/demo-feeds.csv)" % (replays, expected))
same("total replay rate", rate, float(demo(r"double rate = ([\d.]+);", "replay rate") or 0))

for service in ("prometheus", "grafana"):
    for v in services[service].get("volumes", []):
        source = v["source"] if isinstance(v, dict) else v.split(":")[0]
        checked += 1
        if not os.path.exists(source):
            problems.append("%s mounts %s, which does not exist" % (service, source))
# the broker is the version of the Kafka clients seqcast is built with (pom.xml kafka.version)
pom = open("pom.xml").read()
kafka_version = re.search(r"<kafka.version>([^<]+)</kafka.version>", pom).group(1)
same("kafka image version", services["kafka"]["image"].split(":")[-1], kafka_version)
# long-running services come back by themselves: `seqcast run` exits non-zero when Kafka Streams fails for good
for name, svc in services.items():
    if name != "demo-producer":
        same("%s restart policy" % name, svc.get("restart"), "unless-stopped")
for v in services["alertmanager"].get("volumes", []) + services["alert-sink"].get("volumes", []):
    source = v["source"] if isinstance(v, dict) else v.split(":")[0]
    checked += 1
    if not os.path.exists(source):
        problems.append("a service mounts %s, which does not exist" % source)
dockerfile = open("Dockerfile").read()
users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
checked += 1
if not users or users[-1].split(":")[0] in ("root", "0"):
    problems.append("the Dockerfile's run stage must switch to a non-root USER (found %s)" % (users or "none"))
for d in ("topology", "models", "data"):
    checked += 1
    if not re.search(r"^COPY %s " % d, dockerfile, re.M):
        problems.append("Dockerfile does not copy %s/ into the image" % d)

for p in problems:
    print("FAIL: " + p)
print("%d passed, %d failed" % (checked - len(problems), len(problems)))
sys.exit(1 if problems else 0)
PY
