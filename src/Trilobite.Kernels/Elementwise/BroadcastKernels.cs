namespace Trilobite.Kernels;

/// <summary>
/// Elementwise arithmetic with NumPy broadcasting: shapes are aligned at the right and a dimension of 1 stretches.
/// Same-shape operands, a scalar operand, and an operand that repeats along the other (a bias) run through the
/// operator's vectorised chunk forms; the rest walk the output with per-operand strides (0 on stretched axes).
/// </summary>
public static class BroadcastKernels
{
    /// <summary>Ranks up to this keep their stride counters on the stack.</summary>
    private const int StackRank = 16;

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
    public static void Binary<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<int> aShape,
        ReadOnlySpan<float> b, ReadOnlySpan<int> bShape, Span<float> y, ReadOnlySpan<int> yShape) where TOp : struct, IBinaryOperator
    {
        CheckLength(a.Length, aShape, "a");
        CheckLength(b.Length, bShape, "b");
        CheckLength(y.Length, yShape, "y");
        if (!BroadcastsTo(aShape, bShape, yShape))
            throw new ArgumentException($"{op.Name}: the result of broadcasting ({string.Join(", ", aShape.ToArray())}) with ({string.Join(", ", bShape.ToArray())}) is not ({string.Join(", ", yShape.ToArray())}).");
        if (y.IsEmpty) return;
        if (a.Length == y.Length && b.Length == y.Length) { ElementwiseDriver.Binary(op, a, b, y); return; }
        if (b.Length == 1 && a.Length == y.Length) { op.Invoke(a, b[0], y); return; }
        if (a.Length == 1 && b.Length == y.Length) { op.Invoke(a[0], b, y); return; }
        if (a.Length == y.Length && IsTrailingRepeat(bShape, yShape))
        {
            for (int o = 0; o < y.Length; o += b.Length) op.Invoke(a.Slice(o, b.Length), b, y.Slice(o, b.Length));
            return;
        }
        if (b.Length == y.Length && IsTrailingRepeat(aShape, yShape))
        {
            for (int o = 0; o < y.Length; o += a.Length) op.Invoke(a, b.Slice(o, a.Length), y.Slice(o, a.Length));
            return;
        }
        int rank = yShape.Length;
        Span<int> aStride = rank <= StackRank ? stackalloc int[rank] : new int[rank];
        Span<int> bStride = rank <= StackRank ? stackalloc int[rank] : new int[rank];
        Span<int> index = rank <= StackRank ? stackalloc int[rank] : new int[rank];
        Strides(aShape, yShape, aStride);
        Strides(bShape, yShape, bStride);
        index.Clear();
        int ai = 0, bi = 0;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = op.Invoke(a[ai], b[bi]);
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
        CheckLength(g.Length, gShape, "gradient");
        CheckLength(dst.Length, dstShape, "destination");
        if (!BroadcastsTo(gShape, dstShape, gShape))
            throw new ArgumentException($"SumToShape: ({string.Join(", ", dstShape.ToArray())}) does not broadcast to ({string.Join(", ", gShape.ToArray())}).");
        if (g.IsEmpty) return;
        if (dst.Length == g.Length) { ElementwiseDriver.Binary(new AddOperator(), dst, g, dst); return; }
        if (IsTrailingRepeat(dstShape, gShape))
        {
            for (int o = 0; o < g.Length; o += dst.Length) System.Numerics.Tensors.TensorPrimitives.Add(dst, g.Slice(o, dst.Length), dst);
            return;
        }
        int rank = gShape.Length;
        Span<int> stride = rank <= StackRank ? stackalloc int[rank] : new int[rank];
        Span<int> index = rank <= StackRank ? stackalloc int[rank] : new int[rank];
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

    /// <summary>Whether broadcasting <paramref name="a"/> with <paramref name="b"/> gives exactly <paramref name="y"/> (checked in place: no allocation).</summary>
    private static bool BroadcastsTo(ReadOnlySpan<int> a, ReadOnlySpan<int> b, ReadOnlySpan<int> y)
    {
        if (y.Length != Math.Max(a.Length, b.Length)) return false;
        for (int i = 0; i < y.Length; i++)
        {
            int da = i < y.Length - a.Length ? 1 : a[i - (y.Length - a.Length)];
            int db = i < y.Length - b.Length ? 1 : b[i - (y.Length - b.Length)];
            int expected = da == 1 ? db : db == 1 || db == da ? da : -1;
            if (expected != y[i]) return false;
        }
        return true;
    }

    /// <summary>True when <paramref name="small"/> equals the trailing dimensions of <paramref name="full"/> after dropping leading 1s.</summary>
    private static bool IsTrailingRepeat(ReadOnlySpan<int> small, ReadOnlySpan<int> full)
    {
        int s = 0;
        while (s < small.Length && small[s] == 1) s++;
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

    private static void CheckLength(int length, ReadOnlySpan<int> shape, string what)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        if (n != length) throw new ArgumentException($"Broadcast: operand {what} has {length} values but its shape ({string.Join(", ", shape.ToArray())}) holds {n}.");
    }
}
