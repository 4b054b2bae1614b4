namespace Trilobite.Kernels;

/// <summary>
/// Unfolds NHWC input windows into rows: row r = output pixel (n, oy, ox), columns ordered
/// (ky, kx, c) to match Keras's [KH, KW, C, OC] weights, so a convolution is one GEMM.
/// Because channels are innermost, each (ky, kx) contributes one contiguous run of C floats.
/// </summary>
public static class Im2Col
{
    /// <summary>Fills <paramref name="columns"/> (rows × PatchSize) for output rows [firstRow, firstRow + rows).</summary>
    public static void Unfold(in Conv2DGeometry g, ReadOnlySpan<float> input, int firstRow, int rows, Span<float> columns)
    {
        int c = g.InChannels, patch = g.PatchSize;
        for (int r = 0; r < rows; r++)
        {
            int row = firstRow + r;
            int n = row / g.OutPixels, pix = row % g.OutPixels;
            int oy = pix / g.OutWidth, ox = pix % g.OutWidth;
            Span<float> dst = columns.Slice(r * patch, patch);
            int imageBase = n * g.InHeight * g.InWidth * c;
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                Span<float> dstRow = dst.Slice(ky * g.KernelWidth * c, g.KernelWidth * c);
                if ((uint)iy >= (uint)g.InHeight) { dstRow.Clear(); continue; }
                int rowBase = imageBase + iy * g.InWidth * c;
                int ix0 = ox * g.StrideWidth - g.PadLeft;
                if (g.DilationWidth == 1 && ix0 >= 0 && ix0 + g.KernelWidth <= g.InWidth)
                {
                    input.Slice(rowBase + ix0 * c, g.KernelWidth * c).CopyTo(dstRow);
                    continue;
                }
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    int ix = ix0 + kx * g.DilationWidth;
                    Span<float> d = dstRow.Slice(kx * c, c);
                    if ((uint)ix >= (uint)g.InWidth) d.Clear();
                    else input.Slice(rowBase + ix * c, c).CopyTo(d);
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Unfold"/>: adds each column row back into the input
    /// positions it was read from (<paramref name="inputGrad"/> += fold(columns)).</summary>
    public static void FoldAdd(in Conv2DGeometry g, ReadOnlySpan<float> columns, int firstRow, int rows, Span<float> inputGrad)
    {
        int c = g.InChannels, patch = g.PatchSize;
        for (int r = 0; r < rows; r++)
        {
            int row = firstRow + r;
            int n = row / g.OutPixels, pix = row % g.OutPixels;
            int oy = pix / g.OutWidth, ox = pix % g.OutWidth;
            ReadOnlySpan<float> src = columns.Slice(r * patch, patch);
            int imageBase = n * g.InHeight * g.InWidth * c;
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                if ((uint)iy >= (uint)g.InHeight) continue;
                int rowBase = imageBase + iy * g.InWidth * c;
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                    if ((uint)ix >= (uint)g.InWidth) continue;
                    Span<float> d = inputGrad.Slice(rowBase + ix * c, c);
                    System.Numerics.Tensors.TensorPrimitives.Add(d, src.Slice((ky * g.KernelWidth + kx) * c, c), d);
                }
            }
        }
    }
}
