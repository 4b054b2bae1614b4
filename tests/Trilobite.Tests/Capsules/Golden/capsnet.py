#!/usr/bin/env python3
"""Golden values for the capsule network, from PyTorch (Debian python3-torch), written to capsnet.json beside this file.

Run: /usr/bin/python3 tests/Trilobite.Tests/Capsules/Golden/capsnet.py

Every input is a formula both sides compute (an integer hash of the flat index in Trilobite's layout and a stream
number, scaled to [-scale, scale): see formula()), so no weights are stored. Written independently of Trilobite: squash as |s|^2/(1+|s|^2) * s/|s| with the zero
vector handled by torch.where, routing with einsum, the whole MNIST CapsNet in NCHW with weights permuted from
Trilobite's NHWC layouts ([kh, kw, c, oc] -> [oc, c, kh, kw], Dense [in, out] -> Linear [out, in]).
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)


def formula(shape, stream, scale):
    """Uniform in [-scale, scale): murmur3's fmix32 of (i + (stream + 1) * 0x9E3779B9) mod 2^32, i the flat index."""
    mask = 0xFFFFFFFF
    h = (torch.arange(math.prod(shape), dtype=torch.int64) + (stream + 1) * 0x9E3779B9) & mask
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    h ^= h >> 16
    unit = h.to(torch.float64) / 2.0 ** 32                       # [0, 1), exact in double
    return ((unit * 2 - 1) * scale).to(torch.float32).to(torch.float64).reshape(shape)


def squash(s):
    q = (s * s).sum(-1, keepdim=True)
    safe = torch.where(q > 0, q, torch.ones_like(q))   # sqrt only of q > 0: its infinite slope at 0 would make NaN
    return torch.where(q > 0, q / (1 + q) * s / safe.sqrt(), torch.zeros_like(s))


def length(s):
    q = (s * s).sum(-1)
    safe = torch.where(q > 0, q, torch.ones_like(q))
    return torch.where(q > 0, safe.sqrt(), torch.zeros_like(q))


def route(votes, routings=3):
    """votes (N, J, I, D) -> parents (N, J, D) and the final couplings (N, J, I)."""
    n, j, i, _ = votes.shape
    logits = torch.zeros(n, j, i)
    for r in range(routings):
        c = torch.softmax(logits, dim=1)
        v = squash(torch.einsum("nji,njid->njd", c, votes))
        if r < routings - 1:
            logits = logits + torch.einsum("njid,njd->nji", votes, v)
    return v, c


def flat(t):
    return [float(x) for x in t.detach().reshape(-1)]


cases = {}

# Squash and length on (3, 8) vectors, the first exactly zero; gradients of sum(f * R).
s = formula([3, 8], 30, 1.5)
s[0] = 0
s.requires_grad_(True)
r = formula([3, 8], 31, 1.0)
v = squash(s)
(v * r).sum().backward()
cases["squash"] = {"s": flat(s), "r": flat(r), "v": flat(v), "ds": flat(s.grad)}
s.grad = None
rl = formula([3], 32, 1.0)
lengths = length(s)
(lengths * rl).sum().backward()
cases["length"] = {"r": flat(rl), "length": flat(lengths), "ds": flat(s.grad)}

# Routing: u (2, 6, 4) children of dim 4, W (6, 3, 5, 4): three parents of dim 5.
u = formula([2, 6, 4], 33, 1.0).requires_grad_(True)
w = formula([6, 3, 5, 4], 34, 0.8).requires_grad_(True)
votes = torch.einsum("ijdk,nik->njid", w, u)
parents, couplings = route(votes)
rp = formula([2, 3, 5], 35, 1.0)
(parents * rp).sum().backward()
cases["routing"] = {"u": [2, 6, 4], "w": [6, 3, 5, 4], "r": flat(rp), "v": flat(parents), "c": flat(couplings),
                    "du": flat(u.grad), "dw": flat(w.grad)}

# The whole MNIST CapsNet on a fixed batch of 8, in float32 as both libraries train.
torch.set_default_dtype(torch.float32)
shapes = [  # Trilobite's weights in CapsNet.Mnist().Weights order, with (phase, scale)
    ("conv1/kernel", [9, 9, 1, 256], 0.2), ("conv1/bias", [256], 0.01),
    ("primarycaps/kernel", [9, 9, 256, 256], 0.03), ("primarycaps/bias", [256], 0.01),
    ("digitcaps/kernel", [1152, 10, 16, 8], 0.1),
    ("dense1/kernel", [160, 512], 1 / math.sqrt(160)), ("dense1/bias", [512], 0.01),
    ("dense2/kernel", [512, 1024], 1 / math.sqrt(512)), ("dense2/bias", [1024], 0.01),
    ("dense3/kernel", [1024, 784], 1 / math.sqrt(1024)), ("dense3/bias", [784], 0.01)]
weights = [formula(shape, t, scale).float() for t, (_, shape, scale) in enumerate(shapes)]
conv1_w = weights[0].permute(3, 2, 0, 1).contiguous().requires_grad_(True)
conv1_b = weights[1].requires_grad_(True)
prim_w = weights[2].permute(3, 2, 0, 1).contiguous().requires_grad_(True)
prim_b = weights[3].requires_grad_(True)
W = weights[4].requires_grad_(True)
dense = [(weights[5 + 2 * k].t().contiguous().requires_grad_(True), weights[6 + 2 * k].requires_grad_(True)) for k in range(3)]

x = (formula([8, 28, 28, 1], 20, 0.5).float() + 0.5)          # pixels in [0, 1]
labels = [3, 1, 4, 1, 5, 9, 2, 6]
y = torch.nn.functional.one_hot(torch.tensor(labels), 10).float()
h = torch.relu(torch.nn.functional.conv2d(x.permute(0, 3, 1, 2), conv1_w, conv1_b))
p = torch.nn.functional.conv2d(h, prim_w, prim_b, stride=2)
primary = squash(p.permute(0, 2, 3, 1).reshape(8, 1152, 8))
digit, _ = route(torch.einsum("ijdk,nik->njid", W, primary))
caps_lengths = length(digit)
margin = (y * torch.relu(0.9 - caps_lengths) ** 2 + 0.5 * (1 - y) * torch.relu(caps_lengths - 0.1) ** 2).sum(1).mean()
z = (digit * y.unsqueeze(-1)).reshape(8, 160)
for k, (wk, bk) in enumerate(dense):
    z = torch.nn.functional.linear(z, wk, bk)
    z = torch.relu(z) if k < 2 else torch.sigmoid(z)
reconstruction = ((z - x.reshape(8, 784)) ** 2).sum(1).mean()
loss = margin + 0.0005 * reconstruction
loss.backward()
picked = [(i * 22937) % W.numel() for i in range(64)]
dW = W.grad.reshape(-1)
conv1_grad = conv1_w.grad.permute(2, 3, 1, 0).reshape(-1)   # back to [kh, kw, c, oc]
cases["capsnet"] = {
    "labels": labels, "weights": [{"name": n, "shape": s, "stream": t, "scale": sc} for t, (n, s, sc) in enumerate(shapes)],
    "image_formula": {"stream": 20, "scale": 0.5, "offset": 0.5},
    "lengths": flat(caps_lengths), "margin": float(margin), "reconstruction": float(reconstruction), "loss": float(loss),
    "dW_indices": picked, "dW": [float(dW[i]) for i in picked], "dW_norm": float(dW.norm()),
    "dconv1_indices": picked[:16], "dconv1": [float(conv1_grad[i % conv1_grad.numel()]) for i in picked[:16]],
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "capsnet.json")
with open(out, "w") as f:
    json.dump({"generator": "capsnet.py", "torch": torch.__version__, "cases": cases}, f, indent=1)
print("wrote", out)
