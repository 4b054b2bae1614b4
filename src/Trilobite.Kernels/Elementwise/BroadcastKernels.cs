namespace Trilobite.Kernels;

/// <summary>
/// Elementwise arithmetic with NumPy broadcasting: shapes are aligned at the right and a dimension of 1 stretches.
/// Same-shape operands, a scalar operand, and an operand that repeats along the other (a bias) run through the
/// operator's vectorised chunk forms; the rest are collapsed into runs (axes merged where both operands are stretched
/// alike) and walk the innermost run with the chunk forms, an operand stretched along it passed as one value.
/// </summary>
public static class BroadcastKernels
{
    /// <summary>Ranks up to this keep their run counters on the stack.</summary>
    private const int StackRank = 16;

    /// <summary>Runs shorter than this are walked one element at a time (a chunk call costs more than a few elements).</summary>
    private const int MinRun = 16;

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
        Span<int> sizes = stackalloc int[StackRank], aStrides = stackalloc int[StackRank], bStrides = stackalloc int[StackRank];
        int runs = Collapse(aShape, bShape, yShape, sizes, aStrides, bStrides);
        if (runs < 0) { Strided(op, a, aShape, b, bShape, y, yShape); return; }
        int length = sizes[runs - 1], aStep = aStrides[runs - 1], bStep = bStrides[runs - 1];
        Span<int> index = stackalloc int[StackRank];
        index.Clear();
        int ai = 0, bi = 0;
        for (int yi = 0; yi < y.Length; yi += length)
        {
            Span<float> run = y.Slice(yi, length);
            if (length < MinRun) for (int j = 0; j < length; j++) run[j] = op.Invoke(a[ai + j * aStep], b[bi + j * bStep]);
            else if (aStep == 1 && bStep == 1) op.Invoke(a.Slice(ai, length), b.Slice(bi, length), run);
            else if (aStep == 1) op.Invoke(a.Slice(ai, length), b[bi], run);
            else if (bStep == 1) op.Invoke(a[ai], b.Slice(bi, length), run);
            else run.Fill(op.Invoke(a[ai], b[bi]));
            Advance(runs - 1, sizes, index, aStrides, bStrides, ref ai, ref bi);
        }
    }

    /// <summary>The general walk, one element at a time, for ranks beyond <see cref="StackRank"/>.</summary>
    private static void Strided<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<int> aShape,
        ReadOnlySpan<float> b, ReadOnlySpan<int> bShape, Span<float> y, ReadOnlySpan<int> yShape) where TOp : struct, IBinaryOperator
    {
        int rank = yShape.Length;
        int[] aStride = new int[rank], bStride = new int[rank], index = new int[rank];
        Strides(aShape, yShape, aStride);
        Strides(bShape, yShape, bStride);
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
        Span<int> sizes = stackalloc int[StackRank], dStrides = stackalloc int[StackRank], gStrides = stackalloc int[StackRank];
        int runs = Collapse(dstShape, gShape, gShape, sizes, dStrides, gStrides);
        if (runs < 0) { StridedSum(g, gShape, dst, dstShape); return; }
        int length = sizes[runs - 1], dStep = dStrides[runs - 1];
        Span<int> index = stackalloc int[StackRank];
        index.Clear();
        int di = 0, gi = 0;
        for (int done = 0; done < g.Length; done += length)
        {
            ReadOnlySpan<float> run = g.Slice(gi, length);
            if (length < MinRun) for (int j = 0; j < length; j++) dst[di + j * dStep] += run[j];
            else if (dStep == 1) System.Numerics.Tensors.TensorPrimitives.Add(dst.Slice(di, length), run, dst.Slice(di, length));
            else dst[di] += System.Numerics.Tensors.TensorPrimitives.Sum(run);
            Advance(runs - 1, sizes, index, dStrides, gStrides, ref di, ref gi);
        }
    }

    /// <summary>The general adjoint walk, one element at a time, for ranks beyond <see cref="StackRank"/>.</summary>
    private static void StridedSum(ReadOnlySpan<float> g, ReadOnlySpan<int> gShape, Span<float> dst, ReadOnlySpan<int> dstShape)
    {
        int rank = gShape.Length;
        int[] stride = new int[rank], index = new int[rank];
        Strides(dstShape, gShape, stride);
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

    /// <summary>
    /// The broadcast as runs: the output's axes with the 1s dropped and neighbours merged where both operands are
    /// stretched alike, so (16, 3024, 10) ∘ (16, 3024, 1) is (48384, 10) with b's stride (1, 0). Writes each run's size
    /// and each operand's stride (0 where it is stretched); returns the number of runs, at least 1, or −1 past <see cref="StackRank"/>.
    /// </summary>
    private static int Collapse(ReadOnlySpan<int> aShape, ReadOnlySpan<int> bShape, ReadOnlySpan<int> yShape, Span<int> sizes, Span<int> aStrides, Span<int> bStrides)
    {
        int rank = yShape.Length;
        if (rank > StackRank) return -1;
        int runs = 0;
        bool aFullBefore = false, bFullBefore = false;
        for (int d = 0; d < rank; d++)
        {
            if (yShape[d] == 1) continue;
            bool aFull = Dim(aShape, d, rank) != 1, bFull = Dim(bShape, d, rank) != 1;
            if (runs > 0 && aFull == aFullBefore && bFull == bFullBefore) sizes[runs - 1] *= yShape[d];
            else { sizes[runs] = yShape[d]; aStrides[runs] = aFull ? 1 : 0; bStrides[runs] = bFull ? 1 : 0; runs++; }
            (aFullBefore, bFullBefore) = (aFull, bFull);
        }
        if (runs == 0) { sizes[0] = 1; aStrides[0] = bStrides[0] = 1; return 1; }
        for (int r = runs - 1, aStride = 1, bStride = 1; r >= 0; r--)   // a run's stride is the size of the later runs the operand spans
        {
            if (aStrides[r] != 0) { aStrides[r] = aStride; aStride *= sizes[r]; }
            if (bStrides[r] != 0) { bStrides[r] = bStride; bStride *= sizes[r]; }
        }
        return runs;
    }

    /// <summary>Steps the run counters below <paramref name="inner"/> (the innermost run is walked by the caller) and both offsets with them.</summary>
    private static void Advance(int inner, ReadOnlySpan<int> sizes, Span<int> index, ReadOnlySpan<int> aStrides, ReadOnlySpan<int> bStrides, ref int ai, ref int bi)
    {
        for (int r = inner - 1; r >= 0; r--)
        {
            index[r]++; ai += aStrides[r]; bi += bStrides[r];
            if (index[r] < sizes[r]) return;
            ai -= aStrides[r] * index[r]; bi -= bStrides[r] * index[r]; index[r] = 0;
        }
    }

    private static int Dim(ReadOnlySpan<int> shape, int d, int rank) => d < rank - shape.Length ? 1 : shape[d - (rank - shape.Length)];

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
