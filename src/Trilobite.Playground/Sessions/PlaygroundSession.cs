using System.Diagnostics;

namespace Trilobite.Playground.Sessions;

/// <summary>
/// One learner's playground: a <see cref="ToyTrainer"/>, its loss history and the latest frame.
/// Play runs epochs on a background task (paced, sharing the CPU with other sessions through a
/// gate); page connections wait for <see cref="WaitForChangeAsync"/>. Everything that touches the
/// network holds <c>_gate</c>, so requests and the training loop never interleave.
/// </summary>
public sealed class PlaygroundSession : IDisposable
{
    private const int BoundaryGrid = 64, NeuronGrid = 24;

    private readonly object _gate = new();
    private readonly SessionLimits _limits;
    private readonly SemaphoreSlim _cpu;
    private readonly List<LossPoint> _history = [];
    private ToyTrainer _trainer;
    private SessionFrame _frame;
    private int _generation, _version, _listeners;
    private string? _message;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _loop;
    private TimeSpan _trainingTime;
    private long _lastSeenTicks = Environment.TickCount64;
    private bool _disposed;

    /// <summary>A paused session <paramref name="id"/> with fresh weights for <paramref name="config"/>; <paramref name="cpu"/> is the store's shared CPU gate.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid or needs more than <see cref="SessionLimits.MaxSessionBytes"/>.</exception>
    public PlaygroundSession(string id, SessionConfig config, SessionLimits limits, SemaphoreSlim cpu)
    {
        Id = id;
        _limits = limits;
        _cpu = cpu;
        _trainer = CreateTrainer(config);
        _history.Add(new LossPoint(0, _trainer.TrainLoss, _trainer.TestLoss));
        _frame = Render();
    }

    /// <summary>The unguessable hex id the API routes use.</summary>
    public string Id { get; }
    /// <summary>The order sessions were opened in: breaks ties between equal <see cref="LastSeen"/> times (a millisecond clock).</summary>
    public long Sequence { get; init; }


    /// <summary>Who made it (the client's address): caps are per client.</summary>
    public string Client { get; init; } = "local";

    /// <summary>Milliseconds (Environment.TickCount64) when a request or a listener last showed interest.</summary>
    public long LastSeen => Interlocked.Read(ref _lastSeenTicks);

    /// <summary>Open page connections (event streams) counted by <see cref="Listen"/>.</summary>
    public int Listeners => Volatile.Read(ref _listeners);

    /// <summary>Whether the background training loop is running.</summary>
    public bool Playing { get { lock (_gate) return _loop != null; } }

    /// <summary>Records interest now (<see cref="LastSeen"/>), putting off idle expiry and the unwatched pause.</summary>
    public void Touch() => Interlocked.Exchange(ref _lastSeenTicks, Environment.TickCount64);

    /// <summary>Config, points, the latest frame and the whole history.</summary>
    public SessionSnapshot Snapshot()
    {
        Touch();
        lock (_gate)
        {
            return new SessionSnapshot(Id, _trainer.Config, Points(_trainer.Train), Points(_trainer.Test), _frame, [.. _history],
                _trainingTime.TotalSeconds, _limits.MaxTrainingTime.TotalSeconds, EstimatedBytes());
        }
    }

    /// <summary>Applies a new configuration: live for learning rate, regularisation and batch size; otherwise a reset.</summary>
    public void Configure(SessionConfig config)
    {
        Touch();
        config.Validate();
        lock (_gate)
        {
            if (_trainer.CanApplyLive(config)) _trainer.ApplyLive(config);
            else ResetLocked(config);
            Publish();
        }
    }

    /// <summary>Fresh weights (same configuration, same seed), empty history, a new training-time allowance.</summary>
    public void Reset()
    {
        Touch();
        lock (_gate)
        {
            ResetLocked(_trainer.Config);
            Publish();
        }
    }

    /// <summary>Runs one epoch now (pausing first if playing) and returns the new frame.</summary>
    public SessionFrame Step()
    {
        Touch();
        Pause();
        _cpu.Wait();
        try
        {
            lock (_gate)
            {
                if (!CheckBudget()) { Publish(); return _frame; }
                RunEpochLocked();
                Publish();
                return _frame;
            }
        }
        finally { _cpu.Release(); }
    }

    /// <summary>
    /// Starts training epochs on a background task, paced to <see cref="SessionLimits.MaxEpochsPerSecond"/>. Does nothing when
    /// already playing or disposed; with the training-time allowance spent it stays paused, with a message in the frame.
    /// </summary>
    public void Play()
    {
        Touch();
        lock (_gate)
        {
            if (_loop != null || _disposed) return;
            if (!CheckBudget()) { Publish(); return; }
            _message = null;
            _loop = new CancellationTokenSource();
            var token = _loop.Token;
            _ = Task.Run(() => PlayLoopAsync(token));
            Publish();
        }
    }

    /// <summary>Stops the training loop, if running, once the epoch under way has finished.</summary>
    public void Pause()
    {
        Touch();
        lock (_gate) PauseLocked(null);
    }

    /// <summary>Waits until the frame changes past <paramref name="seenVersion"/>, the timeout passes or the token fires; returns the current version.</summary>
    public async Task<int> WaitForChangeAsync(int seenVersion, TimeSpan timeout, CancellationToken token)
    {
        Task changed;
        lock (_gate)
        {
            if (_version != seenVersion) return _version;
            changed = _changed.Task;
        }
        await Task.WhenAny(changed, Task.Delay(timeout, token)).ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
        lock (_gate) return _version;
    }

    /// <summary>
    /// The latest frame with the loss points after <paramref name="afterEpoch"/>; when the page knows
    /// another generation (it has not seen the last reset), all points plus the data and configuration.
    /// </summary>
    public SessionUpdate Poll(int generation, int afterEpoch)
    {
        lock (_gate)
        {
            if (generation == _generation)
                return new SessionUpdate(_version, _frame, _history.Where(p => p.Epoch > afterEpoch).ToArray(), null, null, null);
            return new SessionUpdate(_version, _frame, [.. _history], _trainer.Config, Points(_trainer.Train), Points(_trainer.Test));
        }
    }

    private static float[][] Points(ToyPoint[] p) => p.Select(q => new[] { q.X, q.Y, q.Label }).ToArray();

    /// <summary>Counts an open page connection (while counted, a playing session is not paused for being unwatched).</summary>
    public IDisposable Listen()
    {
        Interlocked.Increment(ref _listeners);
        Touch();
        return new Listener(this);
    }

    /// <summary>Stops training for good, with the message "This session was closed."; later <see cref="Play"/> calls do nothing.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            PauseLocked("This session was closed.");
        }
    }

    private async Task PlayLoopAsync(CancellationToken token)
    {
        long minTicks = Stopwatch.Frequency / Math.Max(1, _limits.MaxEpochsPerSecond), lastFrame = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                long started = Stopwatch.GetTimestamp();
                await _cpu.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    lock (_gate)
                    {
                        if (token.IsCancellationRequested) return;
                        if (!CheckBudget() || Unwatched()) { Publish(); return; }
                        RunEpochLocked();
                        if (_loop == null) { Publish(); return; }   // paused by a NaN loss
                        if (Stopwatch.GetElapsedTime(lastFrame).TotalMilliseconds >= 80)
                        {
                            Publish();
                            lastFrame = Stopwatch.GetTimestamp();
                        }
                    }
                }
                finally { _cpu.Release(); }
                long wait = minTicks - (Stopwatch.GetTimestamp() - started);
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), token).ConfigureAwait(false);
                else await Task.Yield();
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            lock (_gate) { PauseLocked($"Training stopped: {ErrorText.Of(e)}"); Publish(); }
        }
    }

    private void RunEpochLocked()
    {
        long started = Stopwatch.GetTimestamp();
        _trainer.RunEpoch();
        _trainingTime += Stopwatch.GetElapsedTime(started);
        _history.Add(new LossPoint(_trainer.Epoch, _trainer.TrainLoss, _trainer.TestLoss));
        if (_history.Count > _limits.MaxHistory)
        {
            var kept = _history.Where((_, i) => i % 2 == 0 || i == _history.Count - 1).ToList();
            _history.Clear();
            _history.AddRange(kept);
        }
        if (!double.IsFinite(_trainer.TrainLoss) || !double.IsFinite(_trainer.TestLoss))
            PauseLocked("The loss is no longer a number: lower the learning rate and reset.");
    }

    private bool CheckBudget()
    {
        if (_trainingTime < _limits.MaxTrainingTime) return true;
        PauseLocked($"This session has used its {_limits.MaxTrainingTime.TotalMinutes:0.#} minutes of training time; press reset to start again.");
        return false;
    }

    private bool Unwatched()
    {
        if (Listeners > 0 || Environment.TickCount64 - LastSeen < _limits.UnwatchedPause.TotalMilliseconds) return false;
        PauseLocked("Paused: no page is watching this session.");
        return true;
    }

    private void PauseLocked(string? message)
    {
        if (message != null) _message = message;
        if (_loop == null) return;
        _loop.Cancel();
        _loop.Dispose();
        _loop = null;
        Publish();
    }

    private void ResetLocked(SessionConfig config)
    {
        PauseLocked(null);
        _trainer = CreateTrainer(config);
        _generation++;
        _trainingTime = TimeSpan.Zero;
        _message = null;
        _history.Clear();
        _history.Add(new LossPoint(0, _trainer.TrainLoss, _trainer.TestLoss));
    }

    private ToyTrainer CreateTrainer(SessionConfig config)
    {
        var trainer = new ToyTrainer(config);
        long bytes = Estimate(trainer);
        if (bytes > _limits.MaxSessionBytes)
            throw new ArgumentException($"This configuration needs about {bytes / 1024} KiB, more than the {_limits.MaxSessionBytes / 1024} KiB a session may use.");
        return trainer;
    }

    private long EstimatedBytes() => Estimate(_trainer) + _history.Count * 24L;

    /// <summary>Data (inputs and labels, twice: matrix and points), parameters with gradients, and the frame's heat maps.</summary>
    private long Estimate(ToyTrainer t)
    {
        long points = t.Train.Length + t.Test.Length, features = t.Config.Features.Length;
        long neurons = features + t.Config.Hidden.Sum();
        return points * (features + 1) * 4 * 2 + points * 12 + t.ParameterCount * 4 * 2
            + BoundaryGrid * BoundaryGrid * 2L + neurons * NeuronGrid * NeuronGrid * 2L + (long)_limits.MaxHistory * 24;
    }

    /// <summary>Renders a new frame and wakes the listeners. Caller holds the gate.</summary>
    private void Publish()
    {
        _frame = Render();
        _version++;
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    private SessionFrame Render()
    {
        var boundary = _trainer.Lattice(BoundaryGrid)[^1][0];
        var lattice = _trainer.Lattice(NeuronGrid);
        var layers = new string[lattice.Length - 1][];
        for (int l = 0; l < layers.Length; l++)
            layers[l] = lattice[l].Select(map => HeatMap.Encode(map, l == 0 ? HeatMap.MaxAbs(map) : 1f)).ToArray();
        var dense = _trainer.Layers;
        return new SessionFrame(_generation, _trainer.Epoch, _trainer.TrainLoss, _trainer.TestLoss, _loop != null, _message,
            BoundaryGrid, HeatMap.Encode(boundary.Select(p => 2 * p - 1).ToArray(), 1f), NeuronGrid, layers,
            dense.Select(d => d.Kernel.Value.ToArray()).ToArray(), dense.Select(d => d.Bias!.Value.ToArray()).ToArray());
    }

    private sealed class Listener(PlaygroundSession session) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            Interlocked.Decrement(ref session._listeners);
            session.Touch();
        }
    }
}
