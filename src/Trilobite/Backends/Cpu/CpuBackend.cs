using System.Numerics.Tensors;
using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>
/// The Cpu device: Trilobite's SIMD, threaded kernels (<c>Trilobite.Kernels</c>) over float arrays. Every method here is
/// an adapter from storage views to spans and one kernel call; the maths lives in the kernels. Split by op family
/// into partial files.
/// </summary>
internal sealed partial class CpuBackend(Device device) : IBackend
{
    private readonly StoragePool<CpuStorage> _values = new();
    private readonly StoragePool<CpuIndexStorage> _indices = new();

    public Device Device { get; } = device;

    /// <summary>The floats of a view of this device's storage (empty for none).</summary>
    internal Span<float> Span(StorageView view)
    {
        if (view.IsNone) return default;
        return view.Storage is CpuStorage cpu ? cpu.Data.AsSpan(view.Offset, view.Length) : throw WrongDevice(view.Storage);
    }

    private InvalidOperationException WrongDevice(Storage storage) =>
        new($"The {Device.Name} backend was given storage of the {storage.Device.Name} device; move the tensor with To(Device.{Device.Name}).");

    private static int[] Indices(Storage? saved, string op) =>
        saved is CpuIndexStorage indices ? indices.Data : throw new InvalidOperationException($"{op}: the forward pass kept no indices for backward.");

    private double[] Accumulators(Storage storage) =>
        storage is CpuAccumulators a ? a.Data : throw WrongDevice(storage);

    // Storage ------------------------------------------------------------------------------------------------------

    public Storage Allocate(int length, bool clear, bool pooled)
    {
        if (!pooled) return new CpuStorage(Device, clear ? new float[length] : GC.AllocateUninitializedArray<float>(length));
        var storage = _values.TryRent(length) ?? new CpuStorage(Device, GC.AllocateUninitializedArray<float>(length));
        if (clear) Array.Clear(storage.Data);
        return storage;
    }

    public void Release(Storage storage)
    {
        switch (storage)
        {
            case CpuStorage values: _values.Return(values); break;
            case CpuIndexStorage indices: _indices.Return(indices); break;
            default: throw WrongDevice(storage);
        }
    }

    public void Trim()
    {
        _values.Clear();
        _indices.Clear();
    }

    public void CopyFromHost(ReadOnlySpan<float> source, StorageView destination) => source.CopyTo(Span(destination));

    public void CopyToHost(StorageView source, Span<float> destination) => Span(source).CopyTo(destination);

    public void CopyToHost(StorageView source, Span<double> destination)
    {
        var s = Span(source);
        for (int i = 0; i < s.Length; i++) destination[i] = s[i];
    }

    public void CopyFromHost(ReadOnlySpan<double> source, StorageView destination)
    {
        var d = Span(destination);
        for (int i = 0; i < d.Length; i++) d[i] = (float)source[i];
    }

    public void Copy(StorageView source, StorageView destination) => Span(source).CopyTo(Span(destination));

    public void CopyBlock(in BlockCopy block, StorageView source, StorageView destination, bool accumulate) =>
        BlockCopy.Run(block, Span(source), Span(destination), accumulate);

    public void Fill(StorageView destination, float value) => Span(destination).Fill(value);

    // Elementwise --------------------------------------------------------------------------------------------------

    public void Map<TOp>(TOp op, StorageView x, StorageView y) where TOp : struct, IUnaryOperator =>
        ElementwiseDriver.Forward(op, Span(x), Span(y));

    public void MapBackward<TOp>(TOp op, StorageView x, StorageView y, StorageView dy, StorageView dx) where TOp : struct, IUnaryOperator =>
        ElementwiseDriver.Backward(op, Span(x), Span(y), Span(dy), Span(dx));

    public void Binary<TOp>(TOp op, StorageView a, StorageView b, StorageView y) where TOp : struct, IBinaryOperator =>
        ElementwiseDriver.Binary(op, Span(a), Span(b), Span(y));

    public void Broadcast<TOp>(TOp op, StorageView a, ReadOnlySpan<int> aShape, StorageView b, ReadOnlySpan<int> bShape,
        StorageView y, ReadOnlySpan<int> yShape) where TOp : struct, IBinaryOperator =>
        BroadcastKernels.Binary(op, Span(a), aShape, Span(b), bShape, Span(y), yShape);

    public void SumToShape(StorageView g, ReadOnlySpan<int> gShape, StorageView dst, ReadOnlySpan<int> dstShape) =>
        BroadcastKernels.SumToShape(Span(g), gShape, Span(dst), dstShape);

    public void MultiplyAdd(StorageView a, StorageView b, StorageView c, StorageView y)
    {
        if (b.Length == 1 && a.Length != 1) TensorPrimitives.MultiplyAdd(Span(a), Span(b)[0], Span(c), Span(y));
        else TensorPrimitives.MultiplyAdd(Span(a), Span(b), Span(c), Span(y));
    }

    public void OneHot(StorageView labels, int classes, StorageView destination) => OneHotKernels.OneHot(Span(labels), classes, Span(destination));

    // Reductions ---------------------------------------------------------------------------------------------------

    public void Sum(StorageView x, int outer, int axis, int inner, float scale, StorageView y)
    {
        var ys = Span(y);
        ReduceKernels.Sum(Span(x), outer, axis, inner, ys);
        if (scale != 1f) TensorPrimitives.Multiply(ys, scale, ys);
    }

    public void SumBackward(StorageView dy, int outer, int axis, int inner, float scale, StorageView dx) =>
        ReduceKernels.SumBackward(Span(dy), outer, axis, inner, scale, Span(dx));

    public void ArgMax(StorageView x, int outer, int axis, int inner, StorageView y) => ReduceKernels.ArgMax(Span(x), outer, axis, inner, Span(y));
}
