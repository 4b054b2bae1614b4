#!/usr/bin/env python3
"""Interleaved Trilobite-vs-PyTorch comparison: each round runs every workload in both frameworks
back to back, on 1 and 2 threads, so that a busy host slows both alike. Prints medians, ranges and
ratios (Trilobite / PyTorch for throughputs, PyTorch / Trilobite for times: > 1 means we are faster).
With --baseline, each round also runs an earlier build of the benchmarks right before this one, and a
second table gives this build against it (> 1 means this build is faster): the check that a change made
nothing slower.

Usage: compare.py [--rounds 3] [--seconds 10] [--bench PATH-TO-Trilobite.Bench.dll] [--baseline PATH] [--only a,b]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (workload, extra args, unit, higher is better)
WORKLOADS = [
    ("peak", [], "GFLOP/s", True),
    ("gemm", ["--size", "1024"], "GFLOP/s", True),
    ("conv-vgg", [], "ms", False),
    ("lenet-train", ["--seconds", "{seconds}"], "images/s", True),
    ("lenet-infer", [], "images/s", True),
    ("lenet-latency", [], "ms", False),
    ("unet-train", ["--seconds", "{seconds}"], "images/s", True),
    ("unet-infer", [], "images/s", True),
    ("retinanet-train", ["--seconds", "{seconds}"], "images/s", True),
    ("retinanet-infer", ["--size", "1"], "images/s", True),
    ("retinanet-infer", ["--size", "16"], "images/s", True),
    ("capsnet-train", ["--seconds", "{seconds}"], "images/s", True),
]


def run(cmd, env):
    """The workload's last "unit: N" line, and its peak RSS (training) or p90 (latency) when it prints one."""
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    value = float(re.findall(r"^(?:GFLOP/s|ms|images/s): ([0-9.]+)$", out, re.M)[-1])
    extra = re.findall(r"peak RSS: ([0-9.]+) MiB", out) or re.findall(r"^p90: ([0-9.]+) ms$", out, re.M)
    return value, (float(extra[-1]) if extra else None)


def label(name, extra):
    """The row's name: the workload, with its batch when it is run at several ("retinanet-infer b16")."""
    return f"{name} b{extra[extra.index('--size') + 1]}" if name.startswith("retinanet") and "--size" in extra else name


def fmt(values):
    """Median (min–max), with three decimals for sub-10 values (latencies in ms)."""
    m = statistics.median(values)
    d = 3 if max(values) < 10 else 1
    return f"{m:.{d}f} ({min(values):.{d}f}–{max(values):.{d}f})"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--bench", required=True)
    p.add_argument("--baseline", help="an earlier build's Trilobite.Bench.dll, run interleaved with this one")
    p.add_argument("--only", help="comma-separated workloads to run (default: all)")
    args = p.parse_args()
    workloads = [(label(n, e), n, e, u, h) for n, e, u, h in WORKLOADS if not args.only or n in args.only.split(",")]
    results = {}
    for r in range(args.rounds):
        for threads in (1, 2):
            env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
                       MKL_NUM_THREADS=str(threads), TRILOBITE_THREADS=str(threads))
            for key, name, extra, unit, _ in workloads:
                extra = [e.format(seconds=args.seconds) for e in extra]
                if args.baseline:
                    before = run(["dotnet", args.baseline, name, "--threads", str(threads)] + extra, env)
                    results.setdefault((key, threads, "baseline"), []).append(before)
                ours = run(["dotnet", args.bench, name, "--threads", str(threads)] + extra, env)
                results.setdefault((key, threads, "trilobite"), []).append(ours)
                if name != "peak":
                    theirs = run([sys.executable, os.path.join(HERE, "torch_bench.py"), name, "--threads", str(threads)] + extra, env)
                    results.setdefault((key, threads, "pytorch"), []).append(theirs)
                print(f"round {r + 1} threads {threads} {key}: trilobite {ours[0]}"
                      + (f", baseline {before[0]}" if args.baseline else "")
                      + ("" if name == "peak" else f", pytorch {theirs[0]}"), file=sys.stderr, flush=True)
    if args.baseline:
        print("| workload | threads | unit | this build median (range) | baseline median (range) | this / baseline (>1 = faster) |")
        print("|---|---:|---|---:|---:|---:|")
        for name, _, _, unit, higher in workloads:
            for threads in (1, 2):
                ours = [v for v, _ in results[(name, threads, "trilobite")]]
                before = [v for v, _ in results[(name, threads, "baseline")]]
                mo, mb = statistics.median(ours), statistics.median(before)
                print(f"| {name} | {threads} | {unit} | {fmt(ours)} | {fmt(before)} | {(mo / mb if higher else mb / mo):.3f}× |")
        print()
    print(f"| workload | threads | unit | Trilobite median (range) | PyTorch median (range) | ratio (>1 = Trilobite faster) |")
    print("|---|---:|---|---:|---:|---:|")
    for name, _, _, unit, higher in workloads:
        for threads in (1, 2):
            ours = [v for v, _ in results[(name, threads, "trilobite")]]
            mo = statistics.median(ours)
            if name == "peak":
                print(f"| FMA peak | {threads} | {unit} | {fmt(ours)} | | |")
                continue
            theirs = [v for v, _ in results[(name, threads, "pytorch")]]
            mt = statistics.median(theirs)
            ratio = mo / mt if higher else mt / mo
            print(f"| {name} | {threads} | {unit} | {fmt(ours)} | {fmt(theirs)} | {ratio:.2f}× |")
    for threads in (1, 2):
        if ("lenet-latency", threads, "trilobite") not in results: break
        ours = [p for _, p in results[("lenet-latency", threads, "trilobite")] if p]
        theirs = [p for _, p in results[("lenet-latency", threads, "pytorch")] if p]
        if ours and theirs:
            print(f"| lenet-latency p90 | {threads} | ms | {fmt(ours)} | {fmt(theirs)} | {statistics.median(theirs) / statistics.median(ours):.2f}× |")
    for threads in (1, 2):
        if ("lenet-train", threads, "trilobite") not in results: break
        ours = [m for _, m in results[("lenet-train", threads, "trilobite")] if m]
        theirs = [m for _, m in results[("lenet-train", threads, "pytorch")] if m]
        print(f"| lenet-train peak RSS | {threads} | MiB | {statistics.median(ours):.0f} | {statistics.median(theirs):.0f} | {statistics.median(theirs) / statistics.median(ours):.2f}× |")


if __name__ == "__main__":
    main()
