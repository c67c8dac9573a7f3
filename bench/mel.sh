#!/usr/bin/env bash
# Log-mel benchmark: installs the torchaudio peer (Debian packages) when it is missing, then runs
# `genre bench mel` on ../shared/data/gtzan-dev (or --data DIR). Prints a table, writes JSON.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# The peer at its best: Debian's torch uses the reference BLAS unless OpenBLAS is installed, and
# torchaudio's dense mel product is then 3x slower.
if ! /usr/bin/python3 -c 'import torch, torchaudio, numpy' 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]; then
  echo "bench: installing the torchaudio peer (python3-torch python3-torchaudio python3-numpy libopenblas0-pthread)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchaudio python3-numpy libopenblas0-pthread >/dev/null
fi
exec "$root/genre" bench mel "$@"
