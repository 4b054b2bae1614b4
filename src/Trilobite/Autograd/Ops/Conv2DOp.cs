using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// y (N, OH, OW, OC) = conv(x (N, H, W, C), w (KH, KW, C, OC)) + b (OC): fused with the bias and,
/// optionally, with a ReLU (y = max(conv + b, 0): one pass and one buffer fewer).
/// Backward: dy masked by y &gt; 0 when fused; dx via the transposed convolution, dw = unfold(x)ᵀ·dy, db = Σ dy.
/// </summary>
public sealed class Conv2DOp : Op
{
    private readonly Conv2DGeometry _geometry;
    private readonly bool _relu;

    private Conv2DOp(Tensor x, Tensor w, Tensor? b, Conv2DGeometry g, bool relu) : base(b == null ? [x, w] : [x, w, b]) =>
        (_geometry, _relu) = (g, relu);

    /// <summary>Convolves x (N, H, W, C) with w (KH, KW, C, OC), adds b (OC) when given and applies a ReLU when <paramref name="relu"/>; throws <see cref="ArgumentException"/> for mismatched shapes.</summary>
    public static Tensor Apply(Tensor x, Tensor w, Tensor? b, (int H, int W) strides, Padding padding, (int H, int W) dilation, bool relu = false)
    {
        if (x.Rank != 4 || w.Rank != 4 || x.Dim(3) != w.Dim(2))
            throw new ArgumentException($"Conv2D needs input (N, H, W, C) and weights (KH, KW, C, OC) with matching C; got input {ShapeText.Of(x.Shape)} and weights {ShapeText.Of(w.Shape)}.");
        if (b != null && (b.Rank != 1 || b.Dim(0) != w.Dim(3)))
            throw new ArgumentException($"Conv2D bias must have shape ({w.Dim(3)},), got {ShapeText.Of(b.Shape)}.");
        var backend = Backend("Conv2D", x, w, b);
        var g = Conv2DGeometry.Create(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), w.Dim(0), w.Dim(1), w.Dim(3),
            strides.H, strides.W, padding == Padding.Same, dilation.H, dilation.W);
        var y = Tensor.Create([g.Batch, g.OutHeight, g.OutWidth, g.OutChannels], x.Device, clear: false);
        backend.Conv2DForward(g, x.Data, w.Data, b?.Data ?? default, y.Data, relu);
        return ShouldRecord(x, w, b) ? Attach(y, new Conv2DOp(x, w, b, g, relu)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        var backend = dy.Backend;
        if (_relu)
        {
            // Through the fused ReLU: dy where the output is positive, zero where it was clipped.
            var masked = Tensor.Create(dy.ShapeArray, dy.Device, clear: true);
            backend.MapBackward(new ReluOperator(), Output.Data, Output.Data, dy.Data, masked.Data);
            dy = masked;
        }
        Tensor x = Inputs[0], w = Inputs[1];
        Tensor? b = Inputs.Length > 2 ? Inputs[2] : null;
        if (x.RequiresGrad) backend.Conv2DBackwardData(_geometry, dy.Data, w.Data, GradOf(x));
        if (w.RequiresGrad || (b?.RequiresGrad ?? false))
            backend.Conv2DBackwardWeights(_geometry, x.Data, dy.Data, GradOrNone(w), GradOrNone(b));
    }
}
