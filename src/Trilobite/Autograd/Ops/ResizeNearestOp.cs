using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// (N, H, W, C) resized to (N, OH, OW, C) by nearest neighbour, PyTorch's <c>interpolate(size=…, mode="nearest")</c>: the
/// feature pyramid's top-down step when a level is not exactly twice the next (odd sizes). Backward adds each output
/// pixel's gradient onto the input pixel it took.
/// </summary>
public sealed class ResizeNearestOp : Op
{
    private readonly ResizeGeometry _geometry;

    private ResizeNearestOp(Tensor x, ResizeGeometry g) : base([x]) => _geometry = g;

    /// <summary>Throws <see cref="ArgumentException"/> unless x has rank 4 and the sizes are positive.</summary>
    public static Tensor Apply(Tensor x, int height, int width)
    {
        if (x.Rank != 4) throw new ArgumentException($"A nearest resize needs (N, H, W, C), got {ShapeText.Of(x.Shape)}.");
        var g = ResizeGeometry.Create(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), height, width);
        var y = Tensor.Create([g.Batch, g.OutHeight, g.OutWidth, g.Channels], x.Device, clear: false);
        Backend("ResizeNearest", x).ResizeNearest(g, x.Data, y.Data);
        return ShouldRecord(x) ? Attach(y, new ResizeNearestOp(x, g)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) => dy.Backend.ResizeNearestBackward(_geometry, dy.Data, GradOf(Inputs[0]));
}
