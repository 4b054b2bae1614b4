using System.Globalization;

namespace Trilobite.Plotting;

/// <summary>
/// Per-epoch values of a training run ("loss", "accuracy", "val_loss", …), from a <see cref="History"/> or from the CSV
/// that <see cref="CSVLogger"/> (and <c>trilobite train --history</c>) writes. Epochs are numbered from 1, as the
/// progress bar prints them.
/// </summary>
public sealed class TrainingCurves
{
    /// <summary>The largest history file read (a CSV of a million epochs is far smaller); anything bigger is refused unread.</summary>
    public const long MaxFileBytes = 64L << 20;

    private TrainingCurves(int[] epochs, Dictionary<string, double[]> values) => (Epochs, Values) = (epochs, values);

    /// <summary>The epoch of each row, from 1.</summary>
    public IReadOnlyList<int> Epochs { get; }

    /// <summary>One series per column, as long as <see cref="Epochs"/>; NaN where a row left the value empty.</summary>
    public IReadOnlyDictionary<string, double[]> Values { get; }

    /// <summary>The curves of a finished <see cref="Model.Fit(Tensor, Tensor, FitOptions?)"/>.</summary>
    public static TrainingCurves From(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new([.. history.Epochs.Select(e => e + 1)], history.Values.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
    }

    /// <summary>Reads a CSV whose header is <c>epoch,name,…</c>; a malformed file is an <see cref="InvalidDataException"/> naming the file, the line and what was expected.</summary>
    public static TrainingCurves Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: history file not found (write one with 'trilobite train --history {path}').");
        if (info.Length > MaxFileBytes) throw new InvalidDataException($"{path}: {info.Length} bytes is too large for a training history (at most {MaxFileBytes}).");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) throw new InvalidDataException($"{path}: the history file is empty (expected a header 'epoch,loss,…' and one row per epoch).");
        string[] header = lines[0].Split(',');
        if (header[0] != "epoch" || header.Length < 2 || header.Skip(1).Any(string.IsNullOrWhiteSpace) || header.Distinct().Count() != header.Length)
            throw new InvalidDataException($"{path}: line 1 must be a header 'epoch,loss,…' of distinct names, got '{Excerpt.Of(lines[0])}'.");
        if (lines.Count == 1) throw new InvalidDataException($"{path}: no epochs yet (only the header).");
        var epochs = new int[lines.Count - 1];
        var columns = header.Skip(1).Select(_ => new double[lines.Count - 1]).ToArray();
        for (int row = 1; row < lines.Count; row++)
        {
            string[] cells = lines[row].Split(',');
            if (cells.Length != header.Length)
                throw new InvalidDataException($"{path}: line {row + 1} has {cells.Length} values, the header {header.Length}.");
            if (!int.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int epoch) || epoch < 0)
                throw new InvalidDataException($"{path}: line {row + 1}: the epoch must be a whole number from 0, got '{Excerpt.Of(cells[0])}'.");
            epochs[row - 1] = epoch + 1;
            for (int c = 1; c < cells.Length; c++)
            {
                if (cells[c].Length == 0) { columns[c - 1][row - 1] = double.NaN; continue; }
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out columns[c - 1][row - 1]))
                    throw new InvalidDataException($"{path}: line {row + 1}: '{header[c]}' must be a number, got '{Excerpt.Of(cells[c])}'.");
            }
        }
        return new(epochs, header.Skip(1).Select((name, i) => (name, i)).ToDictionary(t => t.name, t => columns[t.i]));
    }

    /// <summary>The quantities measured, without the "val_" twins: "loss", "accuracy", … in the order first seen.</summary>
    public IReadOnlyList<string> Quantities =>
        [.. Values.Keys.Select(k => k.StartsWith("val_", StringComparison.Ordinal) ? k[4..] : k).Distinct()];
}
