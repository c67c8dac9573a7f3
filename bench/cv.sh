#!/usr/bin/env bash
# Cross-validated accuracy benchmark: installs the PyTorch peer (Debian packages) when it is
# missing, then runs `genre bench cv`: song-level stratified 5-fold CV on ../shared/data/gtzan-dev
# (or --data DIR) with genre's trainer and a standard PyTorch recipe on the same folds and log-mels.
# 30-60 minutes on 2 cores with the defaults; prints a table, writes data/bench/cv.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! /usr/bin/python3 -c 'import torch, torchvision, numpy' 2>/dev/null; then
  echo "bench: installing the PyTorch peer (python3-torch python3-torchvision python3-numpy)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchvision python3-numpy >/dev/null
fi
exec "$root/genre" bench cv "$@"
