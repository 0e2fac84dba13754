#!/usr/bin/env bash
# The forecast table of EVALUATION.md, on the reference protocol (first 70% of each series is history, the rest is
# scored): naive, seasonal naive, ETS, linear AR, the engine's model alone and what seqcast publishes.
#   scripts/evaluate-forecast.sh            every series (about 15-30 minutes on 2 busy cores; the ECG is most of it)
#   scripts/evaluate-forecast.sh nyc_taxi   one of: nyc_taxi machine_temperature ambient_temperature aapl ecg
#   SKIP_ECG=1 scripts/evaluate-forecast.sh every series but the ECG (a few minutes), the table without it
# Output directory: $SEQCAST_EVALUATION_DIR (default target/evaluation): <series>.json and .txt, forecast.txt,
# forecast-table.md (the table of EVALUATION.md), rows/ (the inputs of scripts/cross-check-forecast.sh) and plots/.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
out="${SEQCAST_EVALUATION_DIR:-target/evaluation}"
mkdir -p "$out"
nab=data/nab/data/realKnownCause
common=(--forecasts "$out/rows" --plots "$out/plots")
only="${1:-all}"

run() { # name, then the arguments of `seqcast evaluate forecast`
  local name="$1"; shift
  if [ "$only" = all ] || [ "$only" = "$name" ]; then
    ./seqcast evaluate forecast "${common[@]}" --json "$out/$name.json" "$@" | tee "$out/$name.txt"
  fi
}

# NAB: horizon 6, season one day of rows
run nyc_taxi --pipeline topology/demand.yaml --horizon 6 --season 48 "$nab/nyc_taxi.csv"
# the temperatures: their forecasting pipeline (examples/temperatures.yaml: the machines pipeline's model, profiles and
# learned layer, published alone; the machines pipeline keeps the combination for its anomaly score)
run machine_temperature --pipeline examples/temperatures.yaml --horizon 6 --season 288 \
  "$nab/machine_temperature_system_failure.csv"
run ambient_temperature --pipeline examples/temperatures.yaml --horizon 6 --season 24 \
  "$nab/ambient_temperature_system_failure.csv"
# AAPL daily close: horizon 5, season one trading week (5 rows); prices have no weekly cycle to speak of, so seasonal
# naive is a weak baseline here and ETS's fitted seasonal smoothing is near 0
run aapl --pipeline topology/stocks.yaml --value-column close --horizon 5 --season 5 data/stocks/AAPL.csv
# ECG record 100, lead MLII, mean of each 4 samples (90 Hz), horizon 12. Season: one mean beat, measured from the
# beat annotations in the history only (samples before 70% of the downsampled rows) and rounded to whole rows
series=(nyc_taxi machine_temperature ambient_temperature aapl)
if [ -z "${SKIP_ECG:-}" ]; then
  series+=(ecg)
  ecg_rows=$(( $(gzip -dc data/ecg/mitdb_100_signal.csv.gz | wc -l) - 1 ))
  ecg_history_samples=$(( ecg_rows / 4 * 7 / 10 * 4 ))
  ecg_season=$(awk -F, -v end="$ecg_history_samples" 'NR > 1 && $4 == 1 && $1 < end { if (!n) first = $1; last = $1; n++ }
    END { printf "%d", (last - first) / (n - 1) / 4 + 0.5 }' data/ecg/mitdb_100_annotations.csv)
  run ecg --pipeline topology/signals.yaml --value-column lead_mlii --resample-mean 4 --horizon 12 \
    --season "$ecg_season" data/ecg/mitdb_100_signal.csv.gz
fi
if [ "$only" = all ]; then
  jsons=()
  for s in "${series[@]}"; do cat "$out/$s.txt"; jsons+=("$out/$s.json"); done > "$out/forecast.txt"
  # the table of EVALUATION.md
  python3 scripts/forecast_table.py "${jsons[@]}" | tee "$out/forecast-table.md"
fi
