#!/usr/bin/env python3
"""PyTorch twin of the Trilobite bench workloads (the peer in bench/compare.sh).

Usage: torch_bench.py <workload> [--threads N] [--size N] [--seconds S]
Workloads print their result last, in the same form as Trilobite.Bench:
  gemm --size N      -> "GFLOP/s: N"      conv-vgg   -> "ms: N" (forward+backward; forward printed above)
  lenet-train        -> "images/s: N"     lenet-infer -> "images/s: N"     lenet-latency -> "ms: N"
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
    model = lenet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    batch = 128
    x = torch.rand(batch * 4, 1, 28, 28)
    y = torch.arange(batch * 4) % 10
    model.train()

    def step(i):
        xb, yb = x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]
        optimizer.zero_grad()
        loss_fn(model(xb), yb).backward()
        optimizer.step()

    for i in range(4):
        step(i)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        step(steps % 4)
        steps += 1
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"steps: {steps}, peak RSS: {peak:.0f} MiB")
    print(f"images/s: {steps * batch / elapsed:.1f}")


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


WORKLOADS = {"gemm": gemm, "conv-vgg": conv_vgg, "lenet-train": lenet_train,
             "lenet-infer": lenet_infer, "lenet-latency": lenet_latency}

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    WORKLOADS[args.workload](args)
