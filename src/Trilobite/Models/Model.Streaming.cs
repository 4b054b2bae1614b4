using Trilobite.Autograd;
using Trilobite.Training;

namespace Trilobite;

/// <summary>Fit and Evaluate on an <see cref="IBatchSource"/>: data streamed batch by batch instead of whole tensors.</summary>
public partial class Model
{
    /// <summary>
    /// Trains on the batches <paramref name="source"/> yields for each epoch. <see cref="FitOptions.BatchSize"/>,
    /// <see cref="FitOptions.Shuffle"/> and <see cref="FitOptions.ValidationSplit"/> do not apply (the source decides);
    /// validation comes from <paramref name="validation"/> or <see cref="FitOptions.ValidationData"/>. Batches are moved to
    /// the model's device; the loss and metrics stay there and are read only when the progress bar or a callback looks.
    /// <code>model.Fit(folder.Training(batchSize: 32), new FitOptions { Epochs = 10 }, folder.Validation(batchSize: 32));</code>
    /// </summary>
    public History Fit(IBatchSource source, FitOptions? options, IBatchSource? validation = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new FitOptions();
        RequireCompiled();
        if (options.ValidationSplit > 0)
            throw new ArgumentException("Fit(IBatchSource): ValidationSplit does not apply to a batch source; pass a validation source instead.", nameof(options));
        if (options.InitialStep < 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"Fit: InitialStep must be 0 or more, got {options.InitialStep}.");
        _batchesPerEpoch = source.BatchesPerEpoch;
        try { return FitEpochs(source, options, validation); }
        finally
        {
            // A run stopped inside an epoch keeps its totals, so saving it afterwards still makes a checkpoint that resumes exactly.
            if (_fitting) _pausedProgress = SaveProgress();
            _fitting = false;
        }
    }

    private History FitEpochs(IBatchSource source, FitOptions options, IBatchSource? validation)
    {
        var output = options.Output ?? Console.Out;
        var progress = new ProgressBar(output, options.Verbose, options.Output == null && !Console.IsOutputRedirected);
        var history = new History();
        Func<Dictionary<string, double>> readLogs = Logs;
        TrainingLogs? logs = null;
        bool weightsGathered = false;
        StopTraining = false;
        foreach (var c in options.Callbacks) { c.Model = this; c.OnTrainBegin(); }
        for (int epoch = options.InitialEpoch; epoch < options.Epochs && !StopTraining; epoch++)
        {
            foreach (var c in options.Callbacks) c.OnEpochBegin(epoch);
            ResetTotals();
            int step = epoch == options.InitialEpoch ? options.InitialStep : 0;
            progress.BeginEpoch(epoch, options.Epochs, source.BatchesPerEpoch);
            using var batches = source.Batches(epoch).GetEnumerator();
            if (step > 0) ResumeInsideEpoch(batches, epoch, step, source.BatchesPerEpoch);
            CompletedSteps = step;
            _fitting = true;   // from here the totals on the device are this epoch's
            while (true)
            {
                // The step's scope is open while the source makes the batch, so a pooled batch returns with the step's temporaries.
                using (new TensorScope())
                {
                    if (!batches.MoveNext()) break;
                    var (xb, yb, wb) = batches.Current;
                    if (xb.Dim(0) != yb.Dim(0))
                        throw new ArgumentException($"Fit: batch {step} has {xb.Dim(0)} inputs (shape {ShapeText.Of(xb.Shape)}) but {yb.Dim(0)} targets (shape {ShapeText.Of(yb.Shape)}).");
                    CheckBatchFinite(xb, epoch, step, "inputs");
                    CheckBatchFinite(yb, epoch, step, "targets");
                    EnsureGraph(xb.ShapeArray[1..]);
                    if (!weightsGathered) { _trainable = TrainableWeights.ToList(); weightsGathered = true; }
                    SeedStep(epoch, step);
                    AccumulateLoss(TrainStep(xb.To(Device), yb.To(Device), wb?.To(Device)), xb.Dim(0));
                }
                CompletedSteps = step + 1;   // before the callbacks, so a checkpoint saved there records this step
                logs?.Expire();
                logs = new TrainingLogs(readLogs, step);
                foreach (var c in options.Callbacks) c.OnBatchEnd(step, logs);
                progress.Update(++step, logs);
                if (StopTraining) break;
            }
            logs?.Expire();
            var epochLogs = Logs();
            // Validation reuses the totals: keep the epoch's first, for a save made if it fails.
            _pausedProgress = SaveProgress();
            _fitting = false;
            var validationResult = validation != null ? Evaluate(validation)
                : options.ValidationData is { } v ? Evaluate(v.X, v.Y, options.BatchSize, v.SampleWeight) : null;
            if (validationResult != null)
                foreach (var (k, value) in validationResult) epochLogs["val_" + k] = value;
            CompletedEpochs = epoch + 1;
            CompletedSteps = 0;
            progress.EndEpoch(epochLogs);
            history.Record(epoch, epochLogs);
            foreach (var c in options.Callbacks) c.OnEpochEnd(epoch, epochLogs);
        }
        foreach (var c in options.Callbacks) c.OnTrainEnd();
        return history;
    }

    /// <summary>Loss and metrics over every batch of <paramref name="source"/> (its epoch 0), in inference mode.</summary>
    public Dictionary<string, double> Evaluate(IBatchSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        RequireCompiled();
        ResetTotals();
        using (GradMode.NoGrad())
        using (var batches = source.Batches(0).GetEnumerator())
            while (true)
            {
                using var scope = new TensorScope();   // open before the batch is made, as in Fit
                if (!batches.MoveNext()) break;
                var (xb, yb, wb) = batches.Current;
                EnsureGraph(xb.ShapeArray[1..]);
                AccumulateLoss(TestStep(xb.To(Device), yb.To(Device), wb?.To(Device)), xb.Dim(0));
            }
        return Logs();
    }

    /// <summary>A batch holding NaN or ±∞ (a corrupt image, a broken augmentation) stops training at that batch, before it reaches a weight.</summary>
    private static void CheckBatchFinite(Tensor batch, int epoch, int step, string what)
    {
        if (batch.Device != Device.Cpu || batch.Length == 0) return;
        int at = Kernels.NonFiniteScan.FirstIndex(batch.Span);
        if (at < 0) return;
        int perSample = batch.Length / Math.Max(1, batch.Dim(0));
        throw new InvalidDataException($"Fit: epoch {epoch + 1}, batch {step}: the {what} hold {batch.Span[at]} at sample {at / perSample} of the batch (value {at % perSample}); the data source produced a non-finite value.");
    }
}
