#!/usr/bin/env python3
"""Chooses the beat classifier's class offsets (log-odds added to each class score, `seqcast train --task heartbeats
--class-offsets`) from the held-out probabilities of a DS1 patient-wise cross-validation (`--predictions FILE`).

Training balances the classes (N is kept at a few hundred beats per record, the rarer classes repeated), so the
softmax over-calls S, V and F on real rhythms, where about nine beats in ten are N. A shift of each class's score
undoes that prior. The offsets are chosen on the cross-validation's pooled held-out beats to maximise the mean of
F1 of V, of normal and of abnormal (issue 14's targets; `--objective vna`, the default), or of S, V, normal and
abnormal (`--objective svna`: S counted apart, so that the offsets do not trade S away for V; on DS1 it chose S calls
that did not hold on the held-out fold, MODELS.md); the nested figure
(offsets chosen on the other folds, applied to each fold) says how much that choice flatters the pooled one.

Several PREDICTIONS files (cross-validations of the same folds with different seeds) are an ensemble: the mean of
their log-probabilities per beat (what `seqcast train --task heartbeats --shift A,B` serves as one network) is scored.

usage: heartbeat-offsets.py [--objective svna|vna] PREDICTIONS.csv [more PREDICTIONS.csv files]
"""
import argparse
import itertools
import sys

import numpy as np

CLASSES = ["N", "S", "V", "F", "Q"]
GRID_S = np.arange(-8, 2.01, 0.5)
GRID_V = np.arange(-4, 2.01, 0.5)
GRID_F = np.arange(-8, 2.01, 1.0)
GRID_Q = [-8.0, -4.0, 0.0]


def read(path):
    folds, records, labels, probs = [], [], [], []
    with open(path) as f:
        next(f)
        for line in f:
            p = line.rstrip().split(",")
            if int(p[3]) < 0:
                continue  # a detection without a reference beat: not scored
            folds.append(int(p[0]))
            records.append(p[1])
            labels.append(int(p[3]))
            probs.append([float(v) for v in p[4:9]])
    logp = np.log(np.maximum(np.array(probs, dtype=np.float32), 1e-9))
    return np.array(folds), np.array(records), np.array(labels), logp


def confusion(labels, given):
    return np.bincount(labels * 5 + given, minlength=25).reshape(5, 5)


def scores(c):
    out = {}

    def score(tp, ref, giv):
        se = tp / ref if ref else float("nan")
        ppv = tp / giv if giv else float("nan")
        f1 = 2 * tp / (ref + giv) if ref + giv else float("nan")
        return se, ppv, f1, ref

    for k, name in enumerate(CLASSES):
        out[name] = score(c[k, k], c[k].sum(), c[:, k].sum())
    total = c.sum()
    nn, nref, ngiv = c[0, 0], c[0].sum(), c[:, 0].sum()
    out["normal"] = score(nn, nref, ngiv)
    out["abnormal"] = score(total - nref - ngiv + nn, total - nref, total - ngiv)
    return out


OBJECTIVES = {
    "vna": ("V", "normal", "abnormal"),
    "svna": ("S", "V", "normal", "abnormal"),
}
TERMS = OBJECTIVES["vna"]


def objective(c):
    s = scores(c)
    return sum(0.0 if np.isnan(s[t][2]) else s[t][2] for t in TERMS) / len(TERMS)


def best_offsets(labels, logp):
    best, arg = -1, None
    for o in itertools.product([0.0], GRID_S, GRID_V, GRID_F, GRID_Q):
        given = np.argmax(logp + np.array(o), axis=1)
        v = objective(confusion(labels, given))
        if v > best:
            best, arg = v, o
    return np.array(arg), best


def table(c):
    lines = ["| reference \\ given | " + " | ".join(CLASSES) + " |", "|---|" + "---:|" * 5]
    for k, name in enumerate(CLASSES):
        lines.append(f"| {name} | " + " | ".join(str(v) for v in c[k]) + " |")
    lines += ["", "| class | beats | sensitivity | PPV | F1 |", "|---|---:|---:|---:|---:|"]
    for name, (se, ppv, f1, ref) in scores(c).items():
        lines.append(f"| {name} | {ref} | {100 * se:.1f}% | {100 * ppv:.1f}% | {f1:.3f} |")
    return "\n".join(lines)


def ensemble(paths):
    folds, records, labels, logp = read(paths[0])
    for path in paths[1:]:
        f2, r2, l2, p2 = read(path)
        if not (np.array_equal(folds, f2) and np.array_equal(records, r2) and np.array_equal(labels, l2)):
            sys.exit(f"{path}: not the same held-out beats as {paths[0]}")
        logp = logp + p2
    return folds, records, labels, logp / len(paths)


def main():
    global TERMS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objective", choices=sorted(OBJECTIVES), default="vna")
    parser.add_argument("predictions", nargs="+")
    args = parser.parse_args()
    TERMS = OBJECTIVES[args.objective]
    folds, records, labels, logp = ensemble(args.predictions)
    raw = confusion(labels, np.argmax(logp, axis=1))
    name = " + ".join(args.predictions)
    print(f"## {name}: {len(labels)} held-out beats, objective: mean F1 of {', '.join(TERMS)}\n")
    print(f"without offsets (objective {objective(raw):.4f}):\n")
    print(table(raw))
    offsets, value = best_offsets(labels, logp)
    print(f"\noffsets chosen on all folds: {','.join(f'{v:g}' for v in offsets)} (objective {value:.4f}):\n")
    tuned = confusion(labels, np.argmax(logp + offsets, axis=1))
    print(table(tuned))
    nested = np.zeros((5, 5), dtype=np.int64)
    for f in sorted(set(folds)):
        o, _ = best_offsets(labels[folds != f], logp[folds != f])
        given = np.argmax(logp[folds == f] + o, axis=1)
        nested += confusion(labels[folds == f], given)
        print(f"\nfold {f}: offsets from the other folds {','.join(f'{v:g}' for v in o)}")
    print(f"\nnested (offsets chosen without the fold they are applied to; objective {objective(nested):.4f}):\n")
    print(table(nested))
    print("\nper record with the chosen offsets (reference N,S,V,F,Q rows; errors only):")
    given = np.argmax(logp + offsets, axis=1)
    for r in sorted(set(records)):
        m = records == r
        c = confusion(labels[m], given[m])
        wrong = c.sum() - np.trace(c)
        print(f"{r}: {wrong} wrong of {c.sum()}: {c.tolist()}")


if __name__ == "__main__":
    main()
