#!/usr/bin/env bash
# Load test of `trilobite serve` with Debian's wrk, on loopback only, bounded in time (about 3 minutes):
#   bench/serve/run.sh            (DURATION=10s per level, WARMUP=15s of unreported load after each start, by default)
# LeNet (one epoch on the shipped sample) answers a real MNIST digit PNG at 1, 8 and 64 connections, with micro-batching
# (--max-batch 16 --max-wait-ms 2) and without (--max-batch 1); then 512 connections against --max-queue 64, where only
# 200s and 503s may come back, the server's peak RSS is read from /proc, and a 1-connection run afterwards must be clean.
# Each server is first loaded, unreported, at 64 connections for WARMUP: the server's own warm-up (--warmup) compiles the
# model's code, but .NET's tiered JIT keeps recompiling the request path for about 12 s of load (5,017 methods compiled
# after 4 s, 6,610 after 8, 6,827 after 12, 6,860 after 16, by DOTNET_JitDisasmSummary=1; meanwhile 1,540 → 2,230
# requests/s at --max-batch 32 on a Zen 3 VM).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
OUT=bench/serve/.build
command -v wrk >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk)
dotnet build src/Trilobite.Cli -c Release -o "$OUT" -v q -nologo >/dev/null
[ -f "$OUT/lenet.trilo" ] || dotnet "$OUT/Trilobite.Cli.dll" train lenet --epochs 1 --save "$OUT/lenet.trilo" --verbose 0 >/dev/null
PORT=18080
SERVER=

start() {
  dotnet "$OUT/Trilobite.Cli.dll" serve "$OUT/lenet.trilo" --port $PORT "$@" > "$OUT/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.1; done
  echo "the server did not start: $(cat "$OUT/serve.log")" >&2; exit 1
}
warm() { wrk -t2 -c64 -d"$WARMUP" --timeout 10s -s bench/serve/post-digit.lua "http://127.0.0.1:$PORT/v1/predict" > /dev/null; mark; }
stop() { kill -TERM "$SERVER"; wait "$SERVER" || true; }   # SIGTERM: a background job ignores SIGINT; both drain gracefully
load() {   # connections duration → one table row
  local c=$1 t=$(( $1 < 2 ? 1 : 2 ))
  local result; result=$(wrk -t$t -c"$c" -d"${2:-$DURATION}" --timeout 10s -s bench/serve/post-digit.lua "http://127.0.0.1:$PORT/v1/predict")
  local rps p50 p99 errors
  rps=$(sed -n 's/.*; \([0-9.]*\) requests\/s/\1/p' <<< "$result")
  p50=$(sed -n 's/latency p50 \([0-9.]*\) ms.*/\1/p' <<< "$result")
  p99=$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<< "$result")
  errors=$(sed -n 's/.*errors: connect \([0-9]*\) read \([0-9]*\) write \([0-9]*\) timeout \([0-9]*\) status \([0-9]*\)/\1+\2+\3+\4+\5/p' <<< "$result")
  echo "| $c | $rps | $p50 | $p99 | $(( errors )) |"
}
counts() { curl -s "http://127.0.0.1:$PORT/metrics" | sed -n 's/^trilobite_requests_total{code="\([0-9]*\)"} \([0-9]*\).*/\1 \2/p'; }
mark() { counts > "$OUT/counts-before"; }   # after the warm-up: codes() reports the measured levels only
codes() { counts | awk 'NR == FNR { before[$1] = $2; next } { printf "%s: %d  ", $1, $2 - before[$1] }' "$OUT/counts-before" -; }

for mode in batching none; do
  if [ $mode = batching ]; then start --max-batch 16 --max-wait-ms 2; else start --max-batch 1 --max-wait-ms 0; fi
  warm
  echo; echo "### $( [ $mode = batching ] && echo 'with micro-batching (--max-batch 16 --max-wait-ms 2)' || echo 'without (--max-batch 1)' )"; echo
  echo "| connections | requests/s | p50 ms | p99 ms | errors |"; echo "|---:|---:|---:|---:|---:|"
  for c in 1 8 64; do load $c; done
  echo; echo "answers by status code: $(codes)"
  stop
done

start --max-batch 16 --max-wait-ms 2 --max-queue 64
warm
echo; echo "### overload: 512 connections against --max-queue 64"; echo
echo "| connections | requests/s | p50 ms | p99 ms | non-2xx or errors |"; echo "|---:|---:|---:|---:|---:|"
load 512
echo; echo "answers by status code: $(codes)"
echo "server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{printf "%.0f MiB", $2/1024}')"
echo; echo "afterwards, 1 connection for 3 s:"; echo
echo "| connections | requests/s | p50 ms | p99 ms | errors |"; echo "|---:|---:|---:|---:|---:|"
load 1 3s
stop
