#!/usr/bin/env bash
# Training-throughput and inference-latency benchmark: installs the PyTorch peer (Debian packages)
# when it is missing, then runs `genre bench train` (DJL and PyTorch in one run). Table + JSON.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null; then
  echo "bench: installing the PyTorch peer (python3-torch python3-torchvision)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchvision >/dev/null
fi
exec "$root/genre" bench train "$@"
