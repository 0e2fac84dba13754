import numpy as np, csv, datetime, sys, json, math, time, os
SER = {  # name: (file, m, H)
 'nyc_taxi': ('nyc_taxi', 48, 6), 'machine': ('machine_temperature_system_failure', 288, 6),
 'ambient': ('ambient_temperature_system_failure', 24, 6), 'AAPL': ('AAPL', 5, 5), 'ecg': ('ecg100', 72, 12)}
def load(name):
    f = SER[name][0]
    rd = csv.DictReader(open(os.path.join(os.environ.get('LEARN_DATA', 'target/learning-data'), f + '.csv')))
    ts, y = [], []
    for r in rd:
        t = r['timestamp']
        d = datetime.datetime.strptime(t, "%Y-%m-%d") if len(t) == 10 else datetime.datetime.strptime(t, "%Y-%m-%d %H:%M:%S")
        ts.append(d.replace(tzinfo=datetime.timezone.utc).timestamp()); y.append(float(r['value']))
    return np.array(ts), np.array(y)

def mase(y, F, H, hs):
    """F[j, h-1] = forecast made at row j for row j+h."""
    n = len(y); ntr = int(0.7*n); sc = np.mean(np.abs(np.diff(y[:ntr])))
    res = {}
    for h in hs:
        js = np.arange(ntr + h - 1, n)
        e = y[js] - F[js - h, h-1]
        res[h] = float(np.nanmean(np.abs(e)) / sc)
    return res

def baselines(y, m, H):
    n = len(y)
    Fn = np.repeat(y[:, None], H, 1)
    Fs = np.full((n, H), np.nan)
    for h in range(1, H+1):
        k = math.ceil(h/m); src = np.arange(n) + h - m*k
        ok = src >= 0; Fs[ok, h-1] = y[src[ok]]
    return Fn, Fs

def ls_ar(y, m, H, p=None):
    n = len(y); ntr = int(0.7*n)
    p = p or min(m, 24) if m else 12
    F = np.full((n, H), np.nan)
    # direct per h: lags 1..p of y plus y[t+h-m], y[t+h-m-1]... fitted on first 70%
    for h in range(1, H+1):
        def X(ts):
            cols = [np.ones(len(ts))] + [y[ts - i] for i in range(p)]
            if m and m > p:
                cols += [y[ts + h - m], y[ts + h - m - 1], y[ts + h - m + 1] if h < m-1 else y[ts+h-m]]
            return np.array(cols).T
        start = max(p, (m or 0) + 2)
        tr = np.arange(start, ntr - h)
        beta, *_ = np.linalg.lstsq(X(tr), y[tr + h], rcond=None)
        all_ = np.arange(start, n - 1)
        F[all_, h-1] = X(all_) @ beta
    return F

def learner(y, ts, H, m=0, p=6, lam=0.999, delta=1.0, cal=0, level=True, shared=True, dtype=np.float64, clip=10.0,
            mode='diff', sdiff=False, huber=0.0):
    mae_e = np.ones(H)
    n = len(y)
    F = np.full((n, H), np.nan)
    ms = [m] if isinstance(m, int) and m > 0 else (list(m) if m else [])
    d = 1 + (1 if level else 0) + p + len(ms)*(2 if sdiff else 1) + 2*cal
    P = np.eye(d, dtype=dtype) * delta if shared else np.stack([np.eye(d, dtype=dtype)*delta]*H)
    W = np.zeros((H, d), dtype=dtype)
    Xh = np.zeros((H, H, d))   # Xh[a, h] = feature vector for step h made a+1 steps ago
    valid = np.zeros(H, bool)
    mean = 0.0; var = 0.0; madiff = 0.0; cnt = 0
    orig_y = np.zeros(H)
    scales = np.zeros(H)
    for t in range(n):
        x = y[t]
        # learn from forecasts made 1..H steps ago
        if cnt > 10:
            for a in range(H):
                if not valid[a]:
                    continue
                h = a  # forecast made a+1 steps ago for step a+1
                xv = Xh[a, h]
                tgt = (x - orig_y[a]) / scales[a]
                tgt = max(-clip, min(clip, tgt))
                Pm = P if shared else P[h]
                Px = Pm @ xv
                den = lam + xv @ Px
                k = Px / den
                e = tgt - W[h] @ xv
                if huber > 0:
                    lim = huber * mae_e[h]; mae_e[h] += 0.01 * (abs(e) - mae_e[h])
                    e = max(-lim, min(lim, e))
                W[h] += k * e
                if (not shared) or h == 0:
                    Pm -= np.outer(k, Px); Pm /= lam
                    Pm += Pm.T; Pm *= 0.5
        # stats update
        if cnt > 0:
            dd = abs(x - y[t-1]); a_ = 1.0/min(cnt, 1000); madiff += a_*(dd - madiff)
        a_ = 1.0/min(cnt+1, 1000); delt = x - mean; mean += a_*delt; var = (1-a_)*(var + a_*delt*delt); cnt += 1
        s = max(madiff, 1e-9)
        # shift history
        Xh[1:] = Xh[:-1].copy(); valid[1:] = valid[:-1]; orig_y[1:] = orig_y[:-1]; scales[1:] = scales[:-1]
        if t < p + 1 or cnt < 11:
            valid[0] = False; continue
        base = [1.0]
        if level:
            base.append(max(-clip, min(clip, (x - mean)/math.sqrt(max(var, 1e-12)))))
        base += [max(-clip, min(clip, (y[t-i] - y[t-i-1]) / s)) for i in range(p)]
        if cal:
            tod = (ts[t] % 86400) / 86400; dow = ((ts[t] // 86400 + 3) % 7) / 7
            c = [math.sin(2*math.pi*tod), math.cos(2*math.pi*tod)]
            if cal > 1: c += [math.sin(2*math.pi*dow), math.cos(2*math.pi*dow)]
            base += c[:2*cal]
        for h in range(H):
            fv = list(base)
            for mm in ms:
                k_ = math.ceil((h+1)/mm); src = t + h + 1 - mm*k_
                fv.append(max(-clip, min(clip, (y[src] - x)/s)) if src >= 0 else 0.0)
                if sdiff:
                    src0 = t - mm
                    fv.append(max(-clip, min(clip, (y[src] - y[src0])/s)) if src0 >= 0 else 0.0)
            Xh[0, h] = fv
            F[t, h] = x + s * (W[h] @ Xh[0, h])
        valid[0] = True; orig_y[0] = x; scales[0] = s
    return F

def combine(y, cands, H, mem=500, minerr=50, power=1.0):
    n = len(y); C = len(cands)
    mse = np.zeros((C, H)); cnt = np.zeros((C, H))
    F = np.full((n, H), np.nan)
    for t in range(n):
        for h in range(H):
            o = t - h - 1
            if o >= 0:
                for c in range(C):
                    f = cands[c][o, h]
                    if not np.isnan(f):
                        b = 1.0/min(cnt[c, h]+1, mem); mse[c, h] += b*((y[t]-f)**2 - mse[c, h]); cnt[c, h] += 1
        for h in range(H):
            vals = cands[:, t, h] if isinstance(cands, np.ndarray) else np.array([c[t, h] for c in cands])
            ok = (~np.isnan(vals)) & (cnt[:, h] >= minerr)
            if ok.any():
                wgt = 1/np.maximum(mse[ok, h], 1e-12)**power
                F[t, h] = (wgt*vals[ok]).sum()/wgt.sum()
            else:
                F[t, h] = cands[0][t, h]
    return F

def mase_val(y, F, H, hs, lo=0.4, hi=0.7):
    n = len(y); a = int(lo*n); b = int(hi*n); sc = np.mean(np.abs(np.diff(y[:a])))
    return {h: float(np.nanmean(np.abs(y[a+h-1:b] - F[a-1:b-h, h-1])) / sc) for h in hs}
