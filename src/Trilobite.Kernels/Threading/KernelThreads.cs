namespace Trilobite.Kernels;

/// <summary>
/// The persistent worker pool every kernel shares. Work is split into indexed tasks that the
/// calling thread and <see cref="Count"/> − 1 long-lived workers take from one counter, so a
/// kernel call costs two signals, not a thread start. Nested calls run inline: a kernel called
/// from inside a parallel region never oversubscribes the cores.
/// </summary>
public static class KernelThreads
{
    private static WorkerPool s_pool = new(DefaultCount());
    private static readonly object s_resizeGate = new();

    /// <summary>How many threads kernels use (the caller included). Defaults to the core count,
    /// or to the <c>TRILOBITE_THREADS</c> environment variable when set.</summary>
    public static int Count
    {
        get => s_pool.ThreadCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (s_resizeGate)
            {
                if (value == s_pool.ThreadCount) return;
                var old = s_pool;
                s_pool = new WorkerPool(value);
                old.Dispose();
            }
        }
    }

    /// <summary>True on a thread that is already running a task of a parallel region.</summary>
    public static bool InParallelRegion => WorkerPool.InsideTask;

    /// <summary>Runs <paramref name="body"/> once for each index in [0, <paramref name="count"/>),
    /// spread over the pool; returns when all are done and rethrows the first exception.</summary>
    public static void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (count == 1 || WorkerPool.InsideTask || s_pool.ThreadCount == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        s_pool.Run(count, body);
    }

    /// <summary>Splits [0, <paramref name="length"/>) into at most <see cref="Count"/> contiguous
    /// ranges of at least <paramref name="minChunk"/> items and runs <paramref name="body"/>(start, end) on each.</summary>
    public static void ForRange(int length, int minChunk, Action<int, int> body)
    {
        if (length <= 0) return;
        int chunks = Math.Clamp(length / Math.Max(minChunk, 1), 1, Count);
        if (chunks == 1 || WorkerPool.InsideTask)
        {
            body(0, length);
            return;
        }
        For(chunks, c =>
        {
            long start = (long)length * c / chunks, end = (long)length * (c + 1) / chunks;
            body((int)start, (int)end);
        });
    }

    private static int DefaultCount()
    {
        string? env = Environment.GetEnvironmentVariable("TRILOBITE_THREADS");
        return int.TryParse(env, out int n) && n >= 1 ? n : Environment.ProcessorCount;
    }
}
