namespace Trilobite.Autograd.Ops;

/// <summary>y (N, C) = mean of x (N, H, W, C) over H and W; dx += dy/(H·W).</summary>
public sealed class GlobalAvgPool2DOp : Op
{
    private GlobalAvgPool2DOp(Tensor x) : base([x]) { }

    /// <summary>y (N, C) = mean of x (N, H, W, C) over H and W; throws <see cref="ArgumentException"/> unless x has rank 4.</summary>
    public static Tensor Apply(Tensor x)
    {
        if (x.Rank != 4)
            throw new ArgumentException($"GlobalAveragePooling2D needs an input of shape (N, H, W, C), got {ShapeText.Of(x.Shape)}.");
        int n = x.Dim(0), pixels = x.Dim(1) * x.Dim(2), c = x.Dim(3);
        var y = Tensor.Create([n, c], x.Device, clear: false);
        x.Backend.GlobalAvgPool2DForward(n, pixels, c, x.Data, y.Data);
        return ShouldRecord(x) ? Attach(y, new GlobalAvgPool2DOp(x)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        Tensor x = Inputs[0];
        dy.Backend.GlobalAvgPool2DBackward(x.Dim(0), x.Dim(1) * x.Dim(2), x.Dim(3), dy.Data, GradOf(x));
    }
}
