using Trilobite.Autograd;
using Trilobite.Training;

namespace Trilobite;

public partial class Model
{
    /// <summary>The optimizer set by <see cref="Compile"/>.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss set by <see cref="Compile"/>.</summary>
    public Loss? Loss { get; private set; }

    public IReadOnlyList<Metric> Metrics { get; private set; } = [];

    /// <summary>Set by a callback to end Fit after the current epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>Names of the output classes, when known (saved with the model so predictions print names).</summary>
    public IReadOnlyList<string>? ClassNames { get; set; }

    /// <summary>Epochs of training completed so far (saved with the model, so a resumed run knows where it stands).</summary>
    public int CompletedEpochs { get; internal set; }

    /// <summary>Chooses the loss, the optimizer and the metrics to report. <code>model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);</code></summary>
    public void Compile(Loss loss, Optimizer optimizer, IReadOnlyList<Metric>? metrics = null)
    {
        Loss = loss;
        Optimizer = optimizer;
        Metrics = metrics ?? [];
    }

    /// <summary>Trains on (x, y) for a number of epochs; returns the per-epoch history. Keras-style named arguments.</summary>
    public History Fit(Tensor x, Tensor y, int batchSize = 32, int epochs = 1, int verbose = 1, Dataset? validationData = null,
        double validationSplit = 0, bool shuffle = true, IReadOnlyList<Callback>? callbacks = null, int initialEpoch = 0) =>
        Fit(x, y, new FitOptions
        {
            BatchSize = batchSize, Epochs = epochs, Verbose = verbose, ValidationData = validationData,
            ValidationSplit = validationSplit, Shuffle = shuffle, Callbacks = callbacks ?? [], InitialEpoch = initialEpoch,
        });

    /// <summary>Trains on (x, y) with the given options.</summary>
    public History Fit(Tensor x, Tensor y, FitOptions? options)
    {
        options ??= new FitOptions();
        var (loss, optimizer) = RequireCompiled();
        CheckData(x, y, "Fit");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Batch size must be at least 1, got {options.BatchSize}.");
        var validation = options.ValidationData;
        if (options.ValidationSplit > 0)
        {
            if (options.ValidationSplit >= 1) throw new ArgumentOutOfRangeException(nameof(options), $"validationSplit must be in [0, 1), got {options.ValidationSplit}.");
            int held = (int)(x.Dim(0) * options.ValidationSplit), kept = x.Dim(0) - held;
            validation ??= new Dataset(x.Slice(kept, held), y.Slice(kept, held));
            (x, y) = (x.Slice(0, kept), y.Slice(0, kept));
        }
        var output = options.Output ?? Console.Out;
        bool interactive = options.Output == null && !Console.IsOutputRedirected;
        var progress = new ProgressBar(output, options.Verbose, interactive);
        var history = new History();
        var weights = TrainableWeights.ToList();
        int n = x.Dim(0), steps = (n + options.BatchSize - 1) / options.BatchSize;
        StopTraining = false;
        foreach (var c in options.Callbacks) { c.Model = this; c.OnTrainBegin(); }
        for (int epoch = options.InitialEpoch; epoch < options.Epochs && !StopTraining; epoch++)
        {
            foreach (var c in options.Callbacks) c.OnEpochBegin(epoch);
            SeedEpoch(epoch);
            int[] order = Enumerable.Range(0, n).ToArray();
            if (options.Shuffle) new Random(RandomSeed.Derive(Seed, 1_000_003 + epoch)).Shuffle(order);
            foreach (var m in Metrics) m.Reset();
            double lossSum = 0;
            int seen = 0;
            progress.BeginEpoch(epoch, options.Epochs, steps);
            for (int step = 0; step < steps; step++)
            {
                int start = step * options.BatchSize, count = Math.Min(options.BatchSize, n - start);
                float batchLoss = TrainStep(x, y, order.AsSpan(start, count), loss, optimizer, weights);
                lossSum += (double)batchLoss * count;
                seen += count;
                var logs = Logs(lossSum / seen);
                foreach (var c in options.Callbacks) c.OnBatchEnd(step, logs);
                progress.Update(step + 1, logs);
                if (StopTraining) break;
            }
            var epochLogs = Logs(lossSum / Math.Max(1, seen));   // before Evaluate, which resets the metrics
            if (validation != null)
                foreach (var (k, v) in Evaluate(validation.X, validation.Y, options.BatchSize)) epochLogs["val_" + k] = v;
            CompletedEpochs = epoch + 1;
            progress.EndEpoch(epochLogs);
            history.Record(epoch, epochLogs);
            foreach (var c in options.Callbacks) c.OnEpochEnd(epoch, epochLogs);
        }
        foreach (var c in options.Callbacks) c.OnTrainEnd();
        return history;
    }

    /// <summary>One optimisation step on the rows <paramref name="rows"/>; every temporary returns to the pool at the end.</summary>
    private float TrainStep(Tensor x, Tensor y, ReadOnlySpan<int> rows, Loss loss, Optimizer optimizer, List<Layers.Weight> weights)
    {
        using var scope = new TensorScope();
        return TrainStep(Gather(x, rows), Gather(y, rows), loss, optimizer, weights);
    }

    /// <summary>One optimisation step on the batch (xb, yb), inside the caller's <see cref="TensorScope"/>; also used by the streaming Fit.</summary>
    private float TrainStep(Tensor xb, Tensor yb, Loss loss, Optimizer optimizer, List<Layers.Weight> weights)
    {
        var prediction = Forward(xb, training: true);
        var value = loss.Compute(prediction, yb);
        foreach (var w in weights) w.Value.ZeroGrad();
        value.Backward();
        optimizer.Step(weights);
        foreach (var m in Metrics) m.Update(prediction, yb);
        return value.Span[0];
    }

    /// <summary>Loss and metrics on (x, y), in inference mode. Keys: "loss" and each metric's name.</summary>
    public Dictionary<string, double> Evaluate(Tensor x, Tensor y, int batchSize = 32)
    {
        var (loss, _) = RequireCompiled();
        CheckData(x, y, "Evaluate");
        foreach (var m in Metrics) m.Reset();
        double total = 0;
        using (GradMode.NoGrad())
            for (int start = 0; start < x.Dim(0); start += batchSize)
            {
                using var scope = new TensorScope();
                int count = Math.Min(batchSize, x.Dim(0) - start);
                Tensor xb = x.Slice(start, count), yb = y.Slice(start, count);
                var prediction = Forward(xb, training: false);
                total += (double)loss.Compute(prediction, yb).Span[0] * count;
                foreach (var m in Metrics) m.Update(prediction, yb);
            }
        var result = new Dictionary<string, double> { ["loss"] = total / Math.Max(1, x.Dim(0)) };
        foreach (var m in Metrics) result[m.Name] = m.Result;
        return result;
    }

    /// <summary>The model's outputs for every row of <paramref name="x"/>, computed in batches in inference mode.</summary>
    public Tensor Predict(Tensor x, int batchSize = 32)
    {
        EnsureGraph(x.ShapeArray[1..]);
        Tensor? result = null;
        using (GradMode.NoGrad())
            for (int start = 0; start < x.Dim(0); start += batchSize)
            {
                using var scope = new TensorScope();
                int count = Math.Min(batchSize, x.Dim(0) - start);
                var prediction = Forward(x.Slice(start, count), training: false);
                result ??= Tensor.Zeros([x.Dim(0), .. prediction.Shape[1..]]);
                prediction.Span.CopyTo(result.Span[(start * (prediction.Length / count))..]);
            }
        return result ?? Tensor.Zeros([0, .. OutputShape]);
    }

    private (Loss, Optimizer) RequireCompiled() =>
        (Loss ?? throw new InvalidOperationException($"Model '{Name}' is not compiled: call Compile(loss, optimizer) first."), Optimizer!);

    private void CheckData(Tensor x, Tensor y, string method)
    {
        EnsureGraph(x.ShapeArray[1..]);
        if (x.Dim(0) != y.Dim(0))
            throw new ArgumentException($"{method}: x has {x.Dim(0)} samples (shape {ShapeText.Of(x.Shape)}) but y has {y.Dim(0)} (shape {ShapeText.Of(y.Shape)}).");
    }

    /// <summary>Reseeds every layer's generator (dropout) for this epoch, so a resumed run repeats an uninterrupted one exactly.</summary>
    private void SeedEpoch(int epoch)
    {
        for (int i = 0; i < _layers.Count; i++) _layers[i].Random = new Random(RandomSeed.Derive(RandomSeed.Derive(Seed, i), epoch));
    }

    private Dictionary<string, double> Logs(double loss)
    {
        var logs = new Dictionary<string, double> { ["loss"] = loss };
        foreach (var m in Metrics) logs[m.Name] = m.Result;
        return logs;
    }

    /// <summary>Copies the given rows of <paramref name="data"/> into a new (scoped) batch tensor.</summary>
    private static Tensor Gather(Tensor data, ReadOnlySpan<int> rows)
    {
        int rowLength = data.Length / data.Dim(0);
        var batch = Tensor.Create([rows.Length, .. data.Shape[1..]], clear: false);
        ReadOnlySpan<float> src = data.Span;
        Span<float> dst = batch.Span;
        for (int i = 0; i < rows.Length; i++) src.Slice(rows[i] * rowLength, rowLength).CopyTo(dst.Slice(i * rowLength, rowLength));
        return batch;
    }
}
