#!/usr/bin/python3
"""PyTorch peer for `genre bench train`: torchvision MobileNetV3-Small with a 1-channel stem.

Training: batch of 1 x 128 x 128 random spectrogram-shaped inputs, 10 classes, AdamW, cross
entropy, on --train-threads threads; median seconds per step over --steps after --warmup.
Inference: one segment, --infer-threads threads (default 1), torch.no_grad, median over --runs.
Writes JSON to --json. Peer for benchmarks only (Debian python3-torch, python3-torchvision).
"""
import argparse
import json
import os
import statistics
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch
import torchvision


def model(classes):
    m = torchvision.models.mobilenet_v3_small(num_classes=classes)
    m.features[0][0] = torch.nn.Conv2d(1, 16, 3, 2, 1, bias=False)
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", required=True)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--train-threads", type=int, default=2)
    ap.add_argument("--infer-threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--profile", help="also write a Chrome trace of --profile-steps training steps here")
    ap.add_argument("--profile-steps", type=int, default=5)
    a = ap.parse_args()

    torch.manual_seed(0)
    m = model(a.classes)
    params = sum(p.numel() for p in m.parameters())
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.05)
    x = torch.randn(a.batch, 1, 128, 128)
    y = torch.randint(0, a.classes, (a.batch,))
    torch.set_num_threads(a.train_threads)
    m.train()

    def train_step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(m(x), y)
        loss.backward()
        opt.step()

    steps = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        train_step()
        if i >= a.warmup:
            steps.append(time.perf_counter() - t0)
    if a.profile:
        with torch.autograd.profiler.profile(record_shapes=True) as prof:
            for _ in range(a.profile_steps):
                train_step()
        # Chrome-trace events as libtorch's own profiler writes them (DJL's side), with input shapes.
        events = [{"name": e.name, "ph": "X", "ts": e.time_range.start, "dur": e.time_range.elapsed_us(), "tid": e.thread,
                   "shape": e.input_shapes} for e in prof.function_events]
        with open(a.profile, "w") as f:
            json.dump(events, f)

    torch.set_num_threads(a.infer_threads)
    m.eval()
    one = torch.randn(1, 1, 128, 128)
    runs = []
    with torch.no_grad():
        for _ in range(20):
            m(one)
        for _ in range(a.runs):
            t0 = time.perf_counter()
            m(one)
            runs.append(time.perf_counter() - t0)
    step = statistics.median(steps)
    out = {"torch": torch.__version__, "torchvision": torchvision.__version__, "params": params,
           "trainThreads": a.train_threads, "batch": a.batch, "trainStepSeconds": step,
           "trainStepSecondsMean": statistics.mean(steps), "trainStepSecondsMax": max(steps),
           "trainSamplesPerSecond": a.batch / step, "inferThreads": a.infer_threads,
           "inferMedianMs": statistics.median(runs) * 1000, "inferRuns": a.runs}
    with open(a.json, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
