"""Research (not shipped): the training-parity reference. Builds the probe's network (ecg_lstm_probe.py, same seed:
same initial weights), writes its initial parameters in DL4J's layout and the probe's training arrays (pieces x
steps, the probe's labels), then runs the probe's updates (Adam 0.01, tBPTT 25 carried across segments, mean
absolute error, optional global-norm clip) and writes the loss of every update and the parameters after
1, 10, 100, ... updates, for ParityDl4j.java to compare.
Usage: python3 parity_torch.py ecg100.csv OUTDIR [--updates 100] [--clip 0] [--seed 42]"""
import os, sys, argparse, json
import numpy as np, torch
from torch_common import causal_normalise, inputs, dl4j_gate_order
torch.set_num_threads(1)
p = argparse.ArgumentParser()
p.add_argument('data'); p.add_argument('out')
p.add_argument('--chunks', type=int, default=64); p.add_argument('--tbptt', type=int, default=25)
p.add_argument('--updates', type=int, default=100); p.add_argument('--clip', type=float, default=0)
p.add_argument('--seed', type=int, default=42); p.add_argument('--lr', type=float, default=0.01)
# one bias per LSTM layer as DL4J has (bias_hh folded into bias_ih and frozen at 0); PyTorch's default has two
p.add_argument('--single-bias', type=int, default=0)
p.add_argument('--grad-at', type=int, nargs='*', default=[])  # also write the gradient of these updates (gradK.txt)
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
torch.manual_seed(a.seed); np.random.seed(a.seed)
v = np.loadtxt(a.data, delimiter=',', skiprows=1, usecols=1)
n = len(v); H = 12; hist = int(0.7 * n)
z, _, _ = causal_normalise(v)
X = inputs(z, True)
Y = np.full((n, H), np.nan, dtype=np.float32)
for h in range(H):
    Y[:n - 1 - h, h] = z[1 + h:]
Xt, Yt = X[:hist].copy(), Y[:hist].copy(); Yt[hist - H:] = np.nan
L = hist // a.chunks
Xc = Xt[:L * a.chunks].reshape(a.chunks, L, -1); Yc = Yt[:L * a.chunks].reshape(a.chunks, L, H)
steps = a.updates * a.tbptt
# every piece whole (training and validation part), for ParityDl4j.java's training mode
np.ascontiguousarray(Xc.transpose(0, 2, 1)).astype('<f4').tofile(f'{a.out}/features-all.bin')
np.ascontiguousarray(np.nan_to_num(Yc).transpose(0, 2, 1)).astype('<f4').tofile(f'{a.out}/labels-all.bin')
np.ascontiguousarray((~np.isnan(Yc)).transpose(0, 2, 1)).astype('<f4').tofile(f'{a.out}/mask-all.bin')
assert steps <= int(L * 0.9), 'more updates than one epoch'
Xc, Yc = Xc[:, :steps], Yc[:, :steps]
assert not np.isnan(Yc).any()
# DL4J layout [b, features, T]
np.ascontiguousarray(Xc.transpose(0, 2, 1)).astype('<f4').tofile(f'{a.out}/features.bin')
np.ascontiguousarray(Yc.transpose(0, 2, 1)).astype('<f4').tofile(f'{a.out}/labels.bin')
class Net(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.layers = torch.nn.ModuleList([torch.nn.LSTM(2, 32, batch_first=True), torch.nn.LSTM(32, 32, batch_first=True)])
        s.out = torch.nn.Linear(32, H)
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
def dl4j(tensors):  # name -> torch tensor (params or grads) -> list of (layer, name, array) in DL4J layout
    out = []
    for l in range(2):
        pr = dl4j_gate_order(32)
        out += [(l, 'W', tensors[f'layers.{l}.weight_ih_l0'][pr].T), (l, 'RW', tensors[f'layers.{l}.weight_hh_l0'][pr].T),
                (l, 'b', (tensors[f'layers.{l}.bias_ih_l0'] + tensors[f'layers.{l}.bias_hh_l0'])[pr][None, :])]
    out += [(2, 'W', tensors['out.weight'].T), (2, 'b', tensors['out.bias'][None, :])]
    return out
def write(name, tensors):
    with open(f'{a.out}/{name}.txt', 'w') as f:
        for layer, pn, arr in dl4j({k: t.detach().numpy() for k, t in tensors.items()}):
            arr = np.asarray(arr, dtype=np.float32)
            f.write(f'{layer} {pn} {arr.shape[0]} {arr.shape[1]} ' + ' '.join(f'{x:.9g}' for x in arr.ravel()) + '\n')
write('init', dict(net.named_parameters()))
opt = torch.optim.Adam([q for q in net.parameters() if q.requires_grad], lr=a.lr)
Xt_, Yt_ = torch.tensor(Xc), torch.tensor(Yc)
st = None; losses = []; norms = []
for u in range(a.updates):
    s0 = u * a.tbptt
    p_, st = net(Xt_[:, s0:s0 + a.tbptt], st)
    st = [(h.detach(), c.detach()) for h, c in st]
    loss = (p_ - Yt_[:, s0:s0 + a.tbptt]).abs().mean()
    opt.zero_grad(); loss.backward()
    norms.append(float(torch.sqrt(sum((q.grad ** 2).sum() for q in net.parameters() if q.grad is not None))))
    if u + 1 in a.grad_at:
        write(f'grad{u + 1}', {k: (q.grad if q.grad is not None else torch.zeros_like(q)) for k, q in net.named_parameters()})
    if u == 0:
        # the gradient of one bias (both of PyTorch's biases get the same gradient)
        write('grad1', {k: (q.grad if q.grad is not None else torch.zeros_like(q)) for k, q in net.named_parameters()})
    if a.clip > 0:
        torch.nn.utils.clip_grad_norm_(net.parameters(), a.clip)
    opt.step(); losses.append(loss.item())
    if u + 1 in (1, 10, 100, 300, 640) or u + 1 == a.updates:
        write(f'params{u + 1}', dict(net.named_parameters()))
json.dump({'losses': losses, 'norms': norms, 'pieces': a.chunks, 'steps': steps, 'length': L, 'train': int(L * 0.9), 'tbptt': a.tbptt, 'horizon': H},
          open(f'{a.out}/torch.json', 'w'))
print('loss first', losses[:3], 'last', losses[-3:], 'grad norm max', max(norms), 'clipped', sum(x > a.clip for x in norms) if a.clip else 0)
