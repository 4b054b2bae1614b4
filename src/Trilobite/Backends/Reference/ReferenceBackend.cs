using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>
/// The Reference device: every kernel as the plain loops of its formula, in double, on one thread — the oracle that the
/// Cpu backend (and any later backend) is tested against, and the device on which gradient checks run with tight
/// tolerances. It shares nothing with the Cpu kernels but the definitions that must be shared to be comparable at all:
/// the geometry structs (shape maths), the operator structs' reference formulas, and the random streams.
/// </summary>
internal sealed partial class ReferenceBackend(Device device) : IBackend
{
    private readonly StoragePool<ReferenceStorage> _pool = new();

    public Device Device { get; } = device;

    private double[] Data(StorageView view) =>
        view.Storage as ReferenceStorage is { } r ? r.Data
            : throw new InvalidOperationException($"The reference backend was given {(view.IsNone ? "no storage" : $"storage of the {view.Storage.Device.Name} device")}; move the tensor with To(Device.Reference).");

    /// <summary>The elements of a view (empty for none).</summary>
    private Span<double> Span(StorageView view) => view.IsNone ? default : Data(view).AsSpan(view.Offset, view.Length);

    // Storage ------------------------------------------------------------------------------------------------------

    public Storage Allocate(int length, bool clear, bool pooled)
    {
        var storage = (pooled ? _pool.TryRent(length) : null) ?? new ReferenceStorage(Device, new double[length]);
        if (clear) Array.Clear(storage.Data);
        return storage;
    }

    public void Release(Storage storage) =>
        _pool.Return(storage as ReferenceStorage ?? throw new InvalidOperationException($"The reference backend cannot release {storage}."));

    public void Trim() => _pool.Clear();

    public void CopyFromHost(ReadOnlySpan<float> source, StorageView destination)
    {
        var d = Span(destination);
        for (int i = 0; i < d.Length; i++) d[i] = source[i];
    }

    public void CopyToHost(StorageView source, Span<float> destination)
    {
        var s = Span(source);
        for (int i = 0; i < s.Length; i++) destination[i] = (float)s[i];
    }

    public void CopyToHost(StorageView source, Span<double> destination) => Span(source).CopyTo(destination);

    public void CopyFromHost(ReadOnlySpan<double> source, StorageView destination) => source[..destination.Length].CopyTo(Span(destination));

    public void Copy(StorageView source, StorageView destination) => Span(source).CopyTo(Span(destination));

    public void CopyBlock(in BlockCopy block, StorageView source, StorageView destination, bool accumulate)
    {
        block.Validate(source.Length, destination.Length);
        Span<double> s = Span(source), d = Span(destination);
        for (int i = 0; i < block.Outer; i++)
            for (int j = 0; j < block.Rows; j++)
                for (int e = 0; e < block.Length; e++)
                {
                    double v = s[block.SourceOffset + i * block.SourceOuterStride + j * block.SourceRowStride + e];
                    ref double target = ref d[block.DestinationOffset + i * block.DestinationOuterStride + j * block.DestinationRowStride + e];
                    target = accumulate ? target + v : v;
                }
    }

    public void Fill(StorageView destination, float value) => Span(destination).Fill(value);

    // Elementwise --------------------------------------------------------------------------------------------------

    public void Map<TOp>(TOp op, StorageView x, StorageView y) where TOp : struct, IUnaryOperator
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int i = 0; i < ys.Length; i++) ys[i] = op.Reference(xs[i]);
    }

    public void MapBackward<TOp>(TOp op, StorageView x, StorageView y, StorageView dy, StorageView dx) where TOp : struct, IUnaryOperator
    {
        Span<double> xs = Span(x), gs = Span(dy), ds = Span(dx);
        for (int i = 0; i < ds.Length; i++) ds[i] += op.ReferenceGradient(xs[i], gs[i]);
    }

    public void Binary<TOp>(TOp op, StorageView a, StorageView b, StorageView y) where TOp : struct, IBinaryOperator
    {
        Span<double> av = Span(a), bv = Span(b), yv = Span(y);
        for (int i = 0; i < yv.Length; i++) yv[i] = op.Reference(av[i], bv[i]);
    }

    public void Broadcast<TOp>(TOp op, StorageView a, ReadOnlySpan<int> aShape, StorageView b, ReadOnlySpan<int> bShape,
        StorageView y, ReadOnlySpan<int> yShape) where TOp : struct, IBinaryOperator
    {
        Span<double> av = Span(a), bv = Span(b), yv = Span(y);
        int[] index = new int[yShape.Length];
        for (int i = 0; i < yv.Length; i++)
        {
            Unravel(i, yShape, index);
            yv[i] = op.Reference(av[BroadcastIndex(index, aShape)], bv[BroadcastIndex(index, bShape)]);
        }
    }

    public void SumToShape(StorageView g, ReadOnlySpan<int> gShape, StorageView dst, ReadOnlySpan<int> dstShape)
    {
        Span<double> gv = Span(g), dv = Span(dst);
        int[] index = new int[gShape.Length];
        for (int i = 0; i < gv.Length; i++)
        {
            Unravel(i, gShape, index);
            dv[BroadcastIndex(index, dstShape)] += gv[i];
        }
    }

    public void MultiplyAdd(StorageView a, StorageView b, StorageView c, StorageView y)
    {
        Span<double> av = Span(a), bv = Span(b), cv = Span(c), yv = Span(y);
        for (int i = 0; i < yv.Length; i++) yv[i] = av[i] * bv[bv.Length == 1 ? 0 : i] + cv[i];
    }

    public void OneHot(StorageView labels, int classes, StorageView destination)
    {
        Span<double> l = Span(labels), d = Span(destination);
        for (int r = 0; r < l.Length; r++)
        {
            if (!(l[r] >= 0 && l[r] < classes))
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {l[r]} at row {r} is outside [0, {classes}).");
            for (int c = 0; c < classes; c++) d[r * classes + c] = c == (int)l[r] ? 1 : 0;
        }
    }

    /// <summary>The multi-index of flat position <paramref name="flat"/> in a row-major array of <paramref name="shape"/>.</summary>
    private static void Unravel(int flat, ReadOnlySpan<int> shape, int[] index)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
    }

    /// <summary>The flat position in an operand of <paramref name="shape"/> (aligned right, size-1 axes pinned to 0) that output index reads.</summary>
    private static int BroadcastIndex(int[] outputIndex, ReadOnlySpan<int> shape)
    {
        int offset = outputIndex.Length - shape.Length, flat = 0;
        for (int d = 0; d < shape.Length; d++) flat = flat * shape[d] + (shape[d] == 1 ? 0 : outputIndex[d + offset]);
        return flat;
    }

    // Reductions ---------------------------------------------------------------------------------------------------

    public void Sum(StorageView x, int outer, int axis, int inner, float scale, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double sum = 0;
                for (int a = 0; a < axis; a++) sum += xs[(o * axis + a) * inner + i];
                ys[o * inner + i] = scale * sum;
            }
    }

    public void SumBackward(StorageView dy, int outer, int axis, int inner, float scale, StorageView dx)
    {
        Span<double> gs = Span(dy), ds = Span(dx);
        for (int o = 0; o < outer; o++)
            for (int a = 0; a < axis; a++)
                for (int i = 0; i < inner; i++) ds[(o * axis + a) * inner + i] += scale * gs[o * inner + i];
    }

    public void ArgMax(StorageView x, int outer, int axis, int inner, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                for (int a = 1; a < axis; a++)
                {
                    double v = xs[(o * axis + a) * inner + i];
                    if (v > xs[(o * axis + best) * inner + i] || double.IsNaN(v)) best = a;   // a NaN wins, as in max pooling
                }
                ys[o * inner + i] = best;
            }
    }
}
