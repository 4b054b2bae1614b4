using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>
/// Batch normalisation over the last (channel) axis of x viewed as (rows, C), as Keras's
/// BatchNormalization(axis=-1): y = γ·(x − μ)/√(σ² + ε) + β. Training uses the batch's biased
/// variance and updates the moving averages as m ← m·momentum + batch·(1 − momentum).
/// Every pass runs across the channels of a row in 8-lane vectors and splits the rows over the pool.
/// The per-channel sums are taken over blocks of a fixed size whatever the thread count (float
/// within a few rows, double across them, blocks added in order), so the result does not depend
/// on how many threads ran. The statistics sum x − x₀ (x₀: the first row), so that E[x²] − μ² does
/// not cancel away the variance of a channel whose mean is large against its spread.
/// With <c>relu</c> the forward passes write max(y, 0) and the backward passes take the gradient through that ReLU
/// (zero where the output was not positive): a BatchNormalization followed by a ReLU in one pass each way, where the
/// pair took two and kept the normalised tensor between them.
/// </summary>
public static unsafe class BatchNormKernels
{
    /// <summary>Elements per block of a reduction: a quarter MiB, so a block is worth a task.</summary>
    private const int BlockElements = 1 << 16;

    /// <summary>Rows summed in float before the sums go into double: keeps float's rounding to a few rows' worth.</summary>
    private const int FlushRows = 32;

    /// <summary>Training forward. Writes y (max(y, 0) with <paramref name="relu"/>), the per-channel mean and inverse std (kept for backward), and updates the moving statistics.</summary>
    public static void ForwardTraining(ReadOnlySpan<float> x, int channels, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, float momentum, Span<float> movingMean, Span<float> movingVariance,
        Span<float> y, Span<float> mean, Span<float> inverseStd, bool relu = false)
    {
        int rows = Check(nameof(ForwardTraining), x, channels, gamma, beta, y);
        Channels(nameof(ForwardTraining), channels, movingMean.Length, movingVariance.Length, mean.Length, inverseStd.Length);
        var sums = new double[2 * channels];   // Σ(x − x₀), then Σ(x − x₀)²
        var pivot = rows > 0 ? x[..channels].ToArray() : new float[channels];
        fixed (float* px = x, pPivot = pivot)
            ChannelSums(rows, channels, sums, new StatisticsPass(px, pPivot));
        for (int c = 0; c < channels; c++)
        {
            double shiftedMean = sums[c] / rows, mu = pivot[c] + shiftedMean;
            double variance = Math.Max(sums[channels + c] / rows - shiftedMean * shiftedMean, 0);
            mean[c] = (float)mu;
            inverseStd[c] = (float)(1 / Math.Sqrt(variance + epsilon));
            movingMean[c] = movingMean[c] * momentum + (float)mu * (1 - momentum);
            movingVariance[c] = movingVariance[c] * momentum + (float)variance * (1 - momentum);
        }
        Normalize(x, channels, gamma, beta, mean, inverseStd, y, relu);
    }

    /// <summary>Inference forward with the moving statistics (then max(y, 0) with <paramref name="relu"/>).</summary>
    public static void ForwardInference(ReadOnlySpan<float> x, int channels, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, ReadOnlySpan<float> movingMean, ReadOnlySpan<float> movingVariance, Span<float> y, bool relu = false)
    {
        Check(nameof(ForwardInference), x, channels, gamma, beta, y);
        Channels(nameof(ForwardInference), channels, movingMean.Length, movingVariance.Length);
        var inverseStd = new float[channels];
        for (int c = 0; c < channels; c++) inverseStd[c] = 1f / MathF.Sqrt(movingVariance[c] + epsilon);
        Normalize(x, channels, gamma, beta, movingMean, inverseStd, y, relu);
    }

    /// <summary>
    /// Training backward with x̂ = (x − μ)·s: dγ += Σ dy·x̂, dβ += Σ dy,
    /// dx += γ·s/m · (m·dy − Σdy − x̂·Σ dy·x̂) for m rows, computed as dx += a·dy + b·(x − μ) + d per channel.
    /// Given the output of a fused ReLU (<paramref name="reluOutput"/>, not empty), dy is the ReLU's output gradient and
    /// counts only where that output is positive.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int channels, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        ReadOnlySpan<float> reluOutput = default)
    {
        int rows = CheckBackward(nameof(Backward), x, dy, channels, gamma, mean, inverseStd, dx, reluOutput);
        Channels(nameof(Backward), channels, dGamma.Length, dBeta.Length);
        var sums = GradientSums(x, dy, channels, mean, inverseStd, reluOutput);
        for (int c = 0; c < channels; c++) { dGamma[c] += (float)sums[channels + c]; dBeta[c] += (float)sums[c]; }
        if (dx.IsEmpty) return;
        // γs/m·(m·dy − Σdy − (x − μ)s·Σdyx̂) = a·dy + b·(x − μ) + d with a = γs, b = −(γs/m)·s·Σdyx̂, d = −(γs/m)·Σdy.
        var coefficients = new float[4 * channels];
        for (int c = 0; c < channels; c++)
        {
            double a = (double)gamma[c] * inverseStd[c], b = -a / rows * inverseStd[c] * sums[channels + c];
            coefficients[c] = (float)a;
            coefficients[channels + c] = (float)b;
            coefficients[2 * channels + c] = (float)(-a / rows * sums[c]);
            coefficients[3 * channels + c] = mean[c];
        }
        AddInputGradient(x, dy, dx, coefficients, channels, reluOutput);
    }

    /// <summary>
    /// Inference-mode backward (fixed statistics: μ and s are constants): dγ += Σ dy·x̂, dβ += Σ dy, dx += γ·s·dy.
    /// dγ and dβ may be empty (frozen), as may dx; <paramref name="reluOutput"/> as in <see cref="Backward"/>.
    /// </summary>
    public static void BackwardInference(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int channels, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        ReadOnlySpan<float> reluOutput = default)
    {
        CheckBackward(nameof(BackwardInference), x, dy, channels, gamma, mean, inverseStd, dx, reluOutput);
        if (!dGamma.IsEmpty) Channels(nameof(BackwardInference), channels, dGamma.Length);
        if (!dBeta.IsEmpty) Channels(nameof(BackwardInference), channels, dBeta.Length);
        if (!dGamma.IsEmpty || !dBeta.IsEmpty)
        {
            var sums = GradientSums(x, dy, channels, mean, inverseStd, reluOutput);
            for (int c = 0; c < channels; c++)
            {
                if (!dGamma.IsEmpty) dGamma[c] += (float)sums[channels + c];
                if (!dBeta.IsEmpty) dBeta[c] += (float)sums[c];
            }
        }
        if (dx.IsEmpty) return;
        var coefficients = new float[4 * channels];   // a = γs; b, d and the centre stay 0
        for (int c = 0; c < channels; c++) coefficients[c] = gamma[c] * inverseStd[c];
        AddInputGradient(x, dy, dx, coefficients, channels, reluOutput);
    }

    /// <summary>Throws unless x makes whole rows of the channels and γ, β and y fit it; returns the rows.</summary>
    private static int Check(string kernel, ReadOnlySpan<float> x, int channels, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y)
    {
        int rows = KernelArguments.Rows(kernel, x.Length, channels);
        Channels(kernel, channels, gamma.Length, beta.Length);
        KernelArguments.Length(kernel, "the output", y.Length, x.Length);
        return rows;
    }

    private static int CheckBackward(string kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int channels, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, Span<float> dx, ReadOnlySpan<float> reluOutput)
    {
        int rows = KernelArguments.Rows(kernel, x.Length, channels);
        Channels(kernel, channels, gamma.Length, mean.Length, inverseStd.Length);
        KernelArguments.Length(kernel, "the output gradient", dy.Length, x.Length);
        KernelArguments.OptionalLength(kernel, "the input gradient", dx.Length, x.Length);
        KernelArguments.OptionalLength(kernel, "the ReLU's output", reluOutput.Length, x.Length);
        return rows;
    }

    private static void Channels(string kernel, int channels, params ReadOnlySpan<int> lengths)
    {
        foreach (int length in lengths) KernelArguments.Length(kernel, "a per-channel operand", length, channels);
    }

    /// <summary>dx += k[c]·dy + k[C + c]·(x − k[3C + c]) + k[2C + c], rows split over the pool; dy masked by a fused ReLU's output when given.</summary>
    private static void AddInputGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float[] coefficients, int channels, ReadOnlySpan<float> reluOutput)
    {
        fixed (float* px = x, pdy = dy, pdx = dx, pk = coefficients, pz = reluOutput)
        {
            float* xs = px, gs = pdy, ds = pdx, k = pk, z = pz;   // fixed locals cannot be captured
            ForRows(x.Length / channels, channels, (r0, r1) => AccumulateGradient(xs, gs, z, ds, k, channels, r0, r1));
        }
    }

    private static void Normalize(ReadOnlySpan<float> x, int channels, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, Span<float> y, bool relu)
    {
        var scaleShift = new float[2 * channels];
        for (int c = 0; c < channels; c++)
        {
            scaleShift[c] = gamma[c] * inverseStd[c];
            scaleShift[channels + c] = beta[c] - mean[c] * scaleShift[c];
        }
        int rows = x.Length / channels;
        fixed (float* px = x, py = y, pk = scaleShift)
        {
            float* xs = px, ys = py, k = pk;
            ForRows(rows, channels, (r0, r1) => AffineRows(xs, ys, k, channels, r0, r1, relu));
        }
    }

    /// <summary>Σdy into [0..C) and Σdy·x̂ into [C..2C) (dy masked by a fused ReLU's output when given).</summary>
    private static double[] GradientSums(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int channels, ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd,
        ReadOnlySpan<float> reluOutput)
    {
        var sums = new double[2 * channels];
        fixed (float* px = x, pdy = dy, pMean = mean, pInv = inverseStd, pz = reluOutput)
            ChannelSums(x.Length / channels, channels, sums, new GradientPass(px, pdy, pz, pMean, pInv));
        return sums;
    }

    /// <summary>
    /// Adds a pass's 2·C per-channel sums over all rows into <paramref name="sums"/>: fixed blocks of rows, each into its
    /// own doubles, then the blocks in order. Each task takes a contiguous run of blocks: with blocks dealt out one at a
    /// time the two threads streamed interleaved quarter-MiB pieces and each ran at half its speed alone (2 threads took
    /// 0.20 ms on a 32-channel 64×64 batch, 1 thread 0.19; contiguous runs: 0.09).
    /// </summary>
    private static void ChannelSums<TPass>(int rows, int channels, double[] sums, TPass pass) where TPass : struct, IRowPass
    {
        int rowsPerBlock = Math.Max(1, BlockElements / channels), blocks = (rows + rowsPerBlock - 1) / rowsPerBlock;
        if (blocks <= 1) { SumBlock(pass, channels, 0, rows, sums); return; }
        var partials = System.Buffers.ArrayPool<double>.Shared.Rent(blocks * sums.Length);
        Array.Clear(partials, 0, blocks * sums.Length);
        int tasks = Math.Min(blocks, KernelThreads.InParallelRegion ? 1 : KernelThreads.Count);
        KernelThreads.For(tasks, t =>
        {
            for (int b = blocks * t / tasks; b < blocks * (t + 1) / tasks; b++)
                SumBlock(pass, channels, b * rowsPerBlock, Math.Min(rows, (b + 1) * rowsPerBlock), partials.AsSpan(b * sums.Length, sums.Length));
        });
        for (int b = 0; b < blocks; b++)
            for (int i = 0; i < sums.Length; i++) sums[i] += partials[b * sums.Length + i];
        System.Buffers.ArrayPool<double>.Shared.Return(partials);
    }

    /// <summary>
    /// Rows [r0, r1) of a pass into <paramref name="sums"/>: in float for <see cref="FlushRows"/> rows, then into double.
    /// Each group of rows is taken a strip of up to four channel vectors at a time with the strip's sums in registers (kept
    /// in memory and updated row after row, each row waited on the last one's store: the statistics ran at a third of
    /// the speed of memory on a 16-channel map); the float sums add the rows in the same order either way.
    /// </summary>
    private static void SumBlock<TPass>(TPass pass, int channels, int r0, int r1, Span<double> sums) where TPass : struct, IRowPass
    {
        for (int start = r0; start < r1; start += FlushRows)
        {
            int end = Math.Min(r1, start + FlushRows), c = 0;
            while (c + 8 <= channels)
            {
                int vectors = Math.Min(4, (channels - c) / 8);
                var (a0, a1, a2, a3) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
                var (b0, b1, b2, b3) = (a0, a1, a2, a3);
                for (int r = start; r < end; r++)
                {
                    long offset = (long)r * channels;
                    pass.Add(offset, c, ref a0, ref b0);
                    if (vectors > 1) pass.Add(offset, c + 8, ref a1, ref b1);
                    if (vectors > 2) pass.Add(offset, c + 16, ref a2, ref b2);
                    if (vectors > 3) pass.Add(offset, c + 24, ref a3, ref b3);
                }
                Flush(sums, channels, c, a0, b0);
                if (vectors > 1) Flush(sums, channels, c + 8, a1, b1);
                if (vectors > 2) Flush(sums, channels, c + 16, a2, b2);
                if (vectors > 3) Flush(sums, channels, c + 24, a3, b3);
                c += 8 * vectors;
            }
            for (; c < channels; c++)
            {
                float a = 0, b = 0;
                for (int r = start; r < end; r++) pass.Add((long)r * channels, c, ref a, ref b);
                sums[c] += a;
                sums[channels + c] += b;
            }
        }
    }

    /// <summary>Adds a strip's float sums of channels [c, c + 8) into the double sums (first terms at c, second at C + c).</summary>
    private static void Flush(Span<double> sums, int channels, int c, Vector256<float> first, Vector256<float> second)
    {
        for (int i = 0; i < 8; i++)
        {
            sums[c + i] += first.GetElement(i);
            sums[channels + c + i] += second.GetElement(i);
        }
    }

    /// <summary>One reduction over the rows: adds a row's two per-channel terms into the sums a and b (8 channels from c,
    /// or the single channel c). Implemented by structs, so <see cref="SumBlock"/> is compiled once per pass with the row inlined.</summary>
    private interface IRowPass
    {
        void Add(long offset, int c, ref Vector256<float> a, ref Vector256<float> b);
        void Add(long offset, int c, ref float a, ref float b);
    }

    /// <summary>x − x₀ and (x − x₀)².</summary>
    private readonly struct StatisticsPass(float* x, float* x0) : IRowPass
    {
        private readonly float* _x = x, _x0 = x0;

        public void Add(long offset, int c, ref Vector256<float> a, ref Vector256<float> b)
        {
            var v = Vector256.Load(_x + offset + c) - Vector256.Load(_x0 + c);
            a += v;
            b = Vector256.FusedMultiplyAdd(v, v, b);
        }

        public void Add(long offset, int c, ref float a, ref float b)
        {
            float v = _x[offset + c] - _x0[c];
            a += v;
            b += v * v;
        }
    }

    /// <summary>dy and dy·x̂ with x̂ = (x − μ)·s; dy taken as 0 where a fused ReLU's output <c>z</c> (when not null) is not positive.</summary>
    private readonly struct GradientPass(float* x, float* dy, float* z, float* mean, float* inverseStd) : IRowPass
    {
        private readonly float* _x = x, _dy = dy, _z = z, _mean = mean, _inverseStd = inverseStd;

        public void Add(long offset, int c, ref Vector256<float> a, ref Vector256<float> b)
        {
            var gv = Masked(Vector256.Load(_dy + offset + c), _z == null ? null : _z + offset, c);
            var xhat = (Vector256.Load(_x + offset + c) - Vector256.Load(_mean + c)) * Vector256.Load(_inverseStd + c);
            a += gv;
            b = Vector256.FusedMultiplyAdd(gv, xhat, b);
        }

        public void Add(long offset, int c, ref float a, ref float b)
        {
            float gc = _z == null || _z[offset + c] > 0 ? _dy[offset + c] : 0f;
            a += gc;
            b += gc * (_x[offset + c] - _mean[c]) * _inverseStd[c];
        }
    }

    private static void ForRows(int rows, int channels, Action<int, int> body) =>
        KernelThreads.ForRange(rows, Math.Max(1, BlockElements / channels), body);

    /// <summary>y = x·k[c] + k[C + c] over rows [r0, r1), then max(y, 0) with <paramref name="relu"/>.</summary>
    private static void AffineRows(float* x, float* y, float* k, int channels, int r0, int r1, bool relu)
    {
        for (int r = r0; r < r1; r++)
        {
            float* src = x + (long)r * channels, dst = y + (long)r * channels;
            int c = 0;
            for (; c <= channels - 8; c += 8)
            {
                var v = Vector256.FusedMultiplyAdd(Vector256.Load(src + c), Vector256.Load(k + c), Vector256.Load(k + channels + c));
                (relu ? Vector256.Max(v, Vector256<float>.Zero) : v).Store(dst + c);
            }
            for (; c < channels; c++)
            {
                float v = src[c] * k[c] + k[channels + c];
                dst[c] = relu ? MathF.Max(v, 0f) : v;
            }
        }
    }

    /// <summary>dy where the fused ReLU's output at channels [c, c + 8) is positive, 0 elsewhere (dy itself when there is none).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Masked(Vector256<float> dy, float* z, int c) =>
        z == null ? dy : Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Load(z + c), Vector256<float>.Zero), dy, Vector256<float>.Zero);

    /// <summary>dx += k[c]·dy + k[C + c]·(x − k[3C + c]) + k[2C + c] over rows [r0, r1), dy masked by <paramref name="z"/> unless null.</summary>
    private static void AccumulateGradient(float* x, float* dy, float* z, float* dx, float* k, int channels, int r0, int r1)
    {
        for (int r = r0; r < r1; r++)
        {
            long o = (long)r * channels;
            float* zr = z == null ? null : z + o;
            int c = 0;
            for (; c <= channels - 8; c += 8)
            {
                var sum = Vector256.FusedMultiplyAdd(Masked(Vector256.Load(dy + o + c), zr, c), Vector256.Load(k + c), Vector256.Load(dx + o + c));
                var centred = Vector256.Load(x + o + c) - Vector256.Load(k + 3 * channels + c);
                sum = Vector256.FusedMultiplyAdd(centred, Vector256.Load(k + channels + c), sum);
                (sum + Vector256.Load(k + 2 * channels + c)).Store(dx + o + c);
            }
            for (; c < channels; c++)
            {
                float g = zr == null || zr[c] > 0 ? dy[o + c] : 0f;
                dx[o + c] += k[c] * g + k[channels + c] * (x[o + c] - k[3 * channels + c]) + k[2 * channels + c];
            }
        }
    }
}
