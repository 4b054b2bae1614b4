using System.Diagnostics.CodeAnalysis;

namespace Trilobite.Training;

/// <summary>
/// The logs a callback or the progress bar sees after one batch: read from the device on first access (and then kept),
/// so a step whose logs nobody reads never waits for the device. A new view is made for every batch; one that was not
/// read during its batch expires when the next batch starts (the totals it would read have moved on), and reading it
/// then is an error rather than a wrong number — copy what you need (<c>new Dictionary&lt;string, double&gt;(logs)</c>)
/// inside <c>OnBatchEnd</c> to keep it.
/// </summary>
internal sealed class TrainingLogs(Func<Dictionary<string, double>> read, int batch) : IReadOnlyDictionary<string, double>
{
    private Dictionary<string, double>? _values;
    private bool _expired;

    /// <summary>Called when the next batch starts: the totals no longer describe this batch.</summary>
    public void Expire() => _expired = true;

    private Dictionary<string, double> Values_ => _values ??= _expired
        ? throw new InvalidOperationException($"The logs of batch {batch} were read after the batch ended; copy them inside OnBatchEnd to keep them.")
        : read();

    public double this[string key] => Values_[key];
    public IEnumerable<string> Keys => Values_.Keys;
    public IEnumerable<double> Values => Values_.Values;
    public int Count => Values_.Count;
    public bool ContainsKey(string key) => Values_.ContainsKey(key);
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value) => Values_.TryGetValue(key, out value);
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => Values_.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
