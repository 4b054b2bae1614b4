namespace Trilobite;

/// <summary>
/// Saves the model (architecture, weights, optimizer state, epochs and steps done) after each epoch, or only when
/// <c>monitor</c> improves with <c>saveBestOnly</c>, and with <c>saveEverySteps</c> also every that many steps inside an
/// epoch (Keras's integer <c>save_freq</c>, as BackupAndRestore uses it), so a killed run loses at most those steps.
/// Files are written atomically, so an interrupted run always leaves the last complete checkpoint; resume with
/// <c>Model.Load</c> and Fit's InitialEpoch and InitialStep (<see cref="Model.CompletedEpochs"/>, <see cref="Model.CompletedSteps"/>).
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private readonly string _monitor, _mode;
    private readonly bool _saveBestOnly;
    private double _best;

    /// <summary>
    /// Saves to <paramref name="path"/>. Throws <see cref="ArgumentOutOfRangeException"/> for a negative
    /// <paramref name="saveEverySteps"/> and <see cref="ArgumentException"/> when it is combined with <paramref name="saveBestOnly"/>
    /// (a mid-epoch save would replace the best epoch).
    /// </summary>
    public ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, string mode = "auto", int saveEverySteps = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(saveEverySteps);
        if (saveBestOnly && saveEverySteps > 0)
            throw new ArgumentException("ModelCheckpoint: saveEverySteps saves the latest state, saveBestOnly keeps the best epoch; one file cannot do both.", nameof(saveEverySteps));
        (Path, _monitor, _saveBestOnly, _mode, SaveEverySteps) = (path, monitor, saveBestOnly, mode, saveEverySteps);
    }

    /// <summary>The file to save to; "{epoch}" in it is replaced by the 1-based epoch, two digits ("model_{epoch}.trilo" → "model_03.trilo").</summary>
    public string Path { get; }

    /// <summary>Steps between saves inside an epoch (counted from the epoch's start); 0: at epoch ends only.</summary>
    public int SaveEverySteps { get; }

    /// <summary>Resets the best monitored value.</summary>
    public override void OnTrainBegin() => _best = LowerIsBetter(_monitor, _mode) ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>Every <see cref="SaveEverySteps"/> steps, saves the state after this step.</summary>
    public override void OnBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (SaveEverySteps > 0 && (batch + 1) % SaveEverySteps == 0) Save(Model.CompletedEpochs);
    }

    /// <summary>Saves the model to <see cref="Path"/>; with <c>saveBestOnly</c>, only when the monitored value beats the best so far (throws <see cref="InvalidOperationException"/> when the logs lack it).</summary>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (_saveBestOnly)
        {
            double value = Read(logs, _monitor, nameof(ModelCheckpoint));
            if (LowerIsBetter(_monitor, _mode) ? value >= _best : value <= _best) return;
            _best = value;
        }
        Save(epoch);
    }

    /// <summary>
    /// A save that fails (a full disk, a read-only folder) stops training with an <see cref="IOException"/> naming the file:
    /// the atomic write has left the last checkpoint there as it was, and going on would only lose more.
    /// </summary>
    private void Save(int epoch)
    {
        string file = Path.Replace("{epoch}", (epoch + 1).ToString("D2", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        try { Model.Save(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string where = Model.CompletedSteps > 0 ? $"step {Model.CompletedSteps} of epoch {epoch + 1}" : $"the end of epoch {epoch + 1}";
            throw new IOException($"ModelCheckpoint: could not save {file} at {where} ({ErrorText.Of(e)}); the last checkpoint written there is unchanged.", e);
        }
    }
}
