"""Scores a harness output (DirectReplay rows) on the selection part and on the test part, with coverage per step:
MASE h=1 / h=H over origins 40%..70% of the series (scale: mean |y(t) - y(t-1)| over the first 40%; what settings are
chosen on, nothing of the test part) and over the test part (the reference protocol), and the 90% intervals' coverage
per step on each part. Usage: LEARN_DATA=DIR python3 score_validation.py SERIES FILE  (SERIES as in score_rows.py)."""
import sys
import numpy as np
from learner_prototype import SER, mase, mase_val


def read(path, H):
    """Observed values, forecasts and interval bounds per row and step of a DirectReplay output."""
    rows = [r for r in open(path).read().split('\n')[1:] if r]
    n = len(rows)
    F = np.full((n, H), np.nan)
    L, U, y = F.copy(), F.copy(), np.zeros(n)
    for i, r in enumerate(rows):
        c = r.split(',')
        y[i] = float(c[1])
        for k, st in enumerate(c[3:3 + H]):
            v, lo, up = st.split(';')
            F[i, k], L[i, k], U[i, k] = float(v), float(lo), float(up)
    return y, F, L, U


def coverage(y, L, U, H, a, b):
    out = []
    for h in range(1, H + 1):
        js = np.arange(a + h - 1, b)
        lo, up = L[js - h, h - 1], U[js - h, h - 1]
        ok = ~np.isnan(lo)
        out.append(round(float(100 * np.mean((y[js][ok] >= lo[ok]) & (y[js][ok] <= up[ok]))), 1))
    return out


if __name__ == '__main__':
    name, path = sys.argv[1], sys.argv[2]
    H = SER[name][2]
    y, F, L, U = read(path, H)
    n = len(y)
    v, t = mase_val(y, F, H, [1, H]), mase(y, F, H, [1, H])
    print(name, path, 'selection %.3f/%.3f' % (v[1], v[H]), 'test %.3f/%.3f' % (t[1], t[H]),
          'coverage selection', coverage(y, L, U, H, int(.4 * n), int(.7 * n)), 'test', coverage(y, L, U, H, int(.7 * n), n))
