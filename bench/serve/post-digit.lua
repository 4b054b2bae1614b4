-- wrk script: POST the real MNIST test digit beside this file (a 7, dark ink on white) as image/png to /v1/predict.
-- Answers other than 2xx are counted by wrk ("status" errors); the server's /metrics says which codes they were.
local f = assert(io.open(os.getenv("DIGIT_PNG") or "bench/serve/digit7.png", "rb"))
wrk.method = "POST"
wrk.body = f:read("*all")
f:close()
wrk.headers["Content-Type"] = "image/png"

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors: connect %d read %d write %d timeout %d status %d\n", summary.requests,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
  io.write(string.format("latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; %.1f requests/s\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
