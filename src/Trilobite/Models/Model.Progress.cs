using Trilobite.Training;

namespace Trilobite;

/// <summary>Step checkpoints: what a model saved in the middle of an epoch remembers, and how Fit takes it up again.</summary>
public partial class Model
{
    /// <summary>Whether Fit is running, so the loss and metric totals on the device are the current epoch's.</summary>
    private bool _fitting;

    /// <summary>The mid-epoch totals when Fit is not running: read from a loaded checkpoint, or kept when Fit stopped inside an epoch.</summary>
    private EpochProgress? _pausedProgress;

    /// <summary>Batches per epoch of the running Fit's source, recorded with a mid-epoch checkpoint.</summary>
    private int _batchesPerEpoch;

    /// <summary>The progress a checkpoint saved now must hold: null at an epoch boundary.</summary>
    internal EpochProgress? SaveProgress()
    {
        if (CompletedSteps == 0) return null;
        if (!_fitting) return _pausedProgress;
        Span<double> loss = stackalloc double[2];
        Device.Backend.ReadAccumulators(_lossTotals!, loss);
        var metrics = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var m in Metrics)
            if (m.SaveTotals() is { } totals) metrics[m.Name] = totals;
        return new EpochProgress(CompletedEpochs, CompletedSteps, _batchesPerEpoch, loss.ToArray(), metrics);
    }

    /// <summary>Sets the progress read from a saved model (its steps become <see cref="CompletedSteps"/>).</summary>
    internal void LoadProgress(EpochProgress? progress)
    {
        _pausedProgress = progress;
        CompletedSteps = progress?.Steps ?? 0;
    }

    /// <summary>
    /// Draws and drops the first <paramref name="steps"/> batches of a resumed epoch (the source's shuffling and augmentation
    /// advance as they did in the interrupted run), then takes up the checkpoint's loss and metric totals when it was taken
    /// at that very step; otherwise the epoch's logs count only the batches trained from here.
    /// </summary>
    private void ResumeInsideEpoch(IEnumerator<Batch> batches, int epoch, int steps, int batchesPerEpoch)
    {
        if (_pausedProgress is { } saved && saved.Epoch == epoch && saved.Steps == steps && saved.BatchesPerEpoch != batchesPerEpoch)
            throw new ArgumentException($"Fit: the checkpoint stopped after step {steps} of epoch {epoch + 1}, which had {saved.BatchesPerEpoch} batches, but this data has {batchesPerEpoch} per epoch; resume with the batch size and data it was trained with.");
        for (int skipped = 0; skipped < steps; skipped++)
            using (new TensorScope())
                if (!batches.MoveNext())
                    throw new ArgumentException($"Fit: InitialStep is {steps}, but epoch {epoch + 1} of the data has only {skipped} batches.");
        if (_pausedProgress is not { } progress || progress.Epoch != epoch || progress.Steps != steps) return;
        Device.Backend.WriteAccumulators(_lossTotals!, progress.LossTotals);
        foreach (var m in Metrics)
            if (progress.MetricTotals.TryGetValue(m.Name, out var totals)) m.RestoreTotals(Device, totals);
    }
}
