#!/usr/bin/python3
"""PyTorch peer for `genre bench cv`: a standard recipe on the folds genre assigned.

Reads the fold assignment genre wrote (--folds: clip -> fold, and the .npy log-mels genre computed,
so both peers see identical features). For each fold k it trains torchvision's MobileNetV3-Small
with a 1-channel stem (the model of bench/pytorch_mobilenet.py) on the other folds, then tests once
on fold k; nothing is chosen on fold k. The recipe: random --segment-frames crops, SpecAugment (2
frequency masks of up to 16 bins, 2 time masks of up to 24 frames, filled with the mean), AdamW
(lr 1e-3, weight decay 0.01), cosine decay per step, label smoothing 0.1, inputs standardised with
the training folds' mean and std, torchvision's own batch-norm settings. An epoch draws as many
crops as the training clips have segments every --train-hop frames, as genre's trainer does, so
an epoch is the same amount of training on both sides. Test: windows every --eval-hop frames;
segment accuracy, and clip accuracy from the mean of a clip's segment probabilities.
One progress line per epoch on stdout; results JSON to --json (written atomically).
"""
import argparse
import json
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import torch
import torchvision

from pytorch_mobilenet import model

NAME = "PyTorch recipe"
RECIPE = {"optimizer": "adamw", "lr": 1e-3, "weightDecay": 0.01, "schedule": "cosine per step, no warm-up",
          "labelSmoothing": 0.1, "freqMasks": 2, "freqMaskWidth": 16, "timeMasks": 2, "timeMaskWidth": 24}


def starts(frames, seg, hop):
    return range(0, frames - seg + 1, hop)


def spec_augment(x, rng):
    """Masks in place [batch, 1, mels, frames] inputs; 0 is the mean after standardising."""
    _, _, mels, frames = x.shape
    for i in range(x.shape[0]):
        for _ in range(RECIPE["freqMasks"]):
            w = rng.integers(0, RECIPE["freqMaskWidth"] + 1)
            f0 = rng.integers(0, max(1, mels - w))
            x[i, 0, f0:f0 + w, :] = 0
        for _ in range(RECIPE["timeMasks"]):
            w = rng.integers(0, RECIPE["timeMaskWidth"] + 1)
            t0 = rng.integers(0, max(1, frames - w))
            x[i, 0, :, t0:t0 + w] = 0


def train(clips, classes, a, seed, label):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    total = sum(m.size for m, _ in clips)
    mean = sum(float(m.sum(dtype=np.float64)) for m, _ in clips) / total
    var = sum(float(((m - mean) ** 2).sum(dtype=np.float64)) for m, _ in clips) / total
    std = max(var, 1e-6) ** 0.5
    seg_clip = np.array([i for i, (m, _) in enumerate(clips) for _ in starts(m.shape[1], a.segment_frames, a.train_hop)])
    steps = len(seg_clip) // a.batch
    if steps == 0:
        raise SystemExit(f"{len(seg_clip)} training segments, fewer than one batch of {a.batch}")
    net = model(classes)
    opt = torch.optim.AdamW(net.parameters(), lr=RECIPE["lr"], weight_decay=RECIPE["weightDecay"])
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs * steps)
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=RECIPE["labelSmoothing"])
    mels = clips[0][0].shape[0]
    x = np.empty((a.batch, 1, mels, a.segment_frames), dtype=np.float32)
    y = np.empty(a.batch, dtype=np.int64)
    history = []
    for epoch in range(a.epochs):
        net.train()
        t0 = time.perf_counter()
        order = rng.permutation(len(seg_clip))
        loss_sum = acc_sum = 0.0
        for b in range(steps):
            for j, s in enumerate(order[b * a.batch:(b + 1) * a.batch]):
                m, y[j] = clips[seg_clip[s]]
                t = rng.integers(0, m.shape[1] - a.segment_frames + 1)
                x[j, 0] = m[:, t:t + a.segment_frames]
            x -= mean
            x /= std
            spec_augment(x, rng)
            logits = net(torch.from_numpy(x))
            target = torch.from_numpy(y)
            loss = loss_fn(logits, target)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item()
            acc_sum += (logits.argmax(1) == target).float().mean().item()
        secs = time.perf_counter() - t0
        history.append({"epoch": epoch + 1, "trainLoss": loss_sum / steps, "trainAccuracy": acc_sum / steps, "seconds": secs})
        print(f"{label} epoch {epoch + 1}/{a.epochs}: loss {loss_sum / steps:.3f} acc {acc_sum / steps:.3f} "
              f"{steps * a.batch / secs:.0f} samples/s, {secs:.1f} s", flush=True)
    return net, mean, std, history


def test(net, clips, mean, std, a, classes):
    net.eval()
    seg_correct = segs = clip_correct = 0
    pairs = []  # (true, predicted) per clip, for the macro scores
    with torch.no_grad():
        for m, label in clips:
            x = np.stack([m[:, t:t + a.segment_frames] for t in starts(m.shape[1], a.segment_frames, a.eval_hop)])
            x = (x[:, None] - mean) / std
            probs = torch.cat([net(torch.from_numpy(x[i:i + 64])).softmax(1) for i in range(0, len(x), 64)])
            seg_correct += int((probs.argmax(1) == label).sum())
            segs += len(x)
            predicted = int(probs.mean(0).argmax())
            clip_correct += int(predicted == label)
            pairs.append((int(label), predicted))
    return {"testClips": len(clips), "testSegments": segs, "segmentAccuracy": seg_correct / segs, "clipAccuracy": clip_correct / len(clips),
            **macro(pairs), "confusion": confusion(pairs, classes)}


def confusion(pairs, classes):
    """Clip counts [true][predicted], as genre's Evaluation keeps them."""
    m = [[0] * classes for _ in range(classes)]
    for t, p in pairs:
        m[t][p] += 1
    return m


def macro(pairs):
    """Mean recall and mean F1 over the genres present in the test clips, as genre's Evaluation computes them."""
    recalls, f1s = [], []
    for g in sorted({t for t, _ in pairs}):
        tp = sum(1 for t, p in pairs if t == g and p == g)
        actual = sum(1 for t, _ in pairs if t == g)
        predicted = sum(1 for _, p in pairs if p == g)
        r = tp / actual
        p = tp / predicted if predicted else 0.0
        recalls.append(r)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return {"clipMacroAccuracy": sum(recalls) / len(recalls), "clipMacroF1": sum(f1s) / len(f1s)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", required=True, help="folds.json written by genre bench cv")
    ap.add_argument("--json", required=True)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--segment-frames", type=int, default=128)
    ap.add_argument("--train-hop", type=int, default=64)
    ap.add_argument("--eval-hop", type=int, default=64)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)  # Debian's torch defaults to 1 thread here

    with open(a.folds) as f:
        spec = json.load(f)
    genres = spec["genres"]
    clips = [(c["fold"], np.load(os.path.join(spec["dataset"], c["mel"])), genres.index(c["genre"])) for c in spec["clips"]]
    n = spec["folds"]
    folds = []
    for k in range(1, n + 1):
        train_clips = [(m, g) for fold, m, g in clips if fold != k]
        test_clips = [(m, g) for fold, m, g in clips if fold == k]
        label = f"{NAME} fold {k}/{n}"
        print(f"{label}: training on {len(train_clips)} clips (the other folds), {a.epochs} epoch(s), "
              f"then testing once on fold {k}'s {len(test_clips)} clips", flush=True)
        t0 = time.perf_counter()
        net, mean, std, history = train(train_clips, len(genres), a, a.seed * 1000 + k, label)
        r = {"fold": k, "trainClips": len(train_clips), **test(net, test_clips, mean, std, a, len(genres))}
        r["seconds"] = time.perf_counter() - t0
        r["history"] = history
        print(f"{label}: test clip accuracy {r['clipAccuracy']:.3f}, segment accuracy {r['segmentAccuracy']:.3f} "
              f"({r['testClips']} clips, {r['testSegments']} segments), {r['seconds']:.0f} s", flush=True)
        folds.append(r)

    out = {"name": NAME, "torch": torch.__version__, "torchvision": torchvision.__version__, "threads": a.threads,
           "epochs": a.epochs, "batch": a.batch, "seed": a.seed, "recipe": RECIPE, "folds": folds}
    tmp = a.json + ".tmp-" + str(os.getpid())
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1)
    os.replace(tmp, a.json)


if __name__ == "__main__":
    main()
