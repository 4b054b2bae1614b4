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

    /// <summary>Trains on (x, y) with the given options: (x, y) become a seeded, per-epoch shuffled <see cref="ArrayBatchSource"/>.</summary>
    public History Fit(Tensor x, Tensor y, FitOptions? options)
    {
        options ??= new FitOptions();
        RequireCompiled();
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
        var source = new ArrayBatchSource(x, y, options.BatchSize, options.Shuffle, RandomSeed.Derive(Seed, 1_000_003));
        return Fit(source, options with { ValidationSplit = 0, ValidationData = validation });
    }

    /// <summary>One optimisation step on the batch (xb, yb), inside the caller's <see cref="TensorScope"/>.</summary>
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
        CheckData(x, y, "Evaluate");
        return Evaluate(new ArrayBatchSource(x, y, batchSize, shuffle: false));
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
}
