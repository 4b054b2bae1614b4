namespace Trilobite.Kernels;

/// <summary>
/// Max and average pooling over NHWC windows described by a <see cref="Conv2DGeometry"/>
/// (OutChannels = InChannels). Padded positions never win a max and are not counted in an
/// average, as in Keras. Max pooling records the flat input index of each winner for backward.
/// </summary>
public static class PoolKernels
{
    /// <summary>y (N, OH, OW, C) = window max of x; argmax[i] = flat index into x of y[i]'s winner.</summary>
    public static void MaxForward(in Conv2DGeometry g, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        int c = g.InChannels;
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    int outBase = ((n * g.OutHeight + oy) * g.OutWidth + ox) * c;
                    Span<float> best = y.Slice(outBase, c);
                    Span<int> where = argmax.Slice(outBase, c);
                    best.Fill(float.NegativeInfinity);
                    where.Fill(-1);
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)g.InHeight) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix >= (uint)g.InWidth) continue;
                            int inBase = ((n * g.InHeight + iy) * g.InWidth + ix) * c;
                            ReadOnlySpan<float> v = x.Slice(inBase, c);
                            for (int ch = 0; ch < c; ch++)
                                if (v[ch] > best[ch] || where[ch] < 0) { best[ch] = v[ch]; where[ch] = inBase + ch; }
                        }
                    }
                }
    }

    /// <summary>dx[argmax[i]] += dy[i].</summary>
    public static void MaxBackward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx)
    {
        for (int i = 0; i < dy.Length; i++) dx[argmax[i]] += dy[i];
    }

    /// <summary>y = window mean of x over the in-bounds positions.</summary>
    public static void AverageForward(in Conv2DGeometry g, ReadOnlySpan<float> x, Span<float> y)
    {
        int c = g.InChannels;
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    Span<float> sum = y.Slice(((n * g.OutHeight + oy) * g.OutWidth + ox) * c, c);
                    sum.Clear();
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)g.InHeight) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix >= (uint)g.InWidth) continue;
                            System.Numerics.Tensors.TensorPrimitives.Add(sum, x.Slice(((n * g.InHeight + iy) * g.InWidth + ix) * c, c), sum);
                        }
                    }
                    System.Numerics.Tensors.TensorPrimitives.Multiply(sum, 1f / CountInputs(g, oy, ox), sum);
                }
    }

    /// <summary>dx += dy spread evenly over each window's in-bounds positions.</summary>
    public static void AverageBackward(in Conv2DGeometry g, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int c = g.InChannels;
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    ReadOnlySpan<float> grad = dy.Slice(((n * g.OutHeight + oy) * g.OutWidth + ox) * c, c);
                    int count = CountInputs(g, oy, ox);
                    float share = 1f / count;
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)g.InHeight) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix >= (uint)g.InWidth) continue;
                            Span<float> d = dx.Slice(((n * g.InHeight + iy) * g.InWidth + ix) * c, c);
                            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(grad, share, d, d);
                        }
                    }
                }
    }

    /// <summary>y (N, C) = mean of x (N, H·W, C) over the spatial positions.</summary>
    public static void GlobalAverageForward(int batch, int pixels, int channels, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int n = 0; n < batch; n++)
        {
            Span<float> sum = y.Slice(n * channels, channels);
            sum.Clear();
            for (int p = 0; p < pixels; p++)
                System.Numerics.Tensors.TensorPrimitives.Add(sum, x.Slice((n * pixels + p) * channels, channels), sum);
            System.Numerics.Tensors.TensorPrimitives.Multiply(sum, 1f / pixels, sum);
        }
    }

    /// <summary>dx (N, H·W, C) += dy (N, C) / (H·W).</summary>
    public static void GlobalAverageBackward(int batch, int pixels, int channels, ReadOnlySpan<float> dy, Span<float> dx)
    {
        float share = 1f / pixels;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> grad = dy.Slice(n * channels, channels);
            for (int p = 0; p < pixels; p++)
            {
                Span<float> d = dx.Slice((n * pixels + p) * channels, channels);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(grad, share, d, d);
            }
        }
    }

    private static int CountInputs(in Conv2DGeometry g, int oy, int ox)
    {
        int rows = 0, cols = 0;
        for (int ky = 0; ky < g.KernelHeight; ky++)
            if ((uint)(oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight) < (uint)g.InHeight) rows++;
        for (int kx = 0; kx < g.KernelWidth; kx++)
            if ((uint)(ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth) < (uint)g.InWidth) cols++;
        return rows * cols;
    }
}
