#!/usr/bin/env python3
"""Sweeps of seqcast's anomaly scoring on NAB, and the cross-validation that chose its settings.

A line-by-line replica in Python (standard library only) of what `seqcast evaluate nab` computes per row from the
forecasts: novelty (anomaly/Novelty.java), the forecast-residual likelihood (anomaly/AnomalyLikelihood.java) and
their fusion (anomaly/AnomalyFusion.java), so that variants can be scored in seconds without rebuilding. Fed the
per-row forecasts of a Java run (`seqcast evaluate nab --forecasts DIR`), it writes the same scores as the Java path.
NAB's scorer is imported from --scorer (or $SEQCAST_NAB_SCORER) and run in-process.

    scripts/nab_novelty_sweep.py --forecasts DIR [--nab data/nab] [--scorer nab_score.py] [--cv|--report] [VARIANT ...]

With --cv: every setting of the grid (GRID, or --grid JSON, or a named grid: severity, all, steady, wide) is scored on
each half of the splits of the 24 files by category (SPLITS); per direction the setting best on the tuning half is
scored on the held-out half at its threshold and, for reference, at the held-out half's own optimum. `--cv --grid
severity` is the search that chose the shipped settings: NAB's threshold is not optimised but is one of the pipeline's
two alert levels (key `level`: the critical level -log10(anomaly.critical-rate) / 100, shipped, or the warning level of
anomaly.false-alert-rate; the rates are read from --pipeline); the earlier grids optimise NAB's threshold (level
'optimised'). With --report: the tables of EVALUATION.md (scripts/evaluate-nab.sh runs it).
Otherwise: the table of the variants given, NAME=key:value,key:value over DEFAULTS (the shipped settings; the keys
beyond them are the alternatives that were swept: lik_step 0 (the likelihood graded, as before), raw gauss/exp/ramp, scale rms/mad, short_kind ew/sma, episode
red/hold, calib_rate (a per-series calibration of the published likelihood: no gain on NAB), nov_ramp (novelty scaled
down on young series: lost in cross-validation), refr_discount, seasons, weight, lik_cap, use novelty/likelihood).
Forecast sources (key `forecast`): `model` (the per-row forecasts of DIR) and `naive` (the last value).
"""
import argparse
import csv
import datetime
import importlib.util
import itertools
import json
import math
import os
import statistics
import struct
import sys

DAY = 86400
# novelty (anomaly/Novelty) and likelihood (anomaly/AnomalyLikelihood) settings; fusion (anomaly/AnomalyFusion)
DEFAULTS = dict(
    # novelty
    features='value+activity+daily+weekly', memory=12, tolerance=0.01, refractory_h=12, warmup=288,
    daily=48, weekly=168, cap=0, activity_warmup=0, nov_ramp=0, refr_discount=10.0, seasons=3, shared=1,
    # residual likelihood
    forecast='model', raw='ramp', scale='rms', ramp_lo=3.0, ramp_hi=10.0, scale_memory=500, short=5, long=500, min_count=288, var_floor=0.0003,
    mean_floor=0.03, red=5.0, yellow=3.0, short_kind='ew', episode='red', calib_rate=0.0, calib_step=0.1,
    calib_min=0.01, calib_max=1000.0,
    # fusion: which scores count, and the weight of the likelihood's orders of magnitude against novelty's
    use='novelty+likelihood', weight=1.0, lik_cap=8.0, lik_step=1.0, cap_surprise=100.0,
    # NAB's threshold: the pipeline's critical level, -log10(anomaly.critical-rate) / 100 (not tuned), 'warning' the
    # level of anomaly.false-alert-rate, 'optimised' NAB's threshold optimised on the files scored
    level='critical')
# the rates of the machines pipeline (topology/machines.yaml, --pipeline), read at start: they were set with the
# pipeline before any NAB evaluation existed, so the NAB threshold they give is fixed a priori
RATES = dict(warning=0.0005, critical=0.000001)


def read_rates(pipeline):
    """RATES from the pipeline file's anomaly section (its two keys, plain numbers)."""
    import re
    with open(pipeline) as fh:
        text = fh.read()
    for level, key in (('warning', 'false-alert-rate'), ('critical', 'critical-rate')):
        m = re.search(r'^\s+%s:\s*([0-9.eE+-]+)\s*$' % key, text, re.M)
        if not m:
            raise SystemExit('%s: no anomaly.%s' % (pipeline, key))
        RATES[level] = float(m.group(1))


def level_threshold(p):
    """NAB's threshold of a setting on the published score (None: optimised by NAB's scorer)."""
    if p['level'] == 'optimised':
        return None
    return -math.log10(RATES[p['level']]) / p['cap_surprise']
TABLE = [
    ('chosen', {}),
]
# the splits of the 24 files by category (two halves each): tune on one half, score on the other, both ways
SPLITS = {
    'A': (('artificialNoAnomaly', 'realKnownCause'), ('artificialWithAnomaly', 'realAdExchange')),
    'B': (('artificialWithAnomaly', 'realKnownCause'), ('artificialNoAnomaly', 'realAdExchange')),
}


def f32(x):
    return struct.unpack('f', struct.pack('f', x))[0]


class Feature:
    """A short mean and its range; judged after min_count values."""

    def __init__(self, memory):
        self.memory, self.mean, self.lo, self.hi, self.n = memory, 0.0, 0.0, 0.0, 0

    def smooth(self, v):
        self.mean = v if self.n == 0 else self.mean + (v - self.mean) / self.memory
        return self.mean

    def judge(self, v, min_count, high, tolerance):
        surprise = 0.0
        if self.n >= min_count and self.hi > self.lo:
            beyond = ((v - self.hi) if high else (self.lo - v)) / (self.hi - self.lo)
            surprise = 12 + 100 * beyond if beyond > tolerance else 0.0
        self.lo, self.hi = (v, v) if self.n == 0 else (min(self.lo, v), max(self.hi, v))
        self.n += 1
        return surprise


class Profile:
    def __init__(self, season, buckets):
        self.season, self.width = season, season / buckets
        self.ring, self.current, self.sum, self.count = [math.nan] * buckets, -1, 0.0, 0

    def observe(self, t, x):
        b = int((t % self.season) // self.width)
        if self.current >= 0 and self.current != b:
            self.ring[self.current] = self.sum / self.count
            self.sum, self.count = 0.0, 0
        self.current = b
        self.sum += x
        self.count += 1
        return self.ring[b]


def novelty(times, values, interval, p):
    """Orders of magnitude of unlikeliness of each row's novelty (0: nothing new)."""
    feats = set(p['features'].split('+'))
    profiles = []
    for name, season in (('daily', DAY), ('weekly', 7 * DAY)):
        if name in feats:
            buckets = p[name]
            if p['cap']:
                buckets = max(1, min(int(round(season / interval)), p['cap']))
            profiles.append((Profile(season, buckets), Feature(p['memory']),
                             max(p['warmup'], int(p['seasons'] * int(season / interval)))))
    activity = Feature(p['memory'])
    lo, hi, last, novelty_at, out = math.inf, -math.inf, None, None, []
    kinds = KINDS[id(values)] = []
    for t, x in zip(times, values):
        surprise = 0.0
        kind = None
        seen = 0 if last is None else activity.n + 1
        if 'value' in feats and seen >= p['warmup'] and hi > lo:
            beyond = max(x - hi, lo - x) / (hi - lo)
            surprise = 12 + 100 * beyond if beyond > p['tolerance'] else 0.0
            kind = 'level'
        if last is not None:
            a = activity.smooth(abs(x - last))
            s = activity.judge(a, max(p['warmup'], p['activity_warmup']), False, p['tolerance'])
            if 'activity' in feats and s > surprise:
                surprise, kind = s, 'quiet'
        for j, (profile, feature, min_count) in enumerate(profiles):
            expected = profile.observe(t, x)
            if not math.isnan(expected):
                d = feature.smooth(abs(x - expected))
                s = feature.judge(d, min_count, True, p['tolerance'])
                if s > surprise:
                    surprise, kind = s, 'broken-cycle (%s)' % ('daily' if profile.season == DAY else 'weekly')
        kinds.append(kind)
        last, lo, hi = x, min(lo, x), max(hi, x)
        if surprise > 0:
            if p['nov_ramp'] > 0:
                surprise *= min(1.0, seen / p['nov_ramp'])
            if novelty_at is not None and t - novelty_at <= p['refractory_h'] * 3600:
                surprise /= p['refr_discount']
            else:
                novelty_at = t
        out.append(surprise)
    return out


KINDS = {}


def q(z):
    """Upper tail of the standard normal at z."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def likelihood(values, expected, p):
    """Orders of magnitude of unlikeliness of each row's residual likelihood (0 where there is no forecast)."""
    out = []
    ms = ma = 0.0
    scale_n = 0
    short = 0.0
    ring = []
    mean = var = 0.0
    n = 0
    prev_red = False
    c = 1.0
    prev_above = False
    for x, f in zip(values, expected):
        if f is None or math.isnan(f):
            out.append(0.0)
            continue
        e = x - f
        if scale_n == 0:
            raw = 0.0
        else:
            rms = math.sqrt(ms)
            zr = abs(e) / rms if rms > 0 else (0.0 if e == 0 else math.inf)
            if p['raw'] == 'gauss':
                raw = math.erf(zr / math.sqrt(2))
            elif p['raw'] == 'exp':
                raw = 1 - math.exp(-zr)
            elif p['raw'] == 'ramp':
                raw = min(1.0, max(0.0, (zr - p['ramp_lo']) / (p['ramp_hi'] - p['ramp_lo'])))
            else:
                raise ValueError(p['raw'])
        beta = 1.0 / min(scale_n + 1, p['scale_memory'])
        if p['scale'] == 'rms':
            ms = (1 - beta) * ms + beta * e * e
        else:
            ma = (1 - beta) * ma + beta * abs(e)
            ms = (1.2533 * ma) ** 2
        scale_n += 1
        if p['short_kind'] == 'ew':
            short = raw if n == 0 else short + (raw - short) / p['short']
        else:
            ring.append(raw)
            if len(ring) > p['short']:
                ring.pop(0)
            short = sum(ring) / len(ring)
        surprise = 0.0
        if n >= p['min_count']:
            sd = math.sqrt(max(var, p['var_floor']))
            z = (short - max(mean, p['mean_floor'])) / sd
            tail = max(q(z), 1e-300)
            surprise = -math.log10(tail)
        if p['episode'] == 'red':
            red = surprise >= p['red']
            if red and prev_red:
                surprise = min(surprise, p['yellow'])
            prev_red = red
        elif prev_red and surprise >= p['yellow']:  # 'hold': an episode lasts until its surprise is below yellow
            surprise = min(surprise, p['yellow'])
        else:
            prev_red = surprise >= p['red']
        if p['calib_rate'] > 0 and n >= p['min_count']:
            surprise *= c
            above = surprise >= -math.log10(p['calib_rate'])
            exceed = 1.0 if above and not prev_above else 0.0
            prev_above = above
            c = min(p['calib_max'], max(p['calib_min'], c * math.exp(-p['calib_step'] * (exceed - p['calib_rate']))))
        alpha = 1.0 / min(n + 1, p['long'])
        delta = short - mean
        mean += alpha * delta
        var = (1 - alpha) * (var + alpha * delta * delta)
        n += 1
        out.append(surprise)
    return out


def fuse(nov, lik, p):
    use = set(p['use'].split('+'))
    cap = p['cap_surprise']
    out = []
    for a, b in zip(nov, lik):
        s = max(a if 'novelty' in use else 0.0, published_likelihood(b, p) if 'likelihood' in use else 0.0)
        out.append(min(1.0, s / cap))
    return out


def published_likelihood(surprise, p):
    """The likelihood's orders of magnitude as fused (AnomalyFusion.published): capped at lik_cap, rounded down to whole
    steps of lik_step from the first step on (0: graded throughout); below the first step graded, so positive."""
    b = min(surprise, p['lik_cap'])
    if p['lik_step'] > 0 and b >= p['lik_step']:
        b = math.floor(b / p['lik_step']) * p['lik_step']
    return p['weight'] * b


class Nab:
    """The NAB files, their labelled rows and the scorer, loaded once."""

    def __init__(self, nab, scorer, forecasts):
        spec = importlib.util.spec_from_file_location('nab_score', scorer)
        self.ns = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.ns)
        windows = self.ns.load_windows(os.path.join(nab, 'labels', 'combined_windows.json'))
        data = os.path.join(nab, 'data')
        self.files = []
        for category in sorted(os.listdir(data)):
            for name in sorted(os.listdir(os.path.join(data, category))):
                rel = category + '/' + name
                with open(os.path.join(data, category, name)) as fh:
                    rows = list(csv.reader(fh))[1:]
                stamps = [r[0] for r in rows]
                times = [datetime.datetime.strptime(s, '%Y-%m-%d %H:%M:%S').replace(
                    tzinfo=datetime.timezone.utc).timestamp() for s in stamps]
                values = [float(r[1]) for r in rows]
                interval = statistics.median(b - a for a, b in zip(times, times[1:]))
                kinds, unw = self.ns.classify_rows([self.ns.norm_ts(s) for s in stamps], windows[rel])
                rec = self.ns.FileRecord(rel, len(rows), len(windows[rel]), kinds, unw, [0.0] * len(rows))
                model = read_forecasts(os.path.join(forecasts, name[:-4] + '.csv'), len(rows)) if forecasts else None
                naive = [None] + values[:-1]
                self.files.append(dict(rel=rel, category=category, times=times, values=values, interval=interval,
                                       rec=rec, forecasts=dict(model=model, naive=naive)))
        self.cache = {}

    @staticmethod
    def nkey(p):
        return tuple(p[k] for k in ('features', 'memory', 'tolerance', 'refractory_h', 'warmup', 'daily', 'weekly',
                                    'cap', 'activity_warmup', 'nov_ramp', 'refr_discount', 'seasons'))

    @staticmethod
    def lkey(p):
        return tuple(p[k] for k in ('forecast', 'raw', 'scale', 'ramp_lo', 'ramp_hi', 'scale_memory', 'short', 'long', 'min_count', 'var_floor',
                                    'mean_floor', 'red', 'yellow', 'short_kind', 'episode', 'calib_rate', 'calib_step',
                                    'calib_min', 'calib_max'))

    def scores(self, p):
        """Per file, the scores of the detector of settings p."""
        if p['shared']:
            return [list(x) for x in fast_scores(self, p)]
        nkey, lkey = self.nkey(p), self.lkey(p)
        out = []
        for f in self.files:
            k1 = ('n', f['rel']) + nkey
            if k1 not in self.cache:
                self.cache[k1] = novelty(f['times'], f['values'], f['interval'], p)
            k2 = ('l', f['rel']) + lkey
            if k2 not in self.cache:
                fc = f['forecasts'][p['forecast']]
                if fc is None:
                    raise SystemExit('forecast %s needs --forecasts DIR' % p['forecast'])
                self.cache[k2] = likelihood(f['values'], fc, p)
            out.append(fuse(self.cache[k1], self.cache[k2], p))
        return out

    def score(self, scores, categories=None, threshold=None, profile='standard'):
        """NAB's normalised score of the files of these categories (all if None): (score, threshold)."""
        recs, nulls = [], []
        for f, s in zip(self.files, scores):
            if categories is None or f['category'] in categories:
                f['rec'].scores = s
                recs.append(f['rec'])
                r = f['rec']
                nulls.append(self.ns.FileRecord(r.name, r.n_rows, r.n_windows, r.kinds, r.unweighted,
                                                [0.5] * r.n_rows))
        prof = self.ns.DEFAULT_PROFILES[profile]
        key = ('null', profile, tuple(sorted(categories)) if categories else None)
        if key not in self.cache:
            self.cache[key] = self.ns.score_corpus(nulls, prof)['raw_score']
        null = self.cache[key]
        perfect = sum(r.n_windows for r in recs) * prof['tpWeight']
        res = self.ns.score_corpus(recs, prof, threshold=threshold)
        return 100 * (res['raw_score'] - null) / (perfect - null), res['threshold'], res


class FastScore:
    """NAB's scoring of one group of files, vectorised (numpy) for the grid: the same sums in the same order as the
    scorer's optimise_threshold (so the same threshold, ties to the highest), and score_file's at a fixed threshold.
    Checked against the scorer on every call of --check."""

    def __init__(self, nab, categories, profile='standard'):
        import numpy as np
        self.np = np
        prof = nab.ns.DEFAULT_PROFILES[profile]
        self.tp_w, self.fp_w, self.fn_w = nab.ns.profile_weights(prof)
        self.idx, rows_v, rows_w, self.scorable = [], [], [], 0
        self.n_windows = 0
        wid = 0
        for i, f in enumerate(nab.files):
            if categories is not None and f['category'] not in categories:
                continue
            r = f['rec']
            keep = np.array([k != nab.ns.PROBATIONARY for k in r.kinds])
            kinds = np.array(r.kinds)[keep]
            unw = np.array(r.unweighted)[keep]
            v = np.where(kinds >= 0, unw * self.tp_w / nab.ns.MAX_TP, unw * self.fp_w)
            w = np.where(kinds >= 0, kinds + wid, -1)
            wid += max(r.kinds) + 1 if max(r.kinds) >= 0 else 0
            self.scorable += len(r.scorable_windows)
            self.n_windows += r.n_windows
            self.idx.append((i, keep))
            rows_v.append(v)
            rows_w.append(w)
        self.v = np.concatenate(rows_v)
        self.w = np.concatenate(rows_w)
        self.windows = np.unique(self.w[self.w >= 0])
        null = nab.ns.score_corpus([nab.ns.FileRecord(f['rec'].name, f['rec'].n_rows, f['rec'].n_windows,
                                                      f['rec'].kinds, f['rec'].unweighted, [0.5] * f['rec'].n_rows)
                                    for i, f in enumerate(nab.files) if any(i == j for j, _ in self.idx)],
                                   prof)['raw_score']
        self.null, self.perfect = null, self.n_windows * self.tp_w

    def rows(self, scores):
        return self.np.concatenate([self.np.asarray(scores[i])[keep] for i, keep in self.idx])

    def normalised(self, raw):
        return 100 * (raw - self.null) / (self.perfect - self.null)

    def optimise(self, scores):
        """(normalised score, threshold) at NAB's optimised threshold. Only rows scored above 0 are sorted: the rows
        at 0 are one tie group, the last, where every row is detected (all outside rows and each window's best)."""
        np = self.np
        s = self.rows(scores)
        nz = np.nonzero(s > 0)[0]
        order = nz[np.argsort(-s[nz], kind='stable')]
        s, v, w = s[order], self.v[order], self.w[order]
        inc = np.where(w < 0, v, 0.0)
        for k in np.unique(w[w >= 0]):
            at = np.nonzero(w == k)[0]
            cm = np.maximum.accumulate(np.maximum(v[at], -self.fn_w))
            inc[at] = np.diff(np.concatenate(([-self.fn_w], cm)))
        start = -self.fn_w * self.scorable
        total = np.cumsum(np.concatenate(([start], inc)))[1:]
        last = np.nonzero(np.concatenate((s[1:] != s[:-1], [True])))[0] if len(s) else np.array([], dtype=int)
        curve = [np.array([start]), total[last]]
        thresholds = [np.array([max(1.1, s[0] + 1.0) if len(s) and s[0] >= 1.1 else 1.1]), s[last]]
        if len(nz) < len(self.v):
            curve.append(np.array([self.everything()]))
            thresholds.append(np.array([0.0]))
        curve, thresholds = np.concatenate(curve), np.concatenate(thresholds)
        j = int(np.argmax(curve))
        return self.normalised(curve[j]), float(thresholds[j])

    def everything(self):
        """The raw score with every row detected."""
        np = self.np
        if not hasattr(self, '_all'):
            raw = float(np.sum(self.v[self.w < 0]))
            for k in self.windows:
                raw += max(float(np.max(self.v[self.w == k])), -self.fn_w)
            self._all = raw
        return self._all

    def at(self, scores, threshold):
        """Normalised score at a fixed threshold."""
        np = self.np
        if threshold <= 0:
            return self.normalised(self.everything())
        s = self.rows(scores)
        d = np.nonzero(s >= threshold)[0]
        v, w = self.v[d], self.w[d]
        raw = float(np.sum(v[w < 0]))
        found = set()
        for k in np.unique(w[w >= 0]):
            raw += max(float(np.max(v[w == k])), -self.fn_w)
            found.add(k)
        raw += -self.fn_w * (len(self.windows) - len(found))
        return self.normalised(raw)


def read_forecasts(path, n):
    """The forecast each row was scored against: the 1-step forecast made at the row before (float, as stored)."""
    if not os.path.isfile(path):
        raise SystemExit('no forecasts file %s' % path)
    with open(path) as fh:
        rows = list(csv.reader(fh))
    header, rows = rows[0], rows[1:]
    if len(rows) != n:
        raise SystemExit('%s has %d rows, the data file %d' % (path, len(rows), n))
    col = header.index('expected') if 'expected' in header else None
    out = []
    for i, r in enumerate(rows):
        if col is not None:
            out.append(float(r[col]) if r[col] else None)
        elif i > 0 and len(rows[i - 1]) > 3:
            out.append(f32(float(rows[i - 1][3])))
        else:
            out.append(None)
    return out


def parse_variant(text):
    name, _, spec = text.partition('=')
    change = {}
    for kv in (x for x in spec.split(',') if x):
        k, v = kv.split(':', 1)
        change[k] = v if isinstance(DEFAULTS[k], str) else type(DEFAULTS[k])(v)
    return name, change


def table(nab, variants):
    """Per variant: NAB's three profiles at the variant's level (its fixed threshold; NAB-optimised if level is
    'optimised'), and the standard profile at NAB's threshold optimised on the 24 files beside it."""
    print('| variant | standard | reward low FP | reward low FN | threshold | standard, NAB-optimised threshold |\n'
          '|---|---|---|---|---|---|')
    for name, change in variants:
        p = dict(DEFAULTS, **change)
        s = nab.scores(p)
        thr = level_threshold(p)
        r = [nab.score(s, profile=pr, threshold=thr) for pr in ('standard', 'reward_low_FP_rate', 'reward_low_FN_rate')]
        o = nab.score(s)
        print('| %s | %.2f | %.2f | %.2f | %.4f | %.2f (%.4f) |' % (name, r[0][0], r[1][0], r[2][0], r[0][1], o[0],
                                                                   o[1]), flush=True)


# The cross-validated grid: the likelihood's cap (its published orders are whole, lik_step 1, fixed a priori), its red
# level and long memory, the seasons after which profiles are judged, novelty's refractory period. Every tuning half of
# both splits chose lik_cap 8, red 5, long 500, seasons 3, refractory 24 h (EVALUATION.md).
GRID = dict(lik_cap=[6.0, 8.0, 10.0, 20.0], red=[5.0, 8.0], long=[500.0, 2000.0], seasons=[1, 3], refractory_h=[12, 24])
# A wider grid that also tunes the raw surprise's ramp, the short mean, novelty's memory and tolerance (192 settings):
# `--cv --grid wide`
GRID_WIDE = dict(lik_cap=[6.0, 8.0, 10.0, 20.0], ramp_hi=[6.0, 10.0], short=[5, 10], memory=[12, 24],
                 tolerance=[0.01, 0.05], refractory_h=[6, 12, 24])


def cv(nab, base, grid):
    """Cross-validation by category halves: per split and direction, the setting best on the tuning half (with NAB's
    threshold optimised there) scored on the held-out half at that threshold and at the held-out half's own optimum;
    and the setting best on all files, scored on all of them."""
    settings = [dict(base, **dict(zip(grid, combo))) for combo in itertools.product(*grid.values())]
    halves = sorted({h for split in SPLITS.values() for h in split})
    results = []
    for p in settings:
        s = nab.scores(p)
        per = {h: nab.score(s, set(h)) for h in halves}
        results.append((p, s, per, nab.score(s)))
    out = {}
    for name, split in SPLITS.items():
        rows = []
        for tune, hold in ((split[0], split[1]), (split[1], split[0])):
            p, s, per, _ = max(results, key=lambda r: r[2][tune][0])
            thr = per[tune][1]
            rows.append(dict(tune=tune, hold=hold, chosen={k: p[k] for k in grid}, tuning=per[tune][0], threshold=thr,
                             held=nab.score(s, set(hold), threshold=thr)[0], held_own=per[hold][0],
                             held_own_threshold=per[hold][1]))
        out[name] = rows
    p, s, _, whole = max(results, key=lambda r: r[3][0])
    return out, ({k: p[k] for k in grid}, whole[0], whole[1]), p


# Every setting of the detector that was chosen by looking at NAB scores, in one cross-validated grid (6144 settings),
# each with the values it was chosen between. The RMS memory of the residuals is tied to the likelihood's long memory
# (both are the series' long memory: one degree of freedom, TIES). Fixed a priori and not in the grid: HTM's
# likelihood learning period (288), floors (mean 0.03, variance 0.0003) and yellow level (3); the whole-order step
# (lik_step 1) and weight 1 of the likelihood; novelty's 12 orders at the range (above any capped likelihood) and 100
# per range width; the forecast's seasonal profiles (48 daily, 168 weekly buckets). Structural choices compared on
# NAB in earlier rounds and not reopened (EVALUATION.md's caveat): the ramp raw surprise, the RMS scale, the
# exponentially weighted short mean, HTM's red-after-red episode filter. New in the grid: shared 1, one refractory
# period for novelty and the likelihood (a red likelihood onset opens it too, and the likelihood is discounted in it).
GRID_ALL = dict(lik_cap=[6.0, 8.0, 10.0], ramp_lo=[2.0, 3.0], ramp_hi=[6.0, 10.0], short=[5.0, 10.0],
                long=[500.0, 2000.0], red=[5.0, 8.0], memory=[12.0, 24.0], tolerance=[0.01, 0.05], seasons=[1, 3],
                refractory_h=[12, 24], refr_discount=[10.0, 100.0], shared=[0, 1])
GRID_STEADY = {k: v for k, v in GRID_ALL.items() if k != 'lik_cap'}
# Issue 18, third round (`--cv --grid severity`, the search that chose the shipped settings): NAB's threshold is not
# optimised but is one of the pipeline's two alert levels, fixed a priori in topology/machines.yaml before any NAB
# evaluation (warning: anomaly.false-alert-rate, critical: anomaly.critical-rate; the choice between them is in the
# grid); the likelihood's cap is out of the grid (at a fixed level at or below the cap, the cap changes no detection:
# it stays at 8, below novelty's 12, so that a level never seen outranks a residual burst); every other setting of
# GRID_ALL stays in it.
GRID_SEVERITY = dict(**GRID_STEADY, level=['warning', 'critical'])
TIES = dict(scale_memory='long')
# The selection rule, fixed before any held-out half was scored: on the tuning half, each setting's score (NAB's
# threshold optimised there) is averaged with those of its grid neighbours (the settings one step away in one
# setting); the setting of the best average is chosen, with its own optimised threshold (ties: the first in the
# grid). A setting whose neighbours score as well is one whose score does not hang on a lucky combination.
# 'best' (the plain argmax) is reported beside it.
#
# The rule 'steady' (designed after 'flat' and 'best' were scored, see EVALUATION.md): the threshold, too, must not sit
# on a knife-edge. On the tuning half each setting is scored at every whole order of the fused score (THRESHOLDS)
# and at the orders next to it; the setting and threshold of the best mean of the three are chosen, and that
# threshold is used on the held-out half (not NAB's optimum on the tuning half, which one window can move by an
# order). Its grid is GRID_STEADY: GRID_ALL without the likelihood's cap, fixed at 10 (just below novelty's 12):
# with whole orders a cap at or above the threshold's order changes nothing and one below it turns the likelihood
# off, which the threshold above 10 orders already does, so the cap was a second threshold.
RULES = ('steady', 'flat', 'best')
THRESHOLDS = [k / 100 for k in range(2, 14)]
# --report: the rule that counts (fixed first) and the plain argmax beside it
REPORT_RULES = ('flat', 'best')


def expand(base, grid):
    out = []
    for combo in itertools.product(*grid.values()):
        p = dict(base, **dict(zip(grid, combo)))
        for k, src in TIES.items():
            if src in grid:
                p[k] = type(base[k])(p[src])
        out.append(p)
    return out


def refractory(times, nov, lik, p):
    """Novelty's refractory period applied after the fact (as novelty() does it: a surprise within refractory_h of the
    last novelty that was not itself discounted is divided by refr_discount). With shared 1 the period is one for both
    parts: a likelihood surprise of red or more (an episode's onset) also opens it, and the likelihood's surprise
    within it is discounted as novelty's is."""
    import numpy as np
    nov, lik = nov.copy(), lik.copy()
    use = set(p['use'].split('+'))  # a part alone is its own detector: only the parts in use open the period
    trig = (nov > 0) if 'novelty' in use else np.zeros(len(nov), dtype=bool)
    if p['shared'] and 'likelihood' in use:
        trig = trig | (lik >= p['red'])
    span, d, at = p['refractory_h'] * 3600, p['refr_discount'], None
    for i in np.nonzero(trig)[0]:
        t = times[i]
        if at is not None and t - at <= span:
            nov[i] /= d
            if p['shared']:
                lik[i] /= d
        else:
            at = t
    return nov, lik


def fast_scores(nab, p):
    """As Nab.scores, as numpy arrays (the same float operations)."""
    import numpy as np
    nkey, lkey = nab.nkey(dict(p, refractory_h=-1, refr_discount=1.0)), nab.lkey(p)
    out = []
    for f in nab.files:
        k1 = ('N', f['rel']) + nkey
        if k1 not in nab.cache:
            nab.cache[k1] = np.array(novelty(f['times'], f['values'], f['interval'], dict(p, refractory_h=-1)))
        k2 = ('L', f['rel']) + lkey
        if k2 not in nab.cache:
            nab.cache[k2] = np.array(likelihood(f['values'], f['forecasts'][p['forecast']], p))
        if 'T' not in f:
            f['T'] = np.array(f['times'])
        a, b = refractory(f['T'], nab.cache[k1], nab.cache[k2], p)
        use = set(p['use'].split('+'))
        b = np.minimum(b, p['lik_cap'])
        if p['lik_step'] > 0:
            b = np.where(b >= p['lik_step'], np.floor(b / p['lik_step']) * p['lik_step'], b)
        b = p['weight'] * b
        s = np.maximum(a if 'novelty' in use else 0.0, b if 'likelihood' in use else 0.0)
        out.append(np.minimum(1.0, s / p['cap_surprise']))
    return out


def cv_all(nab, base, grid, log=None, rules=RULES):
    """The honest procedure: every setting of the grid scored on each tuning half (threshold optimised there) and on
    all 24; per rule, split and direction the chosen setting scored on the held-out half at the tuning threshold; the
    final refit is the same rule on all 24 files (the shipped settings)."""
    settings = expand(base, grid)
    halves = sorted({h for split in SPLITS.values() for h in split})
    groups = {h: FastScore(nab, set(h)) for h in halves}
    groups[None] = FastScore(nab, None)
    tuned = {g: [] for g in groups}
    steady = {g: [] for g in groups}
    memo = {}
    for n, p in enumerate(settings):
        key = tuple((k, v) for k, v in p.items() if k != 'level')
        if key not in memo:
            memo.clear()  # the levels of one setting are neighbours in the grid's order (level last)
            memo[key] = fast_scores(nab, p)
        s = memo[key]
        thr = level_threshold(p)
        for g, fs in groups.items():
            tuned[g].append(fs.optimise(s) if thr is None else (fs.at(s, thr), thr))
            if 'steady' not in rules:
                continue
            at = [fs.at(s, t) for t in THRESHOLDS]
            steady[g].append(max(((at[j - 1] + at[j] + at[j + 1]) / 3, at[j], THRESHOLDS[j])
                                 for j in range(1, len(THRESHOLDS) - 1)))
        if log and n % 256 == 0:
            print('  %d/%d settings' % (n, len(settings)), file=log, flush=True)
    keys, sizes = list(grid), [len(v) for v in grid.values()]
    index = list(itertools.product(*[range(k) for k in sizes]))
    where = {ix: n for n, ix in enumerate(index)}

    def neighbours(n):
        ix = index[n]
        for d in range(len(keys)):
            for step in (-1, 1):
                j = ix[d] + step
                if 0 <= j < sizes[d]:
                    yield where[ix[:d] + (j,) + ix[d + 1:]]

    def choose(g, rule):
        sc = [t[0] for t in tuned[g]]
        if rule == 'steady':
            value = [x[0] for x in steady[g]]
        elif rule == 'best':
            value = sc
        else:
            value = [(sc[n] + sum(sc[m] for m in neighbours(n))) / (1 + sum(1 for _ in neighbours(n)))
                     for n in range(len(sc))]
        return max(range(len(sc)), key=lambda n: (value[n], -n))

    out = {}
    for rule in rules:
        rows = {}
        for name, split in SPLITS.items():
            rows[name] = []
            for tune, hold in ((split[0], split[1]), (split[1], split[0])):
                n = choose(tune, rule)
                score, thr = tuned[tune][n] if rule != 'steady' else steady[tune][n][1:]
                s = fast_scores(nab, settings[n])
                own = groups[hold].optimise(s)
                rows[name].append(dict(tune=tune, hold=hold, chosen={k: settings[n][k] for k in grid}, tuning=score,
                                       threshold=thr, held=groups[hold].at(s, thr), held_own=own[0],
                                       held_own_threshold=own[1]))
        n = choose(None, rule)
        whole = tuned[None][n] if rule != 'steady' else steady[None][n][1:]
        out[rule] = dict(splits=rows, whole=({k: settings[n][k] for k in grid}, whole[0], whole[1]),
                         setting=settings[n], optimised=groups[None].optimise(fast_scores(nab, settings[n])))
    return out


def print_cv_all(res, grid):
    print('### The whole search cross-validated: grid %s (%d settings)\n' % (
        json.dumps(grid), math.prod(len(v) for v in grid.values())))
    for rule, r in res.items():
        print('#### rule %s\n' % rule)
        print('| split | tuned on | held out | chosen on the tuning half | tuning score | threshold | held-out, at the'
              ' tuning threshold | held-out, NAB-optimised on itself |\n|---|---|---|---|---|---|---|---|')
        means = []
        for split, rows in r['splits'].items():
            for x in rows:
                print('| %s | %s | %s | %s | %.2f | %.4f | %.2f | %.2f (%.4f) |' % (
                    split, ' + '.join(x['tune']), ' + '.join(x['hold']),
                    ', '.join('%s %s' % kv for kv in x['chosen'].items()), x['tuning'], x['threshold'], x['held'],
                    x['held_own'], x['held_own_threshold']))
            means.append((split, statistics.mean(x['held'] for x in rows)))
        print()
        best, whole, thr = r['whole']
        for split, m in means:
            print('- rule %s, split %s: **cross-validated %.2f** (mean of the held-out halves at the tuning threshold);'
                  ' all 24 with the settings the rule chooses on all 24: %.2f, gap %.2f' % (rule, split, m, whole,
                                                                                          whole - m))
        print('- rule %s, chosen on all 24 (the shipped settings): %s, threshold %.4f; at NAB\'s optimised threshold'
              ' on all 24 %.2f (%.4f)\n' % (rule, ', '.join('%s %s' % kv for kv in best.items()), thr,
                                          r['optimised'][0], r['optimised'][1]))
        sys.stdout.flush()


REPORT = [
    ('seqcast: novelty + residual likelihood (fused)', {}),
    ('residual likelihood alone', dict(use='likelihood')),
    ('novelty alone', dict(use='novelty')),
    ('naive forecast (last value): residual likelihood alone', dict(use='likelihood', forecast='naive')),
    ('naive forecast (last value): novelty + residual likelihood', dict(forecast='naive')),
    ('before issue 18: raw surprise P(|Z| < sigmas), short mean 10, long 2000, no floors, no episode filter, uncapped'
     ' (residual likelihood alone)', dict(use='likelihood', raw='gauss', short=10, long=2000, var_floor=1e-12,
                                          mean_floor=0.0, red=1e9, min_count=100,
                                          lik_cap=300.0, lik_step=0.0)),
]


def false_positives(nab, p, threshold):
    """Detections outside NAB's windows at a threshold, by kind and by when: early (first 30% of the file), same
    episode (within 24 h of event time after the previous detection of either part) or other; and the files they are
    on."""
    import numpy as np
    scores = fast_scores(nab, p)
    nkey = nab.nkey(dict(p, refractory_h=-1, refr_discount=1.0))
    total, per_file = {}, {}
    for f, sc in zip(nab.files, scores):
        novelty(f['times'], f['values'], f['interval'], dict(p, refractory_h=-1))  # its kinds
        kinds = KINDS[id(f['values'])]
        nov, lik = refractory(f['T'], nab.cache[('N', f['rel']) + nkey], nab.cache[('L', f['rel']) + nab.lkey(p)], p)
        rec, last = f['rec'], None
        for i in np.nonzero(np.asarray(sc) >= threshold)[0]:
            if rec.kinds[i] == -1:
                kind = kinds[i] if nov[i] >= published_likelihood(lik[i], p) else 'residual'
                when = ('early' if i < 0.3 * rec.n_rows else
                        'same episode' if last is not None and f['times'][i] - f['times'][last] <= DAY else 'other')
                total[(kind, when)] = total.get((kind, when), 0) + 1
                per_file[f['rel']] = per_file.get(f['rel'], 0) + 1
            last = i
    return total, per_file


def report(nab, grid):
    """What EVALUATION.md shows: the variants, the cross-validation and the false positives."""
    print("### Scores on the 24 files (at the pipeline's critical level; NAB-optimised beside)\n")
    table(nab, REPORT)
    print()
    base = DEFAULTS if 'level' in grid else dict(DEFAULTS, level='optimised')
    res = cv_all(nab, base, grid, log=sys.stderr, rules=REPORT_RULES)
    print_cv_all(res, grid)
    chosen = res[REPORT_RULES[0]]['setting']
    thr = res[REPORT_RULES[0]]['whole'][2]
    changed = {k: chosen[k] for k in grid if chosen[k] != DEFAULTS[k]}
    print('- the shipped settings (DEFAULTS) %s the %s rule chooses on all 24%s\n' % (
        'are' if not changed else 'are NOT', REPORT_RULES[0], '' if not changed else ': it chooses %s' % changed))
    total, per_file = false_positives(nab, chosen, thr)
    print('### False positives on the 24 files at threshold %.4f (rows detected outside the windows)\n' % thr)
    print('| kind | early (first 30% of a file) | same episode (within 24 h of a detection) | other |\n'
          '|---|---|---|---|')
    for kind in sorted({k for k, _ in total}):
        print('| %s | %d | %d | %d |' % (kind, total.get((kind, 'early'), 0), total.get((kind, 'same episode'), 0),
                                        total.get((kind, 'other'), 0)))
    print('\n%d rows in all' % sum(total.values()))
    print('\nper file: %s' % ', '.join('%s %d' % (k.split('/')[1][:-4], v) for k, v in sorted(per_file.items())))


def check(nab):
    """The vectorised scoring (FastScore, fast_scores) agrees with the scorer and the replica on a few settings."""
    for change in ({}, dict(use='likelihood'), dict(use='novelty'), dict(memory=24.0, lik_cap=6.0, ramp_hi=6.0)):
        p = dict(DEFAULTS, **change)
        ref, fast = nab.scores(p), fast_scores(nab, p)
        for cats in (None, ('artificialNoAnomaly', 'realKnownCause'), ('artificialWithAnomaly', 'realAdExchange')):
            r, t, _ = nab.score(ref, set(cats) if cats else None)
            f, ft = FastScore(nab, set(cats) if cats else None).optimise(fast)
            at = FastScore(nab, set(cats) if cats else None).at(fast, 0.06)
            r6 = nab.score(ref, set(cats) if cats else None, threshold=0.06)[0]
            print('%s %s: scorer %.6f at %.6f, fast %.6f at %.6f; at 0.06 %.6f / %.6f' % (change, cats, r, t, f, ft,
                                                                                      r6, at))
            assert abs(r - f) < 1e-6 and t == ft and abs(r6 - at) < 1e-6


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--nab', default='data/nab')
    ap.add_argument('--scorer', default=os.environ.get('SEQCAST_NAB_SCORER'),
                    help='NAB scorer nab_score.py (default: $SEQCAST_NAB_SCORER)')
    ap.add_argument('--pipeline', default='topology/machines.yaml',
                    help="the pipeline whose anomaly.false-alert-rate and anomaly.critical-rate are NAB's levels")
    ap.add_argument('--forecasts', help='per-row forecasts of `seqcast evaluate nab --forecasts DIR`')
    ap.add_argument('--cv', action='store_true', help='cross-validate the grid by category halves')
    ap.add_argument('--report', action='store_true', help='the tables of EVALUATION.md (scripts/evaluate-nab.sh)')
    ap.add_argument('--grid', help='JSON object: setting -> list of values, wide (GRID_WIDE) or all (GRID_ALL); default'
                                   ' GRID, with --report GRID_ALL')
    ap.add_argument('--check', action='store_true', help="the vectorised scoring against NAB's scorer")
    ap.add_argument('variants', nargs='*')
    a = ap.parse_args()
    if not a.scorer:
        ap.error('give --scorer or set SEQCAST_NAB_SCORER')
    read_rates(a.pipeline)
    nab = Nab(a.nab, a.scorer, a.forecasts)
    variants = [parse_variant(v) for v in a.variants] or TABLE
    named = dict(wide=GRID_WIDE, all=GRID_ALL, steady=GRID_STEADY, severity=GRID_SEVERITY)
    grid = named[a.grid] if a.grid in named else json.loads(a.grid) if a.grid else GRID
    if a.report:
        report(nab, grid if a.grid else GRID_SEVERITY)
        return
    if a.check:
        check(nab)
        return
    if a.cv and a.grid in ('all', 'steady', 'severity'):
        base = dict(DEFAULTS, lik_cap=10.0) if grid is GRID_STEADY else DEFAULTS
        if grid is not GRID_SEVERITY:  # the earlier rounds: NAB's threshold optimised, the likelihood capped, whole
            base = dict(base, level='optimised')
        print_cv_all(cv_all(nab, base, grid, log=sys.stderr, rules=RULES if grid is GRID_STEADY else REPORT_RULES), grid)
        return
    if not a.cv:
        table(nab, variants)
        return
    for name, change in variants:
        splits, (best, whole, thr), chosen = cv(nab, dict(DEFAULTS, **change), grid)
        print('## %s: grid %s' % (name, json.dumps(grid)))
        print('| split | tuned on | held out | chosen on the tuning half | tuning score | threshold | held-out, at the'
              ' tuning threshold | held-out, at its own optimised threshold |\n|---|---|---|---|---|---|---|---|')
        means = []
        for split, rows in splits.items():
            for r in rows:
                print('| %s | %s | %s | %s | %.2f | %.4f | %.2f | %.2f (%.4f) |' % (
                    split, ' + '.join(r['tune']), ' + '.join(r['hold']),
                    ', '.join('%s %s' % kv for kv in r['chosen'].items()), r['tuning'], r['threshold'], r['held'],
                    r['held_own'], r['held_own_threshold']))
            means.append((split, statistics.mean(r['held'] for r in rows), statistics.mean(r['held_own'] for r in rows)))
        for split, m, mo in means:
            print('split %s: cross-validated standard score %.2f (held-out halves at the tuning threshold); %.2f at'
                  ' their own optimised thresholds' % (split, m, mo))
        print('all 24 files, setting chosen on all 24: %s: %.2f (threshold %.4f)' % (
            ', '.join('%s %s' % kv for kv in best.items()), whole, thr))
        table(nab, [('chosen on all 24: ' + name, {k: chosen[k] for k in DEFAULTS if chosen[k] != DEFAULTS[k]})])
        sys.stdout.flush()


if __name__ == '__main__':
    main()
