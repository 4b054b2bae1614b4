using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using static Trilobite.Kernels.PartialVectors;

namespace Trilobite.Kernels;

/// <summary>
/// Winograd's minimal filtering (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016) for 3×3,
/// stride-1 convolutions over NHWC; this file is the driver both tile sizes share. F(2×2, 3×3) (Winograd3x3.F2.cs):
/// each 2×2 block of outputs comes from a 4×4 block of inputs as Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, so the multiplications become 16 GEMMs of (tiles × C)·(C × OC), 2.25 times fewer than
/// im2col's; its transforms only add and halve (the results differ from im2col's by a few ulps of the sums). Where there
/// are enough tiles, F(4×4, 3×3) (Winograd3x3.F4.cs) takes 4×4 blocks of outputs from 6×6 blocks of inputs through
/// 36 GEMMs, 4 times fewer multiplications than im2col's, at the price of larger coefficients and rounding.
/// The input gradient of a stride-1 convolution is itself one (the kernel flipped, its channel axes swapped, the padding
/// mirrored), so it runs here too, and, unlike the im2col fold, splits over threads by output tiles; the weight gradient
/// runs the transforms' adjoints around GEMMs whose inner dimension is the tiles. Tiles are taken in blocks whose
/// transformed inputs and products fit in L2.
/// </summary>
public static unsafe partial class Winograd3x3
{
    /// <summary>
    /// Floats of transformed inputs and products per block: 2 MiB, 256 tiles of 64 and 64 channels (on the detector's
    /// towers 16×16×64, 1 thread: 2¹⁷ gave 1.59 ms, 2¹⁸ 1.45, 2¹⁹ 1.26, 2²⁰ 1.26; fewer, larger GEMMs pay their fixed costs less often).
    /// </summary>
    private const int WorkspaceFloats = 1 << 19;

    /// <summary>
    /// Floats between the starts of two positions' planes beyond their data: one cache line, so the 16 planes a tile's
    /// transform writes (or reads) at once do not all fall into the same L1 set when a plane is a multiple of 4 KiB.
    /// </summary>
    private const int PlanePad = 16;

    /// <summary>Fewer channels than this leave the GEMMs too thin to gain (a grey image's first convolution stays on im2col).</summary>
    public const int MinChannels = 16;

    /// <summary>
    /// Output pixels (all images) below which the kernel's transform (16 × C × OC values, once per call) costs more than the
    /// multiplications saved: a single 8×8 or 4×4 map stays on im2col.
    /// </summary>
    public const int MinPixels = 256;

    /// <summary>
    /// Whether <paramref name="g"/> runs here: a 3×3 window, stride and dilation 1, an output of at least 2×2 and
    /// <see cref="MinPixels"/> pixels, and at least <see cref="MinChannels"/> input and output channels. Channel counts that
    /// are not whole vectors (a detector head's 9 × 10 class scores) are padded with zeros inside the transformed planes.
    /// </summary>
    public static bool Applies(in Conv2DGeometry g) =>
        g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1
        && g.OutHeight >= 2 && g.OutWidth >= 2 && (long)g.Batch * g.OutPixels >= MinPixels && g.InChannels >= MinChannels && g.OutChannels >= MinChannels;

    /// <summary>y (N, OH, OW, OC) = conv(x, w (3, 3, C, OC)) + bias (OC, or null), then max(y, 0) with <paramref name="relu"/>: both as the tiles are written.</summary>
    public static void Forward(in Conv2DGeometry g, float* x, float* w, float* bias, float* y, bool relu)
    {
        var p = new Problem(g.Batch, g.InHeight, g.InWidth, g.InChannels, g.OutHeight, g.OutWidth, g.OutChannels, g.PadTop, g.PadLeft, TileFor(g.Batch, g.OutHeight, g.OutWidth));
        float[] u = ArrayPool<float>.Shared.Rent(p.Positions * p.ChannelsPadded * p.OutChannelsPadded);
        fixed (float* pu = u)
        {
            TransformWeights(p.Tile, w, g.InChannels, g.OutChannels, pu);
            var (blockTiles, blocks, tasks) = Split(p);
            Run(new Job(p, x, pu, y, accumulate: false, blockTiles, blocks, tasks) { Bias = bias, Relu = relu });
        }
        ArrayPool<float>.Shared.Return(u);
    }

    /// <summary>dx (N, H, W, C) += convᵀ(dy (N, OH, OW, OC), w): the forward convolution of dy with the flipped, channel-swapped kernel.</summary>
    public static void BackwardData(in Conv2DGeometry g, float* dy, float* w, float* dx)
    {
        int c = g.InChannels, oc = g.OutChannels;
        // The adjoint reads dy at iy − (2 − padTop) + ky': the mirrored padding.
        var p = new Problem(g.Batch, g.OutHeight, g.OutWidth, oc, g.InHeight, g.InWidth, c, 2 - g.PadTop, 2 - g.PadLeft, TileFor(g.Batch, g.InHeight, g.InWidth));
        float[] flipped = ArrayPool<float>.Shared.Rent(9 * c * oc), u = ArrayPool<float>.Shared.Rent(p.Positions * p.ChannelsPadded * p.OutChannelsPadded);
        fixed (float* pf = flipped, pu = u)
        {
            Flip(w, c, oc, pf);
            TransformWeights(p.Tile, pf, oc, c, pu);
            var (blockTiles, blocks, tasks) = Split(p);
            Run(new Job(p, dy, pu, dx, accumulate: true, blockTiles, blocks, tasks));
        }
        ArrayPool<float>.Shared.Return(flipped);
        ArrayPool<float>.Shared.Return(u);
    }

    /// <summary>Square blocks of the channel transpose in <see cref="Flip"/>: 8 × 8 floats read and written whole cache lines at a time.</summary>
    private const int FlipBlock = 8;

    /// <summary>
    /// w'[ky, kx, o, i] = w[2 − ky, 2 − kx, i, o]: the adjoint's kernel, laid out as a forward one. Each tap's C × OC matrix
    /// is transposed in blocks (element by element, the writes strode a row of C apart and a 128-channel kernel's
    /// flip cost a fifth of its 8×8 input gradient); the taps are split over the pool.
    /// </summary>
    private static void Flip(float* w, int c, int oc, float* flipped)
    {
        nint wAddress = (nint)w, flippedAddress = (nint)flipped;
        KernelThreads.ForRange(9, 1, (first, last) => FlipTaps((float*)wAddress, c, oc, (float*)flippedAddress, first, last));
    }

    private static void FlipTaps(float* w, int c, int oc, float* flipped, int firstTap, int lastTap)
    {
        for (int k = firstTap; k < lastTap; k++)
        {
            float* src = w + (long)(8 - k) * c * oc, dst = flipped + (long)k * oc * c;
            for (int i0 = 0; i0 < c; i0 += FlipBlock)
                for (int o0 = 0; o0 < oc; o0 += FlipBlock)
                {
                    int i1 = Math.Min(c, i0 + FlipBlock), o1 = Math.Min(oc, o0 + FlipBlock);
                    for (int o = o0; o < o1; o++)
                        for (int i = i0; i < i1; i++)
                            dst[(long)o * c + i] = src[(long)i * oc + o];
                }
        }
    }

    /// <summary>
    /// A stride-1 3×3 correlation: input (N, H, W, C) read from (−PadTop, −PadLeft) with zeros outside, output
    /// (N, OH, OW, OC), in tiles of <paramref name="Tile"/> × <paramref name="Tile"/> outputs (2: F(2×2, 3×3); 4: F(4×4, 3×3)).
    /// </summary>
    private readonly record struct Problem(int Batch, int Height, int Width, int Channels, int OutHeight, int OutWidth, int OutChannels, int PadTop, int PadLeft, int Tile)
    {
        /// <summary>The planes' widths: the channels rounded up to whole vectors.</summary>
        public int ChannelsPadded => Padded(Channels);
        public int OutChannelsPadded => Padded(OutChannels);
        public int TilesY => (OutHeight + Tile - 1) / Tile;
        public int TilesX => (OutWidth + Tile - 1) / Tile;
        public int Tiles => Batch * TilesY * TilesX;

        /// <summary>Transformed positions per tile: its (Tile + 2)² input block.</summary>
        public int Positions => (Tile + 2) * (Tile + 2);
    }

    /// <summary>
    /// F(4×4)'s tiles where there are at least <see cref="MinLargeTiles"/> of them and they cover no more than a fifth more
    /// than F(2×2)'s (a 13×13 map would compute 16×16 against 14×14); F(2×2)'s otherwise.
    /// </summary>
    internal static int TileFor(int batch, int outHeight, int outWidth)
    {
        long large = (long)batch * ((outHeight + 3) / 4) * ((outWidth + 3) / 4);
        long areaLarge = 16L * ((outHeight + 3) / 4) * ((outWidth + 3) / 4), areaSmall = 4L * ((outHeight + 1) / 2) * ((outWidth + 1) / 2);
        return outHeight >= 4 && outWidth >= 4 && large >= MinLargeTiles && 5 * areaLarge <= 6 * areaSmall ? 4 : 2;
    }

    /// <summary>
    /// F(4×4) tiles below which F(2×2) runs instead: with few tiles its 36 GEMMs are too short to pay for their
    /// fixed costs and its larger kernel transform (1 thread, 16 images, 64 channels: a 4×4 map's 16 tiles took
    /// 0.16 ms against F(2×2)'s 0.08, an 8×8 map's 64 about the same, a 16×16 map's 256 0.73 ms against 0.89).
    /// </summary>
    private const int MinLargeTiles = 128;

    /// <summary>
    /// The kernel's transform for <paramref name="tile"/>, its rows (input channels) split over the pool: it runs once
    /// per call before the tiles, and on one thread it held the other idle (36 × C × OC values for F(4×4)).
    /// </summary>
    private static void TransformWeights(int tile, float* w, int channels, int outChannels, float* u)
    {
        nint wAddress = (nint)w, uAddress = (nint)u;
        KernelThreads.ForRange(Padded(channels), ChannelsPerTransformTask, (first, last) =>
        {
            if (tile == 4) TransformWeights4((float*)wAddress, channels, outChannels, (float*)uAddress, first, last);
            else TransformWeights2((float*)wAddress, channels, outChannels, (float*)uAddress, first, last);
        });
    }

    /// <summary>dw += the transform's adjoint of dU for <paramref name="tile"/>, the input channels split over the pool.</summary>
    private static void TransformWeightGradients(int tile, float* du, int channels, int outChannels, float* dw)
    {
        nint duAddress = (nint)du, dwAddress = (nint)dw;
        KernelThreads.ForRange(channels, ChannelsPerTransformTask, (first, last) =>
        {
            if (tile == 4) TransformWeightGradients4((float*)duAddress, channels, outChannels, (float*)dwAddress, first, last);
            else TransformWeightGradients2((float*)duAddress, channels, outChannels, (float*)dwAddress, first, last);
        });
    }

    /// <summary>Input channels of a kernel transform below which a task is not worth its wake-up.</summary>
    private const int ChannelsPerTransformTask = 16;

    /// <summary>
    /// dw (3, 3, C, OC) += the weight gradient: for each tile, dM = A dy Aᵀ (the adjoint of the output transform), then
    /// dU[ξ] += V[ξ]ᵀ · dM[ξ] over all tiles (16 GEMMs whose inner dimension is the tiles), then dw += Gᵀ dU G; and
    /// dbias (OC, unless empty) += Σ dy, taken as the tiles' gradients are read.
    /// Each task sums its tiles into its own dU and bias row; the tasks' are added (in order) at the end.
    /// </summary>
    public static void BackwardWeights(in Conv2DGeometry g, float* x, float* dy, float* dw, Span<float> dbias)
    {
        var p = new Problem(g.Batch, g.InHeight, g.InWidth, g.InChannels, g.OutHeight, g.OutWidth, g.OutChannels, g.PadTop, g.PadLeft, TileFor(g.Batch, g.OutHeight, g.OutWidth));
        int size = p.Positions * p.ChannelsPadded * p.OutChannelsPadded;
        var (blockTiles, blocks, tasks) = Split(p);
        var gradients = new float[tasks][];
        for (int t = 0; t < tasks; t++) gradients[t] = ArrayPool<float>.Shared.Rent(size);   // each task's first block overwrites its own
        using var biasGradients = dbias.IsEmpty ? null : new PaddedRows(tasks, g.OutChannels);
        Run(new Job(p, x, null, dy, accumulate: true, blockTiles, blocks, tasks) { WeightGradients = gradients, BiasGradients = biasGradients });
        biasGradients?.AddTo(dbias);
        if (tasks > 1)
            KernelThreads.ForRange(size, ElementwiseSplit.MinChunk, (first, last) =>
            {
                var total = gradients[0].AsSpan(first, last - first);
                for (int t = 1; t < gradients.Length; t++) System.Numerics.Tensors.TensorPrimitives.Add(total, gradients[t].AsSpan(first, last - first), total);
            });
        fixed (float* du = gradients[0]) TransformWeightGradients(p.Tile, du, p.Channels, p.OutChannels, dw);
        foreach (var gradient in gradients) ArrayPool<float>.Shared.Return(gradient);
    }

    private static void Run(Job job)
    {
        if (job.Tasks == 1) job.RunTask(0);
        else KernelThreads.For(job.Tasks, job.RunTask);
    }

    /// <summary>
    /// Tiles per block (the workspace's worth, but no more than a thread's share, so that a single small image still
    /// transforms on every thread), blocks, and the tasks that share them. (Keeping small problems to one task made
    /// LeNet's batch-1 latency on two threads a fifth slower, and gained nothing measurable on the detector's 4×4 maps.)
    /// </summary>
    private static (int BlockTiles, int Blocks, int Tasks) Split(Problem p)
    {
        int threads = KernelThreads.InParallelRegion ? 1 : KernelThreads.Count;
        int blockTiles = Math.Clamp(WorkspaceFloats / (p.Positions * (p.ChannelsPadded + p.OutChannelsPadded)), 8, 512);
        blockTiles = Math.Min(blockTiles, Math.Max(8, (p.Tiles + threads - 1) / threads));
        int blocks = (p.Tiles + blockTiles - 1) / blockTiles;
        if (blocks > threads && blocks % threads != 0)
        {
            // Whole rounds of blocks, so that no thread waits a block's time for the others (3 blocks on 2 threads: 2/3 busy).
            blocks = (blocks + threads - 1) / threads * threads;
            blockTiles = (p.Tiles + blocks - 1) / blocks;
            blocks = (p.Tiles + blockTiles - 1) / blockTiles;
        }
        return (blockTiles, blocks, Math.Min(threads, blocks));
    }

    /// <summary>
    /// One call's operands, shared by its tasks; each task takes a contiguous range of tile blocks. For the forward pass
    /// (and the input gradient) <paramref name="y"/> receives the outputs; with <see cref="WeightGradients"/> it holds the
    /// output gradient, and each task accumulates dU into its own array.
    /// </summary>
    private sealed partial class Job(Problem p, float* x, float* u, float* y, bool accumulate, int blockTiles, int blocks, int tasks)
    {
        public float[][]? WeightGradients { get; init; }

        /// <summary>Each task's share of the bias gradient (the weight gradient's pass only; null: none wanted).</summary>
        public PaddedRows? BiasGradients { get; init; }

        /// <summary>The bias the forward pass adds (null: none) and whether it then clips at 0.</summary>
        public float* Bias { get; init; }
        public bool Relu { get; init; }

        public int Tasks => tasks;

        public void RunTask(int task)
        {
            int first = (int)((long)blocks * task / tasks), last = (int)((long)blocks * (task + 1) / tasks);
            int cp = p.ChannelsPadded, ocp = p.OutChannelsPadded, positions = p.Positions;
            bool large = p.Tile == 4;
            float[] v = ArrayPool<float>.Shared.Rent(positions * (blockTiles * cp + PlanePad));
            float[] m = ArrayPool<float>.Shared.Rent(positions * (blockTiles * ocp + PlanePad));
            float[] zeros = ArrayPool<float>.Shared.Rent(cp);
            Array.Clear(zeros, 0, cp);
            fixed (float* pv = v, pm = m, pz = zeros)
                for (int b = first; b < last; b++)
                {
                    int tile = b * blockTiles, count = Math.Min(blockTiles, p.Tiles - tile);
                    int vPlane = count * cp + PlanePad, mPlane = count * ocp + PlanePad;
                    if (large) TransformInputs4(tile, count, pv, vPlane, pz);
                    else TransformInputs2(tile, count, pv, vPlane, pz);
                    var planes = new ReadOnlySpan<float>(pv, positions * vPlane);
                    if (WeightGradients is { } gradients)
                    {
                        float* biasSums = BiasGradients is { } biasRows ? biasRows[task] : null;
                        if (large) TransformOutputGradients4(tile, count, pm, mPlane, biasSums);
                        else TransformOutputGradients2(tile, count, pm, mPlane, biasSums);
                        // dU[ξ] (C × OC) += V[ξ]ᵀ (C × count) · dM[ξ] (count × OC).
                        BatchedGemm.Sgemm(true, false, cp, ocp, count, 1f, planes, cp, vPlane,
                            new ReadOnlySpan<float>(pm, positions * mPlane), ocp, mPlane,
                            b == first ? 0f : 1f, gradients[task].AsSpan(0, positions * cp * ocp), ocp, (long)cp * ocp, positions);
                        continue;
                    }
                    // The products V[ξ] (count × C) · U[ξ] (C × OC), one GEMM per position, into M[ξ] (count × OC).
                    BatchedGemm.Sgemm(false, false, count, ocp, cp, 1f, planes, cp, vPlane,
                        new ReadOnlySpan<float>(u, positions * cp * ocp), ocp, (long)cp * ocp,
                        0f, new Span<float>(pm, positions * mPlane), ocp, mPlane, positions);
                    if (large) TransformOutputs4(tile, count, pm, mPlane);
                    else TransformOutputs2(tile, count, pm, mPlane);
                }
            ArrayPool<float>.Shared.Return(v);
            ArrayPool<float>.Shared.Return(m);
            ArrayPool<float>.Shared.Return(zeros);
        }

        /// <summary>Pointers to a tile's <paramref name="size"/> × <paramref name="size"/> input block, row by row: each pixel's channels, or <paramref name="zeros"/> outside the input.</summary>
        private void BlockRows(int tile, int size, float** rows, float* zeros)
        {
            var (n, iy0, ix0) = Origin(tile);
            for (int r = 0; r < size; r++)
                for (int s = 0; s < size; s++)
                {
                    int iy = iy0 + r, ix = ix0 + s;
                    rows[r * size + s] = iy >= 0 && iy < p.Height && ix >= 0 && ix < p.Width ? x + (((long)n * p.Height + iy) * p.Width + ix) * p.Channels : zeros;
                }
        }

        /// <summary>A forward output as written: clipped at 0 under a fused ReLU.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector<float> Finish(Vector<float> value, bool relu) => relu ? Vector.Max(value, Vector<float>.Zero) : value;

        /// <summary>The image of a tile and the input position of its input block's top-left corner.</summary>
        private (int Image, int Y, int X) Origin(int tile)
        {
            int perImage = p.TilesY * p.TilesX, n = tile / perImage, rest = tile - n * perImage, ty = rest / p.TilesX, tx = rest - ty * p.TilesX;
            return (n, ty * p.Tile - p.PadTop, tx * p.Tile - p.PadLeft);
        }
    }
}
