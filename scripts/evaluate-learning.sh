#!/usr/bin/env bash
# Per-series learning (issue 19), EVALUATION.md: replays the evaluation series through the pipelines of
# scripts/learning/ with the engine's own per-series step (test harness io.seqcast.forecast.DirectReplay: the state
# written and read back at every observation, as the store does), then scores each row's forecasts on the reference
# protocol (first 70% history, rolling origin over the last 30%, MASE on the in-sample naive MAE) with
# scripts/learning/score_rows.py. DATA: a directory with nab/, ecg/, stocks/ (default data/).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
data="${1:-data}"
out=target/learning
./mvnw -B -q -o -DskipTests test-compile
python3 scripts/learning/prepare_data.py "$data" "$out/data"
cp="target/classes:target/test-classes:target/lib/*"
d="$out/data"
run() { java -cp "$cp" io.seqcast.forecast.DirectReplay "scripts/learning/$1.yaml" "$out/$1" "${@:2}"; }
for v in demand demand0; do run $v "$d/nyc_taxi.csv"; done
for v in nab nab0; do run $v "$d/ambient_temperature_system_failure.csv" "$d/machine_temperature_system_failure.csv"; done
for v in aapl aapl0; do run $v "$d/AAPL.csv"; done
# the ECG (record 100, lead MLII, 90 Hz): the bundled signals pipeline as published, and its model alone (ecg0: the
# network alone, which is also what signals.yaml publishes)
if [ -z "${SKIP_ECG:-}" ]; then
  java -cp "$cp" io.seqcast.forecast.DirectReplay topology/signals.yaml "$out/ecg" "$d/ecg100.csv"
  run ecg0 "$d/ecg100.csv"
fi
cd scripts/learning
export LEARN_DATA="$home/$d"
for v in demand demand0; do python3 score_rows.py nyc_taxi "$home/$out/$v/nyc_taxi.csv"; done
for v in nab nab0; do
  python3 score_rows.py ambient "$home/$out/$v/ambient_temperature_system_failure.csv"
  python3 score_rows.py machine "$home/$out/$v/machine_temperature_system_failure.csv"
done
for v in aapl aapl0; do python3 score_rows.py AAPL "$home/$out/$v/AAPL.csv" all; done
[ -n "${SKIP_ECG:-}" ] || for v in ecg ecg0; do python3 score_rows.py ecg "$home/$out/$v/ecg100.csv"; done
# the same outputs on the selection part (origins 40%..70%, where settings are chosen) beside the test part
for s in "nyc_taxi demand/nyc_taxi" "nyc_taxi demand0/nyc_taxi" "ambient nab/ambient_temperature_system_failure" \
    "ambient nab0/ambient_temperature_system_failure" "machine nab/machine_temperature_system_failure" \
    "machine nab0/machine_temperature_system_failure" "AAPL aapl/AAPL" "AAPL aapl0/AAPL"; do
  set -- $s
  python3 score_validation.py "$1" "$home/$out/$2.csv"
done
[ -n "${SKIP_ECG:-}" ] || for v in ecg ecg0; do python3 score_validation.py ecg "$home/$out/$v/ecg100.csv"; done
