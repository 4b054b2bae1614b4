using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>The Reference backend's GEMM, convolution, pooling and normalisation, as the loops of their definitions.</summary>
internal sealed partial class ReferenceBackend
{
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, StorageView a, int lda, StorageView b, int ldb,
        float beta, StorageView c, int ldc)
    {
        Span<double> av = Span(a), bv = Span(b), cv = Span(c);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += (transA ? av[p * lda + i] : av[i * lda + p]) * (transB ? bv[j * ldb + p] : bv[p * ldb + j]);
                ref double cij = ref cv[i * ldc + j];
                cij = alpha * sum + (beta == 0 ? 0 : beta * cij);   // β = 0 never reads C (it may hold NaN)
            }
    }

    public void GemmBatched(bool transA, bool transB, int m, int n, int k, float alpha, StorageView a, int lda, long strideA,
        StorageView b, int ldb, long strideB, float beta, StorageView c, int ldc, long strideC, int batch)
    {
        static StorageView From(StorageView v, long offset) => v.Slice((int)offset, v.Length - (int)offset);
        for (int p = 0; p < batch; p++)   // each product is the definition's Gemm at its offsets
            Gemm(transA, transB, m, n, k, alpha, From(a, p * strideA), lda, From(b, p * strideB), ldb, beta, From(c, p * strideC), ldc);
    }

    // The convolution y[n, oy, ox, o] = Σ x[n, oy·s − pad + ky·d, ox·s − pad + kx·d, c]·w[ky, kx, c, o] over in-bounds pixels,
    // and its two adjoints, each as the plain loops of its sum.

    public void Conv2DForward(in Conv2DGeometry g, StorageView x, StorageView w, StorageView bias, StorageView y, bool relu)
    {
        Span<double> xs = Span(x), ws = Span(w), ys = Span(y), b = Span(bias);
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int o = 0; o < g.OutChannels; o++)
                    {
                        double sum = b.IsEmpty ? 0 : b[o];
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                            {
                                int iy = InputRow(g, oy, ky), ix = InputColumn(g, ox, kx);
                                if (iy < 0 || ix < 0) continue;
                                int xi = InputIndex(g, n, iy, ix, 0), wi = WeightIndex(g, ky, kx, 0, o);
                                for (int c = 0; c < g.InChannels; c++) sum += xs[xi + c] * ws[wi + c * g.OutChannels];
                            }
                        ys[OutputIndex(g, n, oy, ox, o)] = relu ? Math.Max(sum, 0) : sum;
                    }
    }

    public void Conv2DBackwardData(in Conv2DGeometry g, StorageView dy, StorageView w, StorageView dx)
    {
        Span<double> gs = Span(dy), ws = Span(w), ds = Span(dx);
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int iy = InputRow(g, oy, ky), ix = InputColumn(g, ox, kx);
                            if (iy < 0 || ix < 0) continue;
                            int gi = OutputIndex(g, n, oy, ox, 0), xi = InputIndex(g, n, iy, ix, 0);
                            for (int c = 0; c < g.InChannels; c++)
                            {
                                double sum = 0;
                                int wi = WeightIndex(g, ky, kx, c, 0);
                                for (int o = 0; o < g.OutChannels; o++) sum += gs[gi + o] * ws[wi + o];
                                ds[xi + c] += sum;
                            }
                        }
    }

    public void Conv2DBackwardWeights(in Conv2DGeometry g, StorageView x, StorageView dy, StorageView dw, StorageView dbias)
    {
        Span<double> xs = Span(x), gs = Span(dy), ds = Span(dw), db = Span(dbias);
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int o = 0; o < g.OutChannels; o++)
                    {
                        double grad = gs[OutputIndex(g, n, oy, ox, o)];
                        if (!db.IsEmpty) db[o] += grad;
                        if (ds.IsEmpty) continue;
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                            {
                                int iy = InputRow(g, oy, ky), ix = InputColumn(g, ox, kx);
                                if (iy < 0 || ix < 0) continue;
                                int xi = InputIndex(g, n, iy, ix, 0), wi = WeightIndex(g, ky, kx, 0, o);
                                for (int c = 0; c < g.InChannels; c++) ds[wi + c * g.OutChannels] += xs[xi + c] * grad;
                            }
                    }
    }

    /// <summary>The input row window row ky of output row oy reads, or −1 in the padding.</summary>
    private static int InputRow(in Conv2DGeometry g, int oy, int ky)
    {
        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
        return iy >= 0 && iy < g.InHeight ? iy : -1;
    }

    private static int InputColumn(in Conv2DGeometry g, int ox, int kx)
    {
        int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
        return ix >= 0 && ix < g.InWidth ? ix : -1;
    }

    private static int InputIndex(in Conv2DGeometry g, int n, int iy, int ix, int c) => ((n * g.InHeight + iy) * g.InWidth + ix) * g.InChannels + c;

    private static int OutputIndex(in Conv2DGeometry g, int n, int oy, int ox, int o) => ((n * g.OutHeight + oy) * g.OutWidth + ox) * g.OutChannels + o;

    private static int WeightIndex(in Conv2DGeometry g, int ky, int kx, int c, int o) => ((ky * g.KernelWidth + kx) * g.InChannels + c) * g.OutChannels + o;

    // Pooling: output (n, oy, ox, c) looks at the in-bounds pixels of its window, in (ky, kx) order.

    /// <summary>The winner of a max window: the first NaN if there is one, else the first maximum; −1 for a window with no pixel.</summary>
    private static int Winner(in Conv2DGeometry g, Span<double> x, int n, int oy, int ox, int c)
    {
        int best = -1;
        for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int iy = InputRow(g, oy, ky), ix = InputColumn(g, ox, kx);
                if (iy < 0 || ix < 0) continue;
                int at = InputIndex(g, n, iy, ix, c);
                if (best < 0 || (!double.IsNaN(x[best]) && (double.IsNaN(x[at]) || x[at] > x[best]))) best = at;
            }
        return best;
    }

    /// <summary>Σ x over the window's in-bounds pixels, and how many there are.</summary>
    private static (double Sum, int Count) WindowSum(in Conv2DGeometry g, Span<double> x, int n, int oy, int ox, int c)
    {
        double sum = 0;
        int count = 0;
        for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int iy = InputRow(g, oy, ky), ix = InputColumn(g, ox, kx);
                if (iy < 0 || ix < 0) continue;
                sum += x[InputIndex(g, n, iy, ix, c)];
                count++;
            }
        return (sum, count);
    }

    public Storage? MaxPool2DForward(in Conv2DGeometry g, StorageView x, StorageView y, bool forBackward)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int c = 0; c < g.InChannels; c++) ys[OutputIndex(g, n, oy, ox, c)] = xs[Winner(g, xs, n, oy, ox, c)];
        return null;   // backward finds the winners again from x
    }

    public void MaxPool2DBackward(in Conv2DGeometry g, StorageView x, StorageView y, StorageView dy, Storage? saved, StorageView dx)
    {
        Span<double> xs = Span(x), gs = Span(dy), ds = Span(dx);
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int c = 0; c < g.InChannels; c++) ds[Winner(g, xs, n, oy, ox, c)] += gs[OutputIndex(g, n, oy, ox, c)];
    }

    public void AvgPool2DForward(in Conv2DGeometry g, StorageView x, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int c = 0; c < g.InChannels; c++)
                    {
                        var (sum, count) = WindowSum(g, xs, n, oy, ox, c);
                        ys[OutputIndex(g, n, oy, ox, c)] = sum / count;
                    }
    }

    public void AvgPool2DBackward(in Conv2DGeometry g, StorageView dy, StorageView dx)
    {
        Span<double> gs = Span(dy), ds = Span(dx);
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int c = 0; c < g.InChannels; c++)
                    {
                        int count = WindowSum(g, ds, n, oy, ox, c).Count;
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                            {
                                int iy = InputRow(g, oy, ky), ix = InputColumn(g, ox, kx);
                                if (iy >= 0 && ix >= 0) ds[InputIndex(g, n, iy, ix, c)] += gs[OutputIndex(g, n, oy, ox, c)] / count;
                            }
                    }
    }

    public void UpSampleNearest(in UpSampling2DGeometry g, StorageView x, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
                for (int j = 0; j < g.OutWidth; j++)
                    for (int c = 0; c < g.Channels; c++)
                        ys[((n * g.OutHeight + i) * g.OutWidth + j) * g.Channels + c] = xs[((n * g.InHeight + i / g.ScaleHeight) * g.InWidth + j / g.ScaleWidth) * g.Channels + c];
    }

    public void UpSampleNearestBackward(in UpSampling2DGeometry g, StorageView dy, StorageView dx)
    {
        Span<double> gs = Span(dy), ds = Span(dx);
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
                for (int j = 0; j < g.OutWidth; j++)
                    for (int c = 0; c < g.Channels; c++)
                        ds[((n * g.InHeight + i / g.ScaleHeight) * g.InWidth + j / g.ScaleWidth) * g.Channels + c] += gs[((n * g.OutHeight + i) * g.OutWidth + j) * g.Channels + c];
    }

    public void ResizeNearest(in ResizeGeometry g, StorageView x, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
                for (int j = 0; j < g.OutWidth; j++)
                    for (int c = 0; c < g.Channels; c++)
                        ys[((n * g.OutHeight + i) * g.OutWidth + j) * g.Channels + c] =
                            xs[((n * g.InHeight + ResizeGeometry.Source(i, g.InHeight, g.OutHeight)) * g.InWidth + ResizeGeometry.Source(j, g.InWidth, g.OutWidth)) * g.Channels + c];
    }

    public void ResizeNearestBackward(in ResizeGeometry g, StorageView dy, StorageView dx)
    {
        Span<double> gs = Span(dy), ds = Span(dx);
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
                for (int j = 0; j < g.OutWidth; j++)
                    for (int c = 0; c < g.Channels; c++)
                        ds[((n * g.InHeight + ResizeGeometry.Source(i, g.InHeight, g.OutHeight)) * g.InWidth + ResizeGeometry.Source(j, g.InWidth, g.OutWidth)) * g.Channels + c] +=
                            gs[((n * g.OutHeight + i) * g.OutWidth + j) * g.Channels + c];
    }

    public void UpSampleBilinear(in UpSampling2DGeometry g, StorageView x, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
                for (int j = 0; j < g.OutWidth; j++)
                    for (int c = 0; c < g.Channels; c++)
                    {
                        double sum = 0;
                        foreach (var (row, column, weight) in BilinearNeighbours(g, i, j))
                            sum += weight * xs[((n * g.InHeight + row) * g.InWidth + column) * g.Channels + c];
                        ys[((n * g.OutHeight + i) * g.OutWidth + j) * g.Channels + c] = sum;
                    }
    }

    public void UpSampleBilinearBackward(in UpSampling2DGeometry g, StorageView dy, StorageView dx)
    {
        Span<double> gs = Span(dy), ds = Span(dx);
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
                for (int j = 0; j < g.OutWidth; j++)
                    for (int c = 0; c < g.Channels; c++)
                        foreach (var (row, column, weight) in BilinearNeighbours(g, i, j))
                            ds[((n * g.InHeight + row) * g.InWidth + column) * g.Channels + c] += weight * gs[((n * g.OutHeight + i) * g.OutWidth + j) * g.Channels + c];
    }

    /// <summary>The definition: sample at ((i + ½)/sh − ½, (j + ½)/sw − ½), each coordinate clamped into [0, size − 1], and blend the four pixels around it.</summary>
    private static IEnumerable<(int Row, int Column, double Weight)> BilinearNeighbours(UpSampling2DGeometry g, int i, int j)
    {
        double y = Math.Clamp((i + 0.5) / g.ScaleHeight - 0.5, 0, g.InHeight - 1), x = Math.Clamp((j + 0.5) / g.ScaleWidth - 0.5, 0, g.InWidth - 1);
        int y0 = (int)Math.Floor(y), x0 = (int)Math.Floor(x);
        int y1 = Math.Min(y0 + 1, g.InHeight - 1), x1 = Math.Min(x0 + 1, g.InWidth - 1);
        double fy = y - y0, fx = x - x0;
        yield return (y0, x0, (1 - fy) * (1 - fx));
        yield return (y0, x1, (1 - fy) * fx);
        yield return (y1, x0, fy * (1 - fx));
        yield return (y1, x1, fy * fx);
    }

    public void GlobalAvgPool2DForward(int batch, int pixels, int channels, StorageView x, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
            {
                double sum = 0;
                for (int p = 0; p < pixels; p++) sum += xs[(n * pixels + p) * channels + c];
                ys[n * channels + c] = sum / pixels;
            }
    }

    public void GlobalAvgPool2DBackward(int batch, int pixels, int channels, StorageView dy, StorageView dx)
    {
        Span<double> gs = Span(dy), ds = Span(dx);
        for (int n = 0; n < batch; n++)
            for (int p = 0; p < pixels; p++)
                for (int c = 0; c < channels; c++) ds[(n * pixels + p) * channels + c] += gs[n * channels + c] / pixels;
    }

    public void BatchNormTraining(StorageView x, int channels, StorageView gamma, StorageView beta, float epsilon, float momentum,
        StorageView movingMean, StorageView movingVariance, StorageView y, StorageView mean, StorageView inverseStd, bool relu)
    {
        Span<double> xs = Span(x), mu = Span(mean), s = Span(inverseStd), mm = Span(movingMean), mv = Span(movingVariance);
        int rows = xs.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, squares = 0;
            for (int r = 0; r < rows; r++) sum += xs[r * channels + c];
            double m = sum / rows;
            for (int r = 0; r < rows; r++) squares += (xs[r * channels + c] - m) * (xs[r * channels + c] - m);
            double variance = squares / rows;   // biased, as Keras normalises with it
            mu[c] = m;
            s[c] = 1 / Math.Sqrt(variance + epsilon);
            mm[c] = mm[c] * momentum + m * (1 - (double)momentum);
            mv[c] = mv[c] * momentum + variance * (1 - (double)momentum);
        }
        Affine(xs, channels, Span(gamma), Span(beta), mu, s, Span(y), relu);
    }

    public void BatchNormInference(StorageView x, int channels, StorageView gamma, StorageView beta, float epsilon,
        StorageView movingMean, StorageView movingVariance, StorageView y, StorageView inverseStd, bool relu)
    {
        Span<double> mv = Span(movingVariance);
        var s = new double[channels];
        for (int c = 0; c < channels; c++) s[c] = 1 / Math.Sqrt(mv[c] + epsilon);
        Affine(Span(x), channels, Span(gamma), Span(beta), Span(movingMean), s, Span(y), relu);
        if (!inverseStd.IsNone) s.CopyTo(Span(inverseStd));
    }

    /// <summary>y = γ·(x − μ)·s + β per channel, then max(y, 0) with <paramref name="relu"/>.</summary>
    private static void Affine(Span<double> x, int channels, Span<double> gamma, Span<double> beta, Span<double> mean, Span<double> s, Span<double> y, bool relu)
    {
        for (int i = 0; i < x.Length; i++)
        {
            int c = i % channels;
            y[i] = gamma[c] * (x[i] - mean[c]) * s[c] + beta[c];
            if (relu) y[i] = Math.Max(y[i], 0);
        }
    }

    /// <summary>dy, or a copy of it that is 0 where a fused ReLU's output is not positive.</summary>
    private Span<double> ThroughRelu(StorageView dy, StorageView reluOutput)
    {
        if (reluOutput.IsNone) return Span(dy);
        Span<double> g = Span(dy), z = Span(reluOutput);
        var masked = new double[g.Length];
        for (int i = 0; i < g.Length; i++) masked[i] = z[i] > 0 ? g[i] : 0;
        return masked;
    }

    public void BatchNormBackward(StorageView x, StorageView dy, int channels, StorageView gamma, StorageView mean, StorageView inverseStd,
        StorageView dx, StorageView dGamma, StorageView dBeta, StorageView reluOutput)
    {
        Span<double> xs = Span(x), gs = ThroughRelu(dy, reluOutput), g = Span(gamma), mu = Span(mean), s = Span(inverseStd);
        int rows = xs.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            double sumDy = 0, sumDyXhat = 0;
            for (int r = 0; r < rows; r++)
            {
                int i = r * channels + c;
                sumDy += gs[i];
                sumDyXhat += gs[i] * (xs[i] - mu[c]) * s[c];
            }
            if (!dGamma.IsNone) Span(dGamma)[c] += sumDyXhat;
            if (!dBeta.IsNone) Span(dBeta)[c] += sumDy;
            if (dx.IsNone) continue;
            var d = Span(dx);
            for (int r = 0; r < rows; r++)
            {
                int i = r * channels + c;
                double xhat = (xs[i] - mu[c]) * s[c];
                d[i] += g[c] * s[c] / rows * (rows * gs[i] - sumDy - xhat * sumDyXhat);
            }
        }
    }

    public void BatchNormBackwardInference(StorageView x, StorageView dy, int channels, StorageView gamma, StorageView mean, StorageView inverseStd,
        StorageView dx, StorageView dGamma, StorageView dBeta, StorageView reluOutput)
    {
        Span<double> xs = Span(x), gs = ThroughRelu(dy, reluOutput), g = Span(gamma), mu = Span(mean), s = Span(inverseStd);
        for (int i = 0; i < xs.Length; i++)
        {
            int c = i % channels;
            if (!dGamma.IsNone) Span(dGamma)[c] += gs[i] * (xs[i] - mu[c]) * s[c];
            if (!dBeta.IsNone) Span(dBeta)[c] += gs[i];
            if (!dx.IsNone) Span(dx)[i] += g[c] * s[c] * gs[i];
        }
    }

    public void Softmax(StorageView x, int width, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int r = 0; r < xs.Length / width; r++)
        {
            var row = xs.Slice(r * width, width);
            double max = Max(row), sum = 0;
            foreach (double v in row) sum += Math.Exp(v - max);
            for (int i = 0; i < width; i++) ys[r * width + i] = Math.Exp(row[i] - max) / sum;
        }
    }

    public void LogSoftmax(StorageView x, int width, StorageView y)
    {
        Span<double> xs = Span(x), ys = Span(y);
        for (int r = 0; r < xs.Length / width; r++)
        {
            var row = xs.Slice(r * width, width);
            double max = Max(row), sum = 0;
            foreach (double v in row) sum += Math.Exp(v - max);
            for (int i = 0; i < width; i++) ys[r * width + i] = row[i] - max - Math.Log(sum);
        }
    }

    public void SoftmaxBackward(StorageView y, StorageView dy, int width, StorageView dx)
    {
        Span<double> ys = Span(y), gs = Span(dy), ds = Span(dx);
        for (int r = 0; r < ys.Length / width; r++)
        {
            double dot = 0;
            for (int j = 0; j < width; j++) dot += gs[r * width + j] * ys[r * width + j];
            for (int i = 0; i < width; i++) ds[r * width + i] += ys[r * width + i] * (gs[r * width + i] - dot);
        }
    }

    public void LogSoftmaxBackward(StorageView y, StorageView dy, int width, StorageView dx)
    {
        Span<double> ys = Span(y), gs = Span(dy), ds = Span(dx);
        for (int r = 0; r < ys.Length / width; r++)
        {
            double sum = 0;
            for (int j = 0; j < width; j++) sum += gs[r * width + j];
            for (int i = 0; i < width; i++) ds[r * width + i] += gs[r * width + i] - Math.Exp(ys[r * width + i]) * sum;
        }
    }

    /// <summary>The largest value, NaN if any value is NaN.</summary>
    private static double Max(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsNaN(v)) return v;
            if (v > max) max = v;
        }
        return max;
    }
}
