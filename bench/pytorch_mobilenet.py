#!/usr/bin/python3
"""PyTorch peer for `genre bench train`: torchvision MobileNetV3-Small with a 1-channel stem.

A server on stdin/stdout, so that genre can interleave its own measurement with this one in rounds
(the host's speed drifts by 20-40% within minutes). Commands, one per line, each answered by one
JSON line:
  train N           N training steps (random 1 x 128 x 128 batch, 10 classes, AdamW, cross entropy)
                    on --train-threads threads: {"seconds": [...]}
  infer N           N single-segment inferences on --infer-threads threads, torch.no_grad: {"ms": [...]}
  profile N PATH    N training steps under PyTorch's profiler; Chrome-trace events with input shapes
                    written to PATH: {"written": PATH}
  quit
The first line it writes describes the peer (versions, parameters). Peer for benchmarks only
(Debian python3-torch, python3-torchvision).
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch
import torchvision


def model(classes):
    m = torchvision.models.mobilenet_v3_small(num_classes=classes)
    m.features[0][0] = torch.nn.Conv2d(1, 16, 3, 2, 1, bias=False)
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--train-threads", type=int, default=2)
    ap.add_argument("--infer-threads", type=int, default=1)
    a = ap.parse_args()

    torch.manual_seed(0)
    m = model(a.classes)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.05)
    x = torch.randn(a.batch, 1, 128, 128)
    y = torch.randint(0, a.classes, (a.batch,))
    one = torch.randn(1, 1, 128, 128)

    def train_step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(m(x), y)
        loss.backward()
        opt.step()

    def reply(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    reply({"torch": torch.__version__, "torchvision": torchvision.__version__, "params": sum(p.numel() for p in m.parameters()),
           "batch": a.batch, "trainThreads": a.train_threads, "inferThreads": a.infer_threads})
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == "quit":
            break
        n = int(cmd[1])
        if cmd[0] in ("train", "profile"):
            torch.set_num_threads(a.train_threads)
            m.train()
        if cmd[0] == "train":
            seconds = []
            for _ in range(n):
                t0 = time.perf_counter()
                train_step()
                seconds.append(time.perf_counter() - t0)
            reply({"seconds": seconds})
        elif cmd[0] == "infer":
            torch.set_num_threads(a.infer_threads)
            m.eval()
            ms = []
            with torch.no_grad():
                for _ in range(n):
                    t0 = time.perf_counter()
                    m(one)
                    ms.append((time.perf_counter() - t0) * 1000)
            reply({"ms": ms})
        elif cmd[0] == "profile":
            with torch.autograd.profiler.profile(record_shapes=True) as prof:
                for _ in range(n):
                    train_step()
            # Chrome-trace events as libtorch's own profiler writes them (DJL's side), with input shapes.
            events = [{"name": e.name, "ph": "X", "ts": e.time_range.start, "dur": e.time_range.elapsed_us(), "tid": e.thread,
                       "shape": e.input_shapes} for e in prof.function_events]
            with open(cmd[2], "w") as f:
                json.dump(events, f)
            reply({"written": cmd[2]})
        else:
            reply({"error": "unknown command " + cmd[0]})


if __name__ == "__main__":
    main()
