namespace Trilobite.Autograd.Ops;

/// <summary>Concatenation along the last axis (channels); backward slices dy back into each input.</summary>
public sealed class ConcatOp : Op
{
    private ConcatOp(Tensor[] inputs) : base(inputs) { }

    public static Tensor Apply(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count == 0) throw new ArgumentException("Concatenate needs at least one input.");
        var first = inputs[0];
        int rows = first.Length / Math.Max(1, first.Dim(-1)), width = 0;
        foreach (var t in inputs)
        {
            if (t.Rank != first.Rank || !t.Shape[..^1].SequenceEqual(first.Shape[..^1]))
                throw new ArgumentException($"Concatenate needs inputs that agree on every axis but the last; got {string.Join(" and ", inputs.Select(i => ShapeText.Of(i.Shape)))}.");
            width += t.Dim(-1);
        }
        int[] shape = first.ShapeArray;
        shape[^1] = width;
        var y = Tensor.Create(shape, clear: false);
        Span<float> dst = y.Span;
        int offset = 0;
        foreach (var t in inputs)
        {
            int w = t.Dim(-1);
            ReadOnlySpan<float> src = t.Span;
            for (int r = 0; r < rows; r++) src.Slice(r * w, w).CopyTo(dst.Slice(r * width + offset, w));
            offset += w;
        }
        return ShouldRecord(inputs) ? Attach(y, new ConcatOp([.. inputs])) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        int width = dy.Dim(-1), rows = dy.Length / Math.Max(1, width), offset = 0;
        ReadOnlySpan<float> g = dy.Span;
        foreach (var t in Inputs)
        {
            int w = t.Dim(-1);
            if (t.RequiresGrad)
            {
                Span<float> dx = GradOf(t);
                for (int r = 0; r < rows; r++)
                {
                    Span<float> d = dx.Slice(r * w, w);
                    System.Numerics.Tensors.TensorPrimitives.Add(d, g.Slice(r * width + offset, w), d);
                }
            }
            offset += w;
        }
    }
}
