namespace Trilobite;

/// <summary>
/// Saves the model (architecture, weights, optimizer state, epoch) after each epoch, or only when
/// <c>monitor</c> improves with <c>saveBestOnly</c>. Files are written atomically, so an interrupted
/// run always leaves the last complete checkpoint; resume with <c>Model.Load</c> and Fit's InitialEpoch.
/// </summary>
public sealed class ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, string mode = "auto") : Callback
{
    private double _best;

    /// <summary>The file to save to; "{epoch}" in it is replaced by the 1-based epoch, two digits ("model_{epoch}.trilo" → "model_03.trilo").</summary>
    public string Path { get; } = path;

    /// <summary>Resets the best monitored value.</summary>
    public override void OnTrainBegin() => _best = LowerIsBetter(monitor, mode) ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>Saves the model to <see cref="Path"/>; with <c>saveBestOnly</c>, only when the monitored value beats the best so far (throws <see cref="InvalidOperationException"/> when the logs lack it).</summary>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (saveBestOnly)
        {
            double value = Read(logs, monitor, nameof(ModelCheckpoint));
            if (LowerIsBetter(monitor, mode) ? value >= _best : value <= _best) return;
            _best = value;
        }
        Model.Save(Path.Replace("{epoch}", (epoch + 1).ToString("D2", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }
}
