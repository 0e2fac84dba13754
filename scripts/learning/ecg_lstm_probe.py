"""PyTorch probe (research, not shipped): a plain stateful LSTM trained on the first 70% of the ECG (record 100, lead
MLII, mean of 4 samples: ecg100.csv from prepare_data.py), inputs normalised as forecast/Normalizer does, cut into
pieces trained side by side with truncated BPTT; prints validation MAE per epoch and, every --every epochs, MASE
(h=1, 6, 12) on the selection part (origins 40-70%) and the test part (last 30%) of the model alone. Torch is on
/usr/bin/python3. Example (MODELS.md, lstm-ecg: 0.360 / 0.926 after 20 epochs, about 12 minutes single-threaded):
    OPENBLAS_NUM_THREADS=1 nice -n 10 /usr/bin/python3 scripts/learning/ecg_lstm_probe.py target/learning/data/ecg100.csv \
        --chunks 64 --tbptt 25 --diff 1 --epochs 20 --every 5
"""
import os, sys, time, argparse
os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')
import numpy as np, torch
from torch_common import causal_normalise, inputs
torch.set_num_threads(1)
p = argparse.ArgumentParser()
p.add_argument('data')
p.add_argument('--hidden', type=int, nargs='+', default=[32, 32])
p.add_argument('--chunks', type=int, default=32)
p.add_argument('--tbptt', type=int, default=100)
p.add_argument('--lr', type=float, default=0.01)
p.add_argument('--epochs', type=int, default=6)
p.add_argument('--loss', default='mae')
p.add_argument('--diff', type=int, default=0)
p.add_argument('--seed', type=int, default=42)
p.add_argument('--decay', type=float, default=1.0)  # lr multiplier per epoch
p.add_argument('--save', default='')
p.add_argument('--every', type=int, default=5)
# 1: one bias per LSTM layer, as DL4J (bias_hh folded into bias_ih, frozen at 0); PyTorch's two biases each take an
# Adam step, so the layer's bias moves twice as fast as DL4J's single bias
p.add_argument('--single-bias', type=int, default=0)
p.add_argument('--clip', type=float, default=1.0)  # global gradient norm of the mean loss; 0: none
a = p.parse_args()
torch.manual_seed(a.seed); np.random.seed(a.seed)
v = np.loadtxt(a.data, delimiter=',', skiprows=1, usecols=1)
n = len(v); H = 12; hist = int(0.7 * n)
z, mean, std = causal_normalise(v)
X = inputs(z, a.diff)
# labels z[t+1+h]
Y = np.full((n, H), np.nan, dtype=np.float32)
for h in range(H):
    Y[:n - 1 - h, h] = z[1 + h:]
scale = np.mean(np.abs(np.diff(v[:hist])))
# training part: first hist rows, targets inside the history
Xt, Yt = X[:hist].copy(), Y[:hist].copy()
Yt[hist - 1 - H + 1:] = np.nan
L = hist // a.chunks
Xc = torch.tensor(Xt[:L * a.chunks].reshape(a.chunks, L, -1))
Yc = torch.tensor(Yt[:L * a.chunks].reshape(a.chunks, L, H))
val_start = int(L * 0.9)

class Net(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.layers = torch.nn.ModuleList()
        inp = X.shape[1]
        for hs in a.hidden:
            s.layers.append(torch.nn.LSTM(inp, hs, batch_first=True)); inp = hs
        s.out = torch.nn.Linear(inp, H)
    def forward(s, x, st=None):
        new = []
        for i, l in enumerate(s.layers):
            x, hc = l(x, None if st is None else st[i]); new.append(hc)
        return s.out(x), new
net = Net()
if a.single_bias:
    with torch.no_grad():
        for l in net.layers:
            l.bias_ih_l0 += l.bias_hh_l0; l.bias_hh_l0.zero_(); l.bias_hh_l0.requires_grad_(False)
opt = torch.optim.Adam([q for q in net.parameters() if q.requires_grad], lr=a.lr)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, a.decay)
def lossf(p, y):
    mask = ~torch.isnan(y)
    d = (p - torch.nan_to_num(y))[mask]
    return d.abs().mean() if a.loss == 'mae' else (d * d).mean()
def evaluate():
    with torch.no_grad():
        p, _ = net(torch.tensor(X[None]))
    p = p[0].numpy()
    # forecast made at origin t for t+1+h; denormalise with stats at t
    f = mean[:, None] + std[:, None] * p
    res = []
    for h in range(H):
        t = np.arange(hist - 1, n - 1 - h)  # targets t+1+h in the test part
        e = np.abs(v[t + 1 + h] - f[t, h])
        res.append(e.mean() / scale)
    # history in-sample part (selection): origins 40..70%
    sel = []
    for h in range(H):
        t = np.arange(int(0.4 * n), hist - 1 - h)
        sel.append(np.abs(v[t + 1 + h] - f[t, h]).mean() / scale)
    return res, sel
t0 = time.time(); upd = 0
for ep in range(a.epochs):
    st = None; net.train(); clipped = 0; maxnorm = 0.0
    tr = []
    for s0 in range(0, val_start, a.tbptt):
        s1 = min(s0 + a.tbptt, val_start)
        p_, st = net(Xc[:, s0:s1], st)
        st = [(h.detach(), c.detach()) for h, c in st]
        l = lossf(p_, Yc[:, s0:s1])
        opt.zero_grad(); l.backward()
        gn = float(torch.nn.utils.clip_grad_norm_(net.parameters(), a.clip if a.clip > 0 else float('inf'))); opt.step(); upd += 1
        clipped += a.clip > 0 and gn > a.clip; maxnorm = max(maxnorm, gn)
        tr.append(l.item())
    sched.step()
    with torch.no_grad():
        p_, _ = net(Xc)
        vl = lossf(p_[:, val_start:], Yc[:, val_start:]).item()
    if (ep+1) % a.every and ep+1 != a.epochs:
        print(f'ep {ep+1} upd {upd} {time.time()-t0:.0f}s train {np.mean(tr):.4f} val {vl:.4f} clipped {clipped} max norm {maxnorm:.3f}', flush=True); continue
    res, sel = evaluate()
    print(f'ep {ep+1} upd {upd} {time.time()-t0:.0f}s train {np.mean(tr):.4f} val {vl:.4f} clipped {clipped} max norm {maxnorm:.3f} sel h1 {sel[0]:.3f} h12 {sel[-1]:.3f} TEST h1 {res[0]:.3f} h6 {res[5]:.3f} h12 {res[-1]:.3f}', flush=True)
if a.save:
    torch.save(net.state_dict(), a.save)
