using Trilobite.Backends;
using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>Max pooling over NHWC windows; the backend keeps what it needs to send dy to each window's winner.</summary>
public sealed class MaxPool2DOp : Op
{
    private readonly Conv2DGeometry _geometry;
    private readonly Storage? _saved;

    private MaxPool2DOp(Tensor x, Conv2DGeometry g, Storage? saved) : base([x]) => (_geometry, _saved) = (g, saved);

    /// <summary>Max of x (N, H, W, C) over pool windows at the given strides and padding; what backward needs is kept only when the op is recorded. Throws <see cref="ArgumentException"/> unless x has rank 4 and the window fits.</summary>
    public static Tensor Apply(Tensor x, (int H, int W) pool, (int H, int W) strides, Padding padding, (int Top, int Bottom, int Left, int Right)? pads = null)
    {
        var g = PoolGeometry.Create(x, pool, strides, padding, "MaxPooling2D", pads);
        var y = Tensor.Create([g.Batch, g.OutHeight, g.OutWidth, g.OutChannels], x.Device, clear: false);
        bool record = ShouldRecord(x);
        var saved = x.Backend.MaxPool2DForward(g, x.Data, y.Data, forBackward: record);
        TensorScope.Adopt(saved);
        return record ? Attach(y, new MaxPool2DOp(x, g, saved)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) =>
        dy.Backend.MaxPool2DBackward(_geometry, Inputs[0].Data, Output.Data, dy.Data, _saved, GradOf(Inputs[0]));
}
