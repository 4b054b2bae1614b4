using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>Validates a pooling input and builds its window geometry.</summary>
internal static class PoolGeometry
{
    /// <summary>Keras's 'valid' or 'same' windows, or explicit pads (which then take the place of <paramref name="padding"/>).</summary>
    public static Conv2DGeometry Create(Tensor x, (int H, int W) pool, (int H, int W) strides, Padding padding, string opName,
        (int Top, int Bottom, int Left, int Right)? pads = null)
    {
        if (x.Rank != 4)
            throw new ArgumentException($"{opName} needs an input of shape (N, H, W, C), got {ShapeText.Of(x.Shape)}.");
        return pads is { } p
            ? Conv2DGeometry.CreatePadded(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), pool.H, pool.W, strides.H, strides.W, p)
            : Conv2DGeometry.Create(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), pool.H, pool.W, x.Dim(3), strides.H, strides.W, padding == Padding.Same);
    }
}
