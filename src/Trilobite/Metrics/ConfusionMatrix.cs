using Trilobite.Training;

namespace Trilobite;

/// <summary>
/// Counts of (true class, predicted class) pairs over a dataset: row = truth, column = prediction, as
/// scikit-learn's and Keras's <c>confusion_matrix</c>. The prediction is the arg-max of the model's output.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    /// <summary>An empty matrix for <paramref name="classes"/> classes (at least one), named by <paramref name="classNames"/> when given.</summary>
    public ConfusionMatrix(int classes, IReadOnlyList<string>? classNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (classNames != null && classNames.Count != classes)
            throw new ArgumentException($"{classNames.Count} class names for {classes} classes.", nameof(classNames));
        _counts = new long[classes, classes];
        ClassNames = classNames ?? [.. Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>The number of classes: rows and columns.</summary>
    public int Classes => _counts.GetLength(0);

    /// <summary>One name per class (its index when the data had none).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>How many samples of class <paramref name="truth"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => _counts[truth, predicted];

    /// <summary>All samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>The share of samples on the diagonal (0 when empty).</summary>
    public double Accuracy
    {
        get
        {
            long right = 0;
            for (int c = 0; c < Classes; c++) right += _counts[c, c];
            return Total == 0 ? 0 : (double)right / Total;
        }
    }

    /// <summary>Counts one sample; classes outside [0, Classes) are an error naming the value.</summary>
    public void Add(int truth, int predicted)
    {
        if ((uint)truth >= (uint)Classes || (uint)predicted >= (uint)Classes)
            throw new ArgumentOutOfRangeException(nameof(truth), $"Class ({truth}, {predicted}) is outside 0..{Classes - 1}.");
        _counts[truth, predicted]++;
        Total++;
    }

    /// <summary>
    /// The model's predictions on <paramref name="data"/> against its targets: one-hot (N, classes) or class indices (N).
    /// </summary>
    public static ConfusionMatrix Of(Model model, Dataset data, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(data);
        var matrix = For(model, data.ClassNames);
        matrix.Count(model, data.X, data.Y, batchSize);
        return matrix;
    }

    /// <summary>The same over every batch of a streamed source (an image folder), one batch in memory at a time.</summary>
    public static ConfusionMatrix Of(Model model, IBatchSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var matrix = For(model, null);
        foreach (var batch in data.Batches(0)) matrix.Count(model, batch.X, batch.Y, batch.X.Dim(0));
        return matrix;
    }

    private static ConfusionMatrix For(Model model, IReadOnlyList<string>? dataClassNames)
    {
        ArgumentNullException.ThrowIfNull(model);
        int classes = model.OutputShape[^1];
        var names = model.ClassNames ?? dataClassNames;
        return new ConfusionMatrix(classes, names?.Count == classes ? names : null);
    }

    private void Count(Model model, Tensor x, Tensor y, int batchSize)
    {
        bool oneHot = y.Rank == 2;
        if (oneHot && y.Dim(1) != Classes)
            throw new ArgumentException($"The targets have {y.Dim(1)} classes, the model {Classes} outputs.", nameof(y));
        float[] output = model.Predict(x, batchSize).ToArray();
        float[] targets = y.ToArray();
        for (int i = 0; i < x.Dim(0); i++)
            Add(oneHot ? ArgMax(targets.AsSpan(i * Classes, Classes)) : (int)targets[i], ArgMax(output.AsSpan(i * Classes, Classes)));
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }
}
