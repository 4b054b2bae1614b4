using System.Diagnostics.CodeAnalysis;

namespace Trilobite.Training;

/// <summary>
/// The logs a callback or the progress bar sees after each batch: read from the device on first access after a step
/// (and then kept until the next), so a step whose logs nobody reads never waits for the device.
/// </summary>
internal sealed class TrainingLogs(Func<Dictionary<string, double>> read) : IReadOnlyDictionary<string, double>
{
    private Dictionary<string, double>? _current;

    /// <summary>Forgets the values read so far (a new step ran).</summary>
    public void Invalidate() => _current = null;

    private Dictionary<string, double> Current => _current ??= read();

    public double this[string key] => Current[key];
    public IEnumerable<string> Keys => Current.Keys;
    public IEnumerable<double> Values => Current.Values;
    public int Count => Current.Count;
    public bool ContainsKey(string key) => Current.ContainsKey(key);
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value) => Current.TryGetValue(key, out value);
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => Current.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
