using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// Columns [start, start + count) of the last axis (a box's x1, a head's class scores): the inverse of
/// <see cref="ConcatOp"/>, on the same block-copy kernel; backward adds the gradient back into that band.
/// </summary>
public sealed class ColumnsOp : Op
{
    private readonly int _start;

    private ColumnsOp(Tensor x, int start) : base([x]) => _start = start;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless the band lies inside the last axis and is not empty.</summary>
    public static Tensor Apply(Tensor x, int start, int count)
    {
        int width = x.Rank == 0 ? 1 : x.Dim(-1);
        if (x.Rank == 0 || start < 0 || count < 1 || start + count > width)
            throw new ArgumentOutOfRangeException(nameof(start), $"Columns {start} to {start + count - 1} are not inside the last axis of a tensor of shape {ShapeText.Of(x.Shape)}.");
        var backend = Backend("Columns", x);
        int rows = x.Length / width;
        int[] shape = x.ShapeArray;
        shape[^1] = count;
        var y = Tensor.Create(shape, x.Device, clear: false);
        backend.CopyBlock(BlockCopy.Columns(rows, count, start, width, 0, count), x.Data, y.Data, accumulate: false);
        return ShouldRecord(x) ? Attach(y, new ColumnsOp(x, start)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        var x = Inputs[0];
        int width = x.Dim(-1), count = dy.Dim(-1), rows = dy.Length / count;
        dy.Backend.CopyBlock(BlockCopy.Columns(rows, count, 0, count, _start, width), dy.Data, GradOf(x), accumulate: true);
    }
}
