using System.Buffers;
using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// 2-D convolution over NHWC tensors with Keras-ordered weights [KH, KW, C, OC], as im2col + GEMM.
/// The output rows (n, oy, ox) are processed in blocks whose unfolded patches fit a few MiB, so the
/// workspace stays bounded; unfolding is spread over the worker pool and each GEMM is threaded itself.
/// The transposed convolution is <see cref="BackwardData"/> with the roles of input and output swapped.
/// </summary>
public static unsafe class Conv2DKernels
{
    private const int WorkspaceFloats = 1 << 20;

    /// <summary>y (N, OH, OW, OC) = conv(x (N, H, W, C), w (KH, KW, C, OC)) + bias (OC, or empty).</summary>
    public static void Forward(in Conv2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y)
    {
        int rowsTotal = g.Batch * g.OutPixels, patch = g.PatchSize, oc = g.OutChannels;
        if (g.IsPointwise)
            Gemm.Sgemm(false, false, rowsTotal, oc, patch, 1f, x, patch, w, oc, 0f, y, oc);
        else
        {
            int blockRows = BlockRows(g);
            float[] workspace = ArrayPool<float>.Shared.Rent(Math.Min(blockRows, rowsTotal) * patch);
            for (int first = 0; first < rowsTotal; first += blockRows)
            {
                int rows = Math.Min(blockRows, rowsTotal - first);
                Span<float> cols = workspace.AsSpan(0, rows * patch);
                UnfoldParallel(g, x, first, rows, cols);
                Gemm.Sgemm(false, false, rows, oc, patch, 1f, cols, patch, w, oc, 0f, y.Slice(first * oc, rows * oc), oc);
            }
            ArrayPool<float>.Shared.Return(workspace);
        }
        if (!bias.IsEmpty) AddRowBias(y.Slice(0, rowsTotal * oc), bias);
    }

    /// <summary>dx (N, H, W, C) += convᵀ(dy (N, OH, OW, OC), w): the gradient of the input.</summary>
    public static void BackwardData(in Conv2DGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx)
    {
        int rowsTotal = g.Batch * g.OutPixels, patch = g.PatchSize, oc = g.OutChannels;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(false, true, rowsTotal, patch, oc, 1f, dy, oc, w, oc, 1f, dx, patch);
            return;
        }
        int blockRows = BlockRows(g);
        float[] workspace = ArrayPool<float>.Shared.Rent(Math.Min(blockRows, rowsTotal) * patch);
        for (int first = 0; first < rowsTotal; first += blockRows)
        {
            int rows = Math.Min(blockRows, rowsTotal - first);
            Span<float> cols = workspace.AsSpan(0, rows * patch);
            Gemm.Sgemm(false, true, rows, patch, oc, 1f, dy.Slice(first * oc, rows * oc), oc, w, oc, 0f, cols, patch);
            FoldAddParallel(g, cols, first, rows, dx);
        }
        ArrayPool<float>.Shared.Return(workspace);
    }

    /// <summary>dw (KH, KW, C, OC) += unfold(x)ᵀ · dy and dbias (OC) += Σ dy over rows (skipped when empty).</summary>
    public static void BackwardWeights(in Conv2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, Span<float> dbias)
    {
        int rowsTotal = g.Batch * g.OutPixels, patch = g.PatchSize, oc = g.OutChannels;
        if (g.IsPointwise)
            Gemm.Sgemm(true, false, patch, oc, rowsTotal, 1f, x, patch, dy, oc, 1f, dw, oc);
        else
        {
            int blockRows = BlockRows(g);
            float[] workspace = ArrayPool<float>.Shared.Rent(Math.Min(blockRows, rowsTotal) * patch);
            for (int first = 0; first < rowsTotal; first += blockRows)
            {
                int rows = Math.Min(blockRows, rowsTotal - first);
                Span<float> cols = workspace.AsSpan(0, rows * patch);
                UnfoldParallel(g, x, first, rows, cols);
                Gemm.Sgemm(true, false, patch, oc, rows, 1f, cols, patch, dy.Slice(first * oc, rows * oc), oc, 1f, dw, oc);
            }
            ArrayPool<float>.Shared.Return(workspace);
        }
        if (!dbias.IsEmpty) SumRows(dy.Slice(0, rowsTotal * oc), oc, dbias);
    }

    /// <summary>out[r, :] += bias for every row r.</summary>
    public static void AddRowBias(Span<float> matrix, ReadOnlySpan<float> bias)
    {
        int width = bias.Length;
        for (int offset = 0; offset < matrix.Length; offset += width)
        {
            Span<float> row = matrix.Slice(offset, width);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>sums[c] += Σ_r matrix[r, c].</summary>
    public static void SumRows(ReadOnlySpan<float> matrix, int width, Span<float> sums)
    {
        for (int offset = 0; offset < matrix.Length; offset += width)
            TensorPrimitives.Add(sums, matrix.Slice(offset, width), sums);
    }

    private static int BlockRows(in Conv2DGeometry g) => Math.Max(16, WorkspaceFloats / g.PatchSize);

    /// <summary>Unfolds output rows [first, first + rows) into <paramref name="cols"/>, spread over the pool.</summary>
    private static void UnfoldParallel(in Conv2DGeometry g, ReadOnlySpan<float> x, int first, int rows, Span<float> cols)
    {
        if (rows < 128 || KernelThreads.Count == 1)
        {
            Im2Col.Unfold(g, x, first, rows, cols);
            return;
        }
        var geometry = g;
        int patch = g.PatchSize, inputLength = x.Length;
        fixed (float* px = x)
        fixed (float* pc = cols)
        {
            float* input = px, ws = pc;
            KernelThreads.ForRange(rows, 64, (s, e) =>
                Im2Col.Unfold(geometry, new ReadOnlySpan<float>(input, inputLength), first + s, e - s,
                    new Span<float>(ws + (long)s * patch, (e - s) * patch)));
        }
    }

    /// <summary>Folds a block back, in parallel over whole images (images never share input pixels).</summary>
    private static void FoldAddParallel(in Conv2DGeometry g, ReadOnlySpan<float> cols, int first, int rows, Span<float> dx)
    {
        int pixels = g.OutPixels, patch = g.PatchSize;
        int firstImage = first / pixels, lastImage = (first + rows - 1) / pixels;
        if (firstImage == lastImage || KernelThreads.Count == 1)
        {
            Im2Col.FoldAdd(g, cols, first, rows, dx);
            return;
        }
        var geometry = g;
        fixed (float* pc = cols)
        fixed (float* pd = dx)
        {
            float* c = pc, d = pd;
            int dxLength = dx.Length;
            KernelThreads.For(lastImage - firstImage + 1, i =>
            {
                int image = firstImage + i;
                int s = Math.Max(first, image * pixels), e = Math.Min(first + rows, (image + 1) * pixels);
                Im2Col.FoldAdd(geometry, new ReadOnlySpan<float>(c + (long)(s - first) * patch, (e - s) * patch), s, e - s,
                    new Span<float>(d, dxLength));
            });
        }
    }
}
