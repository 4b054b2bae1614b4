namespace Trilobite.Serving;

/// <summary>How <see cref="InferenceServer"/> listens, batches and limits; the defaults suit a small model on a laptop.</summary>
public sealed record ServeOptions
{
    /// <summary>The address to bind: loopback unless asked (any other address only when given explicitly).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (see <see cref="InferenceServer.Address"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>At most this many requests share one forward pass.</summary>
    public int MaxBatch { get; init; } = 16;

    /// <summary>How long the first request of a batch waits for others, in milliseconds (0: no waiting, batch what is queued).</summary>
    public int MaxWaitMs { get; init; } = 2;

    /// <summary>Requests waiting for a forward pass beyond which new ones are answered 503 with Retry-After at once.</summary>
    public int MaxQueue { get; init; } = 256;

    /// <summary>A request not answered within this many milliseconds gets 504.</summary>
    public int RequestTimeoutMs { get; init; } = 30_000;

    /// <summary>Largest request body, in bytes (413 beyond).</summary>
    public long MaxBodyBytes { get; init; } = 16 << 20;

    /// <summary>Largest picture, in pixels, checked from its header before decoding (413 beyond): no decompression bombs.</summary>
    public long MaxImagePixels { get; init; } = 4096L * 4096;

    /// <summary>
    /// Forward passes on zeros before the server listens, alternating batch 1 and <see cref="MaxBatch"/>, so the JIT has
    /// compiled and tiered up the kernels before the first request (0: none; no pass starts after 5 s). A cold server
    /// answers its first seconds under load at half speed or less, with stalls of hundreds of ms (docs/PERFORMANCE.md,
    /// "Serving").
    /// </summary>
    public int WarmupPasses { get; init; } = 64;

    /// <summary>How many classes a classifier's answer lists.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of its range.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(Port), $"--port {Port}: a TCP port is 0 to 65535.");
        if (MaxBatch is < 1 or > 4096) throw new ArgumentOutOfRangeException(nameof(MaxBatch), $"--max-batch {MaxBatch}: 1 to 4096.");
        if (MaxWaitMs is < 0 or > 10_000) throw new ArgumentOutOfRangeException(nameof(MaxWaitMs), $"--max-wait-ms {MaxWaitMs}: 0 to 10000.");
        if (MaxQueue is < 1 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(MaxQueue), $"--max-queue {MaxQueue}: 1 to 1000000.");
        if (RequestTimeoutMs is < 1 or > 3_600_000) throw new ArgumentOutOfRangeException(nameof(RequestTimeoutMs), $"--timeout-ms {RequestTimeoutMs}: 1 to 3600000.");
        if (MaxBodyBytes is < 1024 or > 1L << 31) throw new ArgumentOutOfRangeException(nameof(MaxBodyBytes), $"--max-body-bytes {MaxBodyBytes}: 1 KiB to 2 GiB.");
        if (WarmupPasses is < 0 or > 100_000) throw new ArgumentOutOfRangeException(nameof(WarmupPasses), $"--warmup {WarmupPasses}: 0 to 100000.");
        if (TopK is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(TopK), $"--top-k {TopK}: 1 to 1000.");
    }
}
