#!/usr/bin/env bash
# NAB evaluation: replays data/nab through the machines pipeline's topology (the Java path), scores the results with
# NAB's rules, then regenerates EVALUATION.md's tables from the same run's per-row forecasts with the Python replica
# (residual likelihood alone, novelty alone, fused, the naive-forecast reference, the cross-validation by category
# halves, the false positives):
#   SEQCAST_NAB_SCORER=path/to/nab_score.py scripts/evaluate-nab.sh [OUT_DIR] [extra 'seqcast evaluate nab' options]
# or --scorer path/to/nab_score.py as the first argument. Nice'd: the Java path takes a few minutes, the cross-validation
# of the whole search (6144 settings) about 20 more on a quiet machine.
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
rm -rf "$out/results" "$out/forecasts"
nice -n 10 ./seqcast evaluate nab --nab data/nab --pipeline topology/machines.yaml --out "$out/results" \
  --forecasts "$out/forecasts" "$@"
echo "### NAB's scorer on the Java path's results"
echo
NAB_DIR=data/nab python3 "$scorer" --detector-name seqcast "$out/results" --per-file
echo
nice -n 10 python3 scripts/nab_novelty_sweep.py --nab data/nab --scorer "$scorer" --forecasts "$out/forecasts" --report
