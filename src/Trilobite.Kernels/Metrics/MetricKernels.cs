using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>How Keras's "accuracy" compares a batch: argmax of one-hot rows, integer labels, or one unit thresholded at ½.</summary>
public enum AccuracyKind
{
    /// <summary>Predictions and targets are (rows, classes): a row is right when their argmaxes agree (one-hot targets).</summary>
    Categorical,

    /// <summary>Targets are one class index per row (stored as floats), compared with the predictions' argmax.</summary>
    Sparse,

    /// <summary>One value per row: right when prediction and target are both above 0.5 or both not.</summary>
    Binary,
}

/// <summary>
/// Per-batch counts behind the accuracy metrics. Scores are compared as Keras does: argmax (the first maximum; a NaN
/// counts as the maximum, as <see cref="TensorPrimitives.IndexOfMax(ReadOnlySpan{float})"/> has it), the target class
/// of a one-hot row by the same rule, binary predictions and targets thresholded at 0.5.
/// </summary>
public static class MetricKernels
{
    /// <summary>How many of the <paramref name="rows"/> samples are classified correctly.</summary>
    public static int CountCorrect(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int rows, int classes, AccuracyKind kind)
    {
        CheckShapes(predictions, targets, rows, classes, kind == AccuracyKind.Sparse);
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            bool hit = kind switch
            {
                AccuracyKind.Binary => (predictions[r] > 0.5f) == (targets[r] > 0.5f),
                AccuracyKind.Sparse => TensorPrimitives.IndexOfMax(predictions.Slice(r * classes, classes)) == (int)targets[r],
                _ => TensorPrimitives.IndexOfMax(predictions.Slice(r * classes, classes)) == TensorPrimitives.IndexOfMax(targets.Slice(r * classes, classes)),
            };
            if (hit) correct++;
        }
        return correct;
    }

    /// <summary>How many samples have their true class among the <paramref name="k"/> highest scores (fewer than k scores above it).</summary>
    public static int CountTopK(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int rows, int classes, bool sparse, int k)
    {
        CheckShapes(predictions, targets, rows, classes, sparse);
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            var scores = predictions.Slice(r * classes, classes);
            int target = sparse ? (int)targets[r] : TensorPrimitives.IndexOfMax(targets.Slice(r * classes, classes));
            if ((uint)target >= (uint)classes) continue;   // a label outside the classes is never right
            float trueScore = scores[target];
            int higher = 0;
            foreach (float s in scores) if (s > trueScore) higher++;
            if (higher < k) correct++;
        }
        return correct;
    }

    /// <summary>
    /// confusion[t·classes + p] += 1 for each row whose true class is t and whose argmax is p (segmentation: a row is a
    /// pixel). Rows whose true class is outside the classes or equals <paramref name="ignoreClass"/> are not counted.
    /// </summary>
    public static void AccumulateConfusion(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int rows, int classes, bool sparse,
        int ignoreClass, Span<double> confusion)
    {
        CheckShapes(predictions, targets, rows, classes, sparse);
        if (confusion.Length != (long)classes * classes)
            throw new ArgumentException($"Metric: a confusion matrix of {classes} classes needs {(long)classes * classes} counts, got {confusion.Length}.");
        for (int r = 0; r < rows; r++)
        {
            int target = sparse ? (int)targets[r] : TensorPrimitives.IndexOfMax(targets.Slice(r * classes, classes));
            if ((uint)target >= (uint)classes || target == ignoreClass) continue;
            confusion[target * classes + TensorPrimitives.IndexOfMax(predictions.Slice(r * classes, classes))]++;
        }
    }

    private static void CheckShapes(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int rows, int classes, bool sparse)
    {
        if (rows < 0 || classes < 1 || (long)rows * classes != predictions.Length)
            throw new ArgumentException($"Metric: {predictions.Length} predictions do not make {rows} rows of {classes} classes.");
        if (targets.Length != (sparse ? rows : (long)rows * classes))
            throw new ArgumentException($"Metric: {targets.Length} targets for {rows} rows of {classes} classes ({(sparse ? "one label per row" : "one value per class")} expected).");
    }
}
