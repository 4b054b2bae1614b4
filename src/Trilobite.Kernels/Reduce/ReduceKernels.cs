using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// Reductions along one axis of a tensor viewed as (outer, axis, inner): y (outer, inner).
/// Several axes are reduced by calling these repeatedly.
/// </summary>
public static class ReduceKernels
{
    /// <summary>y[o, i] = Σ_a x[o, a, i].</summary>
    public static void Sum(ReadOnlySpan<float> x, int outer, int axis, int inner, Span<float> y)
    {
        for (int o = 0; o < outer; o++)
        {
            Span<float> dst = y.Slice(o * inner, inner);
            dst.Clear();
            for (int a = 0; a < axis; a++) TensorPrimitives.Add(dst, x.Slice((o * axis + a) * inner, inner), dst);
        }
    }

    /// <summary>y[o, i] = max_a x[o, a, i]; argmax[o, i] = the winning a (first on ties).</summary>
    public static void Max(ReadOnlySpan<float> x, int outer, int axis, int inner, Span<float> y, Span<int> argmax)
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                argmax[o * inner + i] = Best(x, o * axis * inner + i, axis, inner, out y[o * inner + i]);
    }

    /// <summary>The a of the largest x[start + a·inner] (the first on ties; the last NaN, if any), and that value.</summary>
    private static int Best(ReadOnlySpan<float> x, int start, int axis, int inner, out float value)
    {
        int best = 0;
        value = x[start];
        for (int a = 1; a < axis; a++)
        {
            float v = x[start + a * inner];
            if (v > value || float.IsNaN(v)) { value = v; best = a; }
        }
        return best;
    }

    /// <summary>y[o, i] = the a of the largest x[o, a, i] (the first on ties; the last NaN, if any, as in <see cref="Max"/>), as a float: class indices on the device.</summary>
    public static void ArgMax(ReadOnlySpan<float> x, int outer, int axis, int inner, Span<float> y)
    {
        if (outer < 0 || axis < 1 || inner < 0) throw new ArgumentOutOfRangeException(nameof(axis), $"ArgMax: the axis needs at least one value, got sizes ({outer}, {axis}, {inner}).");
        KernelArguments.Length(nameof(ArgMax), "the input", x.Length, (long)outer * axis * inner);
        KernelArguments.Length(nameof(ArgMax), "the output", y.Length, (long)outer * inner);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                y[o * inner + i] = Best(x, o * axis * inner + i, axis, inner, out _);
    }

    /// <summary>dx[o, a, i] += dy[o, i] for every a: the adjoint of <see cref="Sum"/>.</summary>
    public static void SumBackward(ReadOnlySpan<float> dy, int outer, int axis, int inner, float scale, Span<float> dx)
    {
        if (inner == 1)   // a sum over the last axis: each dy value spreads over one contiguous row
        {
            for (int o = 0; o < outer; o++)
            {
                Span<float> row = dx.Slice(o * axis, axis);
                TensorPrimitives.Add(row, dy[o] * scale, row);
            }
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<float> g = dy.Slice(o * inner, inner);
            for (int a = 0; a < axis; a++)
            {
                Span<float> d = dx.Slice((o * axis + a) * inner, inner);
                TensorPrimitives.MultiplyAdd(g, scale, d, d);
            }
        }
    }
}
