#!/usr/bin/env bash
# Log-mel benchmark: installs the torchaudio peer (Debian packages) when it is missing, then runs
# `genre bench mel` on ../shared/data/gtzan-dev (or --data DIR). Prints a table, writes JSON.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! /usr/bin/python3 -c 'import torch, torchaudio, numpy' 2>/dev/null; then
  echo "bench: installing the torchaudio peer (python3-torch python3-torchaudio python3-numpy)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchaudio python3-numpy >/dev/null
fi
exec "$root/genre" bench mel "$@"
