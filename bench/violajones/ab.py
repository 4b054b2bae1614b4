#!/usr/bin/python3
"""Interleaved A/B of two ViolaJonesBench builds on the same 640x480 workload.

    dotnet build -c Release bench/violajones/ViolaJonesBench -o /tmp/vj-new     (and the old commit's into /tmp/vj-old)
    /usr/bin/python3 bench/violajones/ab.py 60 /tmp/vj-old /tmp/vj-new ../shared/data

Both processes answer "run" alternately (the order flips every round, so a busy second core hurts both alike); the
first 5 rounds are warm-up. Prints each build's median and new/old.
"""
import statistics
import subprocess
import sys


def start(build, data):
    process = subprocess.Popen(["dotnet", f"{build}/ViolaJonesBench.dll", data], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, bufsize=1)
    ready = process.stdout.readline().split()
    return process, ready[2] if len(ready) > 2 else ""


def main():
    rounds, old, new = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    data = sys.argv[4] if len(sys.argv) > 4 else "../shared/data"
    procs = {"old": start(old, data), "new": start(new, data)}
    if procs["old"][1] != procs["new"][1]:
        sys.exit(f"the builds find different boxes: {procs['old'][1]} vs {procs['new'][1]}")
    times = {"old": [], "new": []}
    for i in range(rounds):
        for name in (["old", "new"] if i % 2 == 0 else ["new", "old"]):
            process = procs[name][0]
            process.stdin.write("run\n")
            process.stdin.flush()
            ms, _ = process.stdout.readline().split()
            if i >= 5:
                times[name].append(float(ms))
    for process, _ in procs.values():
        process.stdin.write("quit\n")
        process.stdin.flush()
    before, after = statistics.median(times["old"]), statistics.median(times["new"])
    print(f"boxes {procs['new'][1]}; median old {before:.2f} ms, new {after:.2f} ms, new/old {after / before:.3f}")


if __name__ == "__main__":
    main()
