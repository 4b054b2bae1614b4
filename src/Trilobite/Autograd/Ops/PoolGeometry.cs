using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>Validates a pooling input and builds its window geometry.</summary>
internal static class PoolGeometry
{
    public static Conv2DGeometry Create(Tensor x, (int H, int W) pool, (int H, int W) strides, Padding padding, string opName)
    {
        if (x.Rank != 4)
            throw new ArgumentException($"{opName} needs an input of shape (N, H, W, C), got {ShapeText.Of(x.Shape)}.");
        return Conv2DGeometry.Create(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), pool.H, pool.W, x.Dim(3),
            strides.H, strides.W, padding == Padding.Same);
    }
}
