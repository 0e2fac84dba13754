#!/usr/bin/env bash
# NAB evaluation: replays data/nab through the machines pipeline's topology (the Java path), scores the results with
# NAB's rules at the pipeline's critical level (NAB's threshold -log10(anomaly.critical-rate) / 100, fixed a priori,
# not tuned) and, beside it, at NAB's threshold optimised on the files, then regenerates EVALUATION.md's tables from
# the same run's per-row forecasts with the Python replica (residual likelihood alone, novelty alone, fused, the
# naive-forecast reference, the cross-validation by category halves, the false positives):
#   SEQCAST_NAB_SCORER=path/to/nab_score.py scripts/evaluate-nab.sh [OUT_DIR] [extra 'seqcast evaluate nab' options]
# or --scorer path/to/nab_score.py as the first argument. Nice'd: the Java path takes a few minutes, the cross-validation
# of the whole search (4096 settings) a few more.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scorer="${SEQCAST_NAB_SCORER:-}"
if [ "${1:-}" = "--scorer" ]; then
  scorer="$2"
  shift 2
fi
if [ -z "$scorer" ] || [ ! -f "$scorer" ]; then
  echo "evaluate-nab: set SEQCAST_NAB_SCORER (or --scorer FILE) to NAB's scorer nab_score.py" >&2
  exit 2
fi
out="${1:-$home/target/nab}"
shift || true
cd "$home"
pipeline=topology/machines.yaml
rm -rf "$out/results" "$out/forecasts"
nice -n 10 ./seqcast evaluate nab --nab data/nab --pipeline "$pipeline" --out "$out/results" \
  --forecasts "$out/forecasts" "$@"
critical="$(sed -n 's/^ *critical-rate: *\([0-9.eE+-]*\) *$/\1/p' "$pipeline")"
threshold="$(python3 -c "import math; print(-math.log10($critical) / 100)")"
echo "### NAB's scorer on the Java path's results, at the critical level $threshold (anomaly.critical-rate $critical)"
echo
NAB_DIR=data/nab python3 "$scorer" --detector-name seqcast "$out/results" --per-file --threshold "$threshold"
echo
echo "### NAB's scorer on the Java path's results, NAB's threshold optimised on them"
echo
NAB_DIR=data/nab python3 "$scorer" --detector-name seqcast "$out/results"
echo
nice -n 10 python3 scripts/nab_novelty_sweep.py --nab data/nab --scorer "$scorer" --pipeline "$pipeline" \
  --forecasts "$out/forecasts" --report
