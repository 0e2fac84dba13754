#!/usr/bin/env python3
"""PyTorch baseline for `seqcast bench`: the same model shape (stacked LSTM or RNN, linear output), one time step
per call, per series (batch 1) and batched; key-steps per second of this process's CPU time, median and range of
repeated rounds, printed as one JSON object.

    /usr/bin/python3 scripts/bench_torch.py --cell lstm --hidden 64 64 --inputs 1 --outputs 6 --batch 256
    /usr/bin/python3 scripts/bench_torch.py --blas    the BLAS torch runs on; exit 3 unless it is OpenBLAS

Debian's python3-torch calls whatever libblas.so.3 the alternatives system points at: the reference BLAS (package
libblas3) unless libopenblas0-pthread is installed. `torch.__config__.show()` says only BLAS_INFO=generic, so the
BLAS is named from the library the process has mapped after a matrix product.
"""
import argparse
import json
import os
import statistics
import time

import torch


def blas():
    """The BLAS library this process loaded, as {"name", "library", "openblas"}."""
    torch.randn(64, 64) @ torch.randn(64, 64)  # makes sure the BLAS is loaded
    libraries = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            base = os.path.basename(path)
            if base.startswith(("libblas", "libopenblas", "libmkl_rt", "libblis")):
                libraries.add(os.path.realpath(path))
    config = torch.__config__.show()
    openblas = any("openblas" in lib for lib in libraries) or "BLAS_INFO=open" in config
    mkl = any("mkl" in lib for lib in libraries) or "BLAS_INFO=mkl" in config
    if openblas:
        name = "OpenBLAS"
    elif mkl:
        name = "MKL"
    elif libraries:
        name = "reference BLAS"
    else:
        name = "unknown BLAS"
    return {"name": name, "library": ", ".join(sorted(libraries)) or "none mapped", "openblas": openblas or mkl}


def build(cell, hidden, inputs, outputs):
    layer = torch.nn.LSTM if cell == "lstm" else torch.nn.RNN
    rnn = layer(input_size=inputs, hidden_size=hidden[0], num_layers=len(hidden), batch_first=True)
    return rnn, torch.nn.Linear(hidden[0], outputs)


def rate(rnn, out, cell, layers, hidden, inputs, batch, seconds):
    x = torch.randn(batch, 1, inputs)
    h = torch.zeros(layers, batch, hidden)
    state = (h, torch.zeros(layers, batch, hidden)) if cell == "lstm" else h
    steps = 0
    start = time.process_time()
    with torch.inference_mode():
        while time.process_time() - start < seconds:
            for _ in range(8):
                y, state = rnn(x, state)
                out(y)
                steps += batch
    return steps / (time.process_time() - start)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cell", default="lstm", choices=["lstm", "rnn"])
    p.add_argument("--hidden", type=int, nargs="+", default=[64, 64])
    p.add_argument("--inputs", type=int, default=1)
    p.add_argument("--outputs", type=int, default=6)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--threads", type=int, default=1, help="torch intra-op threads (1: one core, like the kernel)")
    p.add_argument("--blas", action="store_true", help="print the BLAS torch runs on and exit (3: not OpenBLAS/MKL)")
    a = p.parse_args()
    if a.blas:
        b = blas()
        print(b["name"] + " (" + b["library"] + ")")
        raise SystemExit(0 if b["openblas"] else 3)
    if len(set(a.hidden)) != 1:
        raise SystemExit("torch.nn.LSTM stacks layers of one width; got " + str(a.hidden))
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    rnn, out = build(a.cell, a.hidden, a.inputs, a.outputs)
    b = blas()
    result = {"torch": torch.__version__, "threads": a.threads, "cell": a.cell, "hidden": a.hidden,
              "blas": b["name"], "blas_library": b["library"]}
    for name, batch in (("one series", 1), ("batched", a.batch)):
        rate(rnn, out, a.cell, len(a.hidden), a.hidden[0], a.inputs, batch, 0.5)  # warm-up
        runs = [rate(rnn, out, a.cell, len(a.hidden), a.hidden[0], a.inputs, batch, a.seconds)
                for _ in range(a.rounds)]
        result[name] = {"batch": batch, "median": statistics.median(runs), "min": min(runs), "max": max(runs),
                        "runs": len(runs)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
