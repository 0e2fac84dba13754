# Shared helpers of the .ci/checks scripts: a demo engine to check against, free ports, cleanup by PID.
# Sourced, not run.

# Repository root and where checks leave their output (logs, screenshots).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/checks"
mkdir -p "$OUT"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "FAIL: '$1' is not installed; install it with: apt-get install -y $2" >&2
    exit 1
  }
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Builds target/seqcast.jar when missing.
ensure_jar() {
  if [ ! -f "$ROOT/target/seqcast.jar" ]; then
    echo "building target/seqcast.jar ..."
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
  fi
}

# start_demo PORT SECONDS: runs `seqcast demo` (embedded broker, bundled data) in the background, waits until
# /health/ready answers 200. SEQCAST_HOME overrides the directory holding topology/, models/ and data/.
start_demo() {
  local port="$1" duration="$2" home="${SEQCAST_HOME:-$ROOT}"
  ensure_jar
  echo "starting seqcast demo on :$port for ${duration}s (log: $OUT/demo-$port.log)"
  OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE java -Xmx2g -XX:+UseParallelGC --add-modules jdk.incubator.vector -jar "$ROOT/target/seqcast.jar" \
    demo --home "$home" --http-port "$port" --duration "${duration}s" --rate "${DEMO_RATE:-400}" \
    >"$OUT/demo-$port.log" 2>&1 &
  PIDS+=($!)
  local i
  for i in $(seq 1 180); do
    if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
      echo "demo ready after ${i}s"
      return 0
    fi
    if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then
      echo "FAIL: the demo exited before it was ready; last lines of its log:" >&2
      tail -30 "$OUT/demo-$port.log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "FAIL: the demo was not ready after 180 s; last lines of its log:" >&2
  tail -30 "$OUT/demo-$port.log" >&2
  exit 1
}
