using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// Nearest-neighbour upsampling of NHWC maps (the FPN's top-down path) and its adjoint. Channels are innermost, so each
/// input pixel is one contiguous run of C values: the forward pass writes one output row as W runs each repeated sw
/// times, then copies that row sh − 1 more times; the backward pass adds every output run back onto its source pixel.
/// </summary>
public static class ResizeKernels
{
    /// <summary>y (N, H·sh, W·sw, C) with y[n, i, j, c] = x[n, ⌊i/sh⌋, ⌊j/sw⌋, c].</summary>
    public static void UpsampleNearest(in UpSampling2DGeometry g, ReadOnlySpan<float> x, Span<float> y)
    {
        KernelArguments.Length(nameof(UpsampleNearest), "the input", x.Length, g.InputLength);
        KernelArguments.Length(nameof(UpsampleNearest), "the output", y.Length, g.OutputLength);
        int c = g.Channels, outRow = g.OutWidth * c;
        for (int n = 0; n < g.Batch; n++)
            for (int r = 0; r < g.InHeight; r++)
            {
                var source = x.Slice(((n * g.InHeight + r) * g.InWidth) * c, g.InWidth * c);
                var first = y.Slice((n * g.OutHeight + r * g.ScaleHeight) * outRow, outRow);
                for (int col = 0; col < g.InWidth; col++)
                    for (int s = 0; s < g.ScaleWidth; s++) source.Slice(col * c, c).CopyTo(first.Slice((col * g.ScaleWidth + s) * c, c));
                for (int s = 1; s < g.ScaleHeight; s++) first.CopyTo(y.Slice((n * g.OutHeight + r * g.ScaleHeight + s) * outRow, outRow));
            }
    }

    /// <summary>dx[n, i, j, c] += Σ over the sh × sw output pixels copied from (i, j) of dy.</summary>
    public static void UpsampleNearestBackward(in UpSampling2DGeometry g, ReadOnlySpan<float> dy, Span<float> dx)
    {
        KernelArguments.Length(nameof(UpsampleNearestBackward), "the output gradient", dy.Length, g.OutputLength);
        KernelArguments.Length(nameof(UpsampleNearestBackward), "the input gradient", dx.Length, g.InputLength);
        int c = g.Channels, outRow = g.OutWidth * c;
        for (int n = 0; n < g.Batch; n++)
            for (int r = 0; r < g.InHeight; r++)
            {
                var target = dx.Slice(((n * g.InHeight + r) * g.InWidth) * c, g.InWidth * c);
                for (int s = 0; s < g.ScaleHeight; s++)
                {
                    var row = dy.Slice((n * g.OutHeight + r * g.ScaleHeight + s) * outRow, outRow);
                    for (int col = 0; col < g.InWidth; col++)
                    {
                        var pixel = target.Slice(col * c, c);
                        for (int t = 0; t < g.ScaleWidth; t++) TensorPrimitives.Add(pixel, row.Slice((col * g.ScaleWidth + t) * c, c), pixel);
                    }
                }
            }
    }
}
