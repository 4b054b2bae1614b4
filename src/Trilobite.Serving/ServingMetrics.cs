using Prometheus;

namespace Trilobite.Serving;

/// <summary>The server's metrics, in a registry of its own (two servers in one process do not mix), exported at /metrics.</summary>
internal sealed class ServingMetrics
{
    public ServingMetrics(int maxBatch)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("trilobite_requests_total", "Prediction requests answered, by HTTP status code.", ["code"]);
        Errors = factory.CreateCounter("trilobite_request_errors_total", "Prediction requests answered with an error (4xx or 5xx).");
        Latency = factory.CreateHistogram("trilobite_request_duration_seconds", "Time from a prediction request's arrival to its answer.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        BatchSizes = factory.CreateHistogram("trilobite_batch_size", "Requests per forward pass.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, Math.Max(1, (int)Math.Ceiling(Math.Log2(maxBatch)) + 1)) });
        QueueLength = factory.CreateGauge("trilobite_queue_length", "Requests waiting for a forward pass.");
        Rejected = factory.CreateCounter("trilobite_rejected_total", "Requests refused with 503 because the queue was full.");
    }

    public CollectorRegistry Registry { get; }
    public Counter Requests { get; }
    public Counter Errors { get; }
    public Histogram Latency { get; }
    public Histogram BatchSizes { get; }
    public Gauge QueueLength { get; }
    public Counter Rejected { get; }
}
