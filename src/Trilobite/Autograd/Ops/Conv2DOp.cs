using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// y (N, OH, OW, OC) = conv(x (N, H, W, C), w (KH, KW, C, OC)) + b (OC): fused with the bias and,
/// optionally, with a ReLU (y = max(conv + b, 0), computed in place: one pass and one buffer fewer).
/// Backward: dy masked by y &gt; 0 when fused; dx via the transposed convolution, dw = unfold(x)ᵀ·dy, db = Σ dy.
/// </summary>
public sealed class Conv2DOp : Op
{
    private readonly Conv2DGeometry _geometry;
    private readonly bool _relu;

    private Conv2DOp(Tensor x, Tensor w, Tensor? b, Conv2DGeometry g, bool relu) : base(b == null ? [x, w] : [x, w, b]) =>
        (_geometry, _relu) = (g, relu);

    public static Tensor Apply(Tensor x, Tensor w, Tensor? b, (int H, int W) strides, Padding padding, (int H, int W) dilation, bool relu = false)
    {
        if (x.Rank != 4 || w.Rank != 4 || x.Dim(3) != w.Dim(2))
            throw new ArgumentException($"Conv2D needs input (N, H, W, C) and weights (KH, KW, C, OC) with matching C; got input {ShapeText.Of(x.Shape)} and weights {ShapeText.Of(w.Shape)}.");
        if (b != null && (b.Rank != 1 || b.Dim(0) != w.Dim(3)))
            throw new ArgumentException($"Conv2D bias must have shape ({w.Dim(3)},), got {ShapeText.Of(b.Shape)}.");
        var g = Conv2DGeometry.Create(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), w.Dim(0), w.Dim(1), w.Dim(3),
            strides.H, strides.W, padding == Padding.Same, dilation.H, dilation.W);
        var y = Tensor.Create([g.Batch, g.OutHeight, g.OutWidth, g.OutChannels], clear: false);
        Conv2DKernels.Forward(g, x.Span, w.Span, b == null ? default : b.Span, y.Span);
        if (relu) System.Numerics.Tensors.TensorPrimitives.Max(y.Span, 0f, y.Span);
        return ShouldRecord(x, w, b) ? Attach(y, new Conv2DOp(x, w, b, g, relu)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        if (_relu)
        {
            // Gradient through the fused ReLU: zero where the output was clipped.
            var masked = Tensor.Create(dy.ShapeArray, clear: true);
            ActivationKernels.ReluBackward(Output.Span, dy.Span, masked.Span);
            dy = masked;
        }
        Tensor x = Inputs[0], w = Inputs[1];
        Tensor? b = Inputs.Length > 2 ? Inputs[2] : null;
        if (x.RequiresGrad) Conv2DKernels.BackwardData(_geometry, dy.Span, w.Span, GradOf(x));
        if (w.RequiresGrad || (b?.RequiresGrad ?? false))
        {
            Span<float> dw = w.RequiresGrad ? GradOf(w) : default;
            Span<float> db = b != null && b.RequiresGrad ? GradOf(b) : default;
            if (w.RequiresGrad) Conv2DKernels.BackwardWeights(_geometry, x.Span, dy.Span, dw, db);
            else Conv2DKernels.SumRows(dy.Span, _geometry.OutChannels, db);
        }
    }
}
