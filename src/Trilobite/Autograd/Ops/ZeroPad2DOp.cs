using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>Zero padding of (N, H, W, C) by (top, bottom, left, right) pixels: each image row lands inside a zeroed frame; backward crops dy.</summary>
public sealed class ZeroPad2DOp : Op
{
    private readonly BlockCopy _rows;

    private ZeroPad2DOp(Tensor x, BlockCopy rows) : base([x]) => _rows = rows;

    /// <summary>x (N, H, W, C) framed with zeros to (N, H + top + bottom, W + left + right, C); throws <see cref="ArgumentException"/> unless x has rank 4, <see cref="ArgumentOutOfRangeException"/> for negative padding.</summary>
    public static Tensor Apply(Tensor x, int top, int bottom, int left, int right)
    {
        if (x.Rank != 4) throw new ArgumentException($"ZeroPadding2D needs (N, H, W, C), got {ShapeText.Of(x.Shape)}.");
        if (top < 0 || bottom < 0 || left < 0 || right < 0) throw new ArgumentOutOfRangeException(nameof(top), $"ZeroPadding2D: padding must be non-negative, got ({top}, {bottom}, {left}, {right}).");
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        int oh = h + top + bottom, ow = w + left + right;
        var y = Tensor.Create([n, oh, ow, c], x.Device, clear: true);
        // Image b, row r: W·C values from ((b·H + r)·W)·C to ((b·OH + r + top)·OW + left)·C.
        var rows = new BlockCopy(n, h, w * c, 0, h * w * c, w * c, (top * ow + left) * c, oh * ow * c, ow * c);
        x.Backend.CopyBlock(rows, x.Data, y.Data, accumulate: false);
        return ShouldRecord(x) ? Attach(y, new ZeroPad2DOp(x, rows)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) => dy.Backend.CopyBlock(_rows.Reversed(), dy.Data, GradOf(Inputs[0]), accumulate: true);
}
