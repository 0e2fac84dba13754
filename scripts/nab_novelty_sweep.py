#!/usr/bin/env python3
"""Sensitivity of seqcast's novelty detector (anomaly/Novelty.java) on NAB, one choice at a time.

A line-by-line replica of Novelty in Python (standard library only), so that variants can be scored in seconds
without rebuilding: with the defaults it writes the same scores as `seqcast evaluate nab` with
topology/machines.yaml (the NAB threshold lands on novelty alone there, so the residual likelihood is left out).

    scripts/nab_novelty_sweep.py [--nab data/nab] [--scorer /work/shared/tools/nab_score.py] [VARIANT ...]

A variant is NAME=key:value,key:value; with none, the table of EVALUATION.md is run. Keys: features (value, activity,
daily, weekly joined by +), memory, tolerance, refractory_h, warmup, daily, weekly (buckets), cap (buckets = the
season in sampling intervals, at most cap).
"""
import argparse
import csv
import datetime
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

DEFAULTS = dict(features='value+activity+daily+weekly', memory=12, tolerance=0.01, refractory_h=12, warmup=288,
                daily=48, weekly=168, cap=0, activity_warmup=0)
TABLE = [
    ('chosen', {}),
    ('value only', dict(features='value')),
    ('value + activity', dict(features='value+activity')),
    ('value + daily', dict(features='value+daily')),
    ('value + daily + weekly', dict(features='value+daily+weekly')),
    ('value + daily + activity', dict(features='value+activity+daily')),
    ('value + weekly + activity', dict(features='value+activity+weekly')),
    ('no refractory', dict(refractory_h=0)),
    ('refractory 6 h', dict(refractory_h=6)),
    ('refractory 24 h', dict(refractory_h=24)),
    ('memory 6', dict(memory=6)),
    ('memory 24', dict(memory=24)),
    ('tolerance 0.3%', dict(tolerance=0.003)),
    ('tolerance 3%', dict(tolerance=0.03)),
    ('warm-up 100', dict(warmup=100)),
    ('warm-up 500', dict(warmup=500)),
    ('buckets at the sampling interval, at most 48', dict(cap=48)),
    ('... at most 96', dict(cap=96)),
    ('... at most 168', dict(cap=168)),
    ('... at most 336', dict(cap=336)),
]
DAY = 86400


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


def scores(times, values, interval, p):
    feats = set(p['features'].split('+'))
    profiles = []
    for name, season in (('daily', DAY), ('weekly', 7 * DAY)):
        if name in feats:
            buckets = p[name]
            if p['cap']:
                buckets = max(1, min(int(round(season / interval)), p['cap']))
            profiles.append((Profile(season, buckets), Feature(p['memory']), max(p['warmup'], int(season / interval))))
    activity = Feature(p['memory'])
    lo, hi, last, novelty_at, out = math.inf, -math.inf, None, None, []
    for t, x in zip(times, values):
        surprise = 0.0
        seen = 0 if last is None else activity.n + 1
        if 'value' in feats and seen >= p['warmup'] and hi > lo:
            beyond = max(x - hi, lo - x) / (hi - lo)
            surprise = 12 + 100 * beyond if beyond > p['tolerance'] else 0.0
        if last is not None:
            a = activity.smooth(abs(x - last))
            s = activity.judge(a, max(p['warmup'], p['activity_warmup']), False, p['tolerance'])
            if 'activity' in feats:
                surprise = max(surprise, s)
        for profile, feature, min_count in profiles:
            expected = profile.observe(t, x)
            if not math.isnan(expected):
                d = feature.smooth(abs(x - expected))
                surprise = max(surprise, feature.judge(d, min_count, True, p['tolerance']))
        last, lo, hi = x, min(lo, x), max(hi, x)
        if surprise > 0:
            if novelty_at is not None and t - novelty_at <= p['refractory_h'] * 3600:
                surprise /= 10
            else:
                novelty_at = t
        out.append(min(1.0, surprise / 100))
    return out


def run(nab, scorer, p):
    out = tempfile.mkdtemp(prefix='seqcast-nab-sweep-')
    data = os.path.join(nab, 'data')
    for category in sorted(os.listdir(data)):
        for name in sorted(os.listdir(os.path.join(data, category))):
            with open(os.path.join(data, category, name)) as f:
                rows = list(csv.reader(f))[1:]
            stamps = [r[0] for r in rows]
            times = [datetime.datetime.strptime(s, '%Y-%m-%d %H:%M:%S').replace(
                tzinfo=datetime.timezone.utc).timestamp() for s in stamps]
            values = [float(r[1]) for r in rows]
            interval = statistics.median(b - a for a, b in zip(times, times[1:]))
            os.makedirs(os.path.join(out, category), exist_ok=True)
            with open(os.path.join(out, category, 'seqcast_' + name), 'w') as w:
                w.write('timestamp,value,anomaly_score\n')
                for s, v, score in zip(stamps, values, scores(times, values, interval, p)):
                    w.write('%s,%s,%.17f\n' % (s, v, score))
    subprocess.run([sys.executable, scorer, '--detector-name', 'seqcast', out, '--json-out', out + '.json'],
                   env=dict(os.environ, NAB_DIR=nab), check=True, capture_output=True)
    with open(out + '.json') as f:
        profiles = json.load(f)['detectors']['seqcast']['profiles']
    return {k: v['normalized_score'] for k, v in profiles.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--nab', default='data/nab')
    ap.add_argument('--scorer', default=os.environ.get('SEQCAST_NAB_SCORER', '/work/shared/tools/nab_score.py'))
    ap.add_argument('variants', nargs='*')
    a = ap.parse_args()
    table = TABLE
    if a.variants:
        table = []
        for v in a.variants:
            name, _, spec = v.partition('=')
            table.append((name, {k: (type(DEFAULTS[k])(x) if k != 'features' else x)
                                 for k, x in (kv.split(':') for kv in spec.split(',') if kv)}))
    print('| variant | standard | reward low FP | reward low FN |\n|---|---|---|---|')
    for name, change in table:
        s = run(a.nab, a.scorer, dict(DEFAULTS, **change))
        print('| %s | %.2f | %.2f | %.2f |' % (name, s['standard'], s['reward_low_FP_rate'], s['reward_low_FN_rate']),
              flush=True)


if __name__ == '__main__':
    main()
