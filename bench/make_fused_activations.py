#!/usr/bin/python3
"""Writes the TorchScript modules the trainer runs for h-swish and hard-sigmoid (libtorch's fused
kernels, which DJL does not expose): search/src/main/resources/dev/genre/search/net/*.pt.
Run once with Debian's python3-torch; the files are committed, so nothing needs Python at run time."""
import os
import torch

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "search", "src", "main", "resources", "dev", "genre", "search", "net")


class HardSwish(torch.nn.Module):
    def forward(self, x):
        return torch.nn.functional.hardswish(x)


class HardSigmoid(torch.nn.Module):
    def forward(self, x):
        return torch.nn.functional.hardsigmoid(x)


for name, m in [("hardswish", HardSwish()), ("hardsigmoid", HardSigmoid())]:
    path = os.path.normpath(os.path.join(out, name + ".pt"))
    torch.jit.script(m).save(path)
    print(path, os.path.getsize(path), "bytes")
