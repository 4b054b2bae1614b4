namespace Trilobite.Kernels.Tests.Threading;

[Collection(KernelThreadsCollection.Name)]
public sealed class KernelThreadsTests
{
    [Fact]
    public void ForRunsEveryIndexOnce()
    {
        WithThreads(2, () =>
        {
            var hits = new int[1000];
            KernelThreads.For(hits.Length, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, h => Assert.Equal(1, h));
        });
    }

    [Fact]
    public void ManyQuickRegionsRunEachTaskOnceAndNoneAfterTheRegionReturns()
    {
        // The caller does not wait for sleeping workers to wake up; a worker that wakes late must find
        // nothing left, never run a task of a region that has returned. Pauses let workers fall asleep.
        WithThreads(2, () =>
        {
            int late = 0;
            for (int region = 0; region < 5000; region++)
            {
                var state = new RegionState();
                KernelThreads.For(region % 3 + 2, i =>
                {
                    if (Volatile.Read(ref state.Returned)) Interlocked.Increment(ref late);
                    Interlocked.Increment(ref state.Hits);
                });
                Volatile.Write(ref state.Returned, true);
                Assert.Equal(region % 3 + 2, state.Hits);
                if (region % 500 == 0) Thread.Sleep(2);
            }
            Thread.Sleep(5);
            Assert.Equal(0, late);
        });
    }

    private sealed class RegionState
    {
        public bool Returned;
        public int Hits;
    }

    [Fact]
    public void ExceptionsPropagateAndThePoolStaysUsable()
    {
        WithThreads(2, () =>
        {
            var e = Assert.Throws<InvalidOperationException>(() =>
                KernelThreads.For(8, i => { if (i == 5) throw new InvalidOperationException("task 5"); }));
            Assert.Equal("task 5", e.Message);
            int sum = 0;
            KernelThreads.For(10, i => Interlocked.Add(ref sum, i));
            Assert.Equal(45, sum);
        });
    }

    [Fact]
    public void NestedForRunsInlineOnTheSameThread()
    {
        WithThreads(2, () =>
        {
            int mismatches = 0, inner = 0;
            KernelThreads.For(4, _ =>
            {
                Assert.True(KernelThreads.InParallelRegion);
                int outerThread = Environment.CurrentManagedThreadId;
                KernelThreads.For(3, _ =>
                {
                    Interlocked.Increment(ref inner);
                    if (Environment.CurrentManagedThreadId != outerThread) Interlocked.Increment(ref mismatches);
                });
            });
            Assert.Equal(12, inner);
            Assert.Equal(0, mismatches);
            Assert.False(KernelThreads.InParallelRegion);
        });
    }

    [Fact]
    public void CountCanBeChanged()
    {
        WithThreads(1, () =>
        {
            Assert.Equal(1, KernelThreads.Count);
            var threads = new HashSet<int>();
            KernelThreads.For(16, _ => { lock (threads) threads.Add(Environment.CurrentManagedThreadId); });
            Assert.Single(threads);
        });
        WithThreads(3, () =>
        {
            Assert.Equal(3, KernelThreads.Count);
            int sum = 0;
            KernelThreads.For(100, i => Interlocked.Add(ref sum, i));
            Assert.Equal(4950, sum);
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Count = 0);
    }

    [Fact]
    public void ForRangeCoversTheRangeInContiguousChunks()
    {
        WithThreads(2, () =>
        {
            var hits = new int[101];
            KernelThreads.ForRange(hits.Length, 10, (s, e) => { for (int i = s; i < e; i++) Interlocked.Increment(ref hits[i]); });
            Assert.All(hits, h => Assert.Equal(1, h));
        });
    }

    private static void WithThreads(int threads, Action body)
    {
        int saved = KernelThreads.Count;
        KernelThreads.Count = threads;
        try { body(); }
        finally { KernelThreads.Count = saved; }
    }
}
