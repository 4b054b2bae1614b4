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

    /// <summary>y (N, OH, OW, C) with y[n, i, j, c] = x[n, src(i), src(j), c], src by <see cref="ResizeGeometry.Source"/>.</summary>
    public static void ResizeNearest(in ResizeGeometry g, ReadOnlySpan<float> x, Span<float> y)
    {
        KernelArguments.Length(nameof(ResizeNearest), "the input", x.Length, g.InputLength);
        KernelArguments.Length(nameof(ResizeNearest), "the output", y.Length, g.OutputLength);
        int c = g.Channels;
        var columns = SourceColumns(g);
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
            {
                var source = x.Slice((n * g.InHeight + ResizeGeometry.Source(i, g.InHeight, g.OutHeight)) * g.InWidth * c, g.InWidth * c);
                var row = y.Slice((n * g.OutHeight + i) * g.OutWidth * c, g.OutWidth * c);
                for (int j = 0; j < g.OutWidth; j++) source.Slice(columns[j] * c, c).CopyTo(row.Slice(j * c, c));
            }
    }

    /// <summary>dx[n, a, b, c] += Σ of dy over the output pixels that took (a, b): the adjoint of <see cref="ResizeNearest"/>.</summary>
    public static void ResizeNearestBackward(in ResizeGeometry g, ReadOnlySpan<float> dy, Span<float> dx)
    {
        KernelArguments.Length(nameof(ResizeNearestBackward), "the output gradient", dy.Length, g.OutputLength);
        KernelArguments.Length(nameof(ResizeNearestBackward), "the input gradient", dx.Length, g.InputLength);
        int c = g.Channels;
        var columns = SourceColumns(g);
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
            {
                var target = dx.Slice((n * g.InHeight + ResizeGeometry.Source(i, g.InHeight, g.OutHeight)) * g.InWidth * c, g.InWidth * c);
                var row = dy.Slice((n * g.OutHeight + i) * g.OutWidth * c, g.OutWidth * c);
                for (int j = 0; j < g.OutWidth; j++)
                {
                    var pixel = target.Slice(columns[j] * c, c);
                    TensorPrimitives.Add(pixel, row.Slice(j * c, c), pixel);
                }
            }
    }

    private static int[] SourceColumns(in ResizeGeometry g)
    {
        var columns = new int[g.OutWidth];
        for (int j = 0; j < columns.Length; j++) columns[j] = ResizeGeometry.Source(j, g.InWidth, g.OutWidth);
        return columns;
    }
}
