#!/usr/bin/env python3
"""PyTorch twin of the Trilobite bench workloads (the peer in bench/compare.sh).

Usage: torch_bench.py <workload> [--threads N] [--size N] [--seconds S]
Workloads print their result last, in the same form as Trilobite.Bench:
  gemm --size N      -> "GFLOP/s: N"      conv-vgg   -> "ms: N" (forward+backward; forward printed above)
  lenet-train        -> "images/s: N"     lenet-infer -> "images/s: N"     lenet-latency -> "ms: N"
  unet-train         -> "images/s: N"     unet-infer  -> "images/s: N"   (the default U-Net, 128x128x1, 11 classes, batch 16)
  capsnet-train      -> "images/s: N"   (Sabour et al.'s MNIST CapsNet, margin + reconstruction loss, batch 32)
Threads are limited both for PyTorch (torch.set_num_threads) and for OpenBLAS/OpenMP (environment,
set by the caller before the process starts; see compare.py).
"""
import argparse
import resource
import statistics
import time

import torch
import torch.nn as nn


def lenet():
    # The lecture's LeNet-inspired CNN, as Keras builds it (PyTorch's default NCHW layout).
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(),
        nn.Conv2d(32, 64, 3), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
        nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10))


class UNet(nn.Module):
    """Trilobite's default U-Net (UNet.Build, base 16, depth 4): 'same' 3x3 convs without bias + BN(eps 1e-3) + ReLU,
    twice per level; 2x2 max-pool down; ConvTranspose2d(2, stride 2) up; concat [skip, up]; 1x1 conv to the classes."""

    def __init__(self, channels=1, classes=11, base=16, depth=4):
        super().__init__()

        def two(cin, cout):
            return nn.Sequential(
                nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01), nn.ReLU(),
                nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01), nn.ReLU())

        self.down, self.up, self.merge = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        cin, f = channels, base
        for _ in range(depth):
            self.down.append(two(cin, f))
            cin, f = f, f * 2
        self.bottom = two(cin, f)
        for _ in range(depth):
            self.up.append(nn.ConvTranspose2d(f, f // 2, 2, stride=2))
            self.merge.append(two(f, f // 2))
            f //= 2
        self.head = nn.Conv2d(f, classes, 1)

    def forward(self, x):
        skips = []
        for level in self.down:
            x = level(x)
            skips.append(x)
            x = nn.functional.max_pool2d(x, 2)
        x = self.bottom(x)
        for up, merge in zip(self.up, self.merge):
            x = merge(torch.cat([skips.pop(), up(x)], 1))
        return self.head(x)       # logits: CrossEntropyLoss applies the softmax


def detector_backbone():
    """Trilobite's detector backbone (Vision/Detection/Backbone.cs): a 16-channel stem and five stages of a strided and
    a plain 3x3 conv (BN eps 1e-3, ReLU), 32-64-96-128-160 channels; stages 3-5 are strides 8, 16, 32."""
    def cbr(cin, cout, stride):
        return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1), nn.ReLU()]

    chans = [16, 32, 64, 96, 128, 160]
    return (nn.Sequential(*cbr(1, 16, 1)),
            nn.ModuleList(nn.Sequential(*cbr(chans[i - 1], chans[i], 2), *cbr(chans[i], chans[i], 1)) for i in range(1, 6)))


class RetinaNetTwin(nn.Module):
    """Trilobite's RetinaNet.Build for 128x128x1 scenes, 10 classes, 9 anchors: backbone stages (strided 3x3 + 3x3 conv,
    BN eps 1e-3, ReLU) 16-32-64-96-128-160, FPN of 64 channels over strides 8/16/32, shared 4-conv towers and heads."""

    def __init__(self, classes=10, anchors=9, width=64):
        super().__init__()

        self.stem, self.stages = detector_backbone()
        self.lateral = nn.ModuleList(nn.Conv2d(c, width, 1) for c in (96, 128, 160))
        self.output = nn.ModuleList(nn.Conv2d(width, width, 3, padding=1) for _ in range(3))

        def tower():
            layers = []
            for _ in range(4):
                layers += [nn.Conv2d(width, width, 3, padding=1), nn.ReLU()]
            return nn.Sequential(*layers)

        self.class_tower, self.box_tower = tower(), tower()
        self.class_logits = nn.Conv2d(width, anchors * classes, 3, padding=1)
        self.box_deltas = nn.Conv2d(width, anchors * 4, 3, padding=1)
        self.classes = classes

    def forward(self, x):
        x = self.stem(x)
        features = []
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i >= 2:
                features.append(x)
        laterals = [l(f) for l, f in zip(self.lateral, features)]
        merged = [None, None, laterals[2]]
        for i in (1, 0):
            merged[i] = laterals[i] + nn.functional.interpolate(merged[i + 1], scale_factor=2, mode="nearest")
        levels = [o(m) for o, m in zip(self.output, merged)]
        n = x.shape[0]
        logits = torch.cat([self.class_logits(self.class_tower(p)).permute(0, 2, 3, 1).reshape(n, -1, self.classes) for p in levels], 1)
        deltas = torch.cat([self.box_deltas(self.box_tower(p)).permute(0, 2, 3, 1).reshape(n, -1, 4) for p in levels], 1)
        return torch.cat([logits, deltas], 2)


def retinanet_loss(out, target):
    """torchvision's RetinaNet loss on Trilobite's target rows [one-hot K | deltas 4 | state]."""
    from torchvision.ops import sigmoid_focal_loss
    k = out.shape[2] - 4
    state = target[..., k + 4]
    fg = (state == 1).float()
    counted = (state >= 0).float().unsqueeze(-1)
    per_image = fg.sum(1).clamp(min=1)
    focal = (sigmoid_focal_loss(out[..., :k], target[..., :k], reduction="none") * counted).sum((1, 2))
    box = ((out[..., k:] - target[..., k:k + 4]).abs() * fg.unsqueeze(-1)).sum((1, 2))
    return ((focal + box) / per_image).mean()


def squash(s, dim=-1):
    """v = |s|^2/(1 + |s|^2) * s/|s|, written as s*|s|/(1 + |s|^2) so that it is 0 (not NaN) at s = 0."""
    q = (s * s).sum(dim, keepdim=True)
    return s * q.sqrt() / (1 + q)


class CapsNetTwin(nn.Module):
    """Trilobite's CapsNet.Mnist(): conv1 256 9x9 ReLU, primary caps 32x8 (9x9, stride 2; capsule t = channels
    [8t, 8t+8) at one pixel, ordered by pixel then type), digit caps 10x16 with W (1152, 10, 16, 8) and three routing
    iterations (couplings softmax over the parents, full gradient), decoder 512-1024-784 on the true class's capsule."""

    def __init__(self, routings=3):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 256, 9)
        self.primary = nn.Conv2d(256, 256, 9, stride=2)
        self.W = nn.Parameter(0.01 * torch.randn(1152, 10, 16, 8))
        self.decoder = nn.Sequential(nn.Linear(160, 512), nn.ReLU(), nn.Linear(512, 1024), nn.ReLU(), nn.Linear(1024, 784), nn.Sigmoid())
        self.routings = routings

    def capsules(self, x):
        n = x.shape[0]
        u = squash(self.primary(torch.relu(self.conv1(x))).permute(0, 2, 3, 1).reshape(n, 1152, 8))
        votes = torch.einsum("ijdk,nik->njid", self.W, u)            # (N, 10, 1152, 16)
        logits = torch.zeros(n, 10, 1152)
        for r in range(self.routings):
            c = logits.softmax(1)
            v = squash(torch.einsum("nji,njid->njd", c, votes))
            if r < self.routings - 1:
                logits = logits + torch.einsum("njid,njd->nji", votes, v)
        return v

    def loss(self, x, y):
        """Margin loss (m+ 0.9, m- 0.1, lambda 0.5, summed over classes) + 0.0005 * per-sample sum of squared errors, batch means."""
        v = self.capsules(x)
        lengths = v.norm(dim=-1)
        margin = (y * torch.relu(0.9 - lengths) ** 2 + 0.5 * (1 - y) * torch.relu(lengths - 0.1) ** 2).sum(1).mean()
        reconstruction = self.decoder((v * y.unsqueeze(-1)).reshape(x.shape[0], 160))
        return margin + 0.0005 * ((reconstruction - x.reshape(x.shape[0], 784)) ** 2).sum(1).mean()


def fake_targets(n, anchors=3024, classes=10):
    g = torch.Generator().manual_seed(3)
    t = torch.zeros(n, anchors, classes + 5)
    state = torch.randint(-1, 2, (n, anchors), generator=g).float() * (torch.rand(n, anchors, generator=g) < 0.02)
    t[..., classes + 4] = state
    labels = torch.randint(0, classes, (n, anchors), generator=g)
    t[..., :classes] = nn.functional.one_hot(labels, classes).float() * (state == 1).unsqueeze(-1)
    t[..., classes:classes + 4] = torch.randn(n, anchors, 4, generator=g) * 0.3 * (state == 1).unsqueeze(-1)
    return t


def train_throughput(model, loss_fn, x, y, batch, seconds, step_loss=None):
    """Adam steps over the batches of (x, y) in turn for `seconds` after one warm-up pass; prints steps, peak RSS and images/s.
    The loss of a batch is loss_fn(model(x), y), or step_loss(x, y) for a model whose loss needs more than its output."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    batches = x.shape[0] // batch
    model.train()

    def step(i):
        optimizer.zero_grad()
        xb, yb = x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]
        (step_loss(xb, yb) if step_loss else loss_fn(model(xb), yb)).backward()
        optimizer.step()

    for i in range(batches):
        step(i)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step(steps % batches)
        steps += 1
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"steps: {steps}, peak RSS: {peak:.0f} MiB")
    print(f"images/s: {steps * batch / elapsed:.1f}")


def infer_throughput(model, x, min_seconds=1.0, rounds=5):
    """Median images/s of no-grad forward passes over x."""
    model.eval()

    def run():
        with torch.no_grad():
            model(x)

    run()
    samples = [x.shape[0] / timed(run, min_seconds) for _ in range(rounds)]
    print(f"images/s: {statistics.median(samples):.1f}")


def timed(fn, min_seconds=0.2):
    calls, start = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / calls


def gemm(args):
    n = args.size
    a, b = torch.rand(n, n), torch.rand(n, n)
    for _ in range(3):
        a @ b
    samples = [2 * n ** 3 / timed(lambda: a @ b) / 1e9 for _ in range(9)]
    print(f"GFLOP/s: {statistics.median(samples):.1f}")


def conv_vgg(args):
    conv = nn.Conv2d(64, 64, 3, padding=1)
    x = torch.rand(8, 64, 56, 56, requires_grad=True)
    dy = torch.rand(8, 64, 56, 56)

    def forward():
        with torch.no_grad():
            conv(x)

    def both():
        x.grad = None
        conv.zero_grad()
        conv(x).backward(dy)

    forward(); both()
    f = statistics.median([timed(forward) * 1000 for _ in range(7)])
    fb = statistics.median([timed(both) * 1000 for _ in range(7)])
    print(f"forward: {f:.2f} ms")
    print(f"ms: {fb:.2f}")


def lenet_train(args):
    torch.manual_seed(1)
    batch = 128
    train_throughput(lenet(), nn.CrossEntropyLoss(), torch.rand(batch * 4, 1, 28, 28), torch.arange(batch * 4) % 10, batch, args.seconds)


def lenet_infer(args):
    model = lenet().eval()
    x = torch.rand(128, 1, 28, 28)

    def run():
        with torch.no_grad():
            model(x)

    run()
    samples = [128 / timed(run) for _ in range(15)]
    print(f"images/s: {statistics.median(samples):.1f}")


def lenet_latency(args):
    model = lenet().eval()
    x = torch.rand(1, 1, 28, 28)
    times = []
    with torch.no_grad():
        for _ in range(50):
            model(x)
        for _ in range(500):
            start = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"p90: {times[int(len(times) * 0.9)]:.3f} ms")
    print(f"ms: {statistics.median(times):.3f}")


def unet_train(args):
    torch.manual_seed(1)
    model = UNet()
    assert sum(p.numel() for p in model.parameters()) == 1942459, "trainable parameters differ from Trilobite's U-Net"
    batch = 16
    train_throughput(model, nn.CrossEntropyLoss(), torch.rand(batch * 2, 1, 128, 128), torch.randint(0, 11, (batch * 2, 128, 128)), batch, args.seconds)


def unet_infer(args):
    model = UNet()
    infer_throughput(nn.Sequential(model, nn.Softmax(1)), torch.rand(16, 1, 128, 128))


def retinanet_train(args):
    torch.manual_seed(1)
    batch = 16
    train_throughput(RetinaNetTwin(), retinanet_loss, torch.rand(batch * 2, 1, 128, 128), fake_targets(batch * 2), batch, args.seconds)


def retinanet_infer(args):
    infer_throughput(RetinaNetTwin(), torch.rand(args.size if args.size in (1, 16) else 16, 1, 128, 128))


def capsnet_train(args):
    torch.manual_seed(1)
    model = CapsNetTwin()
    assert sum(p.numel() for p in model.parameters()) == 8215568, "parameters differ from Trilobite's CapsNet.Mnist()"
    batch = 32
    labels = torch.arange(batch * 2) * 7 % 10
    train_throughput(model, None, torch.rand(batch * 2, 1, 28, 28), nn.functional.one_hot(labels, 10).float(), batch, args.seconds,
                     step_loss=model.loss)


WORKLOADS = {"gemm": gemm, "conv-vgg": conv_vgg, "lenet-train": lenet_train,
             "lenet-infer": lenet_infer, "lenet-latency": lenet_latency, "unet-train": unet_train, "unet-infer": unet_infer,
             "retinanet-train": retinanet_train, "retinanet-infer": retinanet_infer, "capsnet-train": capsnet_train}

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    WORKLOADS[args.workload](args)
