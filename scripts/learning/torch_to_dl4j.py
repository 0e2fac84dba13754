"""Research (not shipped): exports a state dict saved by ecg_lstm_probe.py (--save) in DL4J's layout for
TorchToDl4j.java, with a reference forward pass to check the conversion.
DL4J's LSTM (LSTMParamInitializer / LSTMHelpers, as model/KernelModel documents) keeps W [nIn, 4n], RW [n, 4n] and
one bias b [1, 4n], column blocks [cell input g | forget f | output o | input gate i]; PyTorch keeps weight_ih
[4n, nIn], weight_hh [4n, n] and two biases, row blocks [i | f | g | o]. The output layer: DL4J W [nIn, H], b [1, H];
torch Linear weight [H, nIn].
Usage: python3 torch_to_dl4j.py STATE_DICT.pt ecg100.csv OUT.txt [--diff 1] [--steps 3000]"""
import sys, argparse
import numpy as np, torch
from torch_common import causal_normalise, inputs, dl4j_gate_order
p = argparse.ArgumentParser()
p.add_argument('state'); p.add_argument('data'); p.add_argument('out')
p.add_argument('--diff', type=int, default=1); p.add_argument('--steps', type=int, default=3000)
a = p.parse_args()
sd = torch.load(a.state)
arrays = []
l = 0
while f'layers.{l}.weight_ih_l0' in sd:
    wih = sd[f'layers.{l}.weight_ih_l0'].numpy(); whh = sd[f'layers.{l}.weight_hh_l0'].numpy()
    b = (sd[f'layers.{l}.bias_ih_l0'] + sd[f'layers.{l}.bias_hh_l0']).numpy()
    n = whh.shape[1]; pr = dl4j_gate_order(n)
    arrays += [(l, 'W', wih[pr].T), (l, 'RW', whh[pr].T), (l, 'b', b[pr][None, :])]
    l += 1
arrays += [(l, 'W', sd['out.weight'].numpy().T), (l, 'b', sd['out.bias'].numpy()[None, :])]
# reference: the normalised inputs of the first steps and the torch network's outputs
v = np.loadtxt(a.data, delimiter=',', skiprows=1, usecols=1)[:a.steps]
z, _, _ = causal_normalise(v)
X = inputs(z, a.diff)
x = torch.tensor(X[None])
with torch.no_grad():
    for i in range(l):
        lstm = torch.nn.LSTM(X.shape[1] if i == 0 else sd[f'layers.{i-1}.weight_hh_l0'].shape[1],
                             sd[f'layers.{i}.weight_hh_l0'].shape[1], batch_first=True)
        lstm.load_state_dict({k[len(f'layers.{i}.'):]: t for k, t in sd.items() if k.startswith(f'layers.{i}.')})
        x, _ = lstm(x)
    y = x @ sd['out.weight'].T + sd['out.bias']
arrays += [(-1, 'input', X), (-1, 'expected', y[0].numpy())]
with open(a.out, 'w') as f:
    for layer, name, arr in arrays:
        arr = np.asarray(arr, dtype=np.float32)
        f.write(f'{layer} {name} {arr.shape[0]} {arr.shape[1]} ' + ' '.join(f'{x:.9g}' for x in arr.ravel()) + '\n')
print('layers', l, 'written', a.out)
