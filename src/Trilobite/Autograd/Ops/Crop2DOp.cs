using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// Cropping of (N, H, W, C) by (top, bottom, left, right) pixels: the adjoint of <see cref="ZeroPad2DOp"/>, the same
/// block copy with source and destination swapped. Backward adds dy into the kept window of dx (the cut border gets none).
/// </summary>
public sealed class Crop2DOp : Op
{
    private readonly BlockCopy _rows;

    private Crop2DOp(Tensor x, BlockCopy rows) : base([x]) => _rows = rows;

    /// <summary>
    /// x (N, H, W, C) without its first <paramref name="top"/> and last <paramref name="bottom"/> rows and its first
    /// <paramref name="left"/> and last <paramref name="right"/> columns: (N, H − top − bottom, W − left − right, C).
    /// Throws <see cref="ArgumentException"/> unless x has rank 4 and something is left, and
    /// <see cref="ArgumentOutOfRangeException"/> for a negative amount.
    /// </summary>
    public static Tensor Apply(Tensor x, int top, int bottom, int left, int right)
    {
        if (x.Rank != 4) throw new ArgumentException($"Cropping2D needs (N, H, W, C), got {ShapeText.Of(x.Shape)}.");
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new ArgumentOutOfRangeException(nameof(top), $"Cropping2D: cropping must be non-negative, got ({top}, {bottom}, {left}, {right}).");
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        int oh = h - top - bottom, ow = w - left - right;
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"Cropping2D: cropping ({top}, {bottom}) rows and ({left}, {right}) columns of {ShapeText.Of(x.Shape)} leaves nothing.");
        var y = Tensor.Create([n, oh, ow, c], x.Device, clear: false);
        // Image b, kept row r: OW·C values from ((b·H + r + top)·W + left)·C to ((b·OH + r)·OW)·C.
        var rows = new BlockCopy(n, oh, ow * c, (top * w + left) * c, h * w * c, w * c, 0, oh * ow * c, ow * c);
        x.Backend.CopyBlock(rows, x.Data, y.Data, accumulate: false);
        return ShouldRecord(x) ? Attach(y, new Crop2DOp(x, rows)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) => dy.Backend.CopyBlock(_rows.Reversed(), dy.Data, GradOf(Inputs[0]), accumulate: true);
}
