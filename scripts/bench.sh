#!/usr/bin/env bash
# seqcast benchmark: builds the jar, measures PyTorch on the same model shape when python3-torch is installed, then
# runs `seqcast bench` (engine, plain Kafka Streams, no-model topology, model step alone, Python consumer) with the JVM
# and native settings seqcast uses. The PyTorch baselines run on OpenBLAS or not at all (installed with apt-get when
# run as root on Debian); the report names the BLAS.
#   scripts/bench.sh --observations 100000 --rounds 3 --step-rounds 3 --latency-rounds 1   the short run
#   scripts/bench.sh                      full run, report in bench/results/<UTC time>.md
#   scripts/bench.sh --observations 50000 --rounds 1   any `seqcast bench` option passes through
#   scripts/bench.sh --soak 30m --latency-rate 1000    memory soak instead of the benchmark
#   scripts/bench.sh --capacity --series 1000000 --observations 2000000   what one instance holds
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p bench/results
if [ ! -f target/seqcast.jar ] || [ -n "$(find src/main pom.xml -newer target/seqcast.jar -print -quit)" ]; then
  mvn -o -q -B -DskipTests package >&2 || mvn -q -B -DskipTests package >&2
fi
torch_json=""
blas=""
needs_torch=1
[[ " $* " == *" --soak "* || " $* " == *" --capacity "* || " $* " == *" --skip-step "* ]] && needs_torch=0
if [ "$needs_torch" = 1 ]; then
  # The PyTorch and Python-consumer baselines run on OpenBLAS, as their users would run them: Debian's python3-torch
  # falls back to the reference BLAS (several times slower) unless libopenblas0-pthread is installed.
  if ! /usr/bin/python3 -c 'import torch, confluent_kafka' 2>/dev/null \
      || ! /usr/bin/python3 scripts/bench_torch.py --blas >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "bench: installing python3-torch, libopenblas0-pthread, python3-confluent-kafka (apt-get) ..." >&2
      apt-get install -y -q python3-torch libopenblas0-pthread python3-confluent-kafka >&2 || true
    fi
  fi
  if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    echo "bench: python3-torch absent: no PyTorch or Python-consumer baseline" >&2
    echo "       (Debian: apt-get install python3-torch libopenblas0-pthread python3-confluent-kafka)" >&2
  elif ! blas="$(/usr/bin/python3 scripts/bench_torch.py --blas)"; then
    echo "bench: PyTorch runs on $blas, not OpenBLAS: the PyTorch and Python-consumer baselines are NOT reported" >&2
    echo "       (Debian: apt-get install libopenblas0-pthread; update-alternatives --config libblas.so.3-x86_64-linux-gnu)" >&2
    blas=""
  else
    torch_json="bench/results/$stamp.torch.json"
    echo "bench: PyTorch baseline (python3-torch on $blas) ..." >&2
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench_torch.py --cell lstm --hidden 64 64 --batch 256 --threads 1 \
      > "$torch_json"
    /usr/bin/python3 scripts/bench_torch.py --cell lstm --hidden 64 64 --batch 256 --threads "$(nproc)" \
      > "bench/results/$stamp.torch-all-threads.json"
  fi
fi
# Native settings: ND4J's OpenMP threads busy-wait unless told otherwise; the hot path does not use ND4J at all.
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1
# as the seqcast launcher: few glibc malloc arenas, so that freed native memory is reused rather than kept per arena
export MALLOC_ARENA_MAX=2
# JVM settings: the Vector API module for the step kernel; heap bounded; ND4J's off-heap capped (only the
# benchmark's DL4J baseline uses it).
java_opts=(--add-modules jdk.incubator.vector -XX:+UseParallelGC -XX:MaxDirectMemorySize=1g
  -Dorg.bytedeco.javacpp.maxbytes=2g -Dorg.bytedeco.javacpp.maxphysicalbytes=6g)
if [[ " $* " == *" --soak "* ]]; then
  # the soak runs the engine as `seqcast run` does (fixed heap, touched at start), with native memory tracking so
  # that the report attributes resident memory (JVM, RocksDB, the rest)
  java_opts+=(-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary)
else
  java_opts+=(-Xms512m -Xmx2g)
fi
args=(bench --out "bench/results/$stamp.md")
[ -n "$torch_json" ] && args+=(--torch "$torch_json" --blas "$blas")
if [ -n "$torch_json" ] && /usr/bin/python3 -c "import confluent_kafka" 2>/dev/null; then
  args+=(--python-consumer scripts/bench_python_consumer.py)
elif [ "$needs_torch" = 1 ]; then
  echo "bench: no Python-consumer baseline (needs python3-torch on OpenBLAS and python3-confluent-kafka)" >&2
fi
exec java "${java_opts[@]}" -jar target/seqcast.jar "${args[@]}" "$@" 2> "bench/results/$stamp.log"
