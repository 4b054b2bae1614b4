namespace Trilobite.Kernels.Tests.Oracles;

/// <summary>Direct seven-loop convolution in float spans: the oracle of the span-level convolution tests (see ReferenceGemm).</summary>
public static class ReferenceConv2D
{
    public static void Forward(in Conv2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y)
    {
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int o = 0; o < g.OutChannels; o++)
                    {
                        double sum = bias.IsEmpty ? 0 : bias[o];
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                            {
                                if (!Under(g, oy, ox, ky, kx, out int iy, out int ix)) continue;
                                for (int c = 0; c < g.InChannels; c++)
                                    sum += (double)x[((n * g.InHeight + iy) * g.InWidth + ix) * g.InChannels + c]
                                         * w[((ky * g.KernelWidth + kx) * g.InChannels + c) * g.OutChannels + o];
                            }
                        y[((n * g.OutHeight + oy) * g.OutWidth + ox) * g.OutChannels + o] = (float)sum;
                    }
    }

    /// <summary>dx += the input gradient, each output's dy scattered back through the window in double.</summary>
    public static void BackwardData(in Conv2DGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx)
    {
        var sums = new double[dx.Length];
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            if (!Under(g, oy, ox, ky, kx, out int iy, out int ix)) continue;
                            for (int c = 0; c < g.InChannels; c++)
                                for (int o = 0; o < g.OutChannels; o++)
                                    sums[((n * g.InHeight + iy) * g.InWidth + ix) * g.InChannels + c] +=
                                        (double)dy[((n * g.OutHeight + oy) * g.OutWidth + ox) * g.OutChannels + o]
                                        * w[((ky * g.KernelWidth + kx) * g.InChannels + c) * g.OutChannels + o];
                        }
        for (int i = 0; i < dx.Length; i++) dx[i] += (float)sums[i];
    }

    /// <summary>dw += the weight gradient: Σ over outputs of x under the window times dy, in double.</summary>
    public static void BackwardWeights(in Conv2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw)
    {
        for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
                for (int c = 0; c < g.InChannels; c++)
                    for (int o = 0; o < g.OutChannels; o++)
                    {
                        double sum = 0;
                        for (int n = 0; n < g.Batch; n++)
                            for (int oy = 0; oy < g.OutHeight; oy++)
                                for (int ox = 0; ox < g.OutWidth; ox++)
                                {
                                    if (!Under(g, oy, ox, ky, kx, out int iy, out int ix)) continue;
                                    sum += (double)x[((n * g.InHeight + iy) * g.InWidth + ix) * g.InChannels + c]
                                         * dy[((n * g.OutHeight + oy) * g.OutWidth + ox) * g.OutChannels + o];
                                }
                        dw[((ky * g.KernelWidth + kx) * g.InChannels + c) * g.OutChannels + o] += (float)sum;
                    }
    }

    /// <summary>The input pixel (iy, ix) under window tap (ky, kx) of output (oy, ox); false when it lies in the padding.</summary>
    private static bool Under(in Conv2DGeometry g, int oy, int ox, int ky, int kx, out int iy, out int ix)
    {
        iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
        ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
        return iy >= 0 && iy < g.InHeight && ix >= 0 && ix < g.InWidth;
    }
}
