using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>Concatenation along the last axis (channels): each input's rows land in a column band of the output; backward adds the bands back.</summary>
public sealed class ConcatOp : Op
{
    private ConcatOp(Tensor[] inputs) : base(inputs) { }

    /// <summary>Concatenates <paramref name="inputs"/> along the last axis; throws <see cref="ArgumentException"/> for none, or for inputs that differ on another axis.</summary>
    public static Tensor Apply(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count == 0) throw new ArgumentException("Concatenate needs at least one input.");
        var backend = Backend("Concatenate", inputs);
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
        var y = Tensor.Create(shape, first.Device, clear: false);
        int offset = 0;
        foreach (var t in inputs)
        {
            backend.CopyBlock(BlockCopy.Columns(rows, t.Dim(-1), 0, t.Dim(-1), offset, width), t.Data, y.Data, accumulate: false);
            offset += t.Dim(-1);
        }
        return ShouldRecord(inputs) ? Attach(y, new ConcatOp([.. inputs])) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        int width = dy.Dim(-1), rows = dy.Length / Math.Max(1, width), offset = 0;
        foreach (var t in Inputs)
        {
            int w = t.Dim(-1);
            if (t.RequiresGrad) dy.Backend.CopyBlock(BlockCopy.Columns(rows, w, offset, width, 0, w), dy.Data, GradOf(t), accumulate: true);
            offset += w;
        }
    }
}
