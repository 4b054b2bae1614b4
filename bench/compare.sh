#!/usr/bin/env bash
# Trilobite vs PyTorch on this CPU, interleaved over several rounds, 1 and 2 threads.
# Installs the peer from Debian if absent (python3-torch needs libopenblas0-pthread, or its GEMM
# falls back to a reference BLAS 10–30x slower). Usage: bench/compare.sh [--rounds 3] [--seconds 10]
# [--baseline OLD/Trilobite.Bench.dll] (an earlier build, run interleaved: did a change make anything slower?) [--only lenet-train,...]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch python3-numpy libopenblas0-pthread
fi
dotnet build bench/Trilobite.Bench -c Release -o bench/.build >/dev/null
# OpenBLAS may be pinned to an older core type here for safety; a benchmark wants its best kernel.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peer/compare.py --bench bench/.build/Trilobite.Bench.dll "$@"
