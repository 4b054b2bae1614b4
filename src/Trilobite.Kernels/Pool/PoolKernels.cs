using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>
/// Max and average pooling over NHWC windows described by a <see cref="Conv2DGeometry"/>
/// (OutChannels = InChannels). Padded positions never win a max and are not counted in an
/// average, as in Keras. Max pooling records the flat input index of each winner for backward.
/// </summary>
public static class PoolKernels
{
    /// <summary>
    /// y (N, OH, OW, C) = window max of x; argmax[i] = flat index into x of y[i]'s winner (the first on ties; the first NaN, if any, wins).
    /// Channels are processed eight at a time (they are contiguous in NHWC); output rows are spread over the pool.
    /// </summary>
    public static unsafe void MaxForward(in Conv2DGeometry g, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        KernelArguments.Pooling(nameof(MaxForward), g, x.Length, y.Length);
        KernelArguments.Length(nameof(MaxForward), "the winners' indices", argmax.Length, y.Length);
        var geometry = g;
        fixed (float* px = x, py = y)
        fixed (int* pa = argmax)
        {
            float* input = px, output = py;
            int* winners = pa;
            // At least ~16K outputs per task: below that, waking a worker costs more than the work.
            int minRows = Math.Max(1, (1 << 14) / Math.Max(1, g.OutWidth * g.InChannels));
            KernelThreads.ForRange(g.Batch * g.OutHeight, minRows, (first, last) =>
            {
                for (int row = first; row < last; row++) MaxRow(geometry, input, output, winners, row / geometry.OutHeight, row % geometry.OutHeight);
            });
        }
    }

    private static unsafe void MaxRow(in Conv2DGeometry g, float* x, float* y, int* argmax, int n, int oy)
    {
        int c = g.InChannels, vectorEnd = Vector256.IsHardwareAccelerated ? c - c % 8 : 0;
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        for (int ox = 0; ox < g.OutWidth; ox++)
        {
            int outBase = ((n * g.OutHeight + oy) * g.OutWidth + ox) * c;
            for (int ch = 0; ch < c; ch += ch < vectorEnd ? 8 : 1)
            {
                bool vector = ch < vectorEnd;
                var best = Vector256.Create(float.NegativeInfinity);
                var where = Vector256.Create(-1);
                float bestScalar = float.NegativeInfinity;
                int whereScalar = -1;
                for (int ky = 0; ky < g.KernelHeight; ky++)
                {
                    int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                    if ((uint)iy >= (uint)g.InHeight) continue;
                    for (int kx = 0; kx < g.KernelWidth; kx++)
                    {
                        int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                        if ((uint)ix >= (uint)g.InWidth) continue;
                        int at = ((n * g.InHeight + iy) * g.InWidth + ix) * c + ch;
                        if (vector)
                        {
                            // Take the first value, a larger one, or a NaN while the best is not yet NaN: NaN propagates, as in PyTorch.
                            var v = Vector256.Load(x + at);
                            var take = Vector256.GreaterThan(v, best) | (~Vector256.Equals(v, v) & Vector256.Equals(best, best))
                                | Vector256.LessThan(where, Vector256<int>.Zero).AsSingle();
                            best = Vector256.ConditionalSelect(take, v, best);
                            where = Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(at) + lanes, where);
                        }
                        else if (whereScalar < 0 || (!float.IsNaN(bestScalar) && (x[at] > bestScalar || float.IsNaN(x[at]))))
                        {
                            bestScalar = x[at];
                            whereScalar = at;
                        }
                    }
                }
                if (vector)
                {
                    best.Store(y + outBase + ch);
                    where.Store(argmax + outBase + ch);
                }
                else { y[outBase + ch] = bestScalar; argmax[outBase + ch] = whereScalar; }
            }
        }
    }

    /// <summary>dx[argmax[i]] += dy[i].</summary>
    public static void MaxBackward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx)
    {
        KernelArguments.Length(nameof(MaxBackward), "the winners' indices", argmax.Length, dy.Length);
        for (int i = 0; i < dy.Length; i++) dx[argmax[i]] += dy[i];
    }

    /// <summary>y = window mean of x over the in-bounds positions.</summary>
    public static void AverageForward(in Conv2DGeometry g, ReadOnlySpan<float> x, Span<float> y)
    {
        KernelArguments.Pooling(nameof(AverageForward), g, x.Length, y.Length);
        int c = g.InChannels;
        Span<int> window = WindowBuffer(g, stackalloc int[StackWindow]);
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    Span<float> sum = y.Slice(((n * g.OutHeight + oy) * g.OutWidth + ox) * c, c);
                    sum.Clear();
                    int count = WindowOffsets(g, n, oy, ox, window);
                    foreach (int offset in window[..count])
                        System.Numerics.Tensors.TensorPrimitives.Add(sum, x.Slice(offset, c), sum);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(sum, 1f / count, sum);
                }
    }

    /// <summary>dx += dy spread evenly over each window's in-bounds positions.</summary>
    public static void AverageBackward(in Conv2DGeometry g, ReadOnlySpan<float> dy, Span<float> dx)
    {
        KernelArguments.Pooling(nameof(AverageBackward), g, dx.Length, dy.Length);
        int c = g.InChannels;
        Span<int> window = WindowBuffer(g, stackalloc int[StackWindow]);
        for (int n = 0; n < g.Batch; n++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    ReadOnlySpan<float> grad = dy.Slice(((n * g.OutHeight + oy) * g.OutWidth + ox) * c, c);
                    int count = WindowOffsets(g, n, oy, ox, window);
                    foreach (int offset in window[..count])
                    {
                        Span<float> d = dx.Slice(offset, c);
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(grad, 1f / count, d, d);
                    }
                }
    }

    /// <summary>y (N, C) = mean of x (N, H·W, C) over the spatial positions.</summary>
    public static void GlobalAverageForward(int batch, int pixels, int channels, ReadOnlySpan<float> x, Span<float> y)
    {
        GlobalShapes(nameof(GlobalAverageForward), batch, pixels, channels, x.Length, y.Length);
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
        GlobalShapes(nameof(GlobalAverageBackward), batch, pixels, channels, dx.Length, dy.Length);
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

    /// <summary>Window offsets up to this many (a 32×32 window) live on the stack; larger windows (from a config) use the heap.</summary>
    private const int StackWindow = 1024;

    private static Span<int> WindowBuffer(in Conv2DGeometry g, Span<int> stack)
    {
        long size = (long)g.KernelHeight * g.KernelWidth;
        return size <= stack.Length ? stack[..(int)size] : new int[size];
    }

    private static void GlobalShapes(string kernel, int batch, int pixels, int channels, int input, int output)
    {
        if (batch < 0 || pixels < 1 || channels < 1) throw new ArgumentException($"{kernel}: batch {batch}, pixels {pixels} and channels {channels} must be positive.");
        KernelArguments.Length(kernel, "the input", input, (long)batch * pixels * channels);
        KernelArguments.Length(kernel, "the output", output, (long)batch * channels);
    }

    /// <summary>Flat offsets into x of the in-bounds pixels of output (n, oy, ox)'s window (channel 0 of each); returns how many.</summary>
    private static int WindowOffsets(in Conv2DGeometry g, int n, int oy, int ox, Span<int> offsets)
    {
        int count = 0;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if ((uint)iy >= (uint)g.InHeight) continue;
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                if ((uint)ix < (uint)g.InWidth) offsets[count++] = ((n * g.InHeight + iy) * g.InWidth + ix) * g.InChannels;
            }
        }
        return count;
    }
}
