namespace Trilobite;

/// <summary>Hooks into <see cref="Model.Fit(Tensor, Tensor, FitOptions?)"/>; logs hold "loss", metrics and their "val_" twins.</summary>
public abstract class Callback
{
    /// <summary>The model being trained (set when training starts).</summary>
    public Model Model { get; internal set; } = null!;

    /// <summary>Once, at the start of Fit, before the first epoch.</summary>
    public virtual void OnTrainBegin() { }
    /// <summary>At the start of each epoch; <paramref name="epoch"/> counts from 0 (and from InitialEpoch on a resumed run).</summary>
    public virtual void OnEpochBegin(int epoch) { }
    /// <summary>After each batch. The logs are read from the device when first looked at; read (or copy) them here, not later.</summary>
    public virtual void OnBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { }
    /// <summary>After each epoch (and its validation); <paramref name="logs"/> hold the epoch's loss and metrics, with "val_" twins when validating.</summary>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Once, when Fit ends (after the last epoch or when <see cref="Model.StopTraining"/> was set).</summary>
    public virtual void OnTrainEnd() { }

    /// <summary>Whether <paramref name="monitor"/> improves when it goes down ("loss") or up ("accuracy").</summary>
    protected static bool LowerIsBetter(string monitor, string mode) => mode switch
    {
        "min" => true,
        "max" => false,
        _ => !monitor.Contains("acc", StringComparison.Ordinal),
    };

    /// <summary>The value of <paramref name="monitor"/> in <paramref name="logs"/>; throws <see cref="InvalidOperationException"/> listing the keys there are when it is missing.</summary>
    protected static double Read(IReadOnlyDictionary<string, double> logs, string monitor, string callbackName) =>
        logs.TryGetValue(monitor, out var value) ? value
            : throw new InvalidOperationException($"{callbackName} monitors '{monitor}', but the logs only have: {string.Join(", ", logs.Keys)}.");
}
