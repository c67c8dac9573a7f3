#!/usr/bin/python3
"""Reference log-mel spectrograms and throughput from torchaudio (the librosa-convention peer).

Computes MelSpectrogram(norm='slaney', mel_scale='slaney', pad_mode='constant', center=True) and
librosa's power_to_db(ref=1, amin=1e-10, top_db=80) over the whole clip, for each WAV given.

  --out DIR    write <DIR>/<stem>.npy (float32 [n_mels, frames]) per clip: parity references
  --json FILE  write timings: decode and log-mel seconds per clip, single-threaded by default

Run with Debian's /usr/bin/python3 (python3-torch, python3-torchaudio, python3-numpy); it is a
peer for fixtures and benchmarks only, never a runtime dependency of genre.
"""
import argparse
import json
import os
import sys
import time
import wave

# One thread means one thread for BLAS too (torch.set_num_threads does not reach OpenBLAS's pool).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import torch
import torchaudio


def read_wav(path):
    """16-bit PCM WAV -> float32 mono in [-1, 1), scaled by 1/32768 like torchaudio.load."""
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise SystemExit(f"{path}: only 16-bit PCM WAV is supported by this reference script")
        rate, channels = w.getframerate(), w.getnchannels()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        pcm = pcm.reshape(-1, channels).mean(axis=1)
    return torch.from_numpy(pcm), rate


def blas_library():
    """Which BLAS torch actually loaded (Debian switches libblas.so.3 with update-alternatives)."""
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower() and line.strip().endswith(".so.3") or "openblas" in line}
    return "openblas" if any("openblas" in l for l in libs) else "reference"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wavs", nargs="+")
    ap.add_argument("--out")
    ap.add_argument("--json")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--sample-rate", type=int, default=22050)
    ap.add_argument("--n-fft", type=int, default=2048)
    ap.add_argument("--hop", type=int, default=512)
    ap.add_argument("--n-mels", type=int, default=128)
    ap.add_argument("--fmin", type=float, default=0.0)
    ap.add_argument("--fmax", type=float, default=None)
    ap.add_argument("--top-db", type=float, default=80.0)
    ap.add_argument("--repeat", type=int, default=1, help="time each clip this many times, keep the median")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=a.sample_rate, n_fft=a.n_fft, hop_length=a.hop, n_mels=a.n_mels, f_min=a.fmin,
        f_max=a.fmax, power=2.0, center=True, pad_mode="constant", norm="slaney", mel_scale="slaney")

    def logmel(x):
        s = mel(x)
        db = 10.0 * torch.log10(torch.clamp(s, min=1e-10))
        return torch.maximum(db, db.max() - a.top_db)

    if a.out:
        os.makedirs(a.out, exist_ok=True)
    timings = []
    with torch.inference_mode():
        logmel(torch.zeros(a.sample_rate))  # warm-up: plans, allocator
        for path in a.wavs:
            decode, compute = [], []
            for _ in range(a.repeat):
                t0 = time.perf_counter()
                x, rate = read_wav(path)
                t1 = time.perf_counter()
                y = logmel(x)
                t2 = time.perf_counter()
                decode.append(t1 - t0)
                compute.append(t2 - t1)
            if rate != a.sample_rate:
                raise SystemExit(f"{path}: {rate} Hz, expected {a.sample_rate} Hz")
            if a.out:
                stem = os.path.splitext(os.path.basename(path))[0]
                np.save(os.path.join(a.out, stem + ".npy"), np.ascontiguousarray(y.numpy(), dtype=np.float32))
            timings.append({"file": path, "decode_s": float(np.median(decode)), "logmel_s": float(np.median(compute)),
                            "frames": int(y.shape[1])})
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"torch": torch.__version__, "torchaudio": torchaudio.__version__, "threads": a.threads,
                       "blas": blas_library(),
                       "clips": timings}, f, indent=1)
    total = sum(t["decode_s"] + t["logmel_s"] for t in timings)
    print(f"torchaudio {torchaudio.__version__}: {len(timings)} clips, {len(timings) / total:.1f} clips/s "
          f"(decode + log-mel, {a.threads} thread)", file=sys.stderr)


if __name__ == "__main__":
    main()
