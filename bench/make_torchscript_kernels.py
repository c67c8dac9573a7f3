#!/usr/bin/python3
"""Writes the TorchScript modules through which the trainer reaches libtorch kernels that DJL does
not expose: fused h-swish and hard-sigmoid (search/src/main/resources/dev/genre/search/net/*.pt)
and the multi-tensor ("foreach") optimizer updates (.../search/train/optimizers.pt).
Run once with Debian's python3-torch; the files are committed, so nothing needs Python at run time."""
import os
from typing import List

import torch

resources = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "search", "src", "main", "resources", "dev", "genre", "search")


class HardSwish(torch.nn.Module):
    def forward(self, x):
        return torch.nn.functional.hardswish(x)


class HardSigmoid(torch.nn.Module):
    def forward(self, x):
        return torch.nn.functional.hardsigmoid(x)


class Optimizers(torch.nn.Module):
    """One call updates every parameter of a step, in about ten multi-tensor kernels, where DJL's
    per-parameter adamUpdate/sgdUpdate run a dozen JNI-wrapped ops each (four of them allocating).
    Same arithmetic as DJL's updates, so earlier runs stay comparable; gradients are zeroed after use."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    @torch.jit.export
    def adamw(self, params: List[torch.Tensor], grads: List[torch.Tensor], mean: List[torch.Tensor], var: List[torch.Tensor],
              keep: float, step: float, beta1: float, beta2: float, eps: float) -> int:
        # One group of parameters with the same scalars (TorchScript here cannot pass per-tensor scalar lists):
        # keep = 1 - lr * weight_decay (decoupled decay), step = -lr * sqrt(1 - beta2^t) / (1 - beta1^t).
        with torch.no_grad():
            torch._foreach_mul_(params, keep)
            torch._foreach_mul_(mean, beta1)
            torch._foreach_add_(mean, grads, alpha=1 - beta1)
            torch._foreach_mul_(var, beta2)
            torch._foreach_addcmul_(var, grads, grads, 1 - beta2)
            denom = torch._foreach_sqrt(var)
            torch._foreach_add_(denom, eps)
            torch._foreach_addcdiv_(params, mean, denom, step)
            torch._foreach_zero_(grads)
        return len(params)

    @torch.jit.export
    def sgd(self, params: List[torch.Tensor], grads: List[torch.Tensor], momentum_buffers: List[torch.Tensor],
            weight_decay: float, lr: float, momentum: float) -> int:
        # DJL's sgdUpdate, for one group: buffer = momentum * buffer + lr * (grad + weight_decay * weight); weight -= buffer
        with torch.no_grad():
            update = torch._foreach_mul(params, weight_decay)
            torch._foreach_add_(update, grads)
            torch._foreach_mul_(update, lr)
            torch._foreach_mul_(momentum_buffers, momentum)
            torch._foreach_add_(momentum_buffers, update)
            torch._foreach_sub_(params, momentum_buffers)
            torch._foreach_zero_(grads)
        return len(params)


for folder, name, m in [("net", "hardswish", HardSwish()), ("net", "hardsigmoid", HardSigmoid()), ("train", "optimizers", Optimizers())]:
    path = os.path.normpath(os.path.join(resources, folder, name + ".pt"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.jit.script(m).save(path)
    print(path, os.path.getsize(path), "bytes")
