namespace Trilobite.Autograd.Ops;

/// <summary>Zero padding of (N, H, W, C) by (top, bottom, left, right) pixels; backward crops dy.</summary>
public sealed class ZeroPad2DOp : Op
{
    private readonly int _top, _left;

    private ZeroPad2DOp(Tensor x, int top, int left) : base([x]) => (_top, _left) = (top, left);

    public static Tensor Apply(Tensor x, int top, int bottom, int left, int right)
    {
        if (x.Rank != 4) throw new ArgumentException($"ZeroPadding2D needs (N, H, W, C), got {ShapeText.Of(x.Shape)}.");
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        int oh = h + top + bottom, ow = w + left + right;
        var y = Tensor.Create([n, oh, ow, c], clear: true);
        ReadOnlySpan<float> src = x.Span;
        Span<float> dst = y.Span;
        for (int b = 0; b < n; b++)
            for (int r = 0; r < h; r++)
                src.Slice(((b * h + r) * w) * c, w * c).CopyTo(dst.Slice(((b * oh + r + top) * ow + left) * c, w * c));
        return ShouldRecord(x) ? Attach(y, new ZeroPad2DOp(x, top, left)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        Tensor x = Inputs[0];
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3), oh = dy.Dim(1), ow = dy.Dim(2);
        Span<float> dx = GradOf(x);
        ReadOnlySpan<float> g = dy.Span;
        for (int b = 0; b < n; b++)
            for (int r = 0; r < h; r++)
            {
                Span<float> d = dx.Slice(((b * h + r) * w) * c, w * c);
                System.Numerics.Tensors.TensorPrimitives.Add(d, g.Slice(((b * oh + r + _top) * ow + _left) * c, w * c), d);
            }
    }
}
