using Trilobite.Backends;
using Trilobite.Kernels;

namespace Trilobite;

/// <summary>
/// A quantity tracked during training and evaluation, averaged over the samples seen since <see cref="Reset"/>. The
/// totals live on the predictions' device and are read back only by <see cref="Result"/>. <see cref="Accuracy"/> picks
/// categorical, sparse or binary accuracy from the shapes, as Keras's "accuracy" string does.
/// </summary>
public abstract class Metric
{
    private Storage? _totals;

    /// <summary>"accuracy": the fraction of samples whose predicted class is the true one.</summary>
    public static Metric Accuracy => new Accuracy();

    /// <summary>Top-k accuracy: the true class is among the k highest scores.</summary>
    public static Metric TopKAccuracy(int k = 5) => new TopKAccuracy(k);

    /// <summary>The key in logs and History ("accuracy", "top_5_accuracy").</summary>
    public abstract string Name { get; }

    /// <summary>Zeroes the totals on the device (Fit does it at the start of each epoch and evaluation).</summary>
    public void Reset()
    {
        if (_totals != null) _totals.Device.Backend.ClearAccumulators(_totals);
    }

    /// <summary>Adds a batch: predictions (N, …) and targets, on one device.</summary>
    public void Update(Tensor prediction, Tensor target)
    {
        var backend = Autograd.Op.Backend("Metric", prediction, target);
        if (_totals == null || _totals.Device != prediction.Device) _totals = backend.AllocateAccumulators(AccumulatorCount);
        int rows = prediction.Dim(0);
        if (rows == 0) return;   // an empty batch adds nothing (and has no classes to count)
        Accumulate(backend, prediction, target, rows, prediction.Length / rows, _totals);
    }

    /// <summary>The mean so far (0 before any sample); reads the totals back from the device.</summary>
    public virtual double Result
    {
        get
        {
            var t = Totals();
            return t is null || t[1] == 0 ? 0 : t[0] / t[1];
        }
    }

    /// <summary>How many totals <see cref="SaveTotals"/> gives.</summary>
    internal int TotalsCount => AccumulatorCount;

    /// <summary>The totals so far (null before the first batch), for a checkpoint taken in the middle of an epoch.</summary>
    internal double[]? SaveTotals() => Totals();

    /// <summary>Takes up totals from <see cref="SaveTotals"/> on <paramref name="device"/>; throws <see cref="ArgumentException"/> when their count is not this metric's.</summary>
    internal void RestoreTotals(Device device, double[] totals)
    {
        if (totals.Length != AccumulatorCount)
            throw new ArgumentException($"The metric '{Name}' keeps {AccumulatorCount} totals, but {totals.Length} were given.");
        _totals = device.Backend.AllocateAccumulators(AccumulatorCount);
        device.Backend.WriteAccumulators(_totals, totals);
    }

    /// <summary>How many double accumulators the metric keeps on the device: a sum and a count, unless it says otherwise.</summary>
    protected virtual int AccumulatorCount => 2;

    /// <summary>The accumulators read back from the device, or null before the first batch.</summary>
    protected double[]? Totals()
    {
        if (_totals == null) return null;
        var t = new double[AccumulatorCount];
        _totals.Device.Backend.ReadAccumulators(_totals, t);
        return t;
    }

    /// <summary>Adds the batch's per-sample sum to totals[0] and its sample count to totals[1], with a backend call.</summary>
    protected abstract void Accumulate(IBackend backend, Tensor prediction, Tensor target, int rows, int classes, Storage totals);

    /// <summary>How a saved model names the metric so that <see cref="FromName"/> rebuilds it: its <see cref="Name"/> unless it has settings.</summary>
    public virtual string ConfigName => Name;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<Metric>> Registered = new();

    /// <summary>Makes a metric defined outside the core (a detector's loss parts) known to <see cref="FromName"/> by its <see cref="ConfigName"/>.</summary>
    public static void Register(string name, Func<Metric> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        Registered[name] = factory;
    }

    /// <summary>The metric for a name in a config ("accuracy", "top_k_accuracy", "mean_io_u(11)", "pixel_accuracy(11, ignore 0)"), or one given to <see cref="Register"/>.</summary>
    public static Metric FromName(string name) => name switch
    {
        "accuracy" or "acc" => Accuracy,
        _ when Registered.TryGetValue(name, out var factory) => factory(),
        _ when ConfusionMetric.TryParse(name) is { } confusion => confusion,
        _ when name.StartsWith("top_", StringComparison.Ordinal) && name.EndsWith("_accuracy", StringComparison.Ordinal)
            && int.TryParse(name[4..^9], out int k) => TopKAccuracy(k),
        _ => throw new ArgumentException($"Unknown metric '{Excerpt.Of(name)}'. Known: accuracy, top_k_accuracy (e.g. top_5_accuracy), mean_io_u(N), pixel_accuracy(N)."),
    };

    /// <summary>Whether the targets are one label per row rather than one value per class.</summary>
    protected static bool IsSparse(Tensor target, int rows, int classes) => classes > 1 && target.Length == rows;
}

/// <summary>
/// A metric that is the sample-weighted mean of a value computed per batch from predictions and targets with tensor ops
/// (a part of a compound loss, say); the value is computed on the device and never read back until the logs are.
/// </summary>
public abstract class MeanMetric : Metric
{
    /// <summary>The batch's mean value, a scalar tensor on the predictions' device (predictions arrive detached).</summary>
    protected abstract Tensor BatchMean(Tensor prediction, Tensor target);

    /// <summary>Adds the batch's mean, weighted by its samples.</summary>
    protected sealed override void Accumulate(IBackend backend, Tensor prediction, Tensor target, int rows, int classes, Storage totals) =>
        backend.AccumulateMean(BatchMean(prediction.Detach(), target).Data, rows, totals, 0);
}

/// <summary>Keras's "accuracy": categorical for one-hot targets, sparse for label targets, binary (threshold 0.5) for one output unit.</summary>
public sealed class Accuracy : Metric
{
    /// <inheritdoc/>
    public override string Name => "accuracy";

    /// <summary>Counts correct rows: binary (threshold 0.5) for one output unit, sparse for one label per row, categorical (argmax against argmax) otherwise.</summary>
    protected override void Accumulate(IBackend backend, Tensor prediction, Tensor target, int rows, int classes, Storage totals)
    {
        var kind = classes == 1 ? AccuracyKind.Binary : IsSparse(target, rows, classes) ? AccuracyKind.Sparse : AccuracyKind.Categorical;
        backend.AccumulateAccuracy(prediction.Data, target.Data, rows, classes, kind, totals, 0);
    }
}

/// <summary>The true class is among the k highest-scoring classes.</summary>
public sealed class TopKAccuracy(int k) : Metric
{
    /// <summary>How many of the highest scores count as a hit; at least 1 (<see cref="ArgumentOutOfRangeException"/> otherwise).</summary>
    public int K { get; } = k >= 1 ? k : throw new ArgumentOutOfRangeException(nameof(k), $"k must be at least 1, got {k}.");

    /// <summary>"top_{k}_accuracy", as Keras names it: "top_5_accuracy".</summary>
    public override string Name => $"top_{K}_accuracy";

    /// <summary>Counts rows whose true class (a label, or the one-hot argmax) is among the <see cref="K"/> highest scores.</summary>
    protected override void Accumulate(IBackend backend, Tensor prediction, Tensor target, int rows, int classes, Storage totals) =>
        backend.AccumulateTopK(prediction.Data, target.Data, rows, classes, IsSparse(target, rows, classes), K, totals, 0);
}
