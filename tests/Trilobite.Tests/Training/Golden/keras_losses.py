#!/usr/bin/env python3
"""Golden values for Trilobite's losses, from Keras 3's formulas (keras/src/backend/numpy/nn.py and
keras/src/losses/loss.py) evaluated in float64 with torch autograd for the gradients.

Keras computes in float32 with epsilon = 1e-7 and clips to [eps, 1 - eps] in float32, so the bounds here are the
float32 values; a clipped value passes no gradient (clip_by_value: the gradient flows where lo <= x <= hi).
Probabilities from a softmax/sigmoid op are not covered here: Trilobite (like Keras's TensorFlow backend) scores
them through their logits, which the from_logits cases check.

Run: /usr/bin/python3 keras_losses.py > keras_losses.json
"""
import json
import numpy as np
import torch

EPS = float(np.float32(1e-7))
HI = float(np.float32(1.0) - np.float32(1e-7))
torch.set_default_dtype(torch.float64)


def f32(values):
    return [float(np.float32(v)) for v in values]


def clip(p):
    return torch.clamp(p, EPS, HI)


def categorical(p, t, from_logits):
    log_q = torch.log_softmax(p, -1) if from_logits else torch.log(clip(p / p.sum(-1, keepdim=True)))
    return -(t * log_q).sum(-1)


def binary(p, t, from_logits):
    if from_logits:   # the stable form (TensorFlow's sigmoid_cross_entropy_with_logits, JAX's log_sigmoid)
        return (torch.nn.functional.softplus(p) - t * p).mean(-1)
    q = clip(p)
    return -(t * torch.log(q) + (1 - t) * torch.log(1 - q)).mean(-1)


def mse(p, t, from_logits):
    return ((p - t) ** 2).mean(-1)


def reduce(values, weights, reduction):
    if weights is not None:
        values = values * weights
    if reduction == "none":
        return values
    total = values.sum()
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and weights is not None:
        return total / weights.sum()
    return total / values.numel()


def case(name, loss, p, t, shape, target_shape, from_logits=False, weights=None, reduction="sum_over_batch_size", labels=None):
    pt = torch.tensor(f32(p)).reshape(shape).requires_grad_(True)
    if labels is not None:   # sparse: the labels one-hot
        tt = torch.nn.functional.one_hot(torch.tensor(labels), shape[-1]).to(torch.float64).reshape(shape)
    else:
        tt = torch.tensor(f32(t)).reshape(target_shape)
    wt = None if weights is None else torch.tensor(f32(weights))
    values = loss(pt, tt, from_logits)
    out = reduce(values, wt, reduction)
    scalar = out if out.dim() == 0 else out.sum()
    scalar.backward()
    return {
        "name": name, "loss": loss.__name__, "from_logits": from_logits, "reduction": reduction,
        "prediction": f32(p), "shape": shape, "target": f32(t) if labels is None else [float(v) for v in labels],
        "target_shape": target_shape if labels is None else [len(labels)], "sample_weight": weights,
        "value": out.detach().reshape(-1).tolist(),
        "gradient_of_sum": pt.grad.reshape(-1).tolist(),
    }


P = [0.7, 0.2, 0.1, 1.0, 0.0, 0.0, 0.2, 0.3, 0.9, 0.0, 0.0, 1.0]          # rows: ordinary, saturated, unnormalised, saturated
T = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.2, 0.3, 0.5]
L = [0, 1, 2, 0]
Z = [2.0, -1.0, 0.5, 50.0, -50.0, 0.0, 3.0, 1.0, -2.0, -30.0, 30.0, 0.25]   # logits, some extreme
B = [0.9, 0.2, 1.0, 0.0, 0.5, 0.999]                                         # binary probabilities incl. 0 and 1
BT = [1, 0, 0, 1, 0.3, 1]
W = [0.5, 2.0, 0.0, 1.0]

cases = [
    case("categorical on probabilities", categorical, P, T, [4, 3], [4, 3]),
    case("categorical on probabilities, per sample", categorical, P, T, [4, 3], [4, 3], reduction="none"),
    case("categorical on probabilities, weighted sum", categorical, P, T, [4, 3], [4, 3], weights=W, reduction="sum"),
    case("categorical on probabilities, weighted mean", categorical, P, T, [4, 3], [4, 3], weights=W, reduction="mean_with_sample_weight"),
    case("categorical on probabilities, weighted over batch", categorical, P, T, [4, 3], [4, 3], weights=W),
    case("categorical from logits", categorical, Z, T, [4, 3], [4, 3], from_logits=True),
    case("categorical from logits, per sample", categorical, Z, T, [4, 3], [4, 3], from_logits=True, reduction="none"),
    case("sparse on probabilities", categorical, P, [], [4, 3], [4], labels=L),
    case("sparse from logits, weighted", categorical, Z, [], [4, 3], [4], from_logits=True, labels=L, weights=W),
    case("binary on probabilities", binary, B, BT, [3, 2], [3, 2]),
    case("binary on probabilities, per sample", binary, B, BT, [3, 2], [3, 2], reduction="none"),
    case("binary from logits", binary, Z[:6], BT, [3, 2], [3, 2], from_logits=True),
    case("mse, weighted sum", mse, P, T, [4, 3], [4, 3], weights=W, reduction="sum"),
]
print(json.dumps({"generator": "keras_losses.py", "epsilon": EPS, "cases": cases}, indent=1))
