using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>Backward passes of elementwise activations, vectorised: the forward passes are TensorPrimitives calls.</summary>
public static class ActivationKernels
{
    /// <summary>dx += dy where y &gt; 0 (ReLU's gradient, from its output).</summary>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        ElementwiseSplit.Run(y, dy, dx, ReluBackwardSlice);

    private static unsafe void ReluBackwardSlice(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        fixed (float* py = y, pg = dy, pd = dx)
        {
            int i = 0, n = y.Length;
            if (Vector256.IsHardwareAccelerated)
                for (; i <= n - 8; i += 8)
                {
                    var positive = Vector256.GreaterThan(Vector256.Load(py + i), Vector256<float>.Zero);
                    (Vector256.Load(pd + i) + (Vector256.Load(pg + i) & positive)).Store(pd + i);
                }
            for (; i < n; i++) if (py[i] > 0) pd[i] += pg[i];
        }
    }
}
