using Trilobite.Backends;
using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// The full ('valid', unpadded) transposed convolution y (N, (H−1)·s + k, (W−1)·s + k, F) of x (N, H, W, C) with a
/// Keras-layout kernel w (KH, KW, F, C): the adjoint of the Conv2D that maps F channels to C with the same kernel, stride
/// and dilation. It is written on that convolution's kernels, so it runs as fast as they do: forward is the
/// convolution's input-gradient pass, dx is its forward pass, dw its weight-gradient pass with the roles of input and
/// output-gradient swapped. Keras's padding ('same', output_padding) is a crop or zero pad of this result (the layer).
/// </summary>
public sealed class ConvTranspose2DOp : Op
{
    private readonly Conv2DGeometry _adjoint;

    private ConvTranspose2DOp(Tensor x, Tensor w, Conv2DGeometry adjoint) : base([x, w]) => _adjoint = adjoint;

    /// <summary>Throws <see cref="ArgumentException"/> unless x is (N, H, W, C) and w is (KH, KW, F, C) with the same C.</summary>
    public static Tensor Apply(Tensor x, Tensor w, (int H, int W) strides, (int H, int W) dilation)
    {
        if (x.Rank != 4 || w.Rank != 4 || x.Dim(3) != w.Dim(3))
            throw new ArgumentException($"Conv2DTranspose needs input (N, H, W, C) and a kernel (KH, KW, filters, C) with matching C; got input {ShapeText.Of(x.Shape)} and kernel {ShapeText.Of(w.Shape)}.");
        var backend = Backend("Conv2DTranspose", x, w);
        int n = x.Dim(0), h = x.Dim(1), wd = x.Dim(2), c = x.Dim(3), kh = w.Dim(0), kw = w.Dim(1), f = w.Dim(2);
        long fullH = FullLength(h, kh, strides.H, dilation.H), fullW = FullLength(wd, kw, strides.W, dilation.W);
        if (fullH > int.MaxValue || fullW > int.MaxValue)
            throw new ArgumentException($"Conv2DTranspose: a {h}×{wd} input with a {kh}×{kw} kernel and stride {strides.H}×{strides.W} gives an output too large to index.");
        // The convolution this op is the adjoint of: from the full output (F channels) back to x's size (C channels).
        var adjoint = Conv2DGeometry.Create(n, (int)fullH, (int)fullW, f, kh, kw, c, strides.H, strides.W, same: false, dilation.H, dilation.W);
        if (adjoint.OutHeight != h || adjoint.OutWidth != wd)
            throw new InvalidOperationException($"Conv2DTranspose: the adjoint convolution maps {fullH}×{fullW} to {adjoint.OutHeight}×{adjoint.OutWidth}, not {h}×{wd}.");
        var y = Tensor.Create([n, (int)fullH, (int)fullW, f], x.Device, clear: true);
        backend.Conv2DBackwardData(adjoint, x.Data, w.Data, y.Data);       // adds into y
        return ShouldRecord(x, w) ? Attach(y, new ConvTranspose2DOp(x, w, adjoint)) : y;
    }

    /// <summary>(n − 1)·s + (k − 1)·d + 1: every input pixel's window lands wholly inside the output.</summary>
    public static long FullLength(int n, int k, int s, int d) => (long)(n - 1) * s + (long)(k - 1) * d + 1;

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        var backend = dy.Backend;
        Tensor x = Inputs[0], w = Inputs[1];
        if (x.RequiresGrad)
        {
            var dx = Tensor.Create(x.ShapeArray, x.Device, clear: false);
            backend.Conv2DForward(_adjoint, dy.Data, w.Data, StorageView.None, dx.Data, relu: false);
            backend.CopyBlock(new BlockCopy(1, 1, dx.Length, 0, 0, 0, 0, 0, 0), dx.Data, GradOf(x), accumulate: true);
        }
        if (w.RequiresGrad)
            backend.Conv2DBackwardWeights(_adjoint, dy.Data, x.Data, GradOf(w), StorageView.None);
    }
}
