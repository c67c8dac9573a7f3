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
    Same arithmetic as DJL's updates, so earlier runs stay comparable; gradients are zeroed after use.
    On CPU the multi-tensor ops loop over the tensors in C++, which also handles the 0-d scalars."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    @torch.jit.export
    def adamw(self, params: List[torch.Tensor], grads: List[torch.Tensor], mean: List[torch.Tensor], var: List[torch.Tensor],
              keep: torch.Tensor, step: torch.Tensor, beta1: float, beta2: float, eps: float) -> int:
        # Per parameter i (1-d tensors: TorchScript here cannot pass per-tensor scalar lists, unbind() can):
        # keep[i] = 1 - lr * weight_decay[i] (decoupled decay), step[i] = -lr * sqrt(1 - beta2^t_i) / (1 - beta1^t_i),
        # t_i the parameter's own update count (a supernet parameter is updated only in the steps that use it).
        with torch.no_grad():
            torch._foreach_mul_(params, keep.unbind())
            torch._foreach_mul_(mean, beta1)
            torch._foreach_add_(mean, grads, alpha=1 - beta1)
            torch._foreach_mul_(var, beta2)
            torch._foreach_addcmul_(var, grads, grads, 1 - beta2)
            denom = torch._foreach_sqrt(var)
            torch._foreach_add_(denom, eps)
            update = torch._foreach_div(mean, denom)
            torch._foreach_mul_(update, step.unbind())
            torch._foreach_add_(params, update)
            torch._foreach_zero_(grads)
        return len(params)

    @torch.jit.export
    def clip_norm(self, grads: List[torch.Tensor], bound: float) -> float:
        # Scales the gradients so their global L2 norm is at most bound; returns the norm before
        # (NaN or infinity when a gradient is not finite: then nothing is scaled).
        with torch.no_grad():
            norm = float(torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads))))
            if norm > bound:
                torch._foreach_mul_(grads, bound / norm)
        return norm

    @torch.jit.export
    def sgd(self, params: List[torch.Tensor], grads: List[torch.Tensor], momentum_buffers: List[torch.Tensor],
            weight_decay: torch.Tensor, lr: float, momentum: float) -> int:
        # DJL's sgdUpdate: buffer = momentum * buffer + lr * (grad + weight_decay[i] * weight); weight -= buffer
        with torch.no_grad():
            update = torch._foreach_mul(params, weight_decay.unbind())
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
