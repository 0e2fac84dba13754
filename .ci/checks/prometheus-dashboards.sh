#!/usr/bin/env bash
# Every PromQL expression of the Grafana dashboards returns data in a real run:
#   a real Prometheus (Debian's package) scrapes a running `seqcast demo` every 2 seconds, then every expression of
#   grafana/dashboards/*.json (and every dashboard variable's query) is evaluated through Prometheus' HTTP API.
#   Fails on an expression that is invalid or returns nothing. Also: promtool check/test of prometheus/rules.yml,
#   and every alert rule loaded healthy by the live Prometheus.
# Needs: apt-get install -y prometheus; python3, curl, java.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need prometheus prometheus
need promtool prometheus
need curl curl
need python3 python3

echo "== promtool"
promtool check rules "$ROOT/prometheus/rules.yml"
promtool test rules "$ROOT/prometheus/rules.test.yml"
promtool check config "$ROOT/prometheus/prometheus.yml"

SEQ_PORT="$(free_port)"
PROM_PORT="$(free_port)"
start_demo "$SEQ_PORT" "${DEMO_SECONDS:-240}"

PROM_DIR="$(mktemp -d)"
cat >"$PROM_DIR/prometheus.yml" <<YAML
global:
  # 2 s, with as long a timeout: on a busy CI machine a 1 s scrape of /metrics times out now and then, and each
  # failed scrape marks every series stale, so that an instant query of a gauge finds nothing
  scrape_interval: 2s
  scrape_timeout: 2s
  evaluation_interval: 2s
rule_files:
  - $ROOT/prometheus/rules.yml
scrape_configs:
  - job_name: seqcast
    static_configs:
      - targets: ["127.0.0.1:$SEQ_PORT"]
YAML
echo "== starting prometheus on :$PROM_PORT (log: $OUT/prometheus.log)"
prometheus --config.file="$PROM_DIR/prometheus.yml" --storage.tsdb.path="$PROM_DIR/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$OUT/prometheus.log" 2>&1 &
PIDS+=($!)

# wait for forecasts in Prometheus, then long enough for the rate windows ($__rate_interval is 30s here)
for i in $(seq 1 120); do
  n="$(curl -fsS "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode 'query=sum(seqcast_forecasts_total)' \
    2>/dev/null | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)' 2>/dev/null || echo 0)"
  if [ "${n:-0}" -gt 0 ]; then
    echo "forecasts scraped after ${i}s; collecting ${SETTLE_SECONDS:-45}s of samples ..."
    break
  fi
  sleep 1
done
sleep "${SETTLE_SECONDS:-45}"

python3 "$(dirname "$0")/promql_check.py" "http://127.0.0.1:$PROM_PORT" "$ROOT/grafana/dashboards" \
  "$ROOT/prometheus/rules.yml" | tee "$OUT/prometheus-dashboards.txt"
