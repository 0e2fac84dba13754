#!/usr/bin/env python3
"""Screens P-wave channels for the beat classifier on DS1 (MODELS.md, ecg-beats, "P-wave channels: tried, did not
help"): computes them for every beat of `seqcast train --task heartbeats --export-beats FILE`, writes that file with
the new columns appended (which scripts/heartbeat-head.py reads as further channels), and prints how well a
class-balanced logistic regression (heartbeat-head.py's head alone, fitted on two folds, scored on the third) separates
S from every other beat with and without them.

Per beat and lead, causally (each beat against the patient's earlier beats only): the PR segment, 250 ms to 80 ms
before the detected R peak, smoothed over 9 samples (25 ms) and with its least-squares line removed; its correlation
with the patient's running average PR segment (the template: weight 0.05 per beat, a tenth for a beat whose lead-1
correlation with the QRS template is under 0.8 or that comes early, as the QRS template of classify/BeatFeatures),
the log of its energy over the template's, and the shift in seconds of its extremum of the template's polarity (the P
peak) from the template's; the larger of the two leads' correlations; and each correlation minus its running mean
over the patient's beats (weight 0.05, "over usual": in atrial fibrillation every beat's P segment is unlike the
template, so a low correlation there is not a sign of an ectopic beat); and the larger correlation times the
rhythm's irregularity (the same idea as a product).

usage:
  heartbeat-pwave-screen.py --beats ds1-beats.csv --records ../shared/data/ecg --out ds1-beats-p.csv \
      [--keep CH,CH,...] [--screen]
"""
import argparse
import gzip
import importlib.util
import os

import numpy as np
from scipy.special import logsumexp

_spec = importlib.util.spec_from_file_location(
    "head", os.path.join(os.path.dirname(os.path.abspath(__file__)), "heartbeat-head.py"))
head = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(head)

FS = 360
START, END = int(0.25 * FS), int(0.08 * FS)  # the PR segment: R - 250 ms to R - 80 ms
SMOOTH = 9
TEMPLATE_WEIGHT = 0.05
USUAL_WEIGHT = 0.05
CHANNELS = [f"lead{k}-p-{c}" for k in (1, 2) for c in ("correlation", "log-energy-over-template", "peak-shift-s")] + [
    "p-correlation-max", "lead1-p-correlation-over-usual", "lead2-p-correlation-over-usual",
    "p-correlation-max-over-usual", "p-correlation-max-x-irregularity"]


def signal(records, record):
    with gzip.open(os.path.join(records, f"{record}_signal.csv.gz"), "rt") as f:
        next(f)
        return np.loadtxt(f, delimiter=",", usecols=(1, 2))


def segment(lead, r):
    pad = SMOOTH
    s = np.convolve(lead[r - START - pad:r - END + pad], np.ones(SMOOTH) / SMOOTH, mode="same")[pad:-pad]
    t = np.arange(len(s)) - (len(s) - 1) / 2
    return s - np.polyval(np.polyfit(t, s, 1), t)


def correlation(a, b):
    a, b = a - a.mean(), b - b.mean()
    d = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / d) if d > 0 else 0.0


def p_channels(lead, beats, typical):
    """(correlation, log energy over the template's, peak shift) per beat of one lead, in the beats' order."""
    out, template = np.zeros((len(beats), 3)), None
    for i, r in enumerate(beats):
        if r - START - SMOOTH < 0 or r - END + SMOOTH > len(lead):
            continue
        s = segment(lead, r)
        if template is None:
            out[i, 0], template = 1.0, s.copy()
            continue
        polarity = 1.0 if template.max() >= -template.min() else -1.0
        out[i] = (correlation(s, template),
                  np.log(((s * s).mean() + 1e-6) / ((template * template).mean() + 1e-6)),
                  (np.argmax(polarity * s) - np.argmax(polarity * template)) / FS)
        w = TEMPLATE_WEIGHT if typical[i] else TEMPLATE_WEIGHT / 10
        template = (1 - w) * template + w * s
    return out


def over_usual(x):
    out, usual = np.zeros(len(x)), x[0]
    for i, v in enumerate(x):
        out[i] = v - usual
        usual = (1 - USUAL_WEIGHT) * usual + USUAL_WEIGHT * v
    return out


def channels(records_dir, channel_names, records, samples, x):
    correlation1 = x[:, channel_names.index("lead1-correlation")]
    early = x[:, channel_names.index("log-rr-before-over-local")] < np.log(0.85)
    out = np.zeros((len(records), len(CHANNELS)))
    for record in dict.fromkeys(records):
        m = np.flatnonzero(records == record)
        sig = signal(records_dir, record)
        typical = (correlation1[m] >= 0.8) & ~early[m]
        per_lead = [p_channels(sig[:, k], samples[m], typical) for k in (0, 1)]
        c = np.hstack(per_lead)
        best = np.maximum(c[:, 0], c[:, 3])
        irregularity = x[m, channel_names.index("rr-irregularity")]
        out[m] = np.column_stack([c, best, over_usual(c[:, 0]), over_usual(c[:, 3]), over_usual(best),
                                  best * irregularity])
    return out


def auc(score, positive):
    ranks = np.empty(len(score))
    order = np.argsort(score, kind="mergesort")
    ranks[order] = np.arange(1, len(score) + 1)
    _, inverse, counts = np.unique(score, return_inverse=True, return_counts=True)
    ranks = (np.bincount(inverse, ranks) / counts)[inverse]  # ties: mean rank
    n, m = positive.sum(), (~positive).sum()
    return (ranks[positive].sum() - n * (n + 1) / 2) / (n * m)


def f1(positive, called):
    return 2 * (positive & called).sum() / max(positive.sum() + called.sum(), 1)


def threshold(score, positive):
    grid = np.unique(np.quantile(score, np.linspace(0.5, 0.9999, 400)))
    return grid[int(np.argmax([f1(positive, score >= t) for t in grid]))]


def screen(name, x, labels, folds, l2=1.0):
    keep = labels >= 0
    x, y, folds = x[keep], labels[keep], folds[keep]
    logp = head.held_out_head(x, y, folds, l2)
    s = logp[:, 1] - logsumexp(np.delete(logp, 1, axis=1), axis=1)
    positive = y == 1
    per_fold = [auc(s[folds == f], positive[folds == f]) for f in (1, 2, 3)]
    called = np.zeros(len(y), dtype=bool)
    for f in (1, 2, 3):
        called[folds == f] = s[folds == f] >= threshold(s[folds != f], positive[folds != f])
    print(f"{name}: S AUC {auc(s, positive):.3f} (folds {', '.join(f'{a:.3f}' for a in per_fold)}), S F1 best "
          f"{f1(positive, s >= threshold(s, positive)):.3f}, nested {f1(positive, called):.3f} "
          f"(Se {100 * (positive & called).sum() / positive.sum():.1f}%, "
          f"PPV {100 * (positive & called).sum() / max(called.sum(), 1):.1f}%)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beats", required=True, help="seqcast train --task heartbeats --export-beats FILE")
    parser.add_argument("--records", required=True, help="the directory of mitdb_<record>_signal.csv.gz")
    parser.add_argument("--out", required=True, help="the beats file with the P-wave channels appended")
    parser.add_argument("--keep", help="the P-wave channels to append (default: all)")
    parser.add_argument("--screen", action="store_true", help="print the logistic regression's S figures")
    args = parser.parse_args()
    names, records, samples, labels, x = head.read_beats(args.beats)
    p = channels(args.records, names, records, samples, x)
    kept = args.keep.split(",") if args.keep else CHANNELS
    columns = [CHANNELS.index(c) for c in kept]
    with open(args.beats) as f, open(args.out, "w") as out:
        out.write(next(f).rstrip() + "," + ",".join(kept) + "\n")
        for line, row in zip(f, p):
            out.write(line.rstrip() + "," + ",".join(f"{v:.6g}" for v in row[columns]) + "\n")
    if args.screen:
        folds = head.folds_of(records)
        screen(f"the {len(names)} channels", x, labels, folds)
        for c in kept:
            screen(f"+ {c}", np.column_stack([x, p[:, CHANNELS.index(c)]]), labels, folds)
        screen(f"+ {', '.join(kept)}", np.column_stack([x, p[:, columns]]), labels, folds)
        screen("the P-wave channels alone", p[:, columns], labels, folds)


if __name__ == "__main__":
    main()
