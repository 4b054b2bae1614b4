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

    /// <summary>
    /// Calls <paramref name="visit"/>(input index, weight index, output index) for every term of the convolution sum
    /// y[n, oy, ox, o] = Σ x[n, oy·s − pad + ky·d, ox·s − pad + kx·d, c]·w[ky, kx, c, o] over in-bounds pixels.
    /// </summary>
    private static void ForEachTerm(in Conv2DGeometry g, Action<int, int, int> visit)
    {
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if (iy < 0 || iy >= g.InHeight) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if (ix < 0 || ix >= g.InWidth) continue;
                            for (int c = 0; c < g.InChannels; c++)
                                for (int o = 0; o < g.OutChannels; o++)
                                    visit(((n * g.InHeight + iy) * g.InWidth + ix) * g.InChannels + c,
                                        ((ky * g.KernelWidth + kx) * g.InChannels + c) * g.OutChannels + o,
                                        ((n * g.OutHeight + oy) * g.OutWidth + ox) * g.OutChannels + o);
                        }
                    }
    }

    public void Conv2DForward(in Conv2DGeometry g, StorageView x, StorageView w, StorageView bias, StorageView y, bool relu)
    {
        double[] xs = Data(x), ws = Data(w), ys = Data(y);
        int xo = x.Offset, wo = w.Offset, yo = y.Offset, oc = g.OutChannels;
        Array.Clear(ys, yo, y.Length);
        ForEachTerm(g, (xi, wi, yi) => ys[yo + yi] += xs[xo + xi] * ws[wo + wi]);
        var b = Span(bias);
        var yv = Span(y);
        for (int i = 0; i < yv.Length; i++)
        {
            if (!b.IsEmpty) yv[i] += b[i % oc];
            if (relu) yv[i] = Math.Max(yv[i], 0);
        }
    }

    public void Conv2DBackwardData(in Conv2DGeometry g, StorageView dy, StorageView w, StorageView dx)
    {
        double[] gs = Data(dy), ws = Data(w), ds = Data(dx);
        int go = dy.Offset, wo = w.Offset, d0 = dx.Offset;
        ForEachTerm(g, (xi, wi, yi) => ds[d0 + xi] += gs[go + yi] * ws[wo + wi]);
    }

    public void Conv2DBackwardWeights(in Conv2DGeometry g, StorageView x, StorageView dy, StorageView dw, StorageView dbias)
    {
        if (!dw.IsNone)
        {
            double[] xs = Data(x), gs = Data(dy), ds = Data(dw);
            int xo = x.Offset, go = dy.Offset, d0 = dw.Offset;
            ForEachTerm(g, (xi, wi, yi) => ds[d0 + wi] += xs[xo + xi] * gs[go + yi]);
        }
        if (dbias.IsNone) return;
        Span<double> gv = Span(dy), db = Span(dbias);
        for (int i = 0; i < gv.Length; i++) db[i % g.OutChannels] += gv[i];
    }

    /// <summary>The flat input indices of output pixel (n, oy, ox)'s window that lie inside the image (channel 0).</summary>
    private static List<int> Window(in Conv2DGeometry g, int n, int oy, int ox)
    {
        var pixels = new List<int>();
        for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight, ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                if (iy >= 0 && iy < g.InHeight && ix >= 0 && ix < g.InWidth) pixels.Add(((n * g.InHeight + iy) * g.InWidth + ix) * g.InChannels);
            }
        return pixels;
    }

    /// <summary>Calls <paramref name="visit"/>(output index, window pixels) for every output pixel and channel.</summary>
    private static void ForEachWindow(in Conv2DGeometry g, Action<int, int, List<int>> visit)
    {
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    var window = Window(g, n, oy, ox);
                    for (int c = 0; c < g.InChannels; c++) visit(((n * g.OutHeight + oy) * g.OutWidth + ox) * g.InChannels + c, c, window);
                }
    }

    /// <summary>The winner of a max window: the first NaN if there is one, else the first maximum.</summary>
    private static int Winner(Span<double> x, int channel, List<int> window)
    {
        int best = window[0] + channel;
        foreach (int pixel in window)
        {
            int at = pixel + channel;
            if (double.IsNaN(x[best])) break;
            if (double.IsNaN(x[at]) || x[at] > x[best]) best = at;
        }
        return best;
    }

    public Storage? MaxPool2DForward(in Conv2DGeometry g, StorageView x, StorageView y, bool forBackward)
    {
        double[] xs = Data(x), ys = Data(y);
        int xo = x.Offset, yo = y.Offset;
        ForEachWindow(g, (yi, c, window) => ys[yo + yi] = xs[xo + Winner(xs.AsSpan(xo, x.Length), c, window)]);
        return null;   // backward finds the winners again from x
    }

    public void MaxPool2DBackward(in Conv2DGeometry g, StorageView x, StorageView y, StorageView dy, Storage? saved, StorageView dx)
    {
        double[] xs = Data(x), gs = Data(dy), ds = Data(dx);
        int xo = x.Offset, go = dy.Offset, d0 = dx.Offset;
        ForEachWindow(g, (yi, c, window) => ds[d0 + Winner(xs.AsSpan(xo, x.Length), c, window)] += gs[go + yi]);
    }

    public void AvgPool2DForward(in Conv2DGeometry g, StorageView x, StorageView y)
    {
        double[] xs = Data(x), ys = Data(y);
        int xo = x.Offset, yo = y.Offset;
        ForEachWindow(g, (yi, c, window) => ys[yo + yi] = window.Sum(p => xs[xo + p + c]) / window.Count);
    }

    public void AvgPool2DBackward(in Conv2DGeometry g, StorageView dy, StorageView dx)
    {
        double[] gs = Data(dy), ds = Data(dx);
        int go = dy.Offset, d0 = dx.Offset;
        ForEachWindow(g, (yi, c, window) => { foreach (int p in window) ds[d0 + p + c] += gs[go + yi] / window.Count; });
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
        StorageView movingMean, StorageView movingVariance, StorageView y, StorageView mean, StorageView inverseStd)
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
        Affine(xs, channels, Span(gamma), Span(beta), mu, s, Span(y));
    }

    public void BatchNormInference(StorageView x, int channels, StorageView gamma, StorageView beta, float epsilon,
        StorageView movingMean, StorageView movingVariance, StorageView y, StorageView inverseStd)
    {
        Span<double> mv = Span(movingVariance);
        var s = new double[channels];
        for (int c = 0; c < channels; c++) s[c] = 1 / Math.Sqrt(mv[c] + epsilon);
        Affine(Span(x), channels, Span(gamma), Span(beta), Span(movingMean), s, Span(y));
        if (!inverseStd.IsNone) s.CopyTo(Span(inverseStd));
    }

    /// <summary>y = γ·(x − μ)·s + β per channel.</summary>
    private static void Affine(Span<double> x, int channels, Span<double> gamma, Span<double> beta, Span<double> mean, Span<double> s, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            int c = i % channels;
            y[i] = gamma[c] * (x[i] - mean[c]) * s[c] + beta[c];
        }
    }

    public void BatchNormBackward(StorageView x, StorageView dy, int channels, StorageView gamma, StorageView mean, StorageView inverseStd,
        StorageView dx, StorageView dGamma, StorageView dBeta)
    {
        Span<double> xs = Span(x), gs = Span(dy), g = Span(gamma), mu = Span(mean), s = Span(inverseStd);
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
        StorageView dx, StorageView dGamma, StorageView dBeta)
    {
        Span<double> xs = Span(x), gs = Span(dy), g = Span(gamma), mu = Span(mean), s = Span(inverseStd);
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
