#!/usr/bin/env python3
"""Viola-Jones speed beside OpenCV: frontalface_default on a 640x480 image, interleaved runs, medians.

    dotnet build -c Release bench/violajones/ViolaJonesBench
    /usr/bin/python3 bench/violajones/timing.py ../shared/data [runs]

The image is astronaut.png rows 0-479 beside camera.png columns 0-127 (both lossless PNG), grey by
cv2.cvtColor. Each round times one cv2 detectMultiScale (scaleFactor 1.1, minNeighbors 3, all threads)
and then one Trilobite DetectMultiScale in the C# workload (timed inside it, Stopwatch), so that both
see the same machine load. Reports medians and the ratio.
"""
import hashlib
import os
import statistics
import subprocess
import sys
import time

import cv2
import numpy as np


def main() -> None:
    data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    here = os.path.dirname(os.path.abspath(__file__))
    dll = os.path.join(here, "ViolaJonesBench/bin/Release/net10.0/ViolaJonesBench.dll")

    a = cv2.cvtColor(cv2.imread(os.path.join(data, "images/astronaut.png")), cv2.COLOR_BGR2GRAY)
    c = cv2.cvtColor(cv2.imread(os.path.join(data, "images/camera.png")), cv2.COLOR_BGR2GRAY)
    grey = np.ascontiguousarray(np.concatenate([a[:480, :512], c[:480, :128]], axis=1))
    assert grey.shape == (480, 640)
    cascade = cv2.CascadeClassifier(os.path.join(data, "haarcascades/haarcascade_frontalface_default.xml"))
    ours = subprocess.Popen(["dotnet", dll, data], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    ready = ours.stdout.readline().split()
    assert ready[0] == "ready", ready
    digest = hashlib.sha256(grey.tobytes()).hexdigest()
    assert ready[1] == digest, "the two sides do not see the same grey pixels"
    cv_boxes = sorted(tuple(int(v) for v in b) for b in cascade.detectMultiScale(grey, 1.1, 3))
    print(f"OpenCV {cv2.__version__}, threads {cv2.getNumThreads()}; boxes opencv {cv_boxes} trilobite {ready[2] if len(ready) > 2 else '[]'}")

    def ours_once() -> float:
        ours.stdin.write("run\n")
        ms, _ = ours.stdout.readline().split()
        return float(ms)

    for _ in range(5):  # warm-up (JIT tiers, caches) on both sides
        cascade.detectMultiScale(grey, 1.1, 3)
        ours_once()
    cv_ms, tr_ms = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        cascade.detectMultiScale(grey, 1.1, 3)
        cv_ms.append((time.perf_counter() - t0) * 1000)
        tr_ms.append(ours_once())
    ours.stdin.write("quit\n")
    ours.wait()
    m_cv, m_tr = statistics.median(cv_ms), statistics.median(tr_ms)
    print(f"runs {runs}: OpenCV median {m_cv:.2f} ms, Trilobite median {m_tr:.2f} ms, ratio {m_tr / m_cv:.2f}x")


if __name__ == "__main__":
    main()
