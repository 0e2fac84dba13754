"""The least-squares AR of `seqcast evaluate forecast` (intercept, lags 1..p and m..m+p, iterated; p chosen on the
history's last 20% after fitting on its first 80%) fitted on the history before each window and scored on it: the
selection windows 20%..40% and 40%..70% (history: everything before the window) and the test part (history: the first
70%, as the one-run table). MASE per step, scale the mean absolute difference of the history.
Usage: LEARN_DATA=DIR python3 ar_windows.py SERIES  (a few minutes for nyc_taxi)."""
import sys
import numpy as np
from learner_prototype import SER, load

name = sys.argv[1]
f, m, H = SER[name]
ts, y = load(name)
n = len(y)
ORDERS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 288, 336, 384]


def lags(p):
    return sorted(set(list(range(1, p + 1)) + (list(range(m, m + p + 1)) if m > 1 else [])))


def fit(lg, a, b):
    X = np.array([[1.0] + [y[t - l] for l in lg] for t in range(a, b)])
    beta, *_ = np.linalg.lstsq(X, y[a:b], rcond=None)
    return beta


def forecasts(lg, beta, a, b):
    F = np.full((n, H), np.nan)
    for o in range(a, b):
        out = []
        for h in range(1, H + 1):
            v = beta[0]
            for i, l in enumerate(lg):
                r = o + h - l
                v += beta[i + 1] * (y[r] if r <= o else out[r - o - 1])
            out.append(v)
        F[o] = out
    return F


def choose(tr):
    fe = int(0.8 * tr)
    best = None
    for p in ORDERS:
        lg = lags(p)
        ml = lg[-1]
        if fe - ml < 10 * (len(lg) + 1) or (tr - ml) * (len(lg) + 1) ** 2 > 2e9:
            continue
        F = forecasts(lg, fit(lg, ml, fe), fe - 1, tr - 1)
        e = np.mean([np.nanmean(np.abs(y[fe - 1 + h:tr] - F[fe - 1:tr - h, h - 1])) for h in range(1, H + 1)])
        if best is None or e < best[0]:
            best = (e, p)
    return best[1]


for lo, hi in ((0.2, 0.4), (0.4, 0.7), (0.7, 1.0)):
    a, b = int(lo * n), int(hi * n)
    p = choose(a)
    lg = lags(p)
    F = forecasts(lg, fit(lg, lg[-1], a), a - 1, b - 1)
    sc = np.mean(np.abs(np.diff(y[:a])))
    r = [np.nanmean(np.abs(y[a + h - 1:b] - F[a - 1:b - h, h - 1])) / sc for h in range(1, H + 1)]
    print(name, 'origins %d%%..%d%%' % (100 * lo, 100 * hi), 'p', p, ' '.join('%.4f' % v for v in r))
