namespace Trilobite;

/// <summary>Hooks into <see cref="Model.Fit(Tensor, Tensor, FitOptions?)"/>; logs hold "loss", metrics and their "val_" twins.</summary>
public abstract class Callback
{
    /// <summary>The model being trained (set when training starts).</summary>
    public Model Model { get; internal set; } = null!;

    public virtual void OnTrainBegin() { }
    public virtual void OnEpochBegin(int epoch) { }
    /// <summary>After each batch. The logs are read from the device when first looked at; read (or copy) them here, not later.</summary>
    public virtual void OnBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { }
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) { }
    public virtual void OnTrainEnd() { }

    /// <summary>Whether <paramref name="monitor"/> improves when it goes down ("loss") or up ("accuracy").</summary>
    protected static bool LowerIsBetter(string monitor, string mode) => mode switch
    {
        "min" => true,
        "max" => false,
        _ => !monitor.Contains("acc", StringComparison.Ordinal),
    };

    protected static double Read(IReadOnlyDictionary<string, double> logs, string monitor, string callbackName) =>
        logs.TryGetValue(monitor, out var value) ? value
            : throw new InvalidOperationException($"{callbackName} monitors '{monitor}', but the logs only have: {string.Join(", ", logs.Keys)}.");
}
