"""Shared by the research scripts ecg_lstm_probe.py, parity_torch.py and torch_to_dl4j.py (not shipped): the engine's
causal normaliser (forecast/Normalizer), the stateful model's inputs (model/ModelInputs) and DL4J's LSTM gate order."""
import numpy as np


def causal_normalise(v):
    """z-scores of v as forecast/Normalizer computes them while streaming; returns (z, mean, std) per step."""
    n = len(v)
    mean = np.zeros(n); std = np.zeros(n); z = np.zeros(n, dtype=np.float32)
    m = 0.0; var = 0.0
    for i in range(n):
        al = 1.0 / min(i + 1, 1000); d = v[i] - m; m += al * d; var = (1 - al) * (var + al * d * d)
        s = max(np.sqrt(var), max(1e-6, 1e-4 * abs(m))); mean[i] = m; std[i] = s
        z[i] = np.clip((v[i] - m) / s, -10, 10)
    return z, mean, std


def inputs(z, diff):
    """[steps, width] per-step inputs: the normalised value, and with diff its first difference (0 before step 1)."""
    feats = [z]
    if diff:
        dz = np.zeros(len(z), dtype=np.float32); dz[1:] = z[1:] - z[:-1]; feats.append(dz)
    return np.stack(feats, -1).astype(np.float32)


def dl4j_gate_order(n):
    """Row indices taking a PyTorch LSTM's gate blocks [i | f | g | o] to DL4J's column blocks [g | f | o | i]
    (LSTMParamInitializer / LSTMHelpers, as model/KernelModel documents)."""
    return np.concatenate([np.arange(b * n, (b + 1) * n) for b in (2, 1, 3, 0)])
