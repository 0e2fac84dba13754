#!/usr/bin/env bash
# NAB evaluation: replays data/nab through the machines pipeline's topology and scores the results with NAB's rules.
#   scripts/evaluate-nab.sh [RESULTS_DIR] [extra 'seqcast evaluate nab' options]
# Needs the NAB scorer: SEQCAST_NAB_SCORER (default /work/shared/tools/nab_score.py).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$home/target/nab-results}"
shift || true
scorer="${SEQCAST_NAB_SCORER:-/work/shared/tools/nab_score.py}"
cd "$home"
rm -rf "$out"
./seqcast evaluate nab --nab data/nab --pipeline topology/machines.yaml --out "$out" "$@"
NAB_DIR=data/nab python3 "$scorer" --detector-name seqcast "$out"
