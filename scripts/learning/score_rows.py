import sys, numpy as np, json
from learner_prototype import *
def read(path, H):
    rows = open(path).read().split('\n')[1:]
    rows = [r for r in rows if r]
    n = len(rows); F = np.full((n, H), np.nan); L = F.copy(); U = F.copy(); y = np.zeros(n)
    for i, r in enumerate(rows):
        c = r.split(','); y[i] = float(c[1])
        for k, st in enumerate(c[3:3+H]):
            v, lo, up = st.split(';'); F[i, k] = float(v); L[i, k] = float(lo); U[i, k] = float(up)
    return y, F, L, U
def cover(y, L, U, H):
    n = len(y); ntr = int(.7*n); out = []
    for h in range(1, H+1):
        js = np.arange(ntr+h-1, n); lo = L[js-h, h-1]; up = U[js-h, h-1]; ok = ~np.isnan(lo)
        out.append(round(100*np.mean((y[js][ok] >= lo[ok]) & (y[js][ok] <= up[ok])), 1))
    return out
nm, path = sys.argv[1], sys.argv[2]
f, m, H = SER[nm]
y, F, L, U = read(path, H)
hs = [1, H] if len(sys.argv) < 4 else list(range(1, H+1))
r = {'seqcast': mase(y, F, H, hs)}
if len(sys.argv) < 4 or sys.argv[3] != 'q':
    Fn, Fs = baselines(y, m, H); r['naive'] = mase(y, Fn, H, hs); r['snaive'] = mase(y, Fs, H, hs)
r = {k: {h: round(v, 3) for h, v in d.items()} for k, d in r.items()}
print(nm, path.split('/')[-3] if '/' in path else '', json.dumps(r), 'cov', cover(y, L, U, H))
