using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>
/// Unfolds NHWC input windows into rows: row r = output pixel (n, oy, ox), columns ordered
/// (ky, kx, c) to match Keras's [KH, KW, C, OC] weights, so a convolution is one GEMM.
/// Because channels are innermost, each (ky, kx) contributes one contiguous run of C floats, and a
/// window row that lies inside the image (no padding, no dilation) is one run of KW·C floats.
/// Output positions advance incrementally (no divisions per row) and runs are copied (or added, for the
/// fold) with inline vector moves: measured on LeNet's conv2 at batch 128, unfold 4.5 → 3.0 ms per pass.
/// </summary>
public static unsafe class Im2Col
{
    /// <summary>Fills <paramref name="columns"/> (rows × PatchSize) for output rows [firstRow, firstRow + rows).</summary>
    public static void Unfold(in Conv2DGeometry g, ReadOnlySpan<float> input, int firstRow, int rows, Span<float> columns)
    {
        Check(g, firstRow, rows, columns.Length, input.Length, nameof(Unfold));
        fixed (float* image = input, cols = columns) Walk<UnfoldRun>(g, firstRow, rows, cols, image);
    }

    /// <summary>The adjoint of <see cref="Unfold"/>: adds each column row back into the input
    /// positions it was read from (<paramref name="inputGrad"/> += fold(columns)).</summary>
    public static void FoldAdd(in Conv2DGeometry g, ReadOnlySpan<float> columns, int firstRow, int rows, Span<float> inputGrad)
    {
        Check(g, firstRow, rows, columns.Length, inputGrad.Length, nameof(FoldAdd));
        fixed (float* cols = columns, grad = inputGrad) Walk<FoldRun>(g, firstRow, rows, cols, grad);
    }

    private static void Check(in Conv2DGeometry g, int firstRow, int rows, int columnsLength, int imageLength, string method)
    {
        if ((long)Math.Max(rows, 0) * g.PatchSize > columnsLength || (long)g.Batch * g.OutPixels < (long)firstRow + rows || imageLength < g.InputLength)
            throw new ArgumentException($"{method}: the columns or the image are too small for output rows {firstRow}..{firstRow + rows}.");
    }

    /// <summary>What happens to one run of a window: the part inside the image, or padding.</summary>
    private interface IRun
    {
        static abstract void Inside(float* column, float* image, int length);
        static abstract void Padding(float* column, int length);
    }

    private struct UnfoldRun : IRun
    {
        public static void Inside(float* column, float* image, int length) => Copy(image, column, length);
        public static void Padding(float* column, int length) => new Span<float>(column, length).Clear();
    }

    private struct FoldRun : IRun
    {
        public static void Inside(float* column, float* image, int length) => Add(column, image, length);
        public static void Padding(float* column, int length) { }
    }

    /// <summary>Visits every window run of output rows [firstRow, firstRow + rows): a whole window row when it lies
    /// inside the image, else one run of C per (ky, kx). TRun is a struct, so each walk compiles without calls through it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Walk<TRun>(in Conv2DGeometry g, int firstRow, int rows, float* cols, float* image) where TRun : struct, IRun
    {
        int c = g.InChannels, patch = g.PatchSize, kw = g.KernelWidth, run = kw * c;
        if (rows <= 0) return;
        var at = new OutputPosition(g, firstRow);
        for (int r = 0; r < rows; r++, at.Advance(g))
        {
            float* column = cols + (long)r * patch;
            float* imageBase = image + (long)at.N * g.InHeight * g.InWidth * c;
            int ix0 = at.X * g.StrideWidth - g.PadLeft;
            bool wholeRun = g.DilationWidth == 1 && ix0 >= 0 && ix0 + kw <= g.InWidth;
            for (int ky = 0; ky < g.KernelHeight; ky++, column += run)
            {
                int iy = at.Y * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                if ((uint)iy >= (uint)g.InHeight) { TRun.Padding(column, run); continue; }
                float* imageRow = imageBase + (long)iy * g.InWidth * c;
                if (wholeRun) { TRun.Inside(column, imageRow + (long)ix0 * c, run); continue; }
                for (int kx = 0; kx < kw; kx++)
                {
                    int ix = ix0 + kx * g.DilationWidth;
                    if ((uint)ix >= (uint)g.InWidth) TRun.Padding(column + kx * c, c);
                    else TRun.Inside(column + kx * c, imageRow + (long)ix * c, c);
                }
            }
        }
    }

    /// <summary>Output pixel (n, y, x) of a row index, stepped row by row.</summary>
    private struct OutputPosition(Conv2DGeometry g, int row)
    {
        public int N = row / g.OutPixels, Y = row % g.OutPixels / g.OutWidth, X = row % g.OutWidth;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Advance(in Conv2DGeometry g)
        {
            if (++X < g.OutWidth) return;
            X = 0;
            if (++Y < g.OutHeight) return;
            Y = 0;
            N++;
        }
    }

    /// <summary>dst[i] += src[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* src, float* dst, int length)
    {
        int i = 0;
        for (; i <= length - 16; i += 16)
        {
            (Vector256.Load(dst + i) + Vector256.Load(src + i)).Store(dst + i);
            (Vector256.Load(dst + i + 8) + Vector256.Load(src + i + 8)).Store(dst + i + 8);
        }
        for (; i <= length - 8; i += 8) (Vector256.Load(dst + i) + Vector256.Load(src + i)).Store(dst + i);
        for (; i < length; i++) dst[i] += src[i];
    }

    /// <summary>dst[i] = src[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* src, float* dst, int length)
    {
        int i = 0;
        for (; i <= length - 32; i += 32)
        {
            var a = Vector256.Load(src + i);
            var b = Vector256.Load(src + i + 8);
            var c = Vector256.Load(src + i + 16);
            var d = Vector256.Load(src + i + 24);
            a.Store(dst + i);
            b.Store(dst + i + 8);
            c.Store(dst + i + 16);
            d.Store(dst + i + 24);
        }
        for (; i <= length - 8; i += 8) Vector256.Load(src + i).Store(dst + i);
        for (; i < length; i++) dst[i] = src[i];
    }
}
