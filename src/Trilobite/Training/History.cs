namespace Trilobite;

/// <summary>What <see cref="Model.Fit(Tensor, Tensor, FitOptions?)"/> returns: per-epoch values of the loss and metrics ("loss", "accuracy", "val_loss", …).</summary>
public sealed class History
{
    /// <summary>The epochs recorded (0-based; from InitialEpoch on a resumed run).</summary>
    public List<int> Epochs { get; } = [];

    /// <summary>Each log key ("loss", "accuracy", "val_loss", …) with its value per recorded epoch.</summary>
    public Dictionary<string, List<double>> Values { get; } = [];

    /// <summary>The per-epoch values of <paramref name="key"/>, as Keras's <c>history.history[key]</c>; throws <see cref="KeyNotFoundException"/> listing the keys there are.</summary>
    public IReadOnlyList<double> this[string key] => Values.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"History has no '{key}'. It has: {string.Join(", ", Values.Keys)}.");

    internal void Record(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        Epochs.Add(epoch);
        foreach (var (key, value) in logs)
        {
            if (!Values.TryGetValue(key, out var list)) Values[key] = list = [];
            list.Add(value);
        }
    }
}
