using System.Runtime.ExceptionServices;

namespace Trilobite.Kernels;

/// <summary>
/// Long-lived background threads that take indexed tasks from a shared counter.
/// The caller takes tasks too and waits only for tasks that have been started, never for a worker
/// to wake up: a worker that is still asleep when the caller has taken the last task simply finds
/// nothing left. (Waiting for every woken worker to check in cost a wake-up — up to hundreds of µs on
/// a virtual machine — on every small parallel region, and made batch-1 inference slower on 2 threads than on 1.)
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    [ThreadStatic] private static bool t_insideTask;

    private readonly Thread[] _workers;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ManualResetEventSlim _finished = new(false);
    private readonly object _runGate = new();
    private volatile Job? _current;
    private volatile bool _disposed;

    public WorkerPool(int threadCount)
    {
        ThreadCount = threadCount;
        _workers = new Thread[threadCount - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"trilobite-worker-{i + 1}" };
            _workers[i].Start();
        }
    }

    public int ThreadCount { get; }

    public static bool InsideTask => t_insideTask;

    public void Run(int count, Action<int> body)
    {
        lock (_runGate)
        {
            // KernelThreads.Count may have replaced this pool after the caller picked it up:
            // its workers are gone, so the caller does all the work itself.
            if (_disposed)
            {
                for (int i = 0; i < count; i++) body(i);
                return;
            }
            var job = new Job(body, count);
            _current = job;
            int helpers = Math.Min(_workers.Length, count - 1) - _wake.CurrentCount;
            if (helpers > 0) _wake.Release(helpers);
            Work(job);
            WaitUntilDone(job);
            _current = null;
            job.Error?.Throw();
        }
    }

    private void WorkerLoop()
    {
        while (true)
        {
            SpinBeforeSleeping();
            _wake.Wait();
            if (_disposed) return;
            // Possibly a later job than the one we were woken for, or none: either is fine.
            if (_current is { } job) Work(job);
        }
    }

    /// <summary>
    /// Kernels come in quick succession (a layer's forward is several parallel regions a few µs apart);
    /// a worker that has fallen asleep takes tens of µs to wake. So a worker polls for new work for a
    /// short while before it blocks.
    /// </summary>
    private void SpinBeforeSleeping()
    {
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        while (_wake.CurrentCount == 0 && !_disposed && System.Diagnostics.Stopwatch.GetTimestamp() < until)
            Thread.SpinWait(32);
    }

    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 10_000;   // 100 µs

    private void Work(Job job)
    {
        t_insideTask = true;
        try
        {
            int i;
            while ((i = Interlocked.Increment(ref job.Next) - 1) < job.Count)
            {
                try { job.Body(i); }
                catch (Exception e) { Interlocked.CompareExchange(ref job.Error, ExceptionDispatchInfo.Capture(e), null); }
                if (Interlocked.Decrement(ref job.Remaining) == 0) _finished.Set();
            }
        }
        finally { t_insideTask = false; }
    }

    /// <summary>Spins briefly (tasks of one region end close together), then blocks.</summary>
    private void WaitUntilDone(Job job)
    {
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        while (Volatile.Read(ref job.Remaining) != 0)
        {
            if (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(16);
                continue;
            }
            // _finished may still be set by an earlier job's last task: wait, clear, and check again.
            // A Set after our Reset is kept; one before it came after its Decrement, which the check then sees.
            _finished.Wait();
            _finished.Reset();
        }
    }

    public void Dispose()
    {
        // Under the run gate, so a Run in flight finishes with its workers before they leave.
        lock (_runGate)
        {
            if (_disposed) return;
            _disposed = true;
            if (_workers.Length > 0) _wake.Release(_workers.Length);
        }
    }

    /// <summary>One parallel region: its tasks, the next one to take and how many have not finished.</summary>
    private sealed class Job(Action<int> body, int count)
    {
        public readonly Action<int> Body = body;
        public readonly int Count = count;
        public int Next;
        public int Remaining = count;
        public ExceptionDispatchInfo? Error;
    }
}
