#!/usr/bin/env bash
# Re-derives naive, seasonal-naive and seqcast MASE of scripts/evaluate-forecast.sh with an independent scorer and
# compares them, to 4 decimals, with what `seqcast evaluate forecast` printed. Exit status 1 on any difference.
#   FORECAST_SCORER=/path/to/forecast_score.py scripts/cross-check-forecast.sh
# Reads $SEQCAST_EVALUATION_DIR (default target/evaluation): <series>.json and rows/<series>{,.data}.csv.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
out="${SEQCAST_EVALUATION_DIR:-target/evaluation}"
: "${FORECAST_SCORER:?set FORECAST_SCORER to the independent scorer (forecast_score.py)}"
python3 - "$out" "$FORECAST_SCORER" <<'PY'
import glob, json, subprocess, sys
out, scorer = sys.argv[1], sys.argv[2]
names = {"naive": "naive", "seasonal naive": "snaive", "seqcast": "seqcast"}
bad = 0
for path in sorted(glob.glob(out + "/*.json")):
    for s in json.load(open(path))["series"]:
        name, H, He = s["series"], s["horizon"], s["engineHorizon"]
        arg = dict(name=name, data=f"{out}/rows/{name}.data.csv", fc=f"{out}/rows/{name}.csv", H=He, m=s["season"],
                   hs=list(range(1, H + 1)))
        ref = json.loads(subprocess.run([sys.executable, scorer, json.dumps(arg)], check=True, capture_output=True,
                                        text=True).stdout)["reference_protocol"]
        for m in s["methods"]:
            if m["method"] not in names:
                continue
            for st in m["steps"]:
                r = ref[str(st["step"])].get(names[m["method"]])
                if r is None:
                    continue
                ours = round(st["mase"], 4)
                ok = ours == r["MASE_n"] and st["n"] == r["n"]
                bad += not ok
                print(f"{name:36s} h={st['step']:<2d} {m['method']:15s} seqcast {ours:.4f} (n={st['n']})"
                      f"  scorer {r['MASE_n']:.4f} (n={r['n']})  {'match' if ok else 'MISMATCH'}")
print("all equal" if bad == 0 else f"{bad} differences")
sys.exit(1 if bad else 0)
PY
