namespace Trilobite;

/// <summary>Stops training when <c>monitor</c> has not improved by <c>minDelta</c> for <c>patience</c> epochs; optionally restores the best weights.</summary>
public sealed class EarlyStopping(string monitor = "val_loss", int patience = 0, double minDelta = 0, bool restoreBestWeights = false, string mode = "auto") : Callback
{
    private double _best;
    private int _wait;
    private float[][]? _bestWeights;

    /// <summary>The epoch (from 0) at which training was stopped; −1 while it has not stopped.</summary>
    public int StoppedEpoch { get; private set; } = -1;

    /// <summary>Resets the best value, the wait count and the saved weights.</summary>
    public override void OnTrainBegin()
    {
        _best = LowerIsBetter(monitor, mode) ? double.PositiveInfinity : double.NegativeInfinity;
        _wait = 0;
        _bestWeights = null;
    }

    /// <summary>Compares the monitored value with the best so far; after <c>patience</c> epochs without improvement (at least one) sets <see cref="Model.StopTraining"/> and, with <c>restoreBestWeights</c>, puts the best weights back. Throws <see cref="InvalidOperationException"/> when the logs lack the monitored key.</summary>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        double value = Read(logs, monitor, nameof(EarlyStopping));
        bool better = LowerIsBetter(monitor, mode) ? value < _best - minDelta : value > _best + minDelta;
        if (better)
        {
            _best = value;
            _wait = 0;
            if (restoreBestWeights) _bestWeights = Model.GetWeights();
            return;
        }
        if (++_wait < Math.Max(1, patience)) return;
        StoppedEpoch = epoch;
        Model.StopTraining = true;
        if (restoreBestWeights && _bestWeights != null) Model.SetWeights(_bestWeights);
    }
}
