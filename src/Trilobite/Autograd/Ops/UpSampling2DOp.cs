using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>Nearest-neighbour upsampling of (N, H, W, C) by (sh, sw): each pixel becomes an sh × sw block; backward sums each block's dy.</summary>
public sealed class UpSampling2DOp : Op
{
    private readonly UpSampling2DGeometry _geometry;

    private UpSampling2DOp(Tensor x, UpSampling2DGeometry g) : base([x]) => _geometry = g;

    /// <summary>x (N, H, W, C) upsampled to (N, H·sh, W·sw, C); throws <see cref="ArgumentException"/> unless x has rank 4 and the factors are positive.</summary>
    public static Tensor Apply(Tensor x, int scaleHeight, int scaleWidth)
    {
        if (x.Rank != 4) throw new ArgumentException($"UpSampling2D needs (N, H, W, C), got {ShapeText.Of(x.Shape)}.");
        var g = UpSampling2DGeometry.Create(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), scaleHeight, scaleWidth);
        var y = Tensor.Create([g.Batch, g.OutHeight, g.OutWidth, g.Channels], x.Device, clear: false);
        x.Backend.UpSampleNearest(g, x.Data, y.Data);
        return ShouldRecord(x) ? Attach(y, new UpSampling2DOp(x, g)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) => dy.Backend.UpSampleNearestBackward(_geometry, dy.Data, GradOf(Inputs[0]));
}
