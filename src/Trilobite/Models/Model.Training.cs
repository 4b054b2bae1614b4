using Trilobite.Autograd;
using Trilobite.Backends;
using Trilobite.Training;

namespace Trilobite;

public partial class Model
{
    /// <summary>Running loss total of the current epoch or evaluation, on the device: [sum of loss·samples, samples].</summary>
    private Storage? _lossTotals;

    /// <summary>The trainable weights of the current Fit (or TrainOnBatch), gathered once per call.</summary>
    private List<Layers.Weight> _trainable = [];

    /// <summary>The trainable weights (their regularizers count in the loss) of the current evaluation, gathered at its first batch.</summary>
    private List<Layers.Weight>? _evaluated;

    /// <summary>The optimizer set by <see cref="Compile"/>.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss set by <see cref="Compile"/>.</summary>
    public Loss? Loss { get; private set; }

    /// <summary>The metrics set by <see cref="Compile"/> (empty before), reported in the logs under their names.</summary>
    public IReadOnlyList<Metric> Metrics { get; private set; } = [];

    /// <summary>Set by a callback to end Fit after the current epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>Names of the output classes, one per output unit, when known (saved with the model so predictions print names).</summary>
    public IReadOnlyList<string>? ClassNames
    {
        get => _classNames;
        set
        {
            if (value != null && OutputShape.Length > 0 && value.Count != OutputShape[^1])
                throw new ArgumentException($"Model '{Name}' has {OutputShape[^1]} outputs, but {value.Count} class names were given.");
            _classNames = value?.ToList();
        }
    }

    private IReadOnlyList<string>? _classNames;

    /// <summary>Epochs of training completed so far (saved with the model, so a resumed run knows where it stands).</summary>
    public int CompletedEpochs { get; internal set; }

    /// <summary>
    /// Steps of the epoch after <see cref="CompletedEpochs"/> done so far: 0 at an epoch's end, more in a checkpoint saved in
    /// the middle of one (<see cref="ModelCheckpoint"/> with saveEverySteps). Resume with Fit's InitialEpoch and InitialStep.
    /// </summary>
    public int CompletedSteps { get; internal set; }

    /// <summary>Chooses the loss, the optimizer and the metrics to report. <code>model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);</code></summary>
    public void Compile(Loss loss, Optimizer optimizer, IReadOnlyList<Metric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (loss.Reduction == LossReduction.None)
            throw new ArgumentException($"Compile: the loss '{loss.Name}' has reduction none (one value per sample), but training needs one number; use sum_over_batch_size (the default), sum or mean_with_sample_weight.", nameof(loss));
        Loss = loss;
        Optimizer = optimizer;
        Metrics = metrics ?? [];
    }

    /// <summary>Trains on (x, y) for a number of epochs; returns the per-epoch history. Keras-style named arguments.</summary>
    public History Fit(Tensor x, Tensor y, int batchSize = 32, int epochs = 1, int verbose = 1, Dataset? validationData = null,
        double validationSplit = 0, bool shuffle = true, IReadOnlyList<Callback>? callbacks = null, int initialEpoch = 0, Tensor? sampleWeight = null) =>
        Fit(x, y, new FitOptions
        {
            BatchSize = batchSize, Epochs = epochs, Verbose = verbose, ValidationData = validationData,
            ValidationSplit = validationSplit, Shuffle = shuffle, Callbacks = callbacks ?? [], InitialEpoch = initialEpoch, SampleWeight = sampleWeight,
        });

    /// <summary>Trains on (x, y) with the given options: (x, y) become a seeded, per-epoch shuffled <see cref="ArrayBatchSource"/>.</summary>
    public History Fit(Tensor x, Tensor y, FitOptions? options)
    {
        options ??= new FitOptions();
        RequireCompiled();
        CheckData(x, y, "Fit");
        CheckFinite(x, "x", "input");
        CheckFinite(y, "y", "target");
        if (options.SampleWeight is { } sw) CheckFinite(sw, "sampleWeight", "sample weight");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Batch size must be at least 1, got {options.BatchSize}.");
        var validation = options.ValidationData;
        var weights = options.SampleWeight;
        if (options.ValidationSplit > 0)
        {
            if (options.ValidationSplit >= 1) throw new ArgumentOutOfRangeException(nameof(options), $"validationSplit must be in [0, 1), got {options.ValidationSplit}.");
            int held = (int)(x.Dim(0) * options.ValidationSplit), kept = x.Dim(0) - held;
            validation ??= new Dataset(x.Slice(kept, held), y.Slice(kept, held)) { SampleWeight = weights?.Slice(kept, held) };
            (x, y, weights) = (x.Slice(0, kept), y.Slice(0, kept), weights?.Slice(0, kept));
        }
        var source = new ArrayBatchSource(x, y, options.BatchSize, options.Shuffle, RandomSeed.Derive(Seed, 1_000_003), weights);
        return Fit(source, options with { ValidationSplit = 0, ValidationData = validation });
    }

    /// <summary>
    /// One optimisation step on the batch (x, y), as Keras's <c>train_on_batch</c>: metrics are reset first, and the returned
    /// logs ("loss" and each metric) are this batch's. The batch is moved to the model's device.
    /// </summary>
    public Dictionary<string, double> TrainOnBatch(Tensor x, Tensor y, Tensor? sampleWeight = null)
    {
        RequireCompiled();
        CheckData(x, y, "TrainOnBatch");
        _trainable = TrainableWeights.ToList();
        ResetTotals();
        using (new TensorScope()) AccumulateLoss(TrainStep(x.To(Device), y.To(Device), sampleWeight?.To(Device)), x.Dim(0));
        return Logs();
    }

    /// <summary>Loss and metrics of one batch in inference mode, as Keras's <c>test_on_batch</c>.</summary>
    public Dictionary<string, double> TestOnBatch(Tensor x, Tensor y, Tensor? sampleWeight = null)
    {
        RequireCompiled();
        CheckData(x, y, "TestOnBatch");
        ResetTotals();
        using (GradMode.NoGrad())
        using (new TensorScope()) AccumulateLoss(TestStep(x.To(Device), y.To(Device), sampleWeight?.To(Device)), x.Dim(0));
        return Logs();
    }

    /// <summary>
    /// One optimisation step, as Keras's <c>train_step</c>: forward in training mode, <see cref="ComputeLoss"/>, backward,
    /// the optimizer's update and the metrics. Returns the loss (a scalar on the device; it is not read back). Override it
    /// to customise training (a second loss, gradient clipping); x, y and the sample weights (null without) are already
    /// on the model's device and inside the step's <see cref="TensorScope"/>.
    /// </summary>
    protected virtual Tensor TrainStep(Tensor x, Tensor y, Tensor? sampleWeight)
    {
        var (prediction, loss) = PredictAndLoss(x, y, sampleWeight, training: true);
        foreach (var w in _trainable) w.Value.ZeroGrad();
        loss.Backward();
        Optimizer!.Step(_trainable);
        foreach (var m in Metrics) m.Update(prediction, y);
        return loss;
    }

    /// <summary>One evaluation step, as Keras's <c>test_step</c>: forward in inference mode, loss and metrics (recording is off).</summary>
    protected virtual Tensor TestStep(Tensor x, Tensor y, Tensor? sampleWeight)
    {
        var (prediction, loss) = PredictAndLoss(x, y, sampleWeight, training: false);
        foreach (var m in Metrics) m.Update(prediction, y);
        return loss;
    }

    /// <summary>
    /// The forward pass and the loss of one step, shared by <see cref="TrainStep"/> and <see cref="TestStep"/>: the
    /// prediction (what the metrics score) and <see cref="ComputeLoss"/> of it. Override it for a loss that needs more than
    /// the prediction — a second output computed with the targets, as a capsule network's reconstruction.
    /// </summary>
    protected virtual (Tensor Prediction, Tensor Loss) PredictAndLoss(Tensor x, Tensor y, Tensor? sampleWeight, bool training)
    {
        var prediction = Forward(x, training);
        return (prediction, ComputeLoss(prediction, y, sampleWeight, training));
    }

    /// <summary>
    /// The compiled loss of the prediction (weighted by <paramref name="sampleWeight"/>, when given) plus the regularizers'
    /// penalties on the trainable weights (Keras adds them in training and evaluation alike).
    /// </summary>
    protected virtual Tensor ComputeLoss(Tensor prediction, Tensor target, Tensor? sampleWeight, bool training)
    {
        var loss = Loss!.Compute(prediction, target, sampleWeight);
        foreach (var w in training ? _trainable : _evaluated ??= TrainableWeights.ToList())
            if (w.Regularizer is { } regularizer) loss += regularizer.Penalty(w.Value);
        return loss;
    }

    /// <summary>Loss (weighted by <paramref name="sampleWeight"/>, when given) and metrics on (x, y), in inference mode. Keys: "loss" and each metric's name.</summary>
    public Dictionary<string, double> Evaluate(Tensor x, Tensor y, int batchSize = 32, Tensor? sampleWeight = null)
    {
        CheckData(x, y, "Evaluate");
        return Evaluate(new ArrayBatchSource(x, y, batchSize, shuffle: false, sampleWeight: sampleWeight));
    }

    /// <summary>The model's outputs for every row of <paramref name="x"/>, computed in batches in inference mode, as a host (cpu) tensor.</summary>
    public Tensor Predict(Tensor x, int batchSize = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        EnsureGraph(x.ShapeArray[1..]);
        Tensor? result = null;
        using (GradMode.NoGrad())
            for (int start = 0; start < x.Dim(0); start += batchSize)
            {
                using var scope = new TensorScope();
                int count = Math.Min(batchSize, x.Dim(0) - start);
                var prediction = Forward(x.Slice(start, count).To(Device), training: false);
                result ??= Tensor.Zeros([x.Dim(0), .. prediction.Shape[1..]], Device.Cpu);
                int row = prediction.Length / count;
                prediction.Backend.CopyToHost(prediction.Data, result.Span.Slice(start * row, count * row));
            }
        return result ?? Tensor.Zeros([0, .. OutputShape], Device.Cpu);
    }

    /// <summary>
    /// NaN or ±∞ in the training data ruins every weight at the first step that reads it: refused before training starts,
    /// naming the sample (a host tensor is scanned; one on another device is checked batch by batch as it arrives).
    /// </summary>
    private static void CheckFinite(Tensor data, string name, string what)
    {
        if (data.Device != Device.Cpu || data.Length == 0) return;
        int at = Kernels.NonFiniteScan.FirstIndex(data.Span);
        if (at < 0) return;
        int perSample = data.Length / Math.Max(1, data.Dim(0));
        throw new ArgumentException($"Fit: {name} holds {data.Span[at]} at {what} {at / perSample} (value {at % perSample} of it); clean or drop that sample before training.");
    }

    private (Loss, Optimizer) RequireCompiled() =>
        (Loss ?? throw new InvalidOperationException($"Model '{Name}' is not compiled: call Compile(loss, optimizer) first."), Optimizer!);

    private void CheckData(Tensor x, Tensor y, string method)
    {
        EnsureGraph(x.ShapeArray[1..]);
        if (x.Dim(0) != y.Dim(0))
            throw new ArgumentException($"{method}: x has {x.Dim(0)} samples (shape {ShapeText.Of(x.Shape)}) but y has {y.Dim(0)} (shape {ShapeText.Of(y.Shape)}).");
    }

    /// <summary>
    /// Reseeds every layer's generator (dropout) for this step of this epoch, so a run resumed from any checkpoint, even one
    /// taken in the middle of an epoch, repeats an uninterrupted one exactly.
    /// </summary>
    private void SeedStep(int epoch, int step)
    {
        for (int i = 0; i < _layers.Count; i++) _layers[i].Reseed(RandomSeed.Derive(RandomSeed.Derive(RandomSeed.Derive(Seed, i), epoch), step));
    }

    /// <summary>Zeroes the loss total and the metrics (start of an epoch or an evaluation).</summary>
    private void ResetTotals()
    {
        _lossTotals ??= Device.Backend.AllocateAccumulators(2);
        Device.Backend.ClearAccumulators(_lossTotals);
        foreach (var m in Metrics) m.Reset();
        _evaluated = null;
    }

    /// <summary>Adds a batch's loss, weighted by its samples, to the running total on the device (nothing is read back).</summary>
    private void AccumulateLoss(Tensor loss, int samples)
    {
        _lossTotals ??= Device.Backend.AllocateAccumulators(2);
        Device.Backend.AccumulateMean(loss.Data, samples, _lossTotals, 0);
    }

    /// <summary>"loss" (the sample-weighted mean so far) and each metric's result: the one place totals are read back.</summary>
    private Dictionary<string, double> Logs()
    {
        Span<double> totals = stackalloc double[2];
        Device.Backend.ReadAccumulators(_lossTotals!, totals);
        var logs = new Dictionary<string, double> { ["loss"] = totals[1] == 0 ? 0 : totals[0] / totals[1] };
        foreach (var m in Metrics) logs[m.Name] = m.Result;
        return logs;
    }
}
