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

    /// <summary>
    /// Softmax over the middle axis of x viewed as (outer, axis, inner), stable: y[o, :, i] = softmax(x[o, :, i]). With
    /// inner = 1 it is <see cref="Softmax"/> on rows of <paramref name="axis"/>; otherwise each step works on whole rows of inner.
    /// </summary>
    public static void SoftmaxAxis(ReadOnlySpan<float> x, int outer, int axis, int inner, Span<float> y)
    {
        CheckAxis(nameof(SoftmaxAxis), x.Length, outer, axis, inner);
        KernelArguments.Length(nameof(SoftmaxAxis), "the output", y.Length, x.Length);
        if (inner == 1) { if (axis > 0) Softmax(x, axis, y); return; }
        float[] rented = System.Buffers.ArrayPool<float>.Shared.Rent(inner);
        Span<float> scratch = rented.AsSpan(0, inner);
        for (int o = 0; o < outer; o++)
        {
            if (axis == 0) continue;
            int start = o * axis * inner;
            x.Slice(start, inner).CopyTo(scratch);
            for (int a = 1; a < axis; a++) TensorPrimitives.Max(scratch, x.Slice(start + a * inner, inner), scratch);
            for (int a = 0; a < axis; a++)
            {
                Span<float> dst = y.Slice(start + a * inner, inner);
                TensorPrimitives.Subtract(x.Slice(start + a * inner, inner), scratch, dst);
                TensorPrimitives.Exp(dst, dst);
            }
            scratch.Clear();
            for (int a = 0; a < axis; a++) TensorPrimitives.Add(scratch, y.Slice(start + a * inner, inner), scratch);
            TensorPrimitives.Reciprocal(scratch, scratch);
            for (int a = 0; a < axis; a++)
            {
                Span<float> dst = y.Slice(start + a * inner, inner);
                TensorPrimitives.Multiply(dst, scratch, dst);
            }
        }
        System.Buffers.ArrayPool<float>.Shared.Return(rented);
    }

    /// <summary>dx[o, a, i] += y[o, a, i]·(dy[o, a, i] − Σ_b dy[o, b, i]·y[o, b, i]): the backward of <see cref="SoftmaxAxis"/>.</summary>
    public static void SoftmaxAxisBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int outer, int axis, int inner, Span<float> dx)
    {
        CheckAxis(nameof(SoftmaxAxisBackward), y.Length, outer, axis, inner);
        KernelArguments.Length(nameof(SoftmaxAxisBackward), "the output gradient", dy.Length, y.Length);
        KernelArguments.Length(nameof(SoftmaxAxisBackward), "the input gradient", dx.Length, y.Length);
        if (inner == 1) { if (axis > 0) SoftmaxBackward(y, dy, axis, dx); return; }
        float[] rented = System.Buffers.ArrayPool<float>.Shared.Rent(2 * inner);
        Span<float> dot = rented.AsSpan(0, inner), term = rented.AsSpan(inner, inner);
        for (int o = 0; o < outer; o++)
        {
            int start = o * axis * inner;
            dot.Clear();
            for (int a = 0; a < axis; a++) TensorPrimitives.MultiplyAdd(y.Slice(start + a * inner, inner), dy.Slice(start + a * inner, inner), dot, dot);
            for (int a = 0; a < axis; a++)
            {
                TensorPrimitives.Subtract(dy.Slice(start + a * inner, inner), dot, term);
                Span<float> d = dx.Slice(start + a * inner, inner);
                TensorPrimitives.MultiplyAdd(y.Slice(start + a * inner, inner), term, d, d);
            }
        }
        System.Buffers.ArrayPool<float>.Shared.Return(rented);
    }

    private static void CheckAxis(string kernel, int length, int outer, int axis, int inner)
    {
        if (outer < 0 || axis < 0 || inner < 1) throw new ArgumentOutOfRangeException(nameof(outer), $"{kernel}: sizes must be non-negative (inner at least 1), got ({outer}, {axis}, {inner}).");
        KernelArguments.Length(kernel, "the input", length, (long)outer * axis * inner);
    }
}
