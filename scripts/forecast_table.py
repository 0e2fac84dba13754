"""Markdown table of EVALUATION.md from the JSON files of `seqcast evaluate forecast --json` (scripts/evaluate-forecast.sh).

Usage: python3 scripts/forecast_table.py target/evaluation/{nyc_taxi,machine_temperature,ambient_temperature,aapl,ecg}.json
MASE at h=1 and h=H per series (and at the engine's last step when it forecasts fewer than H); the best classical method in bold; '-' where a method made no forecast at that step.
"""
import json
import sys

CLASSICAL = ["naive", "seasonal naive", "ETS", "linear AR"]
ORDER = CLASSICAL + ["model alone", "seqcast"]


def cell(step):
    return "-" if step["n"] == 0 else f"{step['mase']:.3f}"


print("| series | h | naive | seasonal naive | ETS | linear AR | model alone | seqcast (published) "
      "| seqcast 90% coverage | best classical |")
print("|---|---|---|---|---|---|---|---|---|---|")
for path in sys.argv[1:]:
    for s in json.load(open(path))["series"]:
        methods = {m["method"]: m["steps"] for m in s["methods"]}
        H = s["horizon"]
        # h=1, the engine's last step when its model forecasts fewer than H, and h=H
        for h in sorted({1, min(H, s["engineHorizon"]), H}):
            best = min(CLASSICAL, key=lambda m: methods[m][h - 1]["mase"])
            cells = []
            for m in ORDER:
                c = cell(methods[m][h - 1])
                cells.append(f"**{c}**" if m == best else c)
            cov = methods["seqcast"][h - 1]
            coverage = "-" if cov["n"] == 0 else f"{100 * cov['coverage']:.1f}%"
            print(f"| {s['series']} | {h} | " + " | ".join(cells) + f" | {coverage} | {best} |")
