namespace Trilobite;

/// <summary>
/// Saves the model (architecture, weights, optimizer state, epoch) after each epoch, or only when
/// <c>monitor</c> improves with <c>saveBestOnly</c>. Files are written atomically, so an interrupted
/// run always leaves the last complete checkpoint; resume with <c>Model.Load</c> and Fit's InitialEpoch.
/// </summary>
public sealed class ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, string mode = "auto") : Callback
{
    private double _best;

    public string Path { get; } = path;

    public override void OnTrainBegin() => _best = LowerIsBetter(monitor, mode) ? double.PositiveInfinity : double.NegativeInfinity;

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
