using System.Globalization;

namespace Trilobite;

/// <summary>Writes one CSV row per epoch: epoch, then every log value (loss, accuracy, val_loss…).</summary>
public sealed class CSVLogger(string path, bool append = false) : Callback
{
    private string[]? _columns;

    /// <summary>Deletes an existing file at the path unless appending, so the run starts a fresh log.</summary>
    public override void OnTrainBegin()
    {
        _columns = null;
        if (!append && File.Exists(path)) File.Delete(path);
    }

    /// <summary>Appends the epoch's row (values round-trip, invariant culture; a header first when the file is empty); the columns are the first epoch's log keys.</summary>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        bool header = _columns == null && (!File.Exists(path) || new FileInfo(path).Length == 0);
        _columns ??= [.. logs.Keys];
        using var writer = new StreamWriter(path, append: true);
        if (header) writer.WriteLine("epoch," + string.Join(",", _columns));
        writer.WriteLine(epoch.ToString(CultureInfo.InvariantCulture) + "," +
            string.Join(",", _columns.Select(c => logs.TryGetValue(c, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : "")));
    }
}
