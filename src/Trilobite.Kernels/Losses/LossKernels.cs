namespace Trilobite.Kernels;

/// <summary>
/// Loss functions with their gradients, averaged over the rows (samples). Each returns the mean
/// loss and writes d(loss)/d(input) scaled by gradScale (1 for a plain mean).
/// </summary>
public static class LossKernels
{
    /// <summary>
    /// Fused softmax + categorical cross-entropy on logits (N, C) with probability targets (N, C):
    /// loss = −Σ t·log softmax(z); grad = (softmax(z)·Σt − t)/N, i.e. (p − t)/N for one-hot rows.
    /// </summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, int classes, Span<float> grad, float gradScale = 1f)
    {
        int rows = Rows(logits, classes, grad);
        if (targets.Length != logits.Length)
            throw new ArgumentException($"Cross-entropy: {logits.Length} logits but {targets.Length} targets.");
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * classes, classes), t = targets.Slice(r * classes, classes);
            float max = System.Numerics.Tensors.TensorPrimitives.Max(z);
            double sum = 0;
            for (int i = 0; i < classes; i++) sum += Math.Exp(z[i] - max);
            double logSum = Math.Log(sum) + max;
            double targetSum = 0;
            for (int i = 0; i < classes; i++) { total -= t[i] * (z[i] - logSum); targetSum += t[i]; }
            if (grad.IsEmpty) continue;
            Span<float> g = grad.Slice(r * classes, classes);
            for (int i = 0; i < classes; i++)
                g[i] = (float)((Math.Exp(z[i] - logSum) * targetSum - t[i]) * gradScale / rows);
        }
        return (float)(total / rows);
    }

    /// <summary>Fused softmax + sparse categorical cross-entropy: targets are class indices, stored as floats (truncated to integers, as Keras casts them).</summary>
    public static float SparseSoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, int classes, Span<float> grad, float gradScale = 1f)
    {
        int rows = Rows(logits, classes, grad);
        if (labels.Length != rows)
            throw new ArgumentException($"Sparse cross-entropy: {rows} rows of logits but {labels.Length} labels.");
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * classes, classes);
            float stored = labels[r];
            if (!(stored >= 0 && stored < classes))
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {stored} at row {r} is outside [0, {classes}).");
            int label = (int)stored;
            float max = System.Numerics.Tensors.TensorPrimitives.Max(z);
            double sum = 0;
            for (int i = 0; i < classes; i++) sum += Math.Exp(z[i] - max);
            double logSum = Math.Log(sum) + max;
            total -= z[label] - logSum;
            if (grad.IsEmpty) continue;
            Span<float> g = grad.Slice(r * classes, classes);
            for (int i = 0; i < classes; i++)
                g[i] = (float)((Math.Exp(z[i] - logSum) - (i == label ? 1 : 0)) * gradScale / rows);
        }
        return (float)(total / rows);
    }

    /// <summary>
    /// Binary cross-entropy on logits, stable: max(z, 0) − z·t + log(1 + e^(−|z|)), averaged over all
    /// elements; grad = (σ(z) − t)/count.
    /// </summary>
    public static float SigmoidBinaryCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> grad, float gradScale = 1f)
    {
        SameLengths(logits, targets, grad);
        double total = 0;
        int count = logits.Length;
        for (int i = 0; i < count; i++)
        {
            double z = logits[i], t = targets[i];
            total += Math.Max(z, 0) - z * t + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            if (!grad.IsEmpty) grad[i] = (float)((1 / (1 + Math.Exp(-z)) - t) * gradScale / count);
        }
        return (float)(total / count);
    }

    /// <summary>Mean squared error over all elements; grad = 2(y − t)/count.</summary>
    public static float MeanSquaredError(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> grad, float gradScale = 1f)
    {
        SameLengths(predictions, targets, grad);
        double total = 0;
        int count = predictions.Length;
        for (int i = 0; i < count; i++)
        {
            double d = predictions[i] - targets[i];
            total += d * d;
            if (!grad.IsEmpty) grad[i] = (float)(2 * d * gradScale / count);
        }
        return (float)(total / count);
    }

    private static int Rows(ReadOnlySpan<float> logits, int classes, Span<float> grad)
    {
        if (classes < 1 || logits.Length % classes != 0)
            throw new ArgumentException($"Cross-entropy: {logits.Length} logits do not make rows of {classes} classes.");
        if (!grad.IsEmpty && grad.Length != logits.Length)
            throw new ArgumentException($"Cross-entropy: the gradient has {grad.Length} values for {logits.Length} logits.");
        return logits.Length / classes;
    }

    private static void SameLengths(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> grad)
    {
        if (targets.Length != predictions.Length || (!grad.IsEmpty && grad.Length != predictions.Length))
            throw new ArgumentException($"Loss: {predictions.Length} predictions, {targets.Length} targets and {grad.Length} gradient values differ.");
    }
}
