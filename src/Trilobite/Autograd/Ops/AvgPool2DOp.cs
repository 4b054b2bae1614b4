using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>Average pooling over NHWC windows (padding not counted); dy is shared evenly back over each window.</summary>
public sealed class AvgPool2DOp : Op
{
    private readonly Conv2DGeometry _geometry;

    private AvgPool2DOp(Tensor x, Conv2DGeometry g) : base([x]) => _geometry = g;

    /// <summary>Averages x (N, H, W, C) over pool windows at the given strides, 'same' or 'valid' as Keras pads; throws <see cref="ArgumentException"/> unless x has rank 4 and the window fits.</summary>
    public static Tensor Apply(Tensor x, (int H, int W) pool, (int H, int W) strides, Padding padding, (int Top, int Bottom, int Left, int Right)? pads = null)
    {
        var g = PoolGeometry.Create(x, pool, strides, padding, "AveragePooling2D", pads);
        var y = Tensor.Create([g.Batch, g.OutHeight, g.OutWidth, g.OutChannels], x.Device, clear: false);
        x.Backend.AvgPool2DForward(g, x.Data, y.Data);
        return ShouldRecord(x) ? Attach(y, new AvgPool2DOp(x, g)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) => dy.Backend.AvgPool2DBackward(_geometry, dy.Data, GradOf(Inputs[0]));
}
