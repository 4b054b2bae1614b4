using System.Text;

namespace Trilobite;

/// <summary>
/// A float32, contiguous, row-major tensor: a shape over a window of a float buffer. Image batches
/// are NHWC. Tensors created by operations inside a <see cref="TensorScope"/> borrow pooled buffers
/// that return to the pool when the scope ends. Operations record themselves for reverse-mode
/// differentiation when an input <see cref="RequiresGrad"/> (see <see cref="Backward"/>).
/// </summary>
public sealed partial class Tensor
{
    private readonly int[] _shape;
    internal readonly float[] Buffer;
    internal readonly int Offset;

    internal Tensor(int[] shape, float[] buffer, int offset)
    {
        _shape = shape;
        Buffer = buffer;
        Offset = offset;
        Length = ElementCount(shape);
        if ((long)offset + Length > buffer.Length)
            throw new ArgumentException($"A tensor of shape {ShapeText.Of(shape)} needs {Length} elements from offset {offset}, but the buffer holds {buffer.Length}.");
    }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>A copy of the dimensions, for storing or for lambdas.</summary>
    public int[] ShapeArray => (int[])_shape.Clone();

    public int Rank => _shape.Length;

    /// <summary>Number of elements: the product of the dimensions.</summary>
    public int Length { get; }

    /// <summary>Size of one axis; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[NormalizeAxis(axis)];

    /// <summary>The elements, row-major. Writing to it changes the tensor.</summary>
    public Span<float> Span => Buffer.AsSpan(Offset, Length);

    /// <summary>Whether gradients flow to this tensor (true for trainable weights and for results computed from them).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>d(loss)/d(this) after <see cref="Backward"/>; null before. Gradients accumulate across calls until cleared.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>The operation that produced this tensor while recording, or null for a leaf.</summary>
    internal Autograd.Op? Creator { get; set; }

    /// <summary>An optional label used in error messages and summaries.</summary>
    public string? Name { get; set; }

    public float this[params int[] index]
    {
        get => Span[FlatIndex(index)];
        set => Span[FlatIndex(index)] = value;
    }

    /// <summary>A new tensor, owned by the current <see cref="TensorScope"/> if there is one.</summary>
    internal static Tensor Create(int[] shape, bool clear = true)
    {
        int length = ElementCount(shape);
        var scope = TensorScope.Current;
        if (scope == null) return new Tensor(shape, new float[length], 0);
        float[] buffer = BufferPool<float>.Rent(length, clear);
        scope.Own(buffer);
        return new Tensor(shape, buffer, 0);
    }

    /// <summary>A copy with its own storage, outside any scope and without gradient history.</summary>
    public Tensor Clone()
    {
        var copy = new Tensor((int[])_shape.Clone(), Span.ToArray(), 0);
        return copy;
    }

    /// <summary>The elements as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>The same data without gradient history.</summary>
    public Tensor Detach() => new(_shape, Buffer, Offset);

    /// <summary>Sets the gradient to zero (in place, so its buffer is reused next step).</summary>
    public void ZeroGrad() => Grad?.Span.Clear();

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

    /// <summary>Shape and, for tensors of up to 1,000 elements, the values in nested brackets.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeText.Of(_shape));
        if (Length > 1000) return sb.Append(" [").Append(Length).Append(" elements]").ToString();
        sb.Append(' ');
        int pos = 0;
        AppendNested(sb, 0, ref pos);
        return sb.ToString();
    }

    private void AppendNested(StringBuilder sb, int axis, ref int pos)
    {
        if (axis == Rank) { sb.Append(Span[pos++].ToString("G5", System.Globalization.CultureInfo.InvariantCulture)); return; }
        sb.Append('[');
        for (int i = 0; i < _shape[axis]; i++)
        {
            if (i > 0) sb.Append(", ");
            AppendNested(sb, axis + 1, ref pos);
        }
        sb.Append(']');
    }
}
