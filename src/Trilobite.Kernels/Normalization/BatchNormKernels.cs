using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// Batch normalisation over the last (channel) axis of x viewed as (rows, C), as Keras's
/// BatchNormalization(axis=-1): y = γ·(x − μ)/√(σ² + ε) + β. Training uses the batch's biased
/// variance and updates the moving averages as m ← m·momentum + batch·(1 − momentum).
/// </summary>
public static class BatchNormKernels
{
    /// <summary>Training forward. Writes y, the per-channel mean and inverse std (kept for backward), and updates the moving statistics.</summary>
    public static void ForwardTraining(ReadOnlySpan<float> x, int channels, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, float momentum, Span<float> movingMean, Span<float> movingVariance,
        Span<float> y, Span<float> mean, Span<float> inverseStd)
    {
        int rows = x.Length / channels;
        Span<double> sum = channels <= 1024 ? stackalloc double[channels] : new double[channels];
        Span<double> sumSq = channels <= 1024 ? stackalloc double[channels] : new double[channels];
        sum.Clear(); sumSq.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = x.Slice(r * channels, channels);
            for (int c = 0; c < channels; c++) { sum[c] += row[c]; sumSq[c] += (double)row[c] * row[c]; }
        }
        for (int c = 0; c < channels; c++)
        {
            double mu = sum[c] / rows;
            double variance = Math.Max(sumSq[c] / rows - mu * mu, 0);
            mean[c] = (float)mu;
            inverseStd[c] = (float)(1 / Math.Sqrt(variance + epsilon));
            movingMean[c] = movingMean[c] * momentum + (float)mu * (1 - momentum);
            movingVariance[c] = movingVariance[c] * momentum + (float)variance * (1 - momentum);
        }
        Normalize(x, channels, gamma, beta, mean, inverseStd, y);
    }

    /// <summary>Inference forward with the moving statistics.</summary>
    public static void ForwardInference(ReadOnlySpan<float> x, int channels, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, ReadOnlySpan<float> movingMean, ReadOnlySpan<float> movingVariance, Span<float> y)
    {
        Span<float> inverseStd = channels <= 4096 ? stackalloc float[channels] : new float[channels];
        for (int c = 0; c < channels; c++) inverseStd[c] = 1f / MathF.Sqrt(movingVariance[c] + epsilon);
        Normalize(x, channels, gamma, beta, movingMean, inverseStd, y);
    }

    /// <summary>
    /// Training backward with x̂ = (x − μ)·s: dγ += Σ dy·x̂, dβ += Σ dy,
    /// dx += γ·s/m · (m·dy − Σdy − x̂·Σ dy·x̂) for m rows.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int channels, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, Span<float> dx, Span<float> dGamma, Span<float> dBeta)
    {
        int rows = x.Length / channels;
        Span<double> sumDy = channels <= 1024 ? stackalloc double[channels] : new double[channels];
        Span<double> sumDyXhat = channels <= 1024 ? stackalloc double[channels] : new double[channels];
        sumDy.Clear(); sumDyXhat.Clear();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < channels; c++)
            {
                int i = r * channels + c;
                float xhat = (x[i] - mean[c]) * inverseStd[c];
                sumDy[c] += dy[i];
                sumDyXhat[c] += dy[i] * xhat;
            }
        for (int c = 0; c < channels; c++) { dGamma[c] += (float)sumDyXhat[c]; dBeta[c] += (float)sumDy[c]; }
        if (dx.IsEmpty) return;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < channels; c++)
            {
                int i = r * channels + c;
                float xhat = (x[i] - mean[c]) * inverseStd[c];
                float scale = gamma[c] * inverseStd[c] / rows;
                dx[i] += scale * (rows * dy[i] - (float)sumDy[c] - xhat * (float)sumDyXhat[c]);
            }
    }

    private static void Normalize(ReadOnlySpan<float> x, int channels, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, Span<float> y)
    {
        Span<float> scale = channels <= 4096 ? stackalloc float[channels] : new float[channels];
        Span<float> shift = channels <= 4096 ? stackalloc float[channels] : new float[channels];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] * inverseStd[c];
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        for (int offset = 0; offset < x.Length; offset += channels)
        {
            Span<float> dst = y.Slice(offset, channels);
            TensorPrimitives.FusedMultiplyAdd(x.Slice(offset, channels), scale, shift, dst);
        }
    }
}
