using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>The four arithmetic operators that broadcast.</summary>
public enum BinaryOperator { Add, Subtract, Multiply, Divide }

/// <summary>
/// Elementwise arithmetic with NumPy broadcasting: shapes are aligned at the right and a
/// dimension of 1 stretches. Same-shape and "b repeats along a" cases run through
/// TensorPrimitives; the rest walk the output with per-operand strides (0 on stretched axes).
/// </summary>
public static class BroadcastKernels
{
    /// <summary>The broadcast shape of a and b; throws naming both when they are incompatible.</summary>
    public static int[] ResultShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"Shapes ({string.Join(", ", a.ToArray())}) and ({string.Join(", ", b.ToArray())}) cannot be broadcast together.");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>y = a ∘ b with broadcasting; y has <paramref name="yShape"/> = ResultShape(aShape, bShape).</summary>
    public static void Binary(BinaryOperator op, ReadOnlySpan<float> a, ReadOnlySpan<int> aShape,
        ReadOnlySpan<float> b, ReadOnlySpan<int> bShape, Span<float> y, ReadOnlySpan<int> yShape)
    {
        if (a.Length == y.Length && b.Length == y.Length)
        {
            ElementwiseSplit.Run(a, b, y, op switch
            {
                BinaryOperator.Add => TensorPrimitives.Add,
                BinaryOperator.Subtract => TensorPrimitives.Subtract,
                BinaryOperator.Multiply => TensorPrimitives.Multiply,
                _ => TensorPrimitives.Divide,
            });
            return;
        }
        if (a.Length == y.Length && IsTrailingRepeat(bShape, yShape))
        {
            for (int o = 0; o < y.Length; o += b.Length) Apply(op, a.Slice(o, b.Length), b, y.Slice(o, b.Length));
            return;
        }
        if (b.Length == 1 && a.Length == y.Length) { ApplyScalar(op, a, b[0], y); return; }
        int rank = yShape.Length;
        Span<int> aStride = stackalloc int[rank], bStride = stackalloc int[rank], index = stackalloc int[rank];
        Strides(aShape, yShape, aStride);
        Strides(bShape, yShape, bStride);
        index.Clear();
        int ai = 0, bi = 0;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = Scalar(op, a[ai], b[bi]);
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++; ai += aStride[d]; bi += bStride[d];
                if (index[d] < yShape[d]) break;
                ai -= aStride[d] * index[d]; bi -= bStride[d] * index[d]; index[d] = 0;
            }
        }
    }

    /// <summary>dst (dstShape) += g (gShape) summed over the axes that broadcasting stretched: the adjoint of broadcasting.</summary>
    public static void SumToShape(ReadOnlySpan<float> g, ReadOnlySpan<int> gShape, Span<float> dst, ReadOnlySpan<int> dstShape)
    {
        if (dst.Length == g.Length) { ElementwiseSplit.Run(dst, g, dst, TensorPrimitives.Add); return; }
        if (IsTrailingRepeat(dstShape, gShape))
        {
            for (int o = 0; o < g.Length; o += dst.Length) TensorPrimitives.Add(dst, g.Slice(o, dst.Length), dst);
            return;
        }
        int rank = gShape.Length;
        Span<int> stride = stackalloc int[rank], index = stackalloc int[rank];
        Strides(dstShape, gShape, stride);
        index.Clear();
        int di = 0;
        for (int i = 0; i < g.Length; i++)
        {
            dst[di] += g[i];
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++; di += stride[d];
                if (index[d] < gShape[d]) break;
                di -= stride[d] * index[d]; index[d] = 0;
            }
        }
    }

    /// <summary>True when <paramref name="small"/> equals the trailing dimensions of <paramref name="full"/> after dropping leading 1s.</summary>
    private static bool IsTrailingRepeat(ReadOnlySpan<int> small, ReadOnlySpan<int> full)
    {
        int s = 0;
        while (s < small.Length && small[s] == 1 && small.Length - s > 0) s++;
        ReadOnlySpan<int> core = small[s..];
        if (core.Length > full.Length) return false;
        return core.SequenceEqual(full[(full.Length - core.Length)..]);
    }

    private static void Strides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape, Span<int> strides)
    {
        int offset = outShape.Length - shape.Length, stride = 1;
        for (int d = outShape.Length - 1; d >= 0; d--)
        {
            int size = d < offset ? 1 : shape[d - offset];
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
    }

    private static void Apply(BinaryOperator op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOperator.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOperator.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOperator.Multiply: TensorPrimitives.Multiply(a, b, y); break;
            default: TensorPrimitives.Divide(a, b, y); break;
        }
    }

    private static void ApplyScalar(BinaryOperator op, ReadOnlySpan<float> a, float b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOperator.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOperator.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOperator.Multiply: TensorPrimitives.Multiply(a, b, y); break;
            default: TensorPrimitives.Divide(a, b, y); break;
        }
    }

    private static float Scalar(BinaryOperator op, float a, float b) => op switch
    {
        BinaryOperator.Add => a + b,
        BinaryOperator.Subtract => a - b,
        BinaryOperator.Multiply => a * b,
        _ => a / b,
    };
}
