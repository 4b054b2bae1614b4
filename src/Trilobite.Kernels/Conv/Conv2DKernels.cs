using System.Buffers;
using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// 2-D convolution over NHWC tensors with Keras-ordered weights [KH, KW, C, OC], as im2col + GEMM (3×3 stride-1
/// windows over 16 channels or more and enough pixels: all three passes by <see cref="Winograd3x3"/>; a single input
/// channel: the forward pass and the weight gradient by <see cref="SingleChannelConv"/>).
/// Output rows (n, oy, ox) are processed in blocks whose unfolded patches fit in L2 (the GEMM then
/// reads them from cache, not memory). With at least as many images as threads, each thread takes
/// whole images and runs its blocks alone (single-threaded GEMMs, no synchronisation inside). With
/// fewer (batch-1 inference) the forward pass and the weight gradient cut the rows of one image
/// between threads (each unfolds and multiplies its own rows); the input gradient cannot (neighbouring
/// rows add into the same input pixels), so its blocks run in turn and each GEMM is threaded itself.
/// The bias and a fused ReLU are applied as each block or tile is written, and the bias gradient is summed alongside the
/// weight gradient, by the thread that made it (<see cref="ConvEpilogue"/>; after a pointwise GEMM, and for the
/// single-channel weight gradient's bias, in one pass split over the pool).
/// The transposed convolution is <see cref="BackwardData"/> with the roles of input and output swapped.
/// </summary>
public static unsafe class Conv2DKernels
{
    /// <summary>Floats of unfolded patches per block: 512 KiB, Zen 3's L2 (measured best of 2^15–2^22 on LeNet's conv2).</summary>
    private const int WorkspaceFloats = 1 << 17;

    /// <summary>y (N, OH, OW, OC) = conv(x (N, H, W, C), w (KH, KW, C, OC)) + bias (OC, or empty), then max(y, 0) with <paramref name="relu"/>.</summary>
    public static void Forward(in Conv2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, bool relu = false)
    {
        KernelArguments.Convolution(nameof(Forward), g, x.Length, w.Length, y.Length);
        KernelArguments.OptionalLength(nameof(Forward), "the bias", bias.Length, g.OutChannels);
        int rowsTotal = g.Batch * g.OutPixels, patch = g.PatchSize, oc = g.OutChannels;
        fixed (float* px = x, pw = w, pbias = bias, py = y)
        {
            float* b = bias.IsEmpty ? null : pbias;
            if (g.IsPointwise)
            {
                Gemm.Sgemm(false, false, rowsTotal, oc, patch, 1f, x, patch, w, oc, 0f, y, oc);
                ConvEpilogue.ApplyParallel(py, rowsTotal, oc, b, relu);
            }
            else if (SingleChannelConv.Applies(g))
                SingleChannelConv.Forward(g, px, pw, bias, py, relu);
            else if (Winograd3x3.Applies(g))
                Winograd3x3.Forward(g, px, pw, b, py, relu);
            else
            {
                var job = new Job(g, px, pw, py, x.Length, w.Length, y.Length) { Bias = b, Relu = relu };
                ForEachBlock(g, job.ForwardBlock, rowsIndependent: true);
            }
        }
    }

    /// <summary>dx (N, H, W, C) += convᵀ(dy (N, OH, OW, OC), w): the gradient of the input.</summary>
    public static void BackwardData(in Conv2DGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx)
    {
        KernelArguments.Convolution(nameof(BackwardData), g, dx.Length, w.Length, dy.Length);
        int rowsTotal = g.Batch * g.OutPixels, patch = g.PatchSize, oc = g.OutChannels;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(false, true, rowsTotal, patch, oc, 1f, dy, oc, w, oc, 1f, dx, patch);
            return;
        }
        fixed (float* pdy = dy, pw = w, pdx = dx)
        {
            if (Winograd3x3.Applies(g)) { Winograd3x3.BackwardData(g, pdy, pw, pdx); return; }
            var job = new Job(g, pdx, pw, pdy, dx.Length, w.Length, dy.Length);
            ForEachBlock(g, job.BackwardDataBlock, rowsIndependent: false);
        }
    }

    /// <summary>dw (KH, KW, C, OC) += unfold(x)ᵀ · dy and dbias (OC) += Σ dy over rows (skipped when empty).</summary>
    public static void BackwardWeights(in Conv2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, Span<float> dbias)
    {
        KernelArguments.Convolution(nameof(BackwardWeights), g, x.Length, dw.Length, dy.Length);
        KernelArguments.OptionalLength(nameof(BackwardWeights), "the bias gradient", dbias.Length, g.OutChannels);
        int rowsTotal = g.Batch * g.OutPixels, patch = g.PatchSize, oc = g.OutChannels;
        bool biasSummedAlongside = false;
        if (g.IsPointwise)
            Gemm.Sgemm(true, false, patch, oc, rowsTotal, 1f, x, patch, dy, oc, 1f, dw, oc);
        else if (SingleChannelConv.Applies(g))
            fixed (float* px = x, pdy = dy, pdw = dw) SingleChannelConv.BackwardWeights(g, px, pdy, pdw);
        else if (Winograd3x3.Applies(g))
        {
            fixed (float* px = x, pdy = dy, pdw = dw) Winograd3x3.BackwardWeights(g, px, pdy, pdw, dbias);
            biasSummedAlongside = true;
        }
        else
        {
            // Each task accumulates into its own copy of dw (task 0 into dw itself); the copies are summed at the end.
            int tasks = TaskCount(g, rowsIndependent: true);
            float[][] partials = new float[Math.Max(0, tasks - 1)][];
            for (int t = 0; t < partials.Length; t++)
            {
                partials[t] = ArrayPool<float>.Shared.Rent(dw.Length);
                Array.Clear(partials[t], 0, dw.Length);
            }
            using var biasRows = dbias.IsEmpty ? null : new PaddedRows(tasks, oc);
            fixed (float* px = x, pdy = dy, pdw = dw)
            {
                var job = new Job(g, px, pdw, pdy, x.Length, dw.Length, dy.Length) { Partials = partials, BiasGradients = biasRows };
                ForEachBlock(g, job.BackwardWeightsBlock, rowsIndependent: true);
            }
            foreach (var partial in partials)
            {
                TensorPrimitives.Add(dw, partial.AsSpan(0, dw.Length), dw);
                ArrayPool<float>.Shared.Return(partial);
            }
            biasRows?.AddTo(dbias);
            biasSummedAlongside = true;
        }
        if (!dbias.IsEmpty && !biasSummedAlongside) SumRows(dy.Slice(0, rowsTotal * oc), oc, dbias);
    }

    /// <summary>sums[c] += Σ_r matrix[r, c] (rows split over the pool).</summary>
    public static void SumRows(ReadOnlySpan<float> matrix, int width, Span<float> sums)
    {
        int rows = KernelArguments.Rows(nameof(SumRows), matrix.Length, width);
        KernelArguments.Length(nameof(SumRows), "the sums", sums.Length, width);
        fixed (float* pm = matrix) ConvEpilogue.SumColumns(pm, rows, width, sums);
    }

    /// <summary>
    /// Output rows per block: as many as fit the workspace, but never fewer than the output channels (up to 256). Each
    /// block streams the whole weight matrix (patch × OC) through the GEMM, so with large patches and few rows per block
    /// the weights' traffic dominates: CapsNet's primary capsules (patch 20,736, 256 channels) ran at a third of the
    /// GEMM's speed with the 6 rows the workspace holds.
    /// </summary>
    private static int BlockRows(in Conv2DGeometry g) => Math.Max(16, Math.Max(WorkspaceFloats / g.PatchSize, Math.Min(g.OutChannels, MaxWeightBoundRows)));

    /// <summary>Rows enough that a block does 2·rows FLOPs per weight it reads (measured on CapsNet's primary capsules).</summary>
    private const int MaxWeightBoundRows = 256;

    /// <summary>Threads that each take a range of output rows: whole images when there are enough images;
    /// otherwise part of an image where rows are independent and the work is worth a thread, else 1.</summary>
    private static int TaskCount(in Conv2DGeometry g, bool rowsIndependent)
    {
        int threads = KernelThreads.InParallelRegion ? 1 : KernelThreads.Count;
        if (g.Batch >= threads) return threads;
        long work = (long)g.Batch * g.OutPixels * g.PatchSize * g.OutChannels;
        return rowsIndependent && work >= GemmBlocking.ParallelMinWork ? threads : 1;
    }

    /// <summary>The output rows [first, last) of one task: cut at image boundaries when every task gets an image.</summary>
    private static (int First, int Last) TaskRows(in Conv2DGeometry g, int task, int tasks)
    {
        long unit = g.Batch >= tasks ? g.OutPixels : 1, units = g.Batch * (long)g.OutPixels / unit;
        return ((int)(units * task / tasks * unit), (int)(units * (task + 1) / tasks * unit));
    }

    private delegate void BlockBody(int task, int firstRow, int rows, float* columns);

    /// <summary>Runs <paramref name="body"/> on every block of output rows with a workspace of unfolded patches.</summary>
    private static void ForEachBlock(in Conv2DGeometry g, BlockBody body, bool rowsIndependent)
    {
        var geometry = g;
        int tasks = TaskCount(g, rowsIndependent), blockRows = BlockRows(g), patch = g.PatchSize;
        KernelThreads.For(tasks, task =>
        {
            var (first, last) = TaskRows(geometry, task, tasks);
            float[] workspace = ArrayPool<float>.Shared.Rent(Math.Min(blockRows, last - first) * patch);
            fixed (float* ws = workspace)
                for (int row = first; row < last; row += blockRows)
                    body(task, row, Math.Min(blockRows, last - row), ws);
            ArrayPool<float>.Shared.Return(workspace);
        });
    }

    /// <summary>The pinned operands of one kernel call, shared by its blocks. Valid only during the call.</summary>
    private sealed class Job(Conv2DGeometry g, float* image, float* weights, float* output, int imageLength, int weightsLength, int outputLength)
    {
        public float[][] Partials { get; init; } = [];

        /// <summary>Each task's share of the bias gradient (null: none wanted).</summary>
        public PaddedRows? BiasGradients { get; init; }

        /// <summary>The forward pass's bias (null: none) and fused ReLU, applied to each block as it leaves the GEMM.</summary>
        public float* Bias { get; init; }
        public bool Relu { get; init; }

        private Span<float> Image => new(image, imageLength);
        private Span<float> Weights => new(weights, weightsLength);
        private Span<float> Output => new(output, outputLength);

        public void ForwardBlock(int task, int first, int rows, float* ws)
        {
            int patch = g.PatchSize, oc = g.OutChannels;
            var cols = new Span<float>(ws, rows * patch);
            Im2Col.Unfold(g, Image, first, rows, cols);
            Gemm.Sgemm(false, false, rows, oc, patch, 1f, cols, patch, Weights, oc, 0f, Output.Slice(first * oc, rows * oc), oc);
            ConvEpilogue.Apply(output + (long)first * oc, rows, oc, Bias, Relu);
        }

        public void BackwardDataBlock(int task, int first, int rows, float* ws)
        {
            int patch = g.PatchSize, oc = g.OutChannels;
            var cols = new Span<float>(ws, rows * patch);
            Gemm.Sgemm(false, true, rows, patch, oc, 1f, Output.Slice(first * oc, rows * oc), oc, Weights, oc, 0f, cols, patch);
            Im2Col.FoldAdd(g, cols, first, rows, Image);
        }

        public void BackwardWeightsBlock(int task, int first, int rows, float* ws)
        {
            int patch = g.PatchSize, oc = g.OutChannels;
            var cols = new Span<float>(ws, rows * patch);
            Im2Col.Unfold(g, Image, first, rows, cols);
            Span<float> dw = task == 0 ? Weights : Partials[task - 1].AsSpan(0, weightsLength);
            Gemm.Sgemm(true, false, patch, oc, rows, 1f, cols, patch, Output.Slice(first * oc, rows * oc), oc, 1f, dw, oc);
            if (BiasGradients is { } biasRows) ConvEpilogue.AddColumnSums(output + (long)first * oc, rows, oc, biasRows[task]);
        }
    }
}
