using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>Row-wise softmax and log-softmax, stable: the row maximum is subtracted first.</summary>
public static class SoftmaxKernels
{
    /// <summary>y[r, :] = exp(x[r, :] − max) / Σ exp(x[r, :] − max) for each row of width <paramref name="width"/>.</summary>
    public static void Softmax(ReadOnlySpan<float> x, int width, Span<float> y)
    {
        KernelArguments.Rows(nameof(Softmax), x.Length, width);
        KernelArguments.Length(nameof(Softmax), "the output", y.Length, x.Length);
        for (int offset = 0; offset < x.Length; offset += width)
        {
            ReadOnlySpan<float> row = x.Slice(offset, width);
            Span<float> dst = y.Slice(offset, width);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, dst);
            TensorPrimitives.Exp(dst, dst);
            float sum = TensorPrimitives.Sum(dst);
            TensorPrimitives.Multiply(dst, 1f / sum, dst);
        }
    }

    /// <summary>y[r, :] = x[r, :] − max − log Σ exp(x[r, :] − max).</summary>
    public static void LogSoftmax(ReadOnlySpan<float> x, int width, Span<float> y)
    {
        KernelArguments.Rows(nameof(LogSoftmax), x.Length, width);
        KernelArguments.Length(nameof(LogSoftmax), "the output", y.Length, x.Length);
        for (int offset = 0; offset < x.Length; offset += width)
        {
            ReadOnlySpan<float> row = x.Slice(offset, width);
            Span<float> dst = y.Slice(offset, width);
            float max = TensorPrimitives.Max(row);
            double sum = 0;
            for (int i = 0; i < width; i++) sum += Math.Exp(row[i] - max);
            TensorPrimitives.Subtract(row, max + (float)Math.Log(sum), dst);
        }
    }

    /// <summary>Softmax backward: dx[r, i] += y[r, i]·(dy[r, i] − Σ_j dy[r, j]·y[r, j]).</summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int width, Span<float> dx)
    {
        KernelArguments.Rows(nameof(SoftmaxBackward), y.Length, width);
        KernelArguments.Length(nameof(SoftmaxBackward), "the output gradient", dy.Length, y.Length);
        KernelArguments.Length(nameof(SoftmaxBackward), "the input gradient", dx.Length, y.Length);
        for (int offset = 0; offset < y.Length; offset += width)
        {
            ReadOnlySpan<float> yr = y.Slice(offset, width), gr = dy.Slice(offset, width);
            float dot = TensorPrimitives.Dot(yr, gr);
            Span<float> d = dx.Slice(offset, width);
            for (int i = 0; i < width; i++) d[i] += yr[i] * (gr[i] - dot);
        }
    }

    /// <summary>Log-softmax backward: dx[r, i] += dy[r, i] − exp(y[r, i])·Σ_j dy[r, j].</summary>
    public static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int width, Span<float> dx)
    {
        KernelArguments.Rows(nameof(LogSoftmaxBackward), y.Length, width);
        KernelArguments.Length(nameof(LogSoftmaxBackward), "the output gradient", dy.Length, y.Length);
        KernelArguments.Length(nameof(LogSoftmaxBackward), "the input gradient", dx.Length, y.Length);
        for (int offset = 0; offset < y.Length; offset += width)
        {
            ReadOnlySpan<float> yr = y.Slice(offset, width), gr = dy.Slice(offset, width);
            float sum = TensorPrimitives.Sum(gr);
            Span<float> d = dx.Slice(offset, width);
            for (int i = 0; i < width; i++) d[i] += gr[i] - MathF.Exp(yr[i]) * sum;
        }
    }
}
