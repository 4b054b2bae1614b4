using System.Text;
using Trilobite.Backends;

namespace Trilobite;

/// <summary>
/// A float32, contiguous, row-major tensor: a shape over a window of one device's <see cref="Storage"/>. Image batches
/// are NHWC. Host access is explicit: <see cref="ToArray"/> copies the values out from any device, and <see cref="Span"/>
/// exposes them in place for tensors on <see cref="Trilobite.Device.Cpu"/>. Operations run on their operands' device
/// (mixing devices in one operation is an error naming both); those inside a <see cref="TensorScope"/> borrow pooled
/// storage that goes back to the device's pool when the scope ends. Operations record themselves for reverse-mode
/// differentiation when an input <see cref="RequiresGrad"/> (see <see cref="Backward"/>).
/// </summary>
public sealed partial class Tensor
{
    private readonly int[] _shape;
    internal readonly Storage Storage;
    internal readonly int Offset;

    internal Tensor(int[] shape, Storage storage, int offset)
    {
        _shape = shape;
        Storage = storage;
        Offset = offset;
        Length = ElementCount(shape);
        if ((long)offset + Length > storage.Length)
            throw new ArgumentException($"A tensor of shape {ShapeText.Of(shape)} needs {Length} elements from offset {offset}, but the storage holds {storage.Length}.");
    }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>A copy of the dimensions, for storing or for lambdas.</summary>
    public int[] ShapeArray => (int[])_shape.Clone();

    /// <summary>Number of dimensions: 0 for a scalar, 4 for an NHWC batch.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements: the product of the dimensions.</summary>
    public int Length { get; }

    /// <summary>Size of one axis; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[NormalizeAxis(axis)];

    /// <summary>The device whose memory holds the values and whose backend computes on them.</summary>
    public Device Device => Storage.Device;

    internal IBackend Backend => Storage.Device.Backend;

    /// <summary>The tensor's elements as a backend operand.</summary>
    internal StorageView Data => new(Storage, Offset, Length);

    /// <summary>
    /// The elements, row-major, in place: writing to it changes the tensor. Only for tensors on <see cref="Trilobite.Device.Cpu"/>
    /// (host memory); elsewhere use <see cref="ToArray"/> or <see cref="To"/>(Device.Cpu).
    /// </summary>
    public Span<float> Span => Storage is CpuStorage cpu ? cpu.Data.AsSpan(Offset, Length)
        : throw new InvalidOperationException($"Span is only for tensors in host memory (device cpu); this {ShapeText.Of(_shape)} tensor is on {Device}. Use ToArray(), or To(Device.Cpu).");

    /// <summary>Whether gradients flow to this tensor (true for trainable weights and for results computed from them).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>d(loss)/d(this) after <see cref="Backward"/>; null before. Gradients accumulate across calls until cleared.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>The operation that produced this tensor while recording, or null for a leaf.</summary>
    internal Autograd.Op? Creator { get; set; }

    /// <summary>An optional label used in error messages and summaries.</summary>
    public string? Name { get; set; }

    /// <summary>One element (a copy to or from the device when it is not the host).</summary>
    public float this[params int[] index]
    {
        get
        {
            int flat = FlatIndex(index);
            if (Storage is CpuStorage cpu) return cpu.Data[Offset + flat];
            Span<float> one = stackalloc float[1];
            Backend.CopyToHost(Data.Slice(flat, 1), one);
            return one[0];
        }
        set
        {
            int flat = FlatIndex(index);
            if (Storage is CpuStorage cpu) { cpu.Data[Offset + flat] = value; return; }
            Backend.CopyFromHost(new ReadOnlySpan<float>(in value), Data.Slice(flat, 1));
        }
    }

    /// <summary>A new tensor on <paramref name="device"/>, owned by the current <see cref="TensorScope"/> if there is one.</summary>
    internal static Tensor Create(int[] shape, Device device, bool clear = true)
    {
        int length = ElementCount(shape);
        var scope = TensorScope.Current;
        var storage = device.Backend.Allocate(length, clear, pooled: scope != null);
        scope?.Own(storage);
        return new Tensor(shape, storage, 0);
    }

    /// <summary>A copy with its own storage on the same device, outside any scope and without gradient history.</summary>
    public Tensor Clone()
    {
        var copy = new Tensor((int[])_shape.Clone(), Device.Backend.Allocate(Length, clear: false, pooled: false), 0);
        Backend.Copy(Data, copy.Data);
        return copy;
    }

    /// <summary>
    /// This tensor's values on <paramref name="device"/>: itself when it is already there, else a copy (owned by the current
    /// scope, if any). Not recorded for autograd: move inputs and weights before computing, as a model's Fit does.
    /// </summary>
    public Tensor To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device == Device ? this : CopyTo(device, pooled: TensorScope.Current != null);
    }

    /// <summary>A copy on <paramref name="device"/>: scope-owned when <paramref name="pooled"/>, else owned by the garbage collector.</summary>
    internal Tensor CopyTo(Device device, bool pooled)
    {
        var moved = pooled ? Create(ShapeArray, device, clear: false) : new Tensor(ShapeArray, device.Backend.Allocate(Length, clear: false, pooled: false), 0);
        if (device == Device) Backend.Copy(Data, moved.Data);
        else if (Storage is CpuStorage) device.Backend.CopyFromHost(Span, moved.Data);
        else if (device == Trilobite.Device.Cpu) Backend.CopyToHost(Data, moved.Span);
        else device.Backend.CopyFromHost(ToArray(), moved.Data);
        return moved;
    }

    /// <summary>The elements as a new array (a copy from the device).</summary>
    public float[] ToArray()
    {
        var values = new float[Length];
        Backend.CopyToHost(Data, values);
        return values;
    }

    /// <summary>The elements at the device's own precision (double on the Reference device), for exact comparisons.</summary>
    public double[] ToDoubleArray()
    {
        var values = new double[Length];
        Backend.CopyToHost(Data, values);
        return values;
    }

    /// <summary>Overwrites the elements from doubles (rounded to float except on the Reference device).</summary>
    internal void CopyFrom(ReadOnlySpan<double> values) => Backend.CopyFromHost(values, Data);

    /// <summary>Element <paramref name="flat"/> (row-major) at the device's precision.</summary>
    internal double GetDouble(int flat)
    {
        Span<double> one = stackalloc double[1];
        Backend.CopyToHost(Data.Slice(flat, 1), one);
        return one[0];
    }

    /// <summary>Sets element <paramref name="flat"/> from a double (exact on the Reference device).</summary>
    internal void SetDouble(int flat, double value) => Backend.CopyFromHost(new ReadOnlySpan<double>(in value), Data.Slice(flat, 1));

    /// <summary>The same data without gradient history.</summary>
    public Tensor Detach() => new(_shape, Storage, Offset);

    /// <summary>Sets the gradient to zero (in place, so its storage is reused next step).</summary>
    public void ZeroGrad()
    {
        if (Grad != null) Grad.Backend.Fill(Grad.Data, 0f);
    }

    internal int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if ((uint)a >= (uint)Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for a tensor of shape {ShapeText.Of(_shape)}.");
        return a;
    }

    internal static int ElementCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Negative dimension in shape {ShapeText.Of(shape)}.");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException($"Shape {ShapeText.Of(shape)} has more elements than an array can hold.");
        }
        return (int)n;
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != Rank) throw new ArgumentException($"Index of rank {index.Length} used on a tensor of shape {ShapeText.Of(_shape)}.");
        int flat = 0;
        for (int d = 0; d < Rank; d++)
        {
            if ((uint)index[d] >= (uint)_shape[d]) throw new IndexOutOfRangeException($"Index {index[d]} out of range for axis {d} of shape {ShapeText.Of(_shape)}.");
            flat = flat * _shape[d] + index[d];
        }
        return flat;
    }

    /// <summary>Shape, device when not the host, and, for tensors of up to 1,000 elements, the values in nested brackets.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeText.Of(_shape));
        if (Device != Trilobite.Device.Cpu) sb.Append(" on ").Append(Device.Name);
        if (Length > 1000) return sb.Append(" [").Append(Length).Append(" elements]").ToString();
        sb.Append(' ');
        int pos = 0;
        var values = ToArray();
        AppendNested(sb, values, 0, ref pos);
        return sb.ToString();
    }

    private void AppendNested(StringBuilder sb, float[] values, int axis, ref int pos)
    {
        if (axis == Rank) { sb.Append(values[pos++].ToString("G5", System.Globalization.CultureInfo.InvariantCulture)); return; }
        sb.Append('[');
        for (int i = 0; i < _shape[axis]; i++)
        {
            if (i > 0) sb.Append(", ");
            AppendNested(sb, values, axis + 1, ref pos);
        }
        sb.Append(']');
    }
}
