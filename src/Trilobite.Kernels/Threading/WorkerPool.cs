using System.Runtime.ExceptionServices;

namespace Trilobite.Kernels;

/// <summary>Long-lived background threads that take indexed tasks from a shared counter.</summary>
internal sealed class WorkerPool : IDisposable
{
    [ThreadStatic] private static bool t_insideTask;

    private readonly Thread[] _workers;
    private readonly SemaphoreSlim _start = new(0);
    private readonly object _runGate = new();
    private CountdownEvent _done = new(1);
    private Action<int>? _body;
    private int _next;
    private int _count;
    private ExceptionDispatchInfo? _error;
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
            int helpers = Math.Min(_workers.Length, count - 1);
            _body = body;
            _count = count;
            _next = 0;
            _error = null;
            _done.Reset(helpers);
            _start.Release(helpers);
            TakeTasks();
            _done.Wait();
            _body = null;
            _error?.Throw();
        }
    }

    private void WorkerLoop()
    {
        while (true)
        {
            SpinBeforeSleeping();
            _start.Wait();
            if (_disposed) return;
            TakeTasks();
            _done.Signal();
        }
    }

    /// <summary>
    /// Kernels come in quick succession (a layer's forward is several parallel regions a few µs apart);
    /// a worker that has fallen asleep takes tens of µs to wake, which dominated batch-1 inference on
    /// two threads. So a worker polls for new work for a short while before it blocks.
    /// </summary>
    private void SpinBeforeSleeping()
    {
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        while (_start.CurrentCount == 0 && !_disposed && System.Diagnostics.Stopwatch.GetTimestamp() < until)
            Thread.SpinWait(32);
    }

    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 10_000;   // 100 µs

    private void TakeTasks()
    {
        t_insideTask = true;
        try
        {
            int i;
            while ((i = Interlocked.Increment(ref _next) - 1) < _count)
            {
                try { _body!(i); }
                catch (Exception e) { Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null); }
            }
        }
        finally { t_insideTask = false; }
    }

    public void Dispose()
    {
        // Under the run gate, so a Run in flight finishes with its workers before they leave.
        lock (_runGate)
        {
            if (_disposed) return;
            _disposed = true;
            if (_workers.Length > 0) _start.Release(_workers.Length);
        }
    }
}
