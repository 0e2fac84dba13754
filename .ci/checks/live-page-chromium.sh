#!/usr/bin/env bash
# The live page draws real data: loads http://127.0.0.1:PORT/ in headless Chromium (Debian's package) during a
# `seqcast demo` run, reads the rendered DOM (--dump-dom) and fails unless the charts drew data points, the
# interval band and the forecast ahead; saves a screenshot to target/checks/live-page.png.
# Needs: apt-get install -y chromium; curl, java.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need chromium chromium
need curl curl

PORT="$(free_port)"
start_demo "$PORT" "${DEMO_SECONDS:-150}"
URL="http://127.0.0.1:$PORT/"
# wait until the page's API has a watched series with enough points for the band (after warm-up forecasts exist)
for i in $(seq 1 90); do
  if curl -fsS "${URL}api/series" | grep -q '"points":[1-9][0-9]'; then break; fi
  sleep 1
done
sleep "${SETTLE_SECONDS:-15}"
curl -fsS "${URL}api/series" >"$OUT/live-api-series.json"

PROFILE="$(mktemp -d)"
chrome() {
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking \
    --no-first-run --user-data-dir="$PROFILE" --window-size=1280,1000 --virtual-time-budget=8000 "$@"
}
chrome --dump-dom "$URL" >"$OUT/live-page.html" 2>"$OUT/chromium.log"
chrome --screenshot="$OUT/live-page.png" "$URL" 2>>"$OUT/chromium.log" >/dev/null

python3 - "$OUT/live-page.html" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
def attr(element_id, name):
    m = re.search(r'<[^>]*id="%s"[^>]*>' % element_id, html)
    if not m:
        return None
    a = re.search(r'\s%s="([^"]*)"' % name, m.group(0))
    return a.group(1) if a else None
checks = [
    ("page rendered data", attr("", "data-ready") if False else re.search(r'<body[^>]*data-ready="true"', html) is not None),
    ("observed points drawn", int(attr("chart-values", "data-points") or 0) > 10),
    ("interval band drawn", int(attr("chart-values", "data-band-points") or 0) > 0),
    ("forecast ahead drawn", int(attr("chart-values", "data-forecast-steps") or 0) > 0),
    ("anomaly scores drawn", int(attr("chart-score", "data-points") or 0) > 10),
    ("alerts table rendered", attr("alerts", "data-rows") is not None),
    ("engine state shown", re.search(r'id="engine-state"[^>]*data-state="RUNNING"', html) is not None),
]
series = re.search(r'<body[^>]*data-series="([^"]*)"', html)
print("series shown: %s; values %s points, band %s, ahead %s, scores %s, alerts %s" % (
    series.group(1) if series else "?", attr("chart-values", "data-points"), attr("chart-values", "data-band-points"),
    attr("chart-values", "data-forecast-steps"), attr("chart-score", "data-points"), attr("alerts", "data-rows")))
failed = 0
for name, ok in checks:
    print("%-26s %s" % (name, "ok" if ok else "FAIL"))
    failed += 0 if ok else 1
print("%d passed, %d failed" % (len(checks) - failed, failed))
sys.exit(1 if failed else 0)
PY
echo "screenshot: $OUT/live-page.png"
