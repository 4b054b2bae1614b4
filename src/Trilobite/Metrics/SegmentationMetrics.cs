using Trilobite.Backends;

namespace Trilobite;

/// <summary>
/// Metrics over one confusion matrix of every pixel seen since the last reset, as Keras's IoU metrics keep theirs: the
/// prediction is the argmax over the last axis (Keras's <c>sparse_y_pred=False</c>), targets are class indices (one per
/// pixel) or one-hot along the last axis. Pixels whose true class is <see cref="IgnoreClass"/> are not counted.
/// </summary>
public abstract class ConfusionMetric : Metric
{
    /// <summary>A metric over <paramref name="numClasses"/> classes (at least 2), ignoring pixels of class <paramref name="ignoreClass"/>.</summary>
    protected ConfusionMetric(int numClasses, int? ignoreClass)
    {
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), $"A segmentation metric needs at least 2 classes, got {numClasses}.");
        if (ignoreClass is int i && (i < 0 || i >= numClasses))
            throw new ArgumentOutOfRangeException(nameof(ignoreClass), $"ignoreClass must be one of the classes 0..{numClasses - 1}, got {i}.");
        (NumClasses, IgnoreClass) = (numClasses, ignoreClass);
    }

    /// <summary>The number of classes: the last axis of the predictions.</summary>
    public int NumClasses { get; }

    /// <summary>A class whose pixels are left out (Keras's ignore_class), or null.</summary>
    public int? IgnoreClass { get; }

    /// <inheritdoc/>
    protected override int AccumulatorCount => NumClasses * NumClasses;

    /// <summary>Counts every pixel of the batch into the confusion matrix (row = truth, column = prediction).</summary>
    protected override void Accumulate(IBackend backend, Tensor prediction, Tensor target, int rows, int classes, Storage totals)
    {
        if (prediction.Dim(-1) != NumClasses)
            throw new ArgumentException($"{Name}: the predictions have {prediction.Dim(-1)} classes on their last axis, the metric {NumClasses}.");
        int pixels = prediction.Length / NumClasses;
        bool sparse = target.Length == pixels;
        if (!sparse && target.Length != prediction.Length)
            throw new ArgumentException($"{Name}: {target.Length} targets for {pixels} pixels of {NumClasses} classes (expected one label per pixel or one-hot).");
        backend.AccumulateConfusion(prediction.Data, target.Data, pixels, NumClasses, sparse, IgnoreClass ?? -1, totals, 0);
    }

    /// <inheritdoc/>
    public override string ConfigName => IgnoreClass is int i ? $"{Name}({NumClasses}, ignore {i})" : $"{Name}({NumClasses})";

    /// <summary>Rebuilds a metric from its <see cref="ConfigName"/>; null for a name that is not one.</summary>
    internal static ConfusionMetric? TryParse(string name)
    {
        var m = System.Text.RegularExpressions.Regex.Match(name, @"^(mean_io_u|pixel_accuracy)\((\d{1,5})(?:, ignore (\d{1,5}))?\)$");
        if (!m.Success) return null;
        int classes = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        int? ignore = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        if (classes < 2 || ignore >= classes) return null;
        return m.Groups[1].Value == "mean_io_u" ? new MeanIoU(classes, ignore) : new PixelAccuracy(classes, ignore);
    }

    /// <summary>The counts so far: [truth, prediction].</summary>
    public long[,] ConfusionMatrix()
    {
        var m = new long[NumClasses, NumClasses];
        if (Totals() is { } t)
            for (int i = 0; i < NumClasses; i++)
                for (int j = 0; j < NumClasses; j++) m[i, j] = (long)t[i * NumClasses + j];
        return m;
    }
}

/// <summary>
/// Keras's MeanIoU: per class, IoU = TP / (TP + FP + FN) from the confusion matrix of the whole dataset; the mean over the
/// classes whose denominator is not 0 (a class absent from both truth and prediction is left out, not counted as 0 or 1).
/// </summary>
public sealed class MeanIoU(int numClasses, int? ignoreClass = null) : ConfusionMetric(numClasses, ignoreClass)
{
    /// <inheritdoc/>
    public override string Name => "mean_io_u";

    /// <summary>Each class's IoU, NaN for a class with nothing in its denominator.</summary>
    public double[] PerClass()
    {
        var m = ConfusionMatrix();
        var iou = new double[NumClasses];
        for (int c = 0; c < NumClasses; c++)
        {
            long truth = 0, predicted = 0;
            for (int k = 0; k < NumClasses; k++) { truth += m[c, k]; predicted += m[k, c]; }
            long union = truth + predicted - m[c, c];
            iou[c] = union == 0 ? double.NaN : (double)m[c, c] / union;
        }
        return iou;
    }

    /// <inheritdoc/>
    public override double Result => PerClass().Where(v => !double.IsNaN(v)).DefaultIfEmpty(0).Average();
}

/// <summary>The share of counted pixels whose predicted class is the true one (the confusion matrix's diagonal).</summary>
public sealed class PixelAccuracy(int numClasses, int? ignoreClass = null) : ConfusionMetric(numClasses, ignoreClass)
{
    /// <inheritdoc/>
    public override string Name => "pixel_accuracy";

    /// <inheritdoc/>
    public override double Result
    {
        get
        {
            var m = ConfusionMatrix();
            long right = 0, all = 0;
            for (int i = 0; i < NumClasses; i++)
                for (int j = 0; j < NumClasses; j++) { all += m[i, j]; if (i == j) right += m[i, j]; }
            return all == 0 ? 0 : (double)right / all;
        }
    }
}
