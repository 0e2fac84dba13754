#!/usr/bin/env bash
# The engine on the newest JDK of the machine, not only on the Java 17 it is built with: README says "Java 17 or
# later", and the incubator Vector API that the kernels and the state codec use changes between JDKs (JDK 20 renamed
# VectorOperators.UNSIGNED_GE: until 4 December every stream thread stopped at its first state write on JDK 25).
# Runs `seqcast demo` for 25 s on that JDK and fails unless it forecasts and no stream thread failed.
# Needs: a JDK of version 20 or later under /usr/lib/jvm, or NEWER_JAVA=/path/to/bin/java.
#   newer-jdk.sh --find   prints that JDK's java (nothing when there is none) and exits 0
set -euo pipefail

newest_java() {
  local best="" best_version=19 java version
  for java in ${NEWER_JAVA:-/usr/lib/jvm/*/bin/java}; do
    [ -x "$java" ] || continue
    version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
    if [[ "$version" =~ ^[0-9]+$ ]] && [ "$version" -gt "$best_version" ]; then
      best="$java" best_version="$version"
    fi
  done
  echo "$best"
}

if [ "${1:-}" = "--find" ]; then
  newest_java
  exit 0
fi

source "$(dirname "$0")/lib.sh"
java_bin=$(newest_java)
if [ -z "$java_bin" ]; then
  echo "FAIL: no JDK of version 20 or later under /usr/lib/jvm; set NEWER_JAVA=/path/to/bin/java" >&2
  exit 1
fi
ensure_jar
log="$OUT/demo-newer-jdk.log"
echo "seqcast demo for 25 s on $("$java_bin" -version 2>&1 | head -1) (log: $log)"
OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE "$java_bin" -Xmx2g -XX:+UseParallelGC --add-modules jdk.incubator.vector \
  -jar "$ROOT/target/seqcast.jar" demo --home "$ROOT" --http-port "$(free_port)" --duration 25s >"$log" 2>&1
problems=""
if grep -q -E "Stream thread failed|NoSuchFieldError|NoSuchMethodError|LinkageError" "$log"; then
  problems="a stream thread failed: $(grep -m1 -E "NoSuchFieldError|NoSuchMethodError|LinkageError|Stream thread failed" "$log")"
fi
summary=$(grep -m1 "observations in" "$log" || true)
forecasts=$(echo "$summary" | sed -n 's/.* \([0-9][0-9]*\) forecasts.*/\1/p')
if [ -z "$forecasts" ] || [ "$forecasts" -eq 0 ]; then
  problems="$problems${problems:+; }no forecasts published (summary: ${summary:-none})"
fi
if [ -n "$problems" ]; then
  echo "FAIL: $problems; last lines of $log:" >&2
  tail -20 "$log" >&2
  exit 1
fi
echo "$summary"
echo "newer JDK: ok"
