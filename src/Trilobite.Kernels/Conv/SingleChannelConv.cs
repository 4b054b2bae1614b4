using System.Buffers;
using System.Numerics;
using static Trilobite.Kernels.PartialVectors;

namespace Trilobite.Kernels;

/// <summary>
/// Direct convolution for an input of one channel (a grey image's first layer: LeNet's conv1, the detector's stem).
/// im2col turns it into a GEMM whose inner dimension is only the window (9 for 3×3), so the unfolded patches cost more
/// than the products (18 GFLOP/s on the stem's 16 × 128 × 128 → 16). Here each output row finds the image rows its
/// windows read, and each pixel multiplies the taps that fall inside the image into the weights, whose rows (padded to
/// whole vectors) stay in L1: the output channels are the vector lanes, up to four vectors at a time, the bias the
/// starting value and a ReLU applied before the store. The weight gradient is the same walk with the roles turned:
/// dw[tap] += x·dy summed over a row's pixels in registers, into a per-task sum. Output rows are split over threads in
/// contiguous ranges.
/// </summary>
public static unsafe class SingleChannelConv
{
    /// <summary>Window sizes up to this run here (a 7×7 window's 49 taps); larger ones stay on im2col.</summary>
    public const int MaxTaps = 64;

    /// <summary>Output pixels per thread at least, so that a small map is not cut into slivers.</summary>
    private const int MinPixelsPerTask = 1024;

    /// <summary>Whether <paramref name="g"/> runs here: one input channel and a window of at most <see cref="MaxTaps"/> taps.</summary>
    public static bool Applies(in Conv2DGeometry g) => g.InChannels == 1 && g.KernelHeight * g.KernelWidth <= MaxTaps;

    /// <summary>y (N, OH, OW, OC) = conv(x (N, H, W, 1), w (KH, KW, 1, OC)) + bias (OC, or empty), then max(y, 0) with <paramref name="relu"/>.</summary>
    public static void Forward(in Conv2DGeometry g, float* x, float* w, ReadOnlySpan<float> bias, float* y, bool relu = false)
    {
        int padded = Padded(g.OutChannels);
        float[] weights = PaddedWeights(g, w, padded), biasRow = ArrayPool<float>.Shared.Rent(padded);
        Array.Clear(biasRow, 0, padded);
        bias.CopyTo(biasRow);
        var geometry = g;
        int tasks = Tasks(g);
        fixed (float* pw = weights, pb = biasRow)
        {
            nint wAddress = (nint)pw, bAddress = (nint)pb;   // fixed locals cannot be captured
            KernelThreads.For(tasks, task =>
            {
                var (first, last) = Range(geometry, task, tasks);
                var rows = stackalloc float*[geometry.KernelHeight];
                for (int row = first; row < last; row++)
                {
                    Lines(geometry, x, row, rows);
                    ForwardRow(geometry, rows, (float*)wAddress, padded, (float*)bAddress, y + (long)row * geometry.OutWidth * geometry.OutChannels, relu);
                }
            });
        }
        ArrayPool<float>.Shared.Return(weights);
        ArrayPool<float>.Shared.Return(biasRow);
    }

    /// <summary>One output row: for each pixel and each group of up to four channel vectors, bias + Σ over the window's taps inside the image.</summary>
    private static void ForwardRow(in Conv2DGeometry g, float** rows, float* weights, int padded, float* bias, float* output, bool relu)
    {
        int width = Vector<float>.Count, oc = g.OutChannels, kw = g.KernelWidth, kh = g.KernelHeight;
        int inWidth = g.InWidth, dilation = g.DilationWidth, stride = g.StrideWidth, padLeft = g.PadLeft;
        for (int ox = 0; ox < g.OutWidth; ox++, output += oc)
        {
            int ix0 = ox * stride - padLeft;
            for (int o = 0; o < padded; o += 4 * width)
            {
                int vectors = Math.Min(4, (padded - o) / width);
                var a0 = *(Vector<float>*)(bias + o);
                var a1 = vectors > 1 ? *(Vector<float>*)(bias + o + width) : default;
                var a2 = vectors > 2 ? *(Vector<float>*)(bias + o + 2 * width) : default;
                var a3 = vectors > 3 ? *(Vector<float>*)(bias + o + 3 * width) : default;
                for (int ky = 0; ky < kh; ky++)
                {
                    float* line = rows[ky];
                    if (line == null) continue;                                     // a row above or below the image
                    float* tap = weights + ky * kw * padded + o;
                    for (int kx = 0, ix = ix0; kx < kw; kx++, ix += dilation, tap += padded)
                    {
                        if ((uint)ix >= (uint)inWidth) continue;
                        var v = new Vector<float>(line[ix]);
                        a0 += v * *(Vector<float>*)tap;
                        if (vectors > 1) a1 += v * *(Vector<float>*)(tap + width);
                        if (vectors > 2) a2 += v * *(Vector<float>*)(tap + 2 * width);
                        if (vectors > 3) a3 += v * *(Vector<float>*)(tap + 3 * width);
                    }
                }
                if (relu) (a0, a1, a2, a3) = (Vector.Max(a0, default), Vector.Max(a1, default), Vector.Max(a2, default), Vector.Max(a3, default));
                Store(output + o, a0, oc - o);
                if (vectors > 1) Store(output + o + width, a1, oc - o - width);
                if (vectors > 2) Store(output + o + 2 * width, a2, oc - o - 2 * width);
                if (vectors > 3) Store(output + o + 3 * width, a3, oc - o - 3 * width);
            }
        }
    }

    /// <summary>dw (KH, KW, 1, OC) += Σ over output pixels of window ⊗ dy[pixel] (the bias gradient is the caller's).</summary>
    public static void BackwardWeights(in Conv2DGeometry g, float* x, float* dy, float* dw)
    {
        int padded = Padded(g.OutChannels), taps = g.KernelHeight * g.KernelWidth, oc = g.OutChannels;
        int tasks = Tasks(g);
        var sums = new float[tasks][];
        var geometry = g;
        KernelThreads.For(tasks, task =>
        {
            var (first, last) = Range(geometry, task, tasks);
            var rows = stackalloc float*[geometry.KernelHeight];
            float[] sum = sums[task] = ArrayPool<float>.Shared.Rent(taps * padded);
            float[] copy = ArrayPool<float>.Shared.Rent(oc == padded ? 0 : geometry.OutWidth * padded);
            Array.Clear(sum, 0, taps * padded);
            Array.Clear(copy);
            fixed (float* ps = sum, pc = copy)
                for (int row = first; row < last; row++)
                {
                    Lines(geometry, x, row, rows);
                    float* gradient = dy + (long)row * geometry.OutWidth * oc;
                    if (oc != padded)   // rows of whole vectors, the padding lanes 0, so that no load runs past dy's end
                    {
                        for (int ox = 0; ox < geometry.OutWidth; ox++)
                            new ReadOnlySpan<float>(gradient + ox * oc, oc).CopyTo(new Span<float>(pc + ox * padded, oc));
                        gradient = pc;
                    }
                    BackwardWeightsRow(geometry, rows, gradient, padded, ps);
                }
            ArrayPool<float>.Shared.Return(copy);
        });
        for (int t = 0; t < taps; t++)
            for (int o = 0; o < oc; o++)
            {
                float total = 0;
                for (int task = 0; task < tasks; task++) total += sums[task][t * padded + o];
                dw[t * oc + o] += total;
            }
        foreach (var sum in sums) ArrayPool<float>.Shared.Return(sum);
    }

    /// <summary>
    /// One output row's share of dw: for each tap and pair of channel vectors, Σ over the row's pixels whose tap falls
    /// inside the image of x·dy, summed in registers and added to the task's sum once.
    /// </summary>
    private static void BackwardWeightsRow(in Conv2DGeometry g, float** rows, float* gradient, int padded, float* sum)
    {
        int width = Vector<float>.Count, kw = g.KernelWidth, stride = g.StrideWidth;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            float* line = rows[ky];
            if (line == null) continue;
            for (int kx = 0; kx < kw; kx++)
            {
                // The pixels whose tap (ky, kx) reads a column inside the image: ix = ox·s − padLeft + kx·d in [0, W).
                int offset = kx * g.DilationWidth - g.PadLeft;
                int oxFirst = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
                int oxLast = Math.Min(g.OutWidth, g.InWidth - offset <= 0 ? 0 : (g.InWidth - offset - 1) / stride + 1);
                float* target = sum + (ky * kw + kx) * padded;
                for (int o = 0; o < padded; o += 2 * width)
                {
                    bool pair = o + width < padded;
                    Vector<float> a0 = Vector<float>.Zero, a1 = Vector<float>.Zero;
                    float* dyAt = gradient + oxFirst * padded + o, xAt = line + oxFirst * stride + offset;
                    for (int ox = oxFirst; ox < oxLast; ox++, dyAt += padded, xAt += stride)
                    {
                        var v = new Vector<float>(*xAt);
                        a0 += v * *(Vector<float>*)dyAt;
                        if (pair) a1 += v * *(Vector<float>*)(dyAt + width);
                    }
                    *(Vector<float>*)(target + o) += a0;
                    if (pair) *(Vector<float>*)(target + o + width) += a1;
                }
            }
        }
    }

    /// <summary>Threads that take contiguous ranges of output rows: as many as have <see cref="MinPixelsPerTask"/> each.</summary>
    private static int Tasks(in Conv2DGeometry g)
    {
        int threads = KernelThreads.InParallelRegion ? 1 : KernelThreads.Count;
        long pixels = (long)g.Batch * g.OutPixels;
        return (int)Math.Clamp(pixels / MinPixelsPerTask, 1, Math.Min(threads, g.Batch * g.OutHeight));
    }

    /// <summary>The output rows (image and row flattened) [first, last) of one task.</summary>
    private static (int First, int Last) Range(in Conv2DGeometry g, int task, int tasks)
    {
        long rows = (long)g.Batch * g.OutHeight;
        return ((int)(rows * task / tasks), (int)(rows * (task + 1) / tasks));
    }

    /// <summary>w (taps, OC) copied into pooled rows of whole vectors (the padding lanes 0), so every load is a whole vector.</summary>
    private static float[] PaddedWeights(in Conv2DGeometry g, float* w, int padded)
    {
        int taps = g.KernelHeight * g.KernelWidth, oc = g.OutChannels;
        var rows = ArrayPool<float>.Shared.Rent(taps * padded);
        Array.Clear(rows, 0, taps * padded);
        for (int t = 0; t < taps; t++)
            new ReadOnlySpan<float>(w + t * oc, oc).CopyTo(rows.AsSpan(t * padded, oc));
        return rows;
    }

    /// <summary>For output row <paramref name="row"/> (image and row flattened): the input line each window row reads, null where it falls outside the image.</summary>
    private static void Lines(in Conv2DGeometry g, float* x, int row, float** rows)
    {
        int n = row / g.OutHeight, oy = row - n * g.OutHeight, iy0 = oy * g.StrideHeight - g.PadTop;
        float* image = x + (long)n * g.InHeight * g.InWidth;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            int iy = iy0 + ky * g.DilationHeight;
            rows[ky] = iy >= 0 && iy < g.InHeight ? image + (long)iy * g.InWidth : null;
        }
    }
}
