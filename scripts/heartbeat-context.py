#!/usr/bin/env python3
"""Screens causal rhythm-context inputs for the beat classifier's linear head by DS1 patient-wise cross-validation
(MODELS.md, ecg-beats, "Rhythm context for the head").

Each beat is classified on its own: nothing tells the classifier what the previous beats were called or looked
like. Here the linear head of version 6 (scripts/heartbeat-head.py: a class-balanced logistic regression on the 19
per-beat channels, by default moving V's score alone by alpha times its log-odds of V against N) also reads context
computed from the PREVIOUS beats of the same record only, as the stream could keep it per series. Every detection
counts (also those without a reference beat), in stream order; the beat's own channels (its RR after included) are
the head's inputs already. Context sets, named by letters (any combination, e.g. "ve"; "all" is "vsec"):

  v  the previous two beats' ensemble log-odds of V against N, and its running means (exponentially weighted, of
     weight w per beat for each w of --weights: m_i = (1 - w) m_(i-1) + w v_(i-1))
  s  the same of S against N
  e  running means of the fraction of beats the ensemble called other than N (argmax)
  c  running means of each lead's correlation with the template and noise over usual (channels of the beat)
  r  the beat's own ensemble V log-odds and its excess over the running means of the previous beats' (a stacked
     input: the beat stands out from its neighbours)
  h  version 6's V score of the previous beat and its running means (the ensemble's V log-odds plus 4 times the
     held-out head's, as version 6 scores V)

The ensemble's log-odds used as context are the members' held-out probabilities (`--predictions` of `seqcast train
--task heartbeats --folds 3`): for a beat of fold k they come from members that never saw fold k's patients, and the
head is fitted on the other folds, as in heartbeat-head.py (set h: the plain head of a training fold's beats was
fitted on folds that include the held-out one; it only shapes the training inputs). alpha and the offsets are chosen
on two folds and applied to the third (the nested figure); each context set is compared with version 6's protocol
(no context, same options) on the same run, the nested difference bootstrapped over the 21 DS1 patients (patients
resampled with replacement, the pooled confusion's objective recomputed). Per record: V sensitivity and false V on
106 and 208 (bigeminy), 203 (atrial fibrillation, multiform V) and 108 (noise).

--veto screens a second stage instead: version 6's V calls (its protocol, no context) vetoed, next best class given,
when a class-balanced logistic regression of true V against not, on the V calls' 19 channels, V margin and context,
gives log-odds below a threshold; the regression and threshold are chosen on the other two folds (threshold on their
out-of-fold log-odds, each fitted on the other; "None" is no veto).

usage:
  heartbeat-context.py --beats ds1-beats.csv [--l2 1] [--alphas 0,1,2,4] [--only V|S|all] [--objective vna|svna]
      [--no-s] [--s-gates 100,0.3,0.2,0.15] [--sets v,s,e,c,all] [--weights 0.1,0.3] [--resamples 1000] [--veto]
      PREDICTIONS.csv [more PREDICTIONS.csv files]
"""
import argparse
import importlib.util
import os

import numpy as np

_spec = importlib.util.spec_from_file_location(
    "head", os.path.join(os.path.dirname(os.path.abspath(__file__)), "heartbeat-head.py"))
head_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(head_mod)
offsets = head_mod.offsets
K = head_mod.K


def read_all(paths):
    """Every detection's (record, sample) -> mean of the members' log-probabilities (unlabelled ones too)."""
    out = None
    for path in paths:
        rows = {}
        with open(path) as f:
            next(f)
            for line in f:
                p = line.rstrip().split(",")
                probs = np.maximum(np.array([float(v) for v in p[4:9]], dtype=np.float32), 1e-9)
                rows[(p[1], int(p[2]))] = np.log(probs)
        if out is None:
            out = rows
        else:
            if rows.keys() != out.keys():
                raise SystemExit(f"{path}: not the same beats as {paths[0]}")
            for k in out:
                out[k] = out[k] + rows[k]
    return {k: v / len(paths) for k, v in out.items()}


def ewm(values, weight, start):
    """Running mean of the values before each beat (beat i sees the values of beats 0 to i-1): m_i = (1-w) m_{i-1} + w v_{i-1}."""
    out = np.empty(len(values))
    m = start
    for i, v in enumerate(values):
        out[i] = m
        m = (1 - weight) * m + weight * v
    return out


def previous(values, lag, start):
    out = np.full(len(values), start, dtype=float)
    out[lag:] = values[:-lag]
    return out


def context(channels, records, samples, x, logp, weights, head_v):
    """Context columns (name -> array over the beats in the --beats order), from each record's previous beats;
    head_v: version 6's V score against N per beat (the ensemble's log-odds plus 4 times the held-out head's)."""
    lv = logp[:, 2] - logp[:, 0]
    ls = logp[:, 1] - logp[:, 0]
    ectopic = (np.argmax(logp, axis=1) != 0).astype(float)
    corr1 = x[:, channels.index("lead1-correlation")]
    corr2 = x[:, channels.index("lead2-correlation")]
    noise1 = x[:, channels.index("lead1-noise-over-usual")]
    noise2 = x[:, channels.index("lead2-noise-over-usual")]
    start_lv, start_ls = -8.0, -8.0
    cols = {}

    def put(name, values):
        cols.setdefault(name, np.zeros(len(x)))[idx] = values

    for r in sorted(set(records)):
        idx = np.where(records == r)[0]
        idx = idx[np.argsort(samples[idx], kind="stable")]
        put("v-prev1", previous(lv[idx], 1, start_lv))
        put("v-prev2", previous(lv[idx], 2, start_lv))
        put("s-prev1", previous(ls[idx], 1, start_ls))
        put("s-prev2", previous(ls[idx], 2, start_ls))
        for w in weights:
            put(f"v-mean-{w:g}", ewm(lv[idx], w, start_lv))
            put(f"s-mean-{w:g}", ewm(ls[idx], w, start_ls))
            put(f"ectopic-mean-{w:g}", ewm(ectopic[idx], w, 0.0))
            put(f"corr1-mean-{w:g}", ewm(corr1[idx], w, 1.0))
            put(f"corr2-mean-{w:g}", ewm(corr2[idx], w, 1.0))
            put(f"noise1-mean-{w:g}", ewm(noise1[idx], w, 0.0))
            put(f"noise2-mean-{w:g}", ewm(noise2[idx], w, 0.0))
            put(f"v-over-mean-{w:g}", lv[idx] - ewm(lv[idx], w, start_lv))
        put("v-own", lv[idx])
        put("h-prev1", previous(head_v[idx], 1, start_lv))
        for w in weights:
            put(f"h-mean-{w:g}", ewm(head_v[idx], w, start_lv))
    return cols


SETS = {
    "v": ("v-prev1", "v-prev2", "v-mean"),
    "s": ("s-prev1", "s-prev2", "s-mean"),
    "e": ("ectopic-mean",),
    "c": ("corr1-mean", "corr2-mean", "noise1-mean", "noise2-mean"),
    "r": ("v-own", "v-over-mean"),
    "h": ("h-prev1", "h-mean"),
}


def columns(cols, name):
    if name == "none":
        return []
    keys = "vsec" if name == "all" else name
    prefixes = [p for k in keys for p in SETS[k]]
    return [c for c in cols if any(c == p or c.startswith(p + "-") for p in prefixes)]


def nested(plab, logp, head, folds, alphas, picks=None, irregularity=None, gates=(None,)):
    """Per-beat classes with alpha and offsets (and the S gate, if gates are given: heartbeat-head.py --s-gates)
    chosen on the other folds; the choices per fold (and, into picks, fold -> (alpha, offsets))."""
    given = np.zeros(len(plab), dtype=np.int64)
    choices = []
    for f in sorted(set(folds)):
        k = folds != f
        if gates != (None,):
            _, a, o, g = head_mod.best(plab[k], logp[k], head[k], alphas, irregularity[k], gates)
        else:
            (_, a, o), g = head_mod.best(plab[k], logp[k], head[k], alphas), None
        m = folds == f
        z = head_mod.gated(logp[m], irregularity[m], g) if g is not None else logp[m]
        given[m] = np.argmax(z + a * head[m] + o, axis=1)
        choices.append(f"fold {f}: " + (f"S gate {g:g}, " if g is not None else "") + f"alpha {a:g}, offsets "
                       + ",".join(f"{t:g}" for t in o))
        if picks is not None:
            picks[f] = (a, o)
    return given, choices


VETO_GRID = [None] + [float(t) for t in np.arange(-3, 3.01, 0.5)]


def vetoed(z, odds, threshold):
    """Classes of scores z, V calls whose veto log-odds (true V against not) are below threshold given their next
    best class instead."""
    given = np.argmax(z, axis=1)
    if threshold is None:
        return given
    out = given.copy()
    drop = (given == 2) & (odds < threshold)
    rest = z.copy()
    rest[:, 2] = -np.inf
    out[drop] = np.argmax(rest[drop], axis=1)
    return out


def veto_odds(f_train, y_train, f_test, l2):
    """Log-odds of true V against not for the test candidates, a class-balanced logistic regression fitted on the
    training candidates."""
    model = head_mod.fit(f_train, y_train.astype(np.int64), l2)
    s = head_mod.scores(model, f_test)
    return s[:, 1] - s[:, 0]


def veto_screen(plab, logp, head, folds, picks, features, l2):
    """Second stage on V calls: for each held-out fold k, the calls of version 6's protocol (alpha and offsets chosen
    on the other folds), a regression of true V against not on the features of the V calls of the other folds (the
    same choice applied there), and a threshold chosen on those folds' out-of-fold veto log-odds (each of the two
    fitted on the other), V calls below it vetoed (next best class)."""
    given = np.zeros(len(plab), dtype=np.int64)
    choices = []
    for k in sorted(set(folds)):
        a, o = picks[k]
        z = logp + a * head + o
        cand = np.argmax(z, axis=1) == 2
        margin = z[:, 2] - np.max(np.delete(z, 2, axis=1), axis=1)
        f_all = np.hstack([features, margin[:, None]])
        true_v = plab == 2
        train = folds != k
        inner = np.zeros(len(plab))
        for j in sorted(set(folds[train])):
            fit_on = train & (folds != j) & cand
            apply_to = (folds == j) & cand
            inner[apply_to] = veto_odds(f_all[fit_on], true_v[fit_on], f_all[apply_to], l2)
        top = max(VETO_GRID, key=lambda t: offsets.objective(
            offsets.confusion(plab[train], vetoed(z[train], inner[train], t))))
        odds = np.zeros(len(plab))
        m = folds == k
        odds[m & cand] = veto_odds(f_all[train & cand], true_v[train & cand], f_all[m & cand], l2)
        given[m] = vetoed(z[m], odds[m], top)
        choices.append(f"fold {k}: veto below {top}")
    return given, choices


def row(c):
    """heartbeat-head.py's summary line, the objective named as chosen (vna or svna)."""
    name = next(k for k, v in offsets.OBJECTIVES.items() if v == offsets.TERMS)
    return head_mod.row(c).replace("| vna", f"| {name}")


def per_record(plab, given, precs, names):
    out = []
    for r in names:
        m = precs == r
        c = offsets.confusion(plab[m], given[m])
        se = c[2, 2] / c[2].sum() if c[2].sum() else float("nan")
        out.append(f"{r[-3:]} V Se {100 * se:.1f}% ({c[2, 2]}/{c[2].sum()}), false V {c[:, 2].sum() - c[2, 2]}")
    return "; ".join(out)


def bootstrap(plab, base, other, precs, resamples, seed=1):
    pats = sorted(set(precs))
    cms = [(offsets.confusion(plab[precs == p], base[precs == p]),
            offsets.confusion(plab[precs == p], other[precs == p])) for p in pats]
    rng = np.random.default_rng(seed)
    d = []
    for _ in range(resamples):
        s = rng.choice(len(pats), len(pats))
        a = sum(cms[i][0] for i in s)
        b = sum(cms[i][1] for i in s)
        d.append(offsets.objective(b) - offsets.objective(a))
    d = np.array(d)
    return np.quantile(d, 0.05), np.quantile(d, 0.95), (d > 0).mean()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beats", required=True, help="seqcast train --task heartbeats --export-beats FILE")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--alphas", default="0,1,2,4")
    parser.add_argument("--only", default="V", help="V or S (the head moves that class's score alone) or all")
    parser.add_argument("--objective", choices=sorted(offsets.OBJECTIVES), default="vna")
    parser.add_argument("--sets", default="v,s,e,c,vs,all")
    parser.add_argument("--weights", default="0.1,0.3")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--s-gates", help="irregularity thresholds above which S is not called, searched with"
                        " alpha and the offsets (heartbeat-head.py --s-gates; the nested figure only)")
    parser.add_argument("--no-s", action="store_true", help="S offset fixed at -8 (S given up) instead of searched")
    parser.add_argument("--veto", action="store_true", help="a second stage vetoing version 6's V calls (V alone,"
                        " no context in the head) by a regression on the channels and the context; sets may be none")
    parser.add_argument("predictions", nargs="+")
    args = parser.parse_args()
    offsets.TERMS = offsets.OBJECTIVES[args.objective]
    if args.no_s:
        head_mod.GRID_S = np.array([-8.0])
    channels, records, samples, labels, x = head_mod.read_beats(args.beats)
    every = read_all(args.predictions)
    logp_all = np.array([every[(r, s)] for r, s in zip(records, samples)])
    beat_folds = head_mod.folds_of(records)
    plain = head_mod.held_out_head(x, labels, beat_folds, args.l2)
    head_v = logp_all[:, 2] - logp_all[:, 0] + 4 * (plain[:, 2] - plain[:, 0])
    cols = context(channels, records, samples, x, logp_all, [float(w) for w in args.weights.split(",")], head_v)

    folds, precs, plab, logp = offsets.ensemble(args.predictions)
    index = {(r, s): i for i, (r, s) in enumerate(zip(records, samples))}
    with open(args.predictions[0]) as f:
        next(f)
        keys = [(p[1], int(p[2])) for p in (line.split(",") for line in f) if int(p[3]) >= 0]
    rows = np.array([index[k] for k in keys])
    if not np.array_equal(labels[rows], plab) or not np.array_equal(head_mod.folds_of(records)[rows], folds):
        raise SystemExit("the predictions' beats are not those of --beats (labels or folds differ)")
    alphas = [float(a) for a in args.alphas.split(",")]
    irregularity = x[rows, channels.index("rr-irregularity")]
    gates = tuple(float(g) for g in args.s_gates.split(",")) if args.s_gates else (None,)
    watch = [r for r in ("mitdb_106", "mitdb_208", "mitdb_203", "mitdb_108", "mitdb_119") if r in set(precs)]
    print(f"{len(plab)} held-out beats; head l2 {args.l2:g}, moving {args.only}, alphas {args.alphas}, objective "
          f"{args.objective}; nested: alpha and offsets chosen on the other two folds")
    base = None
    if args.veto:
        head = head_mod.only(plain[rows].T, 2).T
        picks = {}
        base, choices = nested(plab, logp, head, folds, alphas, picks)
        print("\n## version 6's protocol (no context): " + "; ".join(choices))
        print("nested: " + row(offsets.confusion(plab, base)))
        print("nested per record: " + per_record(plab, base, precs, watch))
        for name in args.sets.split(","):
            extra = columns(cols, name)
            features = np.hstack([x] + [cols[c][:, None] for c in extra])[rows]
            given, choices = veto_screen(plab, logp, head, folds, picks, features, args.l2)
            c = offsets.confusion(plab, given)
            print(f"\n## veto on the 19 channels, the V margin and context {name}: {','.join(extra)}")
            print("; ".join(choices))
            print("nested: " + row(c))
            print("nested per record: " + per_record(plab, given, precs, watch))
            lo, hi, pos = bootstrap(plab, base, given, precs, args.resamples)
            d = offsets.objective(c) - offsets.objective(offsets.confusion(plab, base))
            print(f"nested difference against no veto {d:+.4f}, 90% interval [{lo:+.4f}, {hi:+.4f}], "
                  f"positive in {100 * pos:.0f}% of {args.resamples} resamples over patients")
            print(offsets.table(c).split("\n\n")[0])
        return
    for name in ["none"] + args.sets.split(","):
        extra = columns(cols, name)
        xe = np.hstack([x] + [cols[c][:, None] for c in extra]) if extra else x
        head = head_mod.held_out_head(xe, labels, beat_folds, args.l2)[rows]
        if args.only != "all":
            head = head_mod.only(head.T, offsets.CLASSES.index(args.only)).T
        if gates == (None,):
            _, a, o = head_mod.best(plab, logp, head, alphas)
            all_folds = offsets.objective(offsets.confusion(plab, np.argmax(logp + a * head + o, axis=1)))
            all_folds = f"all folds {all_folds:.4f} (alpha {a:g}, offsets {','.join(f'{t:g}' for t in o)}); "
        else:
            all_folds = ""
        given, choices = nested(plab, logp, head, folds, alphas, None, irregularity, gates)
        c = offsets.confusion(plab, given)
        print(f"\n## context {name}: {len(extra)} columns {','.join(extra)}")
        print(all_folds + "; ".join(choices))
        print("nested: " + row(c))
        print("nested per record: " + per_record(plab, given, precs, watch))
        if base is None:
            base = given
            print(offsets.table(c))
        else:
            lo, hi, pos = bootstrap(plab, base, given, precs, args.resamples)
            d = offsets.objective(c) - offsets.objective(offsets.confusion(plab, base))
            print(f"nested difference against no context {d:+.4f}, 90% interval [{lo:+.4f}, {hi:+.4f}], "
                  f"positive in {100 * pos:.0f}% of {args.resamples} resamples over patients")
            print(offsets.table(c).split("\n\n")[0])


if __name__ == "__main__":
    main()
