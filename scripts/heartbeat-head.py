#!/usr/bin/env python3
"""Measures a linear head beside the beat classifier's LSTM ensemble by DS1 patient-wise cross-validation: how much
its log-odds, added to the ensemble's class scores, change the held-out figures (MODELS.md, ecg-beats, "A linear head
beside the LSTM"), and writes the head fitted on all of DS1 as the JSON that `seqcast train --task heartbeats --shift
MODEL --head FILE` adds to a model (artifact format 3; the pipeline applies it after the network, model/LinearHead).

The head is a multinomial logistic regression on the per-beat channels the classifier already reads (RR intervals
against the patient's running, local and long-run RR, correlation and morphology against the patient's template,
noise against the patient's usual level: `seqcast train --task heartbeats --export-beats FILE` writes them for every
beat the detector finds in DS1). Classes are weighted to balance (every class weighs as much in the loss), with an L2
penalty on the standardised weights. The class scores become

    log p_ensemble(c) + alpha * log p_head(c) + offset(c)

(with --only V: only V's score moves, by alpha times the head's log-odds of V against N).

Cross-validation: the folds of `seqcast train --folds 3` (records in order, every third to the same fold). For each
fold the head is fitted on the other folds' beats, so the held-out head scores, like the members' held-out
probabilities (`--predictions`, one file per member; several files are an ensemble: the mean of their
log-probabilities), come from models that never saw the patient. alpha and the offsets are chosen on them to maximise
the mean F1 of V, normal and abnormal (scripts/heartbeat-offsets.py, `vna`); the nested figure chooses them on two
folds and applies them to the third.

usage:
  heartbeat-head.py --beats beats.csv [--l2 1] [--alphas 0,0.5,1,2] [--only V] [--no-s] [--s-gates G,...]
      PREDICTIONS.csv [more PREDICTIONS.csv files]
      cross-validation figures of the ensemble (one held-out predictions file per member) with and without the
      head (--s-gates: S is not called where the rhythm's irregularity channel is above g, g chosen from these
      with alpha and the offsets; screened only, the served model has no such gate)
  heartbeat-head.py --beats beats.csv [--l2 1] --alpha A [--only V] --write head.json
      the head fitted on all of DS1, times A (the weights on the channels as the model reads them)
"""
import argparse
import importlib.util
import json
import os

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

_spec = importlib.util.spec_from_file_location(
    "offsets", os.path.join(os.path.dirname(os.path.abspath(__file__)), "heartbeat-offsets.py"))
offsets = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(offsets)

K = 5
GRID_S = np.arange(-8, 2.01, 0.5)
GRID_V = np.arange(-6, 2.01, 0.5)
GRID_F = np.arange(-8, 2.01, 2.0)
GRID_Q = [-8.0]


def read_beats(path):
    with open(path) as f:
        header = next(f).rstrip().split(",")
        records, samples, labels, rows = [], [], [], []
        for line in f:
            p = line.rstrip().split(",")
            records.append(p[0])
            samples.append(int(p[1]))
            labels.append(int(p[2]))
            rows.append([float(v) for v in p[3:]])
    return header[3:], np.array(records), np.array(samples), np.array(labels), np.array(rows)


def folds_of(records, folds=3):
    names = sorted(set(records))
    return np.array([names.index(r) % folds + 1 for r in records])


def fit(x, y, l2):
    """Class-balanced multinomial logistic regression on standardised x: (mean, std, W [d+1, K]). The loss is the
    class-weighted mean cross-entropy plus l2 / 2 times the squared weights (not the biases)."""
    mean, std = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    counts = np.bincount(y, minlength=K).astype(float)
    present = counts > 0
    w = len(y) / (present.sum() * np.maximum(counts, 1))[y]
    w = w / w.sum()
    onehot = np.eye(K)[y]
    d = z.shape[1]
    penalty = np.ones((d, K))
    penalty[-1] = 0  # no penalty on the bias

    def loss(theta):
        W = theta.reshape(d, K)
        s = z @ W
        logp = s - logsumexp(s, axis=1, keepdims=True)
        value = -(w * (onehot * logp).sum(1)).sum() + 0.5 * l2 * (penalty * W * W).sum()
        grad = z.T @ ((np.exp(logp) - onehot) * w[:, None]) + l2 * penalty * W
        return value, grad.ravel()

    result = minimize(loss, np.zeros(d * K), jac=True, method="L-BFGS-B", options={"maxiter": 5000})
    return mean, std, result.x.reshape(d, K)


def scores(head, x):
    """The head's linear class scores (log-odds up to a constant per beat)."""
    mean, std, W = head
    return np.hstack([(x - mean) / std, np.ones((len(x), 1))]) @ W


def raw_weights(head, alpha):
    """The head as the artifact carries it: weights per class and input channel on unstandardised inputs, times
    alpha, and the biases."""
    mean, std, W = head
    weights = (W[:-1] / std[:, None]).T * alpha
    bias = (W[-1] - (W[:-1] * (mean / std)[:, None]).sum(0)) * alpha
    return weights, bias


def only(rows, c):
    """Rows per class (class scores, or weights) reduced to class c's against N (class 0): c's row minus N's, every
    other row zero."""
    out = np.zeros_like(rows)
    out[c] = rows[c] - rows[0]
    return out


def held_out_head(x, y, folds, l2):
    out = np.zeros((len(y), K))
    for f in sorted(set(folds)):
        train = (folds != f) & (y >= 0)
        head = fit(x[train], y[train], l2)
        s = scores(head, x[folds == f])
        out[folds == f] = s - logsumexp(s, axis=1, keepdims=True)
    return out


def gated(logp, irregularity, gate):
    """S's score out of reach where the rhythm's irregularity is above gate (atrial fibrillation: no S calls)."""
    if gate is None:
        return logp
    out = logp.copy()
    out[irregularity > gate, 1] -= 100.0
    return out


def best(labels, logp, head, alphas, irregularity=None, gates=(None,)):
    """(objective, alpha, offsets[, gate]) maximising the objective over the grids (the gate only if gates given)."""
    if gates != (None,):
        return max((best(labels, gated(logp, irregularity, g), head, alphas) + (g,) for g in gates),
                   key=lambda t: t[0])
    top = (-1.0, None, None)
    for a in alphas:
        z = logp + a * head
        for o in np.array(np.meshgrid([0.0], GRID_S, GRID_V, GRID_F, GRID_Q, indexing="ij")).reshape(5, -1).T:
            v = offsets.objective(offsets.confusion(labels, np.argmax(z + o, axis=1)))
            if v > top[0]:
                top = (v, a, o)
    return top


def row(c):
    s = offsets.scores(c)
    return (f"V Se {100 * s['V'][0]:.1f}% PPV {100 * s['V'][1]:.1f}% F1 {s['V'][2]:.3f} | "
            f"S Se {100 * s['S'][0]:.1f}% PPV {100 * s['S'][1]:.1f}% | F Se {100 * s['F'][0]:.1f}% | "
            f"normal F1 {s['normal'][2]:.3f} abnormal F1 {s['abnormal'][2]:.3f} | vna {offsets.objective(c):.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beats", required=True, help="seqcast train --task heartbeats --export-beats FILE")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--alphas", default="0,0.5,1,2")
    parser.add_argument("--only", help="a class (e.g. V): the head moves that class's score alone, by its log-odds"
                        " against N; the other classes' rows are zero")
    parser.add_argument("--no-s", action="store_true", help="S offset fixed at -8 (S given up, as version 5's"
                        " offsets do) instead of searched")
    parser.add_argument("--s-gates", help="irregularity thresholds above which S is not called, searched with"
                        " alpha and the offsets (e.g. 100,0.2,0.15,0.1)")
    parser.add_argument("--alpha", type=float, help="with --write: the weight chosen by the cross-validation")
    parser.add_argument("--write", help="fit on all of DS1 and write the head as JSON")
    parser.add_argument("predictions", nargs="*")
    args = parser.parse_args()
    global GRID_S
    if args.no_s:
        GRID_S = np.array([-8.0])
    channels, records, samples, labels, x = read_beats(args.beats)
    if args.write:
        keep = labels >= 0
        weights, bias = raw_weights(fit(x[keep], labels[keep], args.l2), args.alpha)
        if args.only:
            c = offsets.CLASSES.index(args.only)
            weights, bias = only(weights, c), only(bias[:, None], c)[:, 0]
        with open(args.write, "w") as f:
            json.dump({"inputs": channels, "weights": weights.tolist(), "bias": bias.tolist()}, f, indent=1)
        print(f"head on {len(channels)} channels, {keep.sum()} DS1 beats, l2 {args.l2:g}, alpha {args.alpha:g}"
              + (f", moving {args.only} alone" if args.only else "") + f": wrote {args.write}")
        return
    folds, prec, plab, logp = offsets.ensemble(args.predictions)
    for path in args.predictions[:1]:
        with open(path) as f:
            next(f)
            keys = [(p[1], int(p[2])) for p in (line.split(",") for line in f) if int(p[3]) >= 0]
    index = {(r, s): i for i, (r, s) in enumerate(zip(records, samples))}
    rows = np.array([index[k] for k in keys])
    if not np.array_equal(labels[rows], plab) or not np.array_equal(folds_of(records)[rows], folds):
        raise SystemExit("the predictions' beats are not those of --beats (labels or folds differ)")
    head = held_out_head(x, labels, folds_of(records), args.l2)[rows]
    if args.only:
        head = only(head.T, offsets.CLASSES.index(args.only)).T
    alphas = [float(a) for a in args.alphas.split(",")]
    irregularity = x[rows, channels.index("rr-irregularity")]
    gates = tuple(float(g) for g in args.s_gates.split(",")) if args.s_gates else (None,)
    if gates != (None,):
        _, a, o, g = best(plab, logp, head, alphas, irregularity, gates)
        print(f"chosen on all folds: S gate {g:g}, alpha {a:g}, offsets {','.join(f'{t:g}' for t in o)}: "
              + row(offsets.confusion(plab, np.argmax(gated(logp, irregularity, g) + a * head + o, axis=1))))
        nested = np.zeros((K, K), dtype=np.int64)
        for f in sorted(set(folds)):
            k = folds != f
            _, fa, fo, fg = best(plab[k], logp[k], head[k], alphas, irregularity[k], gates)
            m = folds == f
            nested += offsets.confusion(plab[m], np.argmax(gated(logp[m], irregularity[m], fg) + fa * head[m] + fo,
                                                           axis=1))
            print(f"fold {f}: S gate {fg:g}, alpha {fa:g}, offsets {','.join(f'{t:g}' for t in fo)} from the other"
                  " folds")
        print("nested: " + row(nested))
        print(offsets.table(nested))
        return
    print(f"{len(plab)} held-out beats; head: l2 {args.l2:g}, {len(channels)} channels"
          + (f", moving {args.only} alone" if args.only else ""))
    for a in alphas:
        v, _, o = best(plab, logp, head, [a])
        print(f"alpha {a:g}: all folds, offsets {','.join(f'{t:g}' for t in o)}: "
              + row(offsets.confusion(plab, np.argmax(logp + a * head + o, axis=1))))
    v, a, o = best(plab, logp, head, alphas)
    print(f"chosen on all folds: alpha {a:g}, offsets {','.join(f'{t:g}' for t in o)}")
    nested = np.zeros((K, K), dtype=np.int64)
    for f in sorted(set(folds)):
        _, fa, fo = best(plab[folds != f], logp[folds != f], head[folds != f], alphas)
        m = folds == f
        nested += offsets.confusion(plab[m], np.argmax(logp[m] + fa * head[m] + fo, axis=1))
        print(f"fold {f}: alpha {fa:g}, offsets {','.join(f'{t:g}' for t in fo)} from the other folds")
    print("nested: " + row(nested))
    print(offsets.table(nested))


if __name__ == "__main__":
    main()
