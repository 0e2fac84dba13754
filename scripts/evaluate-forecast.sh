#!/usr/bin/env bash
# Forecast backtests of EVALUATION.md: NAB nyc_taxi and machine_temperature (season one day), ECG record 100 lead
# MLII (first 100 000 samples, season one mean beat = 286 samples), with PNG plots in target/evaluation/plots.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
plots=target/evaluation/plots
./seqcast evaluate forecast --pipeline topology/machines.yaml --plots "$plots" \
  data/nab/data/realKnownCause/nyc_taxi.csv data/nab/data/realKnownCause/machine_temperature_system_failure.csv
./seqcast evaluate forecast --pipeline topology/machines.yaml --plots "$plots" \
  --value-column lead_mlii --season 286 --limit 100000 data/ecg/mitdb_100_signal.csv.gz
