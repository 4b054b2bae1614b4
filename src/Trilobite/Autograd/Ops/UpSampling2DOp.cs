using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// Upsampling of (N, H, W, C) by (sh, sw): nearest neighbour (each pixel becomes an sh × sw block; backward sums each
/// block's dy) or bilinear with half-pixel centres (backward spreads dy back with the same weights).
/// </summary>
public sealed class UpSampling2DOp : Op
{
    private readonly UpSampling2DGeometry _geometry;
    private readonly bool _bilinear;

    private UpSampling2DOp(Tensor x, UpSampling2DGeometry g, bool bilinear) : base([x]) => (_geometry, _bilinear) = (g, bilinear);

    /// <summary>x (N, H, W, C) upsampled to (N, H·sh, W·sw, C); throws <see cref="ArgumentException"/> unless x has rank 4 and the factors are positive.</summary>
    public static Tensor Apply(Tensor x, int scaleHeight, int scaleWidth, bool bilinear = false)
    {
        if (x.Rank != 4) throw new ArgumentException($"UpSampling2D needs (N, H, W, C), got {ShapeText.Of(x.Shape)}.");
        var g = UpSampling2DGeometry.Create(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), scaleHeight, scaleWidth);
        var y = Tensor.Create([g.Batch, g.OutHeight, g.OutWidth, g.Channels], x.Device, clear: false);
        if (bilinear) x.Backend.UpSampleBilinear(g, x.Data, y.Data);
        else x.Backend.UpSampleNearest(g, x.Data, y.Data);
        return ShouldRecord(x) ? Attach(y, new UpSampling2DOp(x, g, bilinear)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        if (_bilinear) dy.Backend.UpSampleBilinearBackward(_geometry, dy.Data, GradOf(Inputs[0]));
        else dy.Backend.UpSampleNearestBackward(_geometry, dy.Data, GradOf(Inputs[0]));
    }
}
