#!/usr/bin/python3
"""Calibration: the same CapsNet, trained by the same recipe in PyTorch, on the same IDX files.

The network is bench/peer/torch_bench.py's CapsNetTwin (the twin of Trilobite's CapsNet.Mnist(), also used by the speed
benchmark); the recipe is `trilobite train capsnet`'s: margin loss + 0.0005 x the reconstruction's squared error, Adam
1e-3 (eps 1e-7, Keras's) decayed x0.9 each epoch, batch 32 shuffled each epoch, each batch shifted by up to 2 px at
random (zero fill), pixels in [0, 1]. Prints the test accuracy (the longest capsule) after each epoch and the time.

    /usr/bin/python3 bench/capsnet/torch_capsnet.py [--data data/mnist-sample] [--epochs 10] [--threads 2]
"""
import argparse
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peer"))
from torch_bench import CapsNetTwin  # noqa: E402  (the twin shared with the speed benchmark)


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def load(folder, prefix):
    def find(kind):
        for name in (f"{prefix}-{kind}.gz", f"{prefix}-{kind}"):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        raise FileNotFoundError(f"{folder}: no {prefix}-{kind}[.gz]")
    x = torch.from_numpy(idx(find("images-idx3-ubyte")).astype(np.float32) / 255).unsqueeze(1)
    y = torch.from_numpy(idx(find("labels-idx1-ubyte")).astype(np.int64))
    return x, y


def shift(batch, generator, max_shift=2):
    """Each image moved by (dy, dx) in [-max_shift, max_shift], zero fill."""
    out = torch.zeros_like(batch)
    h, w = batch.shape[2:]
    for i in range(batch.shape[0]):
        dy, dx = (int(v) for v in torch.randint(-max_shift, max_shift + 1, (2,), generator=generator))
        out[i, :, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = batch[i, :, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/mnist-sample")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x, y = load(args.data, "train")
    tx, ty = load(args.data, "t10k")
    onehot = torch.nn.functional.one_hot(y, 10).float()
    model = CapsNetTwin()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
    generator = torch.Generator().manual_seed(args.seed)
    start = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(x.shape[0], generator=generator)
        epoch_start, total = time.perf_counter(), 0.0
        for b in range(0, x.shape[0], 32):
            index = order[b:b + 32]
            optimizer.zero_grad()
            loss = model.loss(shift(x[index], generator), onehot[index])
            loss.backward()
            optimizer.step()
            total += float(loss) * len(index)
        schedule.step()
        model.eval()
        with torch.no_grad():
            correct = sum(int((model.capsules(tx[i:i + 256]).norm(dim=-1).argmax(1) == ty[i:i + 256]).sum()) for i in range(0, tx.shape[0], 256))
        print(f"epoch {epoch + 1}: loss {total / x.shape[0]:.4f}, test accuracy {correct / tx.shape[0]:.4f}, {time.perf_counter() - epoch_start:.0f} s", flush=True)
    print(f"Test accuracy: {correct / tx.shape[0]:.4f} ({time.perf_counter() - start:.0f} s, {args.threads} threads)")


if __name__ == "__main__":
    main()
