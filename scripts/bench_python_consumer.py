#!/usr/bin/env python3
"""The Python baseline of the issue, run by `seqcast bench --python-consumer` against its broker: a consumer that
reads observations, keeps each series' LSTM state (h, c) in a dict, runs one PyTorch step per message, and produces a
forecast per message; at-least-once (offsets committed every --commit-ms). Prints one JSON line: messages per second,
first to last message, and the BLAS torch ran on.
"""
import argparse
import json
import os
import sys
import time

import torch
from confluent_kafka import Consumer, Producer


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--out-topic", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--hidden", type=int, nargs="+", default=[64, 64])
    p.add_argument("--outputs", type=int, default=6)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    lstm = torch.nn.LSTM(input_size=1, hidden_size=a.hidden[0], num_layers=len(a.hidden), batch_first=True)
    head = torch.nn.Linear(a.hidden[0], a.outputs)
    consumer = Consumer({"bootstrap.servers": a.bootstrap, "group.id": "py-" + a.topic,
                         "auto.offset.reset": "earliest", "enable.auto.commit": True,
                         "auto.commit.interval.ms": 100})
    consumer.subscribe([a.topic])
    producer = Producer({"bootstrap.servers": a.bootstrap, "linger.ms": 5})
    states = {}
    seen = 0
    first = last = None
    with torch.inference_mode():
        while seen < a.count:
            for msg in consumer.consume(500, 1.0):
                if msg.error():
                    continue
                obs = json.loads(msg.value())
                key = msg.key()
                state = states.get(key)
                x = torch.tensor([[[float(obs["value"])]]])
                y, state = lstm(x, state)
                states[key] = state
                forecast = head(y[0, -1]).tolist()
                producer.produce(a.out_topic, key=key, value=json.dumps(
                    {"series": obs["series"], "time": obs["time"], "forecast": forecast}).encode())
                producer.poll(0)
                seen += 1
                now = time.monotonic()
                first = first or now
                last = now
    producer.flush()
    consumer.close()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_torch import blas
    print(json.dumps({"messages": seen, "rate": (seen - 1) / (last - first) if last and last > first else 0,
                      "cpu_seconds": time.process_time(), "blas": blas()["name"]}))


if __name__ == "__main__":
    main()
